package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"gkaudit/checks"
)

// RunAt names the run in which something was observed and that run's start
// time. The zero RunAt means "not yet".
type RunAt struct {
	Run string    `json:"run"`
	At  time.Time `json:"at"`
}

// IsZero reports whether r is unset.
func (r RunAt) IsZero() bool { return r.Run == "" }

// HistoryEntry is the long memory of one finding identity (unit, check,
// subject) across complete runs, and its rectification lifecycle (State).
// Only a failing finding opens an entry; runs that are never finished leave
// no trace here. Entries outlive the runs that produced them (see GC).
type HistoryEntry struct {
	Key     string `json:"key"` // FindingKey
	ID      string `json:"id"`  // FindingID(Key)
	Unit    string `json:"unit"`
	Check   string `json:"check"`
	Subject string `json:"subject"` // Finding.Subject, or its URL when that is empty
	// URL, Detail, Rule and SHA256 (of the page behind it) are those of the
	// latest failing finding.
	URL    string `json:"url"`
	Detail string `json:"detail"`
	Rule   string `json:"rule,omitempty"`
	SHA256 string `json:"sha256,omitempty"`

	FirstSeen RunAt `json:"first_seen"` // first run in which it failed
	LastSeen  RunAt `json:"last_seen"`  // latest run in which it failed
	// LastChecked is the latest complete run that audited the unit, and
	// LastStatus the finding's status in it; "" when that run did not report it.
	LastChecked RunAt         `json:"last_checked"`
	LastStatus  checks.Status `json:"last_status"`
	// Fixed is the run in which it was first found no longer failing, zero
	// while it is open. Reopened counts the times it failed again after that.
	Fixed    RunAt `json:"fixed,omitzero"`
	Reopened int   `json:"reopened,omitempty"`

	// State is where the finding stands in its rectification lifecycle.
	State State `json:"state"`
	// NotifiedAt, Deadline and Notice are set when a notice is issued for
	// it (Notify); a reopened finding needs a new notice and clears them.
	NotifiedAt time.Time `json:"notified_at,omitzero"`
	Deadline   time.Time `json:"deadline,omitzero"`
	Notice     string    `json:"notice,omitempty"` // 文号 of the notice
	// Overdue is the run that first found it still failing after its
	// deadline: one occurrence of the rubric's overdue deduction. It stays
	// set after a fix, since the deadline was missed all the same.
	Overdue RunAt `json:"overdue,omitzero"`
	// FollowUp is the 文号 and date of the latest 催办 notice listing it.
	FollowUp   string    `json:"follow_up,omitempty"`
	FollowUpAt time.Time `json:"follow_up_at,omitzero"`
	// Confirmed records a reviewer's confirmation that the finding is real.
	Confirmed *Decision `json:"confirmed,omitempty"`
	// Dismissed records a reviewer's dismissal and the page (SHA-256) it was
	// judged on; the finding stays dismissed while the page is the same.
	Dismissed *Decision `json:"dismissed,omitempty"`
}

// Decision is a reviewer's judgment of a finding.
type Decision struct {
	By     string    `json:"by"`
	At     time.Time `json:"at"`
	Why    string    `json:"why"`
	SHA256 string    `json:"sha256,omitempty"` // the page it was judged on
}

// Open reports whether the finding is still failing, as far as the runs know.
func (e HistoryEntry) Open() bool { return e.Fixed.IsZero() }

// Counts reports whether the finding counts against its unit: it is not
// fixed and not dismissed.
func (e HistoryEntry) Counts() bool { return e.Open() && e.State != StateDismissed }

// FindingKey is a finding's identity across runs: unit, check and subject (its
// URL when Subject is empty), joined by "/". Unit and check IDs contain no "/"
// (config validates them), so the key is unambiguous.
func FindingKey(f checks.Finding) string {
	return findingKey(f.Unit, f.Check, subjectOf(f))
}

