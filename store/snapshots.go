package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"

	"gkaudit/site"
)

// pagesPerTx bounds a write transaction, so a big unit is saved in many small
// commits rather than one giant one.
const pagesPerTx = 200

// snapshotRecord is a unit's snapshot without its pages, plus save progress.
type snapshotRecord struct {
	UnitID     string    `json:"unit_id"`
	UnitName   string    `json:"unit_name"`
	Entry      string    `json:"entry"`
	Started    time.Time `json:"started"`
	Finished   time.Time `json:"finished"`
	StopReason string    `json:"stop_reason,omitempty"`

	// ColumnList holds the columns sorted (ColumnOrder: where each was in
	// the order found), ProbeList the probes without their times, and
	// ProbeVisits the times, in order. Schema 2 kept Columns and Probes
	// here instead.
	ColumnList  *listRef      `json:"column_list,omitempty"`
	ColumnOrder []int         `json:"column_order,omitempty"`
	ProbeList   *listRef      `json:"probe_list,omitempty"`
	ProbeVisits []probeVisit  `json:"probe_visits,omitempty"`
	Columns     []site.Column `json:"columns,omitempty"`
	Probes      []site.Probe  `json:"probes,omitempty"`

	// The rest of the snapshot as the crawl left it: attachment records
	// (their texts are bodies under TextSHA256), skipped URLs, whether failures
	// had their second try, why the host was given up.
	Attachments []site.Attachment `json:"attachments,omitempty"`
	Skipped     []site.Skip       `json:"skipped,omitempty"`
	SecondTries bool              `json:"second_tries,omitempty"`
	Refused     string            `json:"refused,omitempty"`

	// Save progress: Total pages in the snapshot, Saved so far (with Bytes,
	// their summed Size); Complete once the last chunk is committed.
	Total    int64 `json:"total"`
	Saved    int64 `json:"saved"`
	Bytes    int64 `json:"bytes"`
	Complete bool  `json:"complete"`
}

// SaveSnapshot stores a unit's crawl under a run: page metadata (everything
// but Body and Links, which are derived from the body) with the HTTP
// exchanges, columns, probes and stop reason, and each body, and each raw
// body (Page.RawBody), once per distinct SHA-256 across all runs.
// Page.SHA256 must be the hex digest of Body; it is computed when empty.
// Metadata that an earlier run saved identically (a page unchanged but for
// when it was fetched) is stored once too. Pages are committed in chunks;
// saving the same unit again replaces the earlier snapshot.
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
	lists, err := splitSite(s)
	if err != nil {
		return err
	}
	pages := make([]*site.Page, len(s.Pages))
	n := 0
	for i, p := range s.Pages {
		if p == nil {
			continue
		}
		cp := *p
		cp.Links = nil
		if cp.SHA256 == "" && p.Body != nil {
			sum := sha256.Sum256(p.Body)
			cp.SHA256 = hex.EncodeToString(sum[:])
		}
		if cp.RawSHA256 == "" && p.RawBody != nil {
			sum := sha256.Sum256(p.RawBody)
			cp.RawSHA256 = hex.EncodeToString(sum[:])
		}
		pages[i] = &cp
		n++
	}
	rec := snapshotRecord{
		UnitID: s.UnitID, UnitName: s.UnitName, Entry: s.Entry,
		Started: s.Started, Finished: s.Finished, StopReason: s.StopReason,
		ColumnOrder: lists.order, ProbeVisits: lists.visits,
		Skipped: s.Skipped, SecondTries: s.SecondTries, Refused: s.Refused,
		Total: int64(n), Complete: n == 0,
	}
	texts, err := attachmentTexts(s, &rec)
	if err != nil {
		return err
	}
	chunks := chunkPages(pages)
	// The record goes first, marked incomplete, so a kill mid-save leaves the
	// pages saved so far reachable and visibly partial. A unit small enough
	// for one transaction is saved in one (fewer commits, fewer pages
	// copied).
	write := db.update
	var deferred func(*bolt.Tx) error
	if n <= pagesPerTx {
		write = func(fn func(*bolt.Tx) error) error { deferred = fn; return nil }
	}
	err = write(func(tx *bolt.Tx) error {
		if _, err := getRun(tx, runID); err != nil {
			return err
		}
		if err := deleteSnapshot(tx, runID, key); err != nil {
			return err
		}
		colBases, probeBases := snapshotBases(tx, runID, s.UnitID)
		cache := listBlobs{}
		cl, err := planList(tx, lists.columns, colBases, cache)
		if err != nil {
			return err
		}
		pl, err := planList(tx, lists.probes, probeBases, cache)
		if err != nil {
			return err
		}
		for _, l := range []plannedList{cl, pl} {
			if err := l.put(tx); err != nil {
				return err
			}
		}
		rec.ColumnList, rec.ProbeList = &cl.ref, &pl.ref
		bb := tx.Bucket(bucketBodies)
		for sha, z := range texts {
			if bb.Get([]byte(sha)) == nil {
				if err := bb.Put([]byte(sha), z); err != nil {
					return err
				}
			}
		}
		return putZ(tx.Bucket(bucketSnapshots), key, rec)
	})
	if err != nil {
		return err
	}
	if deferred != nil {
		return db.savePages(runID, key, s.Pages, pages, chunks, 0, true, deferred)
	}
	// Chunks are grouped into transactions of about pagesPerTx pages.
	for start, seq := 0, 0; start < len(chunks); {
		end, size := start, 0
		for end < len(chunks) && (end == start || size+len(chunks[end]) <= pagesPerTx) {
			size += len(chunks[end])
			end++
		}
		if err := db.savePages(runID, key, s.Pages, pages, chunks[start:end], seq, end == len(chunks), nil); err != nil {
			return err
		}
		seq += end - start
		start = end
	}
	return nil
}

