package store

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// bucketUnitCounts holds, per run and unit, what the district-level checks
// (volume.low) and the scheduler need from a unit once its crawl is done:
//
//	unit_counts <run>/<unit> -> UnitCount (JSON)
//
// A shard of a district (gkaudit audit --shard) cannot judge volume.low, which
// compares every unit of a kind; gkaudit merge judges it from these counts.
// The bucket is created on first write, so files written before it need no
// migration: a run without counts simply has none.
var bucketUnitCounts = []byte("unit_counts")

// UnitCount is one unit's counts in one run.
type UnitCount struct {
	Unit string `json:"unit"`
	// Items disclosed in the assessment year (checks.DisclosedItems);
	// Reachable: the entry page answered.
	Items     int  `json:"items"`
	Reachable bool `json:"reachable"`
	// Pages fetched and Requests sent for the unit.
	Pages    int `json:"pages"`
	Requests int `json:"requests,omitempty"`
	// ElapsedMS is how long the unit took, crawl and checks, in
	// milliseconds: the scheduler starts the longest units first, and a host
	// that only times out takes long for its one page.
	ElapsedMS int64 `json:"elapsed_ms,omitempty"`
	// Unread says why a list of the unit was not read whole
	// (checks.DisclosedItems): volume.low does not fail a short count then.
	Unread string `json:"unread,omitempty"`
	// Inputs is the digest of what the unit's findings were judged with
	// besides its pages and the as-of date: the program, the effective
	// config and the unit's settings (audit/reuse.go). A later run reuses
	// the findings only when its own digest is the same.
	Inputs string `json:"inputs,omitempty"`
}

// SaveUnitCounts records units' counts under a run, replacing earlier ones of
// the same units.
func (db *DB) SaveUnitCounts(runID string, cs []UnitCount) error {
	err := db.update(func(tx *bolt.Tx) error {
		if _, err := getRun(tx, runID); err != nil {
			return err
		}
		b, err := tx.CreateBucketIfNotExists(bucketUnitCounts)
		if err != nil {
			return err
		}
		for _, c := range cs {
			if c.Unit == "" || strings.Contains(c.Unit, "/") {
				return fmt.Errorf("bad unit id %q", c.Unit)
			}
			v, err := json.Marshal(c)
			if err != nil {
				return err
			}
			if err := b.Put([]byte(runID+"/"+c.Unit), v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: save unit counts of run %s: %w", runID, err)
	}
	return nil
}

// UnitCounts returns the counts a run recorded, sorted by unit; none for a
// run recorded before counts were kept.
func (db *DB) UnitCounts(runID string) ([]UnitCount, error) {
	var out []UnitCount
	err := db.view(func(tx *bolt.Tx) error {
		if _, err := getRun(tx, runID); err != nil {
			return err
		}
		b := tx.Bucket(bucketUnitCounts)
		if b == nil {
			return nil
		}
		prefix := []byte(runID + "/")
		c := b.Cursor()
		for k, v := c.Seek(prefix); k != nil && strings.HasPrefix(string(k), string(prefix)); k, v = c.Next() {
			var uc UnitCount
			if err := json.Unmarshal(v, &uc); err != nil {
				return fmt.Errorf("%s: %w", k, err)
			}
			out = append(out, uc)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: unit counts of run %s: %w", runID, err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Unit < out[j].Unit })
	return out, nil
}

// LatestUnitCounts returns, per unit, the counts of the newest complete run
// that recorded the unit's: what the scheduler weighs units by.
func (db *DB) LatestUnitCounts() (map[string]UnitCount, error) {
	runs, err := db.Runs()
	if err != nil {
		return nil, err
	}
	out := map[string]UnitCount{}
	for i := len(runs) - 1; i >= 0; i-- {
		if !runs[i].Complete {
			continue
		}
		cs, err := db.UnitCounts(runs[i].ID)
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			if _, ok := out[c.Unit]; !ok {
				out[c.Unit] = c
			}
		}
		if len(out) > 0 {
			break // the newest run with counts is the measure
		}
	}
	return out, nil
}
