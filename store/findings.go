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

// SaveFindings appends findings to a run in one transaction. The findings of
// each unit go into one record keyed run/unit/seq, seq a file-wide sequence,
// so repeated calls keep their order; findings that an earlier run saved
// identically (but for when the evidence was fetched) share its blob.
func (db *DB) SaveFindings(runID string, fs []checks.Finding) error {
	var units []string
	byUnit := map[string][]checks.Finding{}
	for _, f := range fs {
		if _, ok := byUnit[f.Unit]; !ok {
			units = append(units, f.Unit)
		}
		byUnit[f.Unit] = append(byUnit[f.Unit], f)
	}
	elems := make([][]json.RawMessage, len(units))
	recs := make([]findingsRecord, len(units))
	for i, u := range units {
		var err error
		var stripped []checks.Finding
		stripped, recs[i].Reused = splitReused(byUnit[u])
		if elems[i], recs[i].FetchedAt, err = stableFindings(stripped); err != nil {
			return fmt.Errorf("store: save findings %s: %w", runID, err)
		}
	}
	err := db.update(func(tx *bolt.Tx) error {
		if _, err := getRun(tx, runID); err != nil {
			return err
		}
		b := tx.Bucket(bucketFindings)
		b.FillPercent = denseFill
		cache := listBlobs{}
		for i, u := range units {
			l, err := planList(tx, elems[i], findingsBases(tx, runID, u), cache)
			if err != nil {
				return err
			}
			if err := l.put(tx); err != nil {
				return err
			}
			recs[i].List = l.ref
			seq, err := b.NextSequence()
			if err != nil {
				return err
			}
			if err := putZ(b, fmt.Appendf(nil, "%s/%s/%010d", runID, u, seq), recs[i]); err != nil {
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
	err := db.view(func(tx *bolt.Tx) error {
		if _, err := getRun(tx, runID); err != nil {
			return err
		}
		var err error
		fs, err = runFindings(tx, runID, nil)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: findings %s: %w", runID, err)
	}
	// Records group by unit; sorting fixes the order where a separator byte
	// would sort differently from the IDs ("a-b" vs "a") and orders checks.
	slices.SortStableFunc(fs, func(a, b checks.Finding) int {
		if c := strings.Compare(a.Unit, b.Unit); c != 0 {
			return c
		}
		return strings.Compare(a.Check, b.Check)
	})
	return fs, nil
}

// runFindings reads a run's findings in key order. blobs, when not nil,
// caches decoded blobs across calls.
func runFindings(tx *bolt.Tx, runID string, blobs listBlobs) ([]checks.Finding, error) {
	var fs []checks.Finding
	prefix := []byte(runID + "/")
	c := tx.Bucket(bucketFindings).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		got, err := decodeFindings(tx, v, blobs)
		if err != nil {
			return nil, fmt.Errorf("findings %s: %w", k, err)
		}
		fs = append(fs, got...)
	}
	return fs, nil
}
