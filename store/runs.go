package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Run is one audit run: its settings and running totals.
type Run struct {
	ID       string    `json:"id"` // zero-padded sequence ("000001"), so IDs sort
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished"` // zero until FinishRun
	// Complete is set by FinishRun; a run whose process died stays false.
	Complete     bool     `json:"complete"`
	AsOf         string   `json:"as_of"` // YYYY-MM-DD, the date rules are judged at
	ConfigSource string   `json:"config_source"`
	Units        []string `json:"units"`
	Note         string   `json:"note,omitempty"`
	// Totals, updated as snapshots and findings are saved. Bytes is the sum of
	// Page.Size (bytes received) of the saved pages.
	Pages    int64 `json:"pages"`
	Findings int64 `json:"findings"`
	Bytes    int64 `json:"bytes"`

	// ConfigSHA256 is the hex SHA-256 of the effective configuration the
	// run used (config.Config.Marshal); empty in runs recorded before it was.
	ConfigSHA256 string `json:"config_sha256,omitempty"`
}

// runIDWidth is the zero padding of run IDs.
const runIDWidth = 6

// BeginRun records a new, incomplete run and returns it with its ID assigned.
// Started defaults to now and AsOf to Started's date; totals start at zero.
func (db *DB) BeginRun(r Run) (Run, error) {
	if r.Started.IsZero() {
		r.Started = time.Now()
	}
	if r.AsOf == "" {
		r.AsOf = r.Started.Format(time.DateOnly)
	} else if _, err := time.Parse(time.DateOnly, r.AsOf); err != nil {
		return Run{}, fmt.Errorf("store: begin run: as-of %q is not YYYY-MM-DD", r.AsOf)
	}
	r.Complete = false
	r.Finished = time.Time{}
	r.Pages, r.Findings, r.Bytes = 0, 0, 0
	err := db.update(func(tx *bolt.Tx) error {
		seq, err := tx.Bucket(bucketRuns).NextSequence()
		if err != nil {
			return err
		}
		r.ID = fmt.Sprintf("%0*d", runIDWidth, seq)
		return putRun(tx, r)
	})
	if err != nil {
		return Run{}, fmt.Errorf("store: begin run: %w", err)
	}
	if db.note != nil {
		// The holder's note now names its run (best effort, like at open).
		db.note.Run, db.note.Started = r.ID, r.Started
		_ = WriteBusyNote(db.path, *db.note)
	}
	return r, nil
}

// FinishRun marks the run complete, sets Finished to now and, in the same
// transaction, records the run's findings in the history of the units it
// audited (see History). Finishing a complete run again changes nothing.
func (db *DB) FinishRun(runID string) error {
	err := db.update(func(tx *bolt.Tx) error {
		r, err := getRun(tx, runID)
		if err != nil || r.Complete {
			return err
		}
		r.Complete = true
		r.Finished = time.Now()
		if err := putRun(tx, r); err != nil {
			return err
		}
		return applyHistory(tx, r)
	})
	if err != nil {
		return fmt.Errorf("store: finish run %s: %w", runID, err)
	}
	return nil
}