func findingKey(unit, check, subject string) string { return unit + "/" + check + "/" + subject }

// FindingID is the stable id of a finding identity: the first 12 hex digits
// of the SHA-256 of its FindingKey. It is the same in every run, so notices,
// exports and evidence files name a finding by it.
func FindingID(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:6])
}

func subjectOf(f checks.Finding) string {
	if f.Subject != "" {
		return f.Subject
	}
	return f.URL
}

// History returns the history entries of a unit, open and fixed, ordered by
// check, then subject.
func (db *DB) History(unit string) ([]HistoryEntry, error) {
	var es []HistoryEntry
	err := db.view(func(tx *bolt.Tx) error {
		var err error
		es, err = unitHistory(tx.Bucket(bucketHistory), unit)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: history %s: %w", unit, err)
	}
	slices.SortFunc(es, func(a, b HistoryEntry) int {
		if c := strings.Compare(a.Check, b.Check); c != 0 {
			return c
		}
		return strings.Compare(a.Subject, b.Subject)
	})
	return es, nil
}

// HistoryOf returns the history entry with the given FindingKey, or an error
// wrapping ErrNotFound when that finding never failed in a complete run.
func (db *DB) HistoryOf(key string) (HistoryEntry, error) {
	var e HistoryEntry
	err := db.view(func(tx *bolt.Tx) error {
		return getZ(tx.Bucket(bucketHistory), []byte(key), &e)
	})
	if err != nil {
		return HistoryEntry{}, fmt.Errorf("store: history of %q: %w", key, err)
	}
	return e, nil
}

// unitHistory reads the entries of one unit in key order.
func unitHistory(b *bolt.Bucket, unit string) ([]HistoryEntry, error) {
	var es []HistoryEntry
	prefix := []byte(unit + "/")
	c := b.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var e HistoryEntry
		if err := decodeZ(v, &e); err != nil {
			return nil, fmt.Errorf("history %s: %w", k, err)
		}
		if e.Unit == unit { // not a unit whose ID extends this one with "/..."
			es = append(es, e)
		}
	}
	return es, nil
}

// outcome is what one run says about a finding identity.
type outcome int

const (
	notAudited outcome = iota // the run did not audit its unit
	failing                   // reported with status fail
	cleared                   // passes, or no longer reported by a check that looked
	unknown                   // na/error, or absent where the check could not look
)

// runView indexes one run's findings by identity.
type runView struct {
	run      Run
	audited  map[string]bool           // Run.Units
	reported map[string]bool           // units with at least one finding
	blind    map[string]bool           // unit/check with an na or error finding
	status   map[string]checks.Status  // key -> fail, else error/na, else pass
	finding  map[string]checks.Finding // key -> its first finding of that status
	keys     []string                  // keys in finding order
}

func loadRunView(tx *bolt.Tx, r Run) (*runView, error) {
	v := &runView{run: r, audited: map[string]bool{}, reported: map[string]bool{}, blind: map[string]bool{},
		status: map[string]checks.Status{}, finding: map[string]checks.Finding{}}
	for _, u := range r.Units {
		v.audited[u] = true
	}
	fs, err := runFindings(tx, r.ID, nil)
	if err != nil {
		return nil, err
	}
	for _, f := range fs {
		v.reported[f.Unit] = true
		if f.Status == checks.NA || f.Status == checks.Error {
			v.blind[f.Unit+"/"+f.Check] = true
		}
		key := FindingKey(f)
		old, seen := v.status[key]
		if !seen {
			v.keys = append(v.keys, key)
		}
		if !seen || rank(f.Status) > rank(old) {
			v.status[key], v.finding[key] = f.Status, f
		}
	}
	return v, nil
}

// rank orders the statuses of duplicate findings of one identity in one run:
// any failure wins; a check that could not look beats a pass.
func rank(s checks.Status) int {
	switch s {
	case checks.Fail:
		return 3
	case checks.Error, checks.NA:
		return 2
	case checks.Pass:
		return 1
	}
	return 0
}

