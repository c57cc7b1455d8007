package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"gkaudit/site"
)

// pagesPerTx bounds a write transaction, so a big unit is saved in many small
// commits rather than one giant one.
const pagesPerTx = 200

// snapshotRecord is a unit's snapshot without its pages, plus save progress.
type snapshotRecord struct {
	UnitID     string        `json:"unit_id"`
	UnitName   string        `json:"unit_name"`
	Entry      string        `json:"entry"`
	Started    time.Time     `json:"started"`
	Finished   time.Time     `json:"finished"`
	Columns    []site.Column `json:"columns"`
	Probes     []site.Probe  `json:"probes"`
	StopReason string        `json:"stop_reason,omitempty"`

	// Save progress: Total pages in the snapshot, Saved so far (with Bytes,
	// their summed Size); Complete once the last chunk is committed.
	Total    int64 `json:"total"`
	Saved    int64 `json:"saved"`
	Bytes    int64 `json:"bytes"`
	Complete bool  `json:"complete"`
}

// SaveSnapshot stores a unit's crawl under a run: page metadata (everything
// but Body), columns, probes and stop reason, and each body once per distinct
// SHA-256 across all runs. Page.SHA256 must be the hex digest of Body; it is
// computed when empty. Pages are committed in chunks; saving the same unit
// again replaces the earlier snapshot.
func (db *DB) SaveSnapshot(runID string, s *site.Snapshot) error {
	if s == nil {
		return fmt.Errorf("store: save snapshot: nil snapshot")
	}
	if err := db.saveSnapshot(runID, s); err != nil {
		return fmt.Errorf("store: save snapshot %s/%s: %w", runID, s.UnitID, err)
	}
	return nil
}

func (db *DB) saveSnapshot(runID string, s *site.Snapshot) error {
	key := []byte(runID + "/" + s.UnitID)
	rec := snapshotRecord{
		UnitID: s.UnitID, UnitName: s.UnitName, Entry: s.Entry,
		Started: s.Started, Finished: s.Finished,
		Columns: s.Columns, Probes: s.Probes, StopReason: s.StopReason,
		Total: int64(len(s.Pages)), Complete: len(s.Pages) == 0,
	}
	// The record goes first, marked incomplete, so a kill mid-save leaves the
	// pages saved so far reachable and visibly partial.
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		if _, err := getRun(tx, runID); err != nil {
			return err
		}
		if err := deleteSnapshot(tx, runID, key); err != nil {
			return err
		}
		return putJSON(tx.Bucket(bucketSnapshots), key, rec)
	})
	if err != nil {
		return err
	}
	for start := 0; start < len(s.Pages); start += pagesPerTx {
		end := min(start+pagesPerTx, len(s.Pages))
		if err := db.savePages(runID, key, s.Pages[start:end], start, end == len(s.Pages)); err != nil {
			return err
		}
	}
	return nil
}