// attachmentTexts copies the snapshot's attachment records into rec, each
// with the SHA-256 of its text, and returns the texts compressed by digest,
// to be stored as bodies (shared across runs, like page bodies).
func attachmentTexts(s *site.Snapshot, rec *snapshotRecord) (map[string][]byte, error) {
	if len(s.Attachments) == 0 {
		return nil, nil
	}
	texts := map[string][]byte{}
	rec.Attachments = make([]site.Attachment, len(s.Attachments))
	for i, a := range s.Attachments {
		if a.Text != "" {
			sum := sha256.Sum256([]byte(a.Text))
			a.TextSHA256 = hex.EncodeToString(sum[:])
			if _, ok := texts[a.TextSHA256]; !ok {
				z, err := compress([]byte(a.Text))
				if err != nil {
					return nil, fmt.Errorf("compress attachment text %s: %w", a.URL, err)
				}
				texts[a.TextSHA256] = z
			}
		}
		a.Text = ""
		rec.Attachments[i] = a
	}
	return texts, nil
}

// savePages commits chunks of pages (indices into pages; orig holds the
// bodies) as keys seq, seq+1, ... first, when not nil, runs first in the
// same transaction (it writes the snapshot record).
func (db *DB) savePages(runID string, snapKey []byte, orig, pages []*site.Page, chunks [][]int, seq int, last bool, first func(*bolt.Tx) error) error {
	vals := make([][]byte, len(chunks))
	blobs := make([]blob, len(chunks))
	var shas []string
	bodyOf := map[string][]byte{}
	var n, size int64
	for c, idx := range chunks {
		ch := pageChunk{Visits: make([]pageVisit, len(idx))}
		metas := make([]pageMeta, len(idx))
		for j, i := range idx {
			p := pages[i]
			metas[j], ch.Visits[j] = splitPage(p, i)
			if orig[i].Body != nil {
				shas = append(shas, p.SHA256)
				bodyOf[p.SHA256] = orig[i].Body
			}
			if orig[i].RawBody != nil {
				shas = append(shas, p.RawSHA256)
				bodyOf[p.RawSHA256] = orig[i].RawBody
			}
			n++
			size += p.Size
		}
		b, err := newBlob(metas)
		if err != nil {
			return err
		}
		blobs[c], ch.Blob = b, b.sha
		raw, err := json.Marshal(ch)
		if err != nil {
			return err
		}
		if vals[c], err = compress(raw); err != nil {
			return err
		}
	}

	// Compress, outside any write transaction, only bodies not yet stored.
	var missing []string
	err := db.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketBodies)
		for _, sha := range shas {
			if b.Get([]byte(sha)) == nil && !slices.Contains(missing, sha) {
				missing = append(missing, sha)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	packed := make(map[string][]byte, len(missing))
	for _, sha := range missing {
		if packed[sha], err = compress(bodyOf[sha]); err != nil {
			return fmt.Errorf("compress body %s: %w", sha, err)
		}
	}

	return db.update(func(tx *bolt.Tx) error {
		if first != nil {
			if err := first(tx); err != nil {
				return err
			}
		}
		pb, bb := tx.Bucket(bucketPages), tx.Bucket(bucketBodies)
		pb.FillPercent = denseFill
		tx.Bucket(bucketSnapshots).FillPercent = denseFill
		for c, v := range vals {
			if err := blobs[c].put(tx); err != nil {
				return err
			}
			if err := pb.Put(pageKey(snapKey, seq+c), v); err != nil {
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
		if err := getZ(sb, snapKey, &rec); err != nil {
			return err
		}
		rec.Saved += n
		rec.Bytes += size
		rec.Complete = last
		if err := putZ(sb, snapKey, rec); err != nil {
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
	err := getZ(tx.Bucket(bucketSnapshots), snapKey, &old)
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
// fetch order, columns and probes, with Page.Body and Page.Links left nil
// (the body is kept once, see Body; links are extracted from it). When the
// save was cut short, StopReason says so and Pages holds what was committed,
// in fetch order.
func (db *DB) Snapshot(runID, unitID string) (*site.Snapshot, error) {
	var s *site.Snapshot
	err := db.view(func(tx *bolt.Tx) error {
		var err error
		s, err = readSnapshot(tx, runID, unitID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: snapshot %s/%s: %w", runID, unitID, err)
	}
	return s, nil
}

func readSnapshot(tx *bolt.Tx, runID, unitID string) (*site.Snapshot, error) {
	key := []byte(runID + "/" + unitID)
	var rec snapshotRecord
	if err := getZ(tx.Bucket(bucketSnapshots), key, &rec); err != nil {
		return nil, err
	}
	s := &site.Snapshot{
		UnitID: rec.UnitID, UnitName: rec.UnitName, Entry: rec.Entry,
		Started: rec.Started, Finished: rec.Finished, StopReason: rec.StopReason,
		Attachments: rec.Attachments, Skipped: rec.Skipped, SecondTries: rec.SecondTries, Refused: rec.Refused,
	}
	var err error
	if s.Columns, s.Probes, err = rec.siteOf(tx, nil); err != nil {
		return nil, err
	}
	if !rec.Complete {
		msg := fmt.Sprintf("store: save interrupted, %d of %d pages saved", rec.Saved, rec.Total)
		if s.StopReason != "" {
			msg = s.StopReason + "; " + msg
		}
		s.StopReason = msg
	}
	type seqPage struct {
		seq int
		p   *site.Page
	}
	var all []seqPage
	prefix := append(append([]byte{}, key...), '/')
	c := tx.Bucket(bucketPages).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if !isPageKey(k, prefix) {
			continue // a unit whose ID extends this one with "/..."
		}
		ps, seqs, err := decodePages(tx, k, v, nil)
		if err != nil {
			return nil, fmt.Errorf("pages %s: %w", k, err)
		}
		for i, p := range ps {
			all = append(all, seqPage{seqs[i], p})
		}
	}
	slices.SortStableFunc(all, func(a, b seqPage) int { return a.seq - b.seq })
	for _, sp := range all {
		s.Pages = append(s.Pages, sp.p)
	}
	return s, nil
}

// PreviousPages returns the pages that the newest complete run before
// beforeRun ("" for any) that saved the unit completely recorded for it,
// keyed by URL as requested, with that run: what a re-crawl compares against.
// It returns an error wrapping ErrNotFound when no such run exists.
func (db *DB) PreviousPages(unitID, beforeRun string) (Run, map[string]*site.Page, error) {
	run, snap, err := db.PreviousSnapshot(unitID, beforeRun)
	if err != nil {
		return Run{}, nil, err
	}
	pages := make(map[string]*site.Page, len(snap.Pages))
	for _, p := range snap.Pages {
		if _, dup := pages[p.URL]; !dup {
			pages[p.URL] = p
		}
	}
	return run, pages, nil
}

// Body returns the decompressed body with the given SHA-256 hex digest, or an
// error wrapping ErrNotFound.
func (db *DB) Body(sha256hex string) ([]byte, error) {
	var body []byte
	err := db.view(func(tx *bolt.Tx) error {
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