// outcome classifies an identity of unit and check in this run. An absent
// identity counts as cleared only when the unit reported findings and its
// check could look (no na/error finding for that unit and check): a site
// that was down fixes nothing.
func (v *runView) outcome(key, unit, check string) outcome {
	if !v.audited[unit] {
		return notAudited
	}
	st, ok := v.status[key]
	switch {
	case st == checks.Fail:
		return failing
	case ok && st == checks.Pass:
		return cleared
	case ok:
		return unknown
	case !v.reported[unit] || v.blind[unit+"/"+check]:
		return unknown
	}
	return cleared
}

// applyHistory records a finished run in the history bucket: failing findings
// open, extend or reopen entries; entries of the run's units that no longer
// fail are marked fixed. An entry already judged by a later run is left alone,
// so runs finishing out of order cannot roll it back.
func applyHistory(tx *bolt.Tx, r Run) error {
	v, err := loadRunView(tx, r)
	if err != nil {
		return err
	}
	hb := tx.Bucket(bucketHistory)
	// Every complete run rewrites the entries of its units: dense pages
	// make that copy, and the file, smaller.
	hb.FillPercent = denseFill
	at := RunAt{Run: r.ID, At: r.Started}
	for _, key := range v.keys {
		f := v.finding[key]
		if v.status[key] != checks.Fail || !v.audited[f.Unit] {
			continue
		}
		var e HistoryEntry
		switch err := getZ(hb, []byte(key), &e); {
		case errors.Is(err, ErrNotFound):
			e = HistoryEntry{Key: key, ID: FindingID(key), Unit: f.Unit, Check: f.Check, Subject: subjectOf(f), FirstSeen: at}
			if err := transition(tx, &e, StateOpen, ActionDetect, SystemUser, r.ID, "首次发现", time.Now()); err != nil {
				return err
			}
		case err != nil:
			return fmt.Errorf("history %s: %w", key, err)
		case e.LastChecked.Run > r.ID:
			continue
		case !e.Open():
			e.Fixed = RunAt{}
			e.Reopened++
		}
		if err := advance(tx, &e, r, true, f.Evidence.SHA256); err != nil {
			return err
		}
		e.URL, e.Detail, e.Rule = f.URL, f.Detail, f.Rule
		e.LastSeen, e.LastChecked, e.LastStatus = at, at, checks.Fail
		if err := putEntry(tx, e); err != nil {
			return err
		}
	}

	units := slices.Clone(r.Units)
	slices.Sort(units)
	units = slices.Compact(units)
	for _, unit := range units {
		es, err := unitHistory(hb, unit)
		if err != nil {
			return err
		}
		for _, e := range es {
			o := v.outcome(e.Key, e.Unit, e.Check)
			if o == failing || e.LastChecked.Run >= r.ID {
				continue
			}
			e.LastChecked, e.LastStatus = at, v.status[e.Key]
			if o == cleared && e.Open() {
				e.Fixed = at
				if err := advance(tx, &e, r, false, ""); err != nil {
					return err
				}
			}
			if err := putEntry(tx, e); err != nil {
				return err
			}
		}
	}
	return nil
}

// backfillHistory replays the complete runs already in the file, oldest
// first (migration step 2).
func backfillHistory(tx *bolt.Tx) error {
	var runs []Run
	err := tx.Bucket(bucketRuns).ForEach(func(k, raw []byte) error {
		var r Run
		if err := unmarshal(raw, &r); err != nil {
			return fmt.Errorf("run %s: %w", k, err)
		}
		if r.Complete {
			runs = append(runs, r)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, r := range runs {
		if err := applyHistory(tx, r); err != nil {
			return fmt.Errorf("history of run %s: %w", r.ID, err)
		}
	}
	return nil
}
