package store

import (
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"gkaudit/checks"
	"gkaudit/site"
)

// ErrCollected is returned by FindingByID when the finding is known from
// its history but every run that reported it has been removed by GC: its
// pages are gone with them.
var ErrCollected = errors.New("its runs were removed by gc")

// FindingByID returns the finding whose ID (FindingID of its FindingKey) is
// id, with the run it was read from: the run runRef names (an ID, or
// "latest"), or, when runRef is "", the newest complete run that reports
// it. When a run reports the identity more than once, a failing finding is
// preferred, then an na/error one. It returns an error wrapping ErrNotFound
// when no run reports it, or ErrCollected when only history remembers it.
func (db *DB) FindingByID(id, runRef string) (Run, checks.Finding, error) {
	var runs []Run
	if runRef != "" {
		r, err := db.ResolveRun(runRef)
		if err != nil {
			return Run{}, checks.Finding{}, fmt.Errorf("store: finding %s: %w", id, err)
		}
		runs = []Run{r}
	} else {
		all, err := db.Runs()
		if err != nil {
			return Run{}, checks.Finding{}, fmt.Errorf("store: finding %s: %w", id, err)
		}
		for i := len(all) - 1; i >= 0; i-- {
			if all[i].Complete {
				runs = append(runs, all[i])
			}
		}
	}
	var (
		run   Run
		found checks.Finding
		ok    bool
	)
	err := db.view(func(tx *bolt.Tx) error {
		cache := listBlobs{}
		for _, r := range runs {
			fs, err := runFindings(tx, r.ID, cache)
			if err != nil {
				return fmt.Errorf("run %s: %w", r.ID, err)
			}
			for _, f := range fs {
				if f.ID == id && (!ok || rank(f.Status) > rank(found.Status)) {
					found, ok = f, true
				}
			}
			if ok {
				run = r
				return nil
			}
		}
		if runRef != "" {
			return fmt.Errorf("not in run %s: %w", runs[0].ID, ErrNotFound)
		}
		// Not in any complete run: gone with its runs, or never there.
		var e HistoryEntry
		err := tx.Bucket(bucketHistory).ForEach(func(k, v []byte) error {
			if FindingID(string(k)) != id {
				return nil
			}
			if err := decodeZ(v, &e); err != nil {
				return fmt.Errorf("history %s: %w", k, err)
			}
			return errStop
		})
		switch {
		case errors.Is(err, errStop):
			return fmt.Errorf("%s last seen failing in run %s: %w", e.Key, e.LastSeen.Run, ErrCollected)
		case err != nil:
			return err
		}
		return ErrNotFound
	})
	if err != nil {
		return Run{}, checks.Finding{}, fmt.Errorf("store: finding %s: %w", id, err)
	}
	return run, found, nil
}

// errStop ends a ForEach early.
var errStop = errors.New("stop")

// FullFetch returns the newest record of the unit's page url, in a run
// before beforeRun, that was fetched in full (not answered 304) with the
// body whose SHA-256 is sha256hex, and that run: the response a later 304
// confirmed. It returns an error wrapping ErrNotFound when no remaining run
// has it (GC removed it, or it was never stored).
func (db *DB) FullFetch(unitID, url, sha256hex, beforeRun string) (Run, *site.Page, error) {
	var (
		run  Run
		page *site.Page
	)
	err := db.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketRuns).Cursor()
		for k, _ := c.Last(); k != nil; k, _ = c.Prev() {
			if string(k) >= beforeRun {
				continue
			}
			s, err := readSnapshot(tx, string(k), unitID)
			if errors.Is(err, ErrNotFound) {
				continue
			}
			if err != nil {
				return fmt.Errorf("run %s: %w", k, err)
			}
			for _, p := range s.Pages {
				if p.URL == url && !p.NotModified && !p.CarriedForward && p.SHA256 == sha256hex && p.OK() {
					if run, err = getRun(tx, string(k)); err != nil {
						return fmt.Errorf("run %s: %w", k, err)
					}
					page = p
					return nil
				}
			}
		}
		return ErrNotFound
	})
	if err != nil {
		return Run{}, nil, fmt.Errorf("store: full fetch of %s before run %s: %w", url, beforeRun, err)
	}
	return run, page, nil
}
