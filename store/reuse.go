package store

import (
	"encoding/json"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"

	"gkaudit/checks"
)

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
