package store

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	bolt "go.etcd.io/bbolt"
)

// GCReport says what GC removed.
type GCReport struct {
	Removed   []Run // dropped runs, oldest first
	Snapshots int   // (run, unit) snapshot records deleted
	Pages     int   // page records deleted
	Findings  int   // findings deleted
	Bodies    int   // bodies no kept run referenced
	// File size before and after compaction, in bytes.
	SizeBefore, SizeAfter int64
}

const (
	gcBodiesPerTx  = 5000     // body deletions per write transaction
	compactTxBytes = 64 << 20 // bytes copied per transaction while compacting
)

// GC keeps the newest keep complete runs of the store at path and drops
// the older ones: their run records, snapshots, pages and findings. An
// interrupted run never counts toward keep; one older than the oldest kept
// complete run is dropped, a newer one stays. History stays. It then deletes the bodies no remaining page or finding
// refers to and compacts the file: a copy is written with bbolt's Compact to a
// temporary file in the same directory, synced, and renamed over path.
//
// The file must not be in use: GC takes the usual lock and fails after the
// lock timeout while another process has it open. Each run is dropped in one
// transaction, so an interrupted GC leaves a valid file. The whole file is
// verified first (see Verify): GC deletes nothing from a damaged file.
func GC(path string, keep int) (GCReport, error) {
	return GCWith(path, keep, Options{})
}

// GCWith is GC with the lock wait and busy-note holder of opts.
func GCWith(path string, keep int, opts Options) (GCReport, error) {
	if keep < 1 {
		return GCReport{}, fmt.Errorf("store: gc %s: keep %d runs, want at least 1", path, keep)
	}
	rep, err := gc(path, keep, opts)
	if err != nil {
		return rep, fmt.Errorf("store: gc %s: %w", path, err)
	}
	return rep, nil
}

func gc(path string, keep int, opts Options) (GCReport, error) {
	var rep GCReport
	fi, err := os.Stat(path)
	if err != nil {
		return rep, err
	}
	rep.SizeBefore = fi.Size()
	db, err := OpenWith(path, Options{Wait: opts.Wait, Verify: true, Holder: opts.Holder})
	if err != nil {
		return rep, err
	}
	defer db.Close() // after the rename: the old file stays locked until then

	// Nothing is deleted from a file with any damage: what GC would keep
	// might be what is lost.
	var vr VerifyReport
	vr.Path, vr.Size = path, fi.Size()
	db.verify(&vr)
	if !vr.OK() {
		return rep, &DamagedError{Path: path, What: vr.Problems[0] + "（gc 未删除任何内容）"}
	}
	runs, err := db.Runs()
	if err != nil {
		return rep, err
	}
	for _, r := range dropped(runs, keep) {
		if err := db.update(func(tx *bolt.Tx) error { return dropRun(tx, r.ID, &rep) }); err != nil {
			return rep, fmt.Errorf("drop run %s: %w", r.ID, err)
		}
		rep.Removed = append(rep.Removed, r)
	}
	if err := db.dropUnreferencedBodies(&rep); err != nil {
		return rep, err
	}
	if err := compactInto(db.bolt, path, fi.Mode().Perm()); err != nil {
		return rep, err
	}
	if fi, err = os.Stat(path); err != nil {
		return rep, err
	}
	rep.SizeAfter = fi.Size()
	return rep, nil
}

// dropped picks the runs (oldest first) GC drops to keep the newest keep
// complete runs: the older complete ones, and the interrupted runs older
// than the oldest kept. With no complete run, nothing is dropped.
func dropped(runs []Run, keep int) []Run {
	oldest, n := "", 0
	for i := len(runs) - 1; i >= 0 && n < keep; i-- {
		if runs[i].Complete {
			oldest, n = runs[i].ID, n+1
		}
	}
	if oldest == "" {
		return nil
	}
	var out []Run
	for _, r := range runs {
		if r.ID < oldest {
			out = append(out, r)
		}
	}
	return out
}

// dropRun deletes a run's record, snapshots, pages, findings and unit counts.
func dropRun(tx *bolt.Tx, runID string, rep *GCReport) error {
	r, err := getRun(tx, runID)
	if err != nil {
		return err
	}
	prefix := []byte(runID + "/")
	for _, name := range [][]byte{bucketSnapshots, bucketPages, bucketFindings, bucketUnitCounts} {
		b := tx.Bucket(name)
		if b == nil {
			continue // unit_counts is created on first write
		}
		c := b.Cursor()
		// Delete through the cursor: it stays valid and moves to the next key.
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Seek(prefix) {
			if err := c.Delete(); err != nil {
				return err
			}
			if bytes.Equal(name, bucketSnapshots) {
				rep.Snapshots++
			}
		}
	}
	rep.Pages += int(r.Pages)
	rep.Findings += int(r.Findings)
	return tx.Bucket(bucketRuns).Delete([]byte(runID))
}