// Runs returns all runs, ascending by ID (oldest first).
func (db *DB) Runs() ([]Run, error) {
	var runs []Run
	err := db.view(func(tx *bolt.Tx) (err error) {
		runs, err = decodeBucket[Run](tx, bucketRuns, "run")
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: runs: %w", err)
	}
	return runs, nil
}

// Run returns the run with the given ID, or an error wrapping ErrNotFound.
func (db *DB) Run(id string) (Run, error) {
	var r Run
	err := db.view(func(tx *bolt.Tx) error {
		var err error
		r, err = getRun(tx, id)
		return err
	})
	if err != nil {
		return Run{}, fmt.Errorf("store: run %s: %w", id, err)
	}
	return r, nil
}

// ResolveRun turns a user's reference into a run: "" or "latest" is the
// newest complete run (an interrupted run is incomplete data: it is only
// shown when asked for by ID); anything else is an ID, with short numbers
// padded ("7" is "000007"). With Options.Notices set, it says there when it
// skips newer interrupted runs, or when the run asked for is interrupted.
func (db *DB) ResolveRun(ref string) (Run, error) {
	if ref != "" && ref != "latest" {
		if len(ref) < runIDWidth && strings.Trim(ref, "0123456789") == "" {
			ref = strings.Repeat("0", runIDWidth-len(ref)) + ref
		}
		r, err := db.Run(ref)
		if err == nil && !r.Complete && db.notices != nil {
			audited, aerr := db.AuditedUnits(r.ID)
			if aerr != nil {
				return Run{}, aerr
			}
			fmt.Fprintf(db.notices, "gkaudit: 注意：运行 %s 未完成（中断），只审计了 %d/%d 个单位；结果不完整，未审计的单位不参与评分\n",
				r.ID, len(audited), len(r.Units))
		}
		return r, err
	}
	var r Run
	var skipped []string
	err := db.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketRuns).Cursor()
		for k, v := c.Last(); k != nil; k, v = c.Prev() {
			var run Run
			if err := unmarshal(v, &run); err != nil {
				return fmt.Errorf("run %s: %w", k, err)
			}
			if run.Complete {
				r = run
				return nil
			}
			skipped = append(skipped, run.ID)
		}
		return ErrNotFound
	})
	if len(skipped) > 0 && db.notices != nil {
		slices.Reverse(skipped)
		if err == nil {
			fmt.Fprintf(db.notices, "gkaudit: 注意：跳过了未完成（中断）的运行 %s，latest 取最新的完整运行 %s；要看中断的运行请用 --run %s\n",
				strings.Join(skipped, "、"), r.ID, skipped[len(skipped)-1])
		} else {
			fmt.Fprintf(db.notices, "gkaudit: 注意：只有未完成（中断）的运行 %s，没有完整的运行；要看中断的运行请用 --run %s\n",
				strings.Join(skipped, "、"), skipped[len(skipped)-1])
		}
	}
	if err != nil {
		return Run{}, fmt.Errorf("store: latest complete run: %w", err)
	}
	return r, nil
}

// NewestRun returns the newest run, complete or not (the service's status
// shows the run in progress or the one that was cut short).
func (db *DB) NewestRun() (Run, error) {
	var r Run
	err := db.view(func(tx *bolt.Tx) error {
		k, v := tx.Bucket(bucketRuns).Cursor().Last()
		if k == nil {
			return ErrNotFound
		}
		if err := unmarshal(v, &r); err != nil {
			return fmt.Errorf("run %s: %w", k, err)
		}
		return nil
	})
	if err != nil {
		return Run{}, fmt.Errorf("store: newest run: %w", err)
	}
	return r, nil
}

// AuditedUnits returns the units of the run whose snapshot was saved in
// full, in the run's order: all of a complete run's units, and those an
// interrupted run got through.
func (db *DB) AuditedUnits(runID string) ([]string, error) {
	var out []string
	err := db.view(func(tx *bolt.Tx) error {
		r, err := getRun(tx, runID)
		if err != nil || r.Complete {
			out = r.Units
			return err
		}
		for _, u := range r.Units {
			var rec snapshotRecord
			err := getZ(tx.Bucket(bucketSnapshots), []byte(runID+"/"+u), &rec)
			if errors.Is(err, ErrNotFound) {
				continue
			}
			if err != nil {
				return fmt.Errorf("snapshot %s/%s: %w", runID, u, err)
			}
			if rec.Complete {
				out = append(out, u)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: audited units of %s: %w", runID, err)
	}
	return out, nil
}

func getRun(tx *bolt.Tx, id string) (Run, error) {
	v := tx.Bucket(bucketRuns).Get([]byte(id))
	if v == nil {
		return Run{}, ErrNotFound
	}
	var r Run
	if err := unmarshal(v, &r); err != nil {
		return Run{}, err
	}
	return r, nil
}

func putRun(tx *bolt.Tx, r Run) error {
	v, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketRuns).Put([]byte(r.ID), v)
}

// updateRun applies fn to the stored run within tx.
func updateRun(tx *bolt.Tx, id string, fn func(*Run)) error {
	r, err := getRun(tx, id)
	if err != nil {
		return err
	}
	fn(&r)
	return putRun(tx, r)
}
