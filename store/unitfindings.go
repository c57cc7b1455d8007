package store

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"

	"gkaudit/checks"
)

// UnitFindings returns the findings one unit has in a run, in the order of
// Findings (by check, then as saved), reading only that unit's records: what
// a re-crawl of the unit needs from the run before (its failing URLs, and
// the findings an unchanged unit reuses, audit/reuse.go), without the whole run's findings (36,000 of
// them, 340 MB decoded on the way, for a 100,000-page district). It returns
// an error wrapping ErrNotFound when the run does not exist; a unit without
// findings has none.
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
			if bytes.IndexByte(k[len(prefix):], '/') >= 0 {
				continue // a unit whose ID extends this one with "/..."
			}
			got, err := decodeFindings(tx, v, blobs)
			if err != nil {
				return fmt.Errorf("findings %s: %w", k, err)
			}
			fs = append(fs, got...)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: findings of %s in %s: %w", unitID, runID, err)
	}
	slices.SortStableFunc(fs, func(a, b checks.Finding) int { return strings.Compare(a.Check, b.Check) })
	return fs, nil
}
