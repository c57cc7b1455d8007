package store

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"

	"gkaudit/checks"
)

// RunDiff compares the failing findings of two runs.
type RunDiff struct {
	From, To Run
	// New fail in To and did not fail in From.
	New []DiffEntry
	// Fixed failed in From and, in To, pass or are no longer reported by a
	// check that looked (units audited in both runs only).
	Fixed []DiffEntry
	// Persisting fail in both.
	Persisting []DiffEntry
	// Unchecked failed in From, and in To the check could not look (na,
	// error, or absent while the check said na for the unit): neither fixed
	// nor known to fail.
	Unchecked []DiffEntry
}

// DiffEntry is one finding identity in a RunDiff: the finding as the later run
// that failed it reported it, and its first failure from the history (zero if
// it never failed in a complete run).
type DiffEntry struct {
	Key       string
	Finding   checks.Finding
	FirstSeen RunAt
}

// Diff compares the failing findings of runs fromID and toID. Entries are
// ordered by unit, check and subject.
func (db *DB) Diff(fromID, toID string) (RunDiff, error) {
	var d RunDiff
	err := db.view(func(tx *bolt.Tx) error {
		from, err := getRun(tx, fromID)
		if err != nil {
			return fmt.Errorf("run %s: %w", fromID, err)
		}
		to, err := getRun(tx, toID)
		if err != nil {
			return fmt.Errorf("run %s: %w", toID, err)
		}
		d.From, d.To = from, to
		fv, err := loadRunView(tx, from)
		if err != nil {
			return err
		}
		tv, err := loadRunView(tx, to)
		if err != nil {
			return err
		}
		hb := tx.Bucket(bucketHistory)
		entry := func(key string, f checks.Finding) (DiffEntry, error) {
			var h HistoryEntry
			if err := getZ(hb, []byte(key), &h); err != nil && !errors.Is(err, ErrNotFound) {
				return DiffEntry{}, fmt.Errorf("history %s: %w", key, err)
			}
			return DiffEntry{Key: key, Finding: f, FirstSeen: h.FirstSeen}, nil
		}
		for _, key := range tv.keys {
			if tv.status[key] != checks.Fail {
				continue
			}
			e, err := entry(key, tv.finding[key])
			if err != nil {
				return err
			}
			if fv.status[key] == checks.Fail {
				d.Persisting = append(d.Persisting, e)
			} else {
				d.New = append(d.New, e)
			}
		}
		for _, key := range fv.keys {
			f := fv.finding[key]
			if fv.status[key] != checks.Fail || !fv.audited[f.Unit] {
				continue
			}
			var list *[]DiffEntry
			switch tv.outcome(key, f.Unit, f.Check) {
			case cleared:
				list = &d.Fixed
			case unknown:
				list = &d.Unchecked
			default: // failing (persisting, above) or not audited in To
				continue
			}
			e, err := entry(key, f)
			if err != nil {
				return err
			}
			*list = append(*list, e)
		}
		return nil
	})
	if err != nil {
		return RunDiff{}, fmt.Errorf("store: diff %s %s: %w", fromID, toID, err)
	}
	for _, list := range [][]DiffEntry{d.New, d.Fixed, d.Persisting, d.Unchecked} {
		slices.SortFunc(list, func(a, b DiffEntry) int {
			if c := strings.Compare(a.Finding.Unit, b.Finding.Unit); c != 0 {
				return c
			}
			if c := strings.Compare(a.Finding.Check, b.Finding.Check); c != 0 {
				return c
			}
			return strings.Compare(subjectOf(a.Finding), subjectOf(b.Finding))
		})
	}
	return d, nil
}

// LatestComplete returns the newest complete run with an ID below before (any
// ID when before is ""), or an error wrapping ErrNotFound.
func (db *DB) LatestComplete(before string) (Run, error) {
	var r Run
	err := db.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketRuns).Cursor()
		k, _ := c.Last()
		for ; k != nil; k, _ = c.Prev() {
			if before != "" && string(k) >= before {
				continue
			}
			run, err := getRun(tx, string(k))
			if err != nil {
				return fmt.Errorf("run %s: %w", k, err)
			}
			if run.Complete {
				r = run
				return nil
			}
		}
		return ErrNotFound
	})
	if err != nil {
		return Run{}, fmt.Errorf("store: latest complete run: %w", err)
	}
	return r, nil
}