// dropUnreferencedBodies deletes the bodies that no page and no finding's
// evidence refers to, and the blobs no record refers to.
func (db *DB) dropUnreferencedBodies(rep *GCReport) error {
	used := make(map[string]bool)     // bodies
	usedBlob := make(map[string]bool) // blobs
	var garbage, garbageBlobs [][]byte
	err := db.view(func(tx *bolt.Tx) error {
		pageBlobs := map[string][]pageMeta{}
		err := tx.Bucket(bucketPages).ForEach(func(k, v []byte) error {
			if !isPlainJSON(v) {
				var ch pageChunk
				if err := decodeZ(v, &ch); err != nil {
					return fmt.Errorf("pages %s: %w", k, err)
				}
				usedBlob[ch.Blob] = true
			}
			ps, _, err := decodePages(tx, k, v, pageBlobs)
			if err != nil {
				return fmt.Errorf("pages %s: %w", k, err)
			}
			for _, p := range ps {
				used[p.SHA256] = true
				if p.RawSHA256 != "" {
					used[p.RawSHA256] = true
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		lists := listBlobs{}
		err = tx.Bucket(bucketFindings).ForEach(func(k, v []byte) error {
			if !isPlainJSON(v) {
				var rec findingsRecord
				if err := decodeZ(v, &rec); err != nil {
					return fmt.Errorf("findings %s: %w", k, err)
				}
				usedBlob[rec.List.Base] = true
			}
			fs, err := decodeFindings(tx, v, lists)
			if err != nil {
				return fmt.Errorf("findings %s: %w", k, err)
			}
			for _, f := range fs {
				used[f.Evidence.SHA256] = true
			}
			return nil
		})
		if err != nil {
			return err
		}
		err = tx.Bucket(bucketSnapshots).ForEach(func(k, v []byte) error {
			var rec snapshotRecord
			if err := decodeZ(v, &rec); err != nil {
				return fmt.Errorf("snapshot %s: %w", k, err)
			}
			for _, l := range rec.lists() {
				usedBlob[l.Base] = true
			}
			for _, a := range rec.Attachments {
				if a.TextSHA256 != "" {
					used[a.TextSHA256] = true
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		if err := tx.Bucket(bucketBlobs).ForEach(func(k, _ []byte) error {
			if !usedBlob[string(k)] {
				garbageBlobs = append(garbageBlobs, bytes.Clone(k))
			}
			return nil
		}); err != nil {
			return err
		}
		return tx.Bucket(bucketBodies).ForEach(func(k, _ []byte) error {
			if !used[string(k)] {
				garbage = append(garbage, bytes.Clone(k))
			}
			return nil
		})
	})
	if err != nil {
		return err
	}
	if err := deleteKeys(db, bucketBlobs, garbageBlobs); err != nil {
		return fmt.Errorf("delete blobs: %w", err)
	}
	if err := deleteKeys(db, bucketBodies, garbage); err != nil {
		return fmt.Errorf("delete bodies: %w", err)
	}
	if err := db.gcViews(); err != nil {
		return fmt.Errorf("delete views: %w", err)
	}
	rep.Bodies += len(garbage)
	return nil
}

// deleteKeys deletes keys from a bucket, gcBodiesPerTx per transaction.
func deleteKeys(db *DB, bucket []byte, keys [][]byte) error {
	for len(keys) > 0 {
		n := min(len(keys), gcBodiesPerTx)
		err := db.update(func(tx *bolt.Tx) error {
			b := tx.Bucket(bucket)
			for _, k := range keys[:n] {
				if err := b.Delete(k); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		keys = keys[n:]
	}
	return nil
}

// compactInto copies src into a temporary file beside path, syncs it and
// renames it over path. src stays open (and locked) until after the rename,
// and the copy is locked too, so no other process gets in between.
func compactInto(src *bolt.DB, path string, mode os.FileMode) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".gc-*")
	if err != nil {
		return err
	}
	tmpPath := tmp.Name()
	tmp.Close()
	defer func() {
		if err != nil {
			os.Remove(tmpPath)
		}
	}()
	if err := os.Chmod(tmpPath, mode); err != nil {
		return err
	}
	dst, err := bolt.Open(tmpPath, mode, nil)
	if err != nil {
		return err
	}
	defer dst.Close()
	if err := bolt.Compact(dst, src, compactTxBytes); err != nil {
		return fmt.Errorf("compact: %w", err)
	}
	if err := dst.Sync(); err != nil {
		return fmt.Errorf("compact: sync: %w", err)
	}
	if err := os.Rename(tmpPath, path); err != nil {
		return err
	}
	return syncDir(filepath.Dir(path))
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if err != nil && !errors.Is(err, os.ErrInvalid) { // some systems cannot sync a directory
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}
