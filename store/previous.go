package store

import (
	"errors"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"

	"gkaudit/site"
)

// PreviousSnapshot returns the snapshot (pages, columns, probes; no bodies)
// that the newest complete run before beforeRun ("" for any) that saved the
// unit completely recorded for it, with that run: what a re-crawl compares
// against and carries forward from. It returns an error wrapping ErrNotFound
// when no such run exists.
func (db *DB) PreviousSnapshot(unitID, beforeRun string) (Run, *site.Snapshot, error) {
	var run Run
	var snap *site.Snapshot
	err := db.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketRuns).Cursor()
		for k, _ := c.Last(); k != nil; k, _ = c.Prev() {
			if beforeRun != "" && string(k) >= beforeRun {
				continue
			}
			r, err := getRun(tx, string(k))
			if err != nil {
				return fmt.Errorf("run %s: %w", k, err)
			}
			if !r.Complete || !slices.Contains(r.Units, unitID) {
				continue
			}
			var rec snapshotRecord
			err = getZ(tx.Bucket(bucketSnapshots), []byte(r.ID+"/"+unitID), &rec)
			if errors.Is(err, ErrNotFound) || err == nil && !rec.Complete {
				continue
			}
			if err != nil {
				return err
			}
			s, err := readSnapshot(tx, r.ID, unitID)
			if err != nil {
				return err
			}
			run, snap = r, s
			return nil
		}
		return ErrNotFound
	})
	if err != nil {
		return Run{}, nil, fmt.Errorf("store: previous snapshot of %s: %w", unitID, err)
	}
	return run, snap, nil
}
