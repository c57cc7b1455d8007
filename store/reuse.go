package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"

	"gkaudit/checks"
)

// UnitFindings returns the findings a run saved for one unit, in the order
// they were saved (each SaveFindings call's in its order): what a re-run
// reuses when the unit's pages are unchanged (audit/reuse.go).
func (db *DB) UnitFindings(runID, unitID string) ([]checks.Finding, error) {
	var fs []checks.Finding
	err := db.view(func(tx *bolt.Tx) error {
		if _, err := getRun(tx, runID); err != nil {
			return err
		}
		prefix := []byte(runID + "/" + unitID + "/")
		c := tx.Bucket(bucketFindings).Cursor()
		blobs := listBlobs{}
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			got, err := decodeFindings(tx, v, blobs)
			if err != nil {
				return fmt.Errorf("findings %s: %w", k, err)
			}
			fs = append(fs, got...)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: findings of %s in run %s: %w", unitID, runID, err)
	}
	return fs, nil
}

// UnitCountOf returns the counts a run recorded for one unit; an error
// wrapping ErrNotFound when it recorded none.
func (db *DB) UnitCountOf(runID, unitID string) (UnitCount, error) {
	var c UnitCount
	err := db.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketUnitCounts)
		if b == nil {
			return ErrNotFound
		}
		v := b.Get([]byte(runID + "/" + unitID))
		if v == nil {
			return ErrNotFound
		}
		return json.Unmarshal(v, &c)
	})
	if err != nil {
		return UnitCount{}, fmt.Errorf("store: counts of %s in run %s: %w", unitID, runID, err)
	}
	return c, nil
}

// splitReused returns fs without their Evidence.ReusedFrom and those marks
// in order, nil when no finding carries one (see findingsRecord.Reused).
func splitReused(fs []checks.Finding) ([]checks.Finding, []string) {
	if !slices.ContainsFunc(fs, func(f checks.Finding) bool { return f.Evidence.ReusedFrom != "" }) {
		return fs, nil
	}
	marks := make([]string, len(fs))
	out := slices.Clone(fs)
	for i := range out {
		marks[i], out[i].Evidence.ReusedFrom = out[i].Evidence.ReusedFrom, ""
	}
	return out, marks
}
