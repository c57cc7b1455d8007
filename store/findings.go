package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"

	"gkaudit/checks"
)

// SaveFindings appends findings to a run in one transaction, keyed
// run/unit/check/seq with seq a file-wide sequence, so repeated calls keep
// their order.
func (db *DB) SaveFindings(runID string, fs []checks.Finding) error {
	vals := make([][]byte, len(fs))
	for i := range fs {
		v, err := json.Marshal(&fs[i])
		if err != nil {
			return fmt.Errorf("store: save findings %s: %w", runID, err)
		}
		vals[i] = v
	}
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		if _, err := getRun(tx, runID); err != nil {
			return err
		}
		b := tx.Bucket(bucketFindings)
		for i, f := range fs {
			seq, err := b.NextSequence()
			if err != nil {
				return err
			}
			k := fmt.Appendf(nil, "%s/%s/%s/%010d", runID, f.Unit, f.Check, seq)
			if err := b.Put(k, vals[i]); err != nil {
				return err
			}
		}
		return updateRun(tx, runID, func(r *Run) { r.Findings += int64(len(fs)) })
	})
	if err != nil {
		return fmt.Errorf("store: save findings %s: %w", runID, err)
	}
	return nil
}

// Findings returns a run's findings ordered by unit, then check, then the order
// they were saved in.
func (db *DB) Findings(runID string) ([]checks.Finding, error) {
	var fs []checks.Finding
	err := db.bolt.View(func(tx *bolt.Tx) error {
		if _, err := getRun(tx, runID); err != nil {
			return err
		}
		prefix := []byte(runID + "/")
		c := tx.Bucket(bucketFindings).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var f checks.Finding
			if err := json.Unmarshal(v, &f); err != nil {
				return fmt.Errorf("finding %s: %w", k, err)
			}
			fs = append(fs, f)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: findings %s: %w", runID, err)
	}
	// Keys already group by unit and check; sorting fixes the order where a
	// separator byte would sort differently from the IDs ("a-b" vs "a").
	slices.SortStableFunc(fs, func(a, b checks.Finding) int {
		if c := strings.Compare(a.Unit, b.Unit); c != 0 {
			return c
		}
		return strings.Compare(a.Check, b.Check)
	})
	return fs, nil
}