// savePages commits one chunk of pages whose first index is first.
func (db *DB) savePages(runID string, snapKey []byte, pages []*site.Page, first int, last bool) error {
	metas := make([][]byte, len(pages))
	shas := make([]string, len(pages))
	var n, size int64
	for i, p := range pages {
		if p == nil {
			continue
		}
		cp := *p
		cp.Body = nil
		if cp.SHA256 == "" && p.Body != nil {
			sum := sha256.Sum256(p.Body)
			cp.SHA256 = hex.EncodeToString(sum[:])
		}
		if p.Body != nil {
			shas[i] = cp.SHA256
		}
		v, err := json.Marshal(&cp)
		if err != nil {
			return fmt.Errorf("page %s: %w", p.URL, err)
		}
		metas[i] = v
		n++
		size += p.Size
	}

	// Compress, outside any write transaction, only bodies not yet stored.
	var missing map[string]bool
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketBodies)
		for _, sha := range shas {
			if sha != "" && b.Get([]byte(sha)) == nil {
				if missing == nil {
					missing = make(map[string]bool)
				}
				missing[sha] = true
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	packed := make(map[string][]byte, len(missing))
	for i, sha := range shas {
		if missing[sha] && packed[sha] == nil {
			if packed[sha], err = compress(pages[i].Body); err != nil {
				return fmt.Errorf("compress %s: %w", pages[i].URL, err)
			}
		}
	}

	return db.bolt.Update(func(tx *bolt.Tx) error {
		pb, bb := tx.Bucket(bucketPages), tx.Bucket(bucketBodies)
		for i, v := range metas {
			if v == nil {
				continue
			}
			if err := pb.Put(pageKey(snapKey, first+i), v); err != nil {
				return err
			}
		}
		for sha, z := range packed {
			// Another unit may have stored it since the View above.
			if bb.Get([]byte(sha)) == nil {
				if err := bb.Put([]byte(sha), z); err != nil {
					return err
				}
			}
		}
		sb := tx.Bucket(bucketSnapshots)
		var rec snapshotRecord
		if err := getJSON(sb, snapKey, &rec); err != nil {
			return err
		}
		rec.Saved += n
		rec.Bytes += size
		rec.Complete = last
		if err := putJSON(sb, snapKey, rec); err != nil {
			return err
		}
		return updateRun(tx, runID, func(r *Run) {
			r.Pages += n
			r.Bytes += size
		})
	})
}

// deleteSnapshot removes an earlier save of the same unit, if any, and takes
// its pages out of the run's totals.
func deleteSnapshot(tx *bolt.Tx, runID string, snapKey []byte) error {
	var old snapshotRecord
	err := getJSON(tx.Bucket(bucketSnapshots), snapKey, &old)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	pb := tx.Bucket(bucketPages)
	var keys [][]byte
	prefix := append(append([]byte{}, snapKey...), '/')
	c := pb.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		if isPageKey(k, prefix) {
			keys = append(keys, append([]byte{}, k...))
		}
	}
	for _, k := range keys {
		if err := pb.Delete(k); err != nil {
			return err
		}
	}
	return updateRun(tx, runID, func(r *Run) {
		r.Pages -= old.Saved
		r.Bytes -= old.Bytes
	})
}

// Snapshot returns a unit's snapshot as saved under a run: page metadata in
// fetch order, columns and probes, with Page.Body left nil (see Body). When the
// save was cut short, StopReason says so and Pages holds what was committed.
func (db *DB) Snapshot(runID, unitID string) (*site.Snapshot, error) {
	var s *site.Snapshot
	err := db.bolt.View(func(tx *bolt.Tx) error {
		key := []byte(runID + "/" + unitID)
		var rec snapshotRecord
		if err := getJSON(tx.Bucket(bucketSnapshots), key, &rec); err != nil {
			return err
		}
		s = &site.Snapshot{
			UnitID: rec.UnitID, UnitName: rec.UnitName, Entry: rec.Entry,
			Started: rec.Started, Finished: rec.Finished,
			Columns: rec.Columns, Probes: rec.Probes, StopReason: rec.StopReason,
		}
		if !rec.Complete {
			msg := fmt.Sprintf("store: save interrupted, %d of %d pages saved", rec.Saved, rec.Total)
			if s.StopReason != "" {
				msg = s.StopReason + "; " + msg
			}
			s.StopReason = msg
		}
		prefix := append(append([]byte{}, key...), '/')
		c := tx.Bucket(bucketPages).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			if !isPageKey(k, prefix) {
				continue // a unit whose ID extends this one with "/..."
			}
			p := new(site.Page)
			if err := json.Unmarshal(v, p); err != nil {
				return fmt.Errorf("page %s: %w", k, err)
			}
			s.Pages = append(s.Pages, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: snapshot %s/%s: %w", runID, unitID, err)
	}
	return s, nil
}

// Body returns the decompressed body with the given SHA-256 hex digest, or an
// error wrapping ErrNotFound.
func (db *DB) Body(sha256hex string) ([]byte, error) {
	var body []byte
	err := db.bolt.View(func(tx *bolt.Tx) error {
		z := tx.Bucket(bucketBodies).Get([]byte(sha256hex))
		if z == nil {
			return ErrNotFound
		}
		var err error
		body, err = decompress(z)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: body %s: %w", sha256hex, err)
	}
	return body, nil
}

func pageKey(snapKey []byte, seq int) []byte {
	return fmt.Appendf(append([]byte{}, snapKey...), "/%06d", seq)
}

// isPageKey reports whether k is prefix followed by a sequence number only.
func isPageKey(k, prefix []byte) bool {
	return bytes.HasPrefix(k, prefix) && bytes.IndexByte(k[len(prefix):], '/') < 0
}
