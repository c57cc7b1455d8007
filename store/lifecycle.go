package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// State is where a finding stands in its rectification lifecycle:
//
//	open ──notice──▶ notified ──deadline passed, still failing──▶ overdue
//	  │                 │                                          │
//	  └───────── passes, or no longer reported by a check that looked ─▶ fixed
//
// A reviewer may dismiss an open, notified or overdue finding (with a
// reason); it stays dismissed while the page it was judged on is unchanged
// (same SHA-256) and reopens when the page changes. Reviewers may also
// confirm a finding (its state does not change) and reopen a dismissed or
// fixed one. A fixed finding that fails again reopens.
type State string

// States.
const (
	StateOpen      State = "open"
	StateNotified  State = "notified"
	StateOverdue   State = "overdue"
	StateFixed     State = "fixed"
	StateDismissed State = "dismissed"
)

// Actions recorded in events.
const (
	ActionDetect   = "detect"    // first failure in a complete run
	ActionReopen   = "reopen"    // failed again after a fix, or a dismissal lapsed, or a reviewer reopened it
	ActionFix      = "fix"       // passes, or no longer reported by a check that looked
	ActionOverdue  = "overdue"   // still failing after its deadline
	ActionNotify   = "notify"    // listed on an issued rectification notice
	ActionFollowUp = "follow_up" // listed on an issued 催办 notice
	ActionConfirm  = "confirm"   // a reviewer confirmed it
	ActionDismiss  = "dismiss"   // a reviewer dismissed it
	ActionMigrate  = "migrate"   // state reconstructed from history when the file was upgraded
)

// SystemUser is the Event.By of transitions made by runs.
const SystemUser = "system"

// Errors of lifecycle changes.
var (
	// ErrReasonRequired is returned when a dismissal or reopening has no reason.
	ErrReasonRequired = errors.New("a reason is required")
	// ErrTransition is returned when a finding's state does not allow the change.
	ErrTransition = errors.New("not allowed in this state")
)

// Event is one append-only entry of the audit log: a finding's transition,
// or a reviewer's decision on it.
type Event struct {
	Seq     uint64    `json:"seq"`
	Finding string    `json:"finding"` // FindingID
	Unit    string    `json:"unit"`
	Check   string    `json:"check"`
	Subject string    `json:"subject"`
	Action  string    `json:"action"`
	By      string    `json:"by"` // a user, or SystemUser
	At      time.Time `json:"at"`
	Run     string    `json:"run,omitempty"` // the run that caused it, if any
	From    State     `json:"from"`
	To      State     `json:"to"`
	Why     string    `json:"why"`
}

// appendEvent writes ev with the next sequence number and indexes it by
// finding.
func appendEvent(tx *bolt.Tx, ev Event) error {
	b := tx.Bucket(bucketEvents)
	if b == nil {
		// Migration 2 replays history before the log exists (schema 4);
		// migration 4 records the states it finds.
		return nil
	}
	b.FillPercent = denseFill
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	ev.Seq = seq
	raw, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	if err := b.Put(eventKey(seq), raw); err != nil {
		return err
	}
	if ev.Finding == "" {
		return nil
	}
	return tx.Bucket(bucketEventIndex).Put(append([]byte(ev.Finding+"/"), eventKey(seq)...), nil)
}

func eventKey(seq uint64) []byte { return fmt.Appendf(nil, "%012d", seq) }

// transition moves e to state to and records the event; confirm and
// follow-up pass e's own state, so their event shows no change.
func transition(tx *bolt.Tx, e *HistoryEntry, to State, action, by, run, why string, at time.Time) error {
	from := e.State
	e.State = to
	return appendEvent(tx, Event{Finding: e.ID, Unit: e.Unit, Check: e.Check, Subject: e.Subject,
		Action: action, By: by, At: at, Run: run, From: from, To: to, Why: why})
}

// putEntry stores a history entry and its id index.
func putEntry(tx *bolt.Tx, e HistoryEntry) error {
	if err := putZ(tx.Bucket(bucketHistory), []byte(e.Key), e); err != nil {
		return err
	}
	ids := tx.Bucket(bucketFindingIDs)
	if ids == nil { // before migration 4, which indexes every entry
		return nil
	}
	if string(ids.Get([]byte(e.ID))) == e.Key {
		return nil // a Put of the same value would still copy its page
	}
	return ids.Put([]byte(e.ID), []byte(e.Key))
}

// entryByID reads the history entry of a finding id.
func entryByID(tx *bolt.Tx, id string) (HistoryEntry, error) {
	key := tx.Bucket(bucketFindingIDs).Get([]byte(id))
	if key == nil {
		return HistoryEntry{}, fmt.Errorf("finding %s: %w", id, ErrNotFound)
	}
	var e HistoryEntry
	if err := getZ(tx.Bucket(bucketHistory), key, &e); err != nil {
		return HistoryEntry{}, fmt.Errorf("finding %s: %w", id, err)
	}
	return e, nil
}

// Entry returns the history entry of a finding id, or an error wrapping
// ErrNotFound when that finding never failed in a complete run.
func (db *DB) Entry(id string) (HistoryEntry, error) {
	var e HistoryEntry
	err := db.view(func(tx *bolt.Tx) error {
		var err error
		e, err = entryByID(tx, id)
		return err
	})
	if err != nil {
		return HistoryEntry{}, fmt.Errorf("store: %w", err)
	}
	return e, nil
}

// Entries returns every history entry, ordered by unit, check and subject.
func (db *DB) Entries() ([]HistoryEntry, error) {
	var es []HistoryEntry
	err := db.view(func(tx *bolt.Tx) error {
		var err error
		es, err = allEntries(tx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: entries: %w", err)
	}
	slices.SortFunc(es, func(a, b HistoryEntry) int {
		return cmpStrings(a.Unit, b.Unit, a.Check, b.Check, a.Subject, b.Subject)
	})
	return es, nil
}

// cmpStrings compares pairs in order: a0 with b0, then a1 with b1, ...
func cmpStrings(pairs ...string) int {
	for i := 0; i+1 < len(pairs); i += 2 {
		if c := strings.Compare(pairs[i], pairs[i+1]); c != 0 {
			return c
		}
	}
	return 0
}

// EventFilter selects events; zero fields match everything.
type EventFilter struct {
	Finding string // a FindingID
	Unit    string
	By      string
	Action  string
	Since   time.Time
}

func (f EventFilter) match(ev Event) bool {
	return (f.Unit == "" || ev.Unit == f.Unit) && (f.By == "" || ev.By == f.By) &&
		(f.Action == "" || ev.Action == f.Action) && (f.Since.IsZero() || !ev.At.Before(f.Since))
}

// Events returns the events that match f, oldest first.
func (db *DB) Events(f EventFilter) ([]Event, error) {
	var out []Event
	err := db.view(func(tx *bolt.Tx) error {
		eb := tx.Bucket(bucketEvents)
		decode := func(k, v []byte) error {
			var ev Event
			if err := unmarshal(v, &ev); err != nil {
				return fmt.Errorf("event %s: %w", k, err)
			}
			if f.match(ev) {
				out = append(out, ev)
			}
			return nil
		}
		if f.Finding == "" {
			return eb.ForEach(decode)
		}
		prefix := []byte(f.Finding + "/")
		c := tx.Bucket(bucketEventIndex).Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			seq := k[len(prefix):]
			if err := decode(seq, eb.Get(seq)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: events: %w", err)
	}
	return out, nil
}

// review applies a reviewer's change to the finding id in one transaction.
func (db *DB) review(id string, fn func(tx *bolt.Tx, e *HistoryEntry) error) (HistoryEntry, error) {
	var e HistoryEntry
	err := db.update(func(tx *bolt.Tx) error {
		var err error
		if e, err = entryByID(tx, id); err != nil {
			return err
		}
		if e.State == "" {
			e.State = StateOpen
		}
		if err := fn(tx, &e); err != nil {
			return err
		}
		return putEntry(tx, e)
	})
	if err != nil {
		return HistoryEntry{}, fmt.Errorf("store: finding %s: %w", id, err)
	}
	return e, nil
}

// active reports whether a state is one a unit still has to act on.
func active(s State) bool { return s == StateOpen || s == StateNotified || s == StateOverdue }

// Confirm records that reviewer by confirms the finding is real. Its state
// does not change; a dismissed or fixed finding cannot be confirmed.
func (db *DB) Confirm(id, by, why string, at time.Time) (HistoryEntry, error) {
	return db.review(id, func(tx *bolt.Tx, e *HistoryEntry) error {
		if !active(e.State) {
			return fmt.Errorf("confirm a %s finding: %w", e.State, ErrTransition)
		}
		e.Confirmed = &Decision{By: by, At: at, Why: why, SHA256: e.SHA256}
		return transition(tx, e, e.State, ActionConfirm, by, "", why, at)
	})
}

// Dismiss records that reviewer by judged the finding wrong, for the reason
// why. The finding stops counting and reaching notices while its page stays
// as it was (same SHA-256); a later run that sees the page changed reopens it.
func (db *DB) Dismiss(id, by, why string, at time.Time) (HistoryEntry, error) {
	if strings.TrimSpace(why) == "" {
		return HistoryEntry{}, fmt.Errorf("store: dismiss %s: %w", id, ErrReasonRequired)
	}
	return db.review(id, func(tx *bolt.Tx, e *HistoryEntry) error {
		if !active(e.State) {
			return fmt.Errorf("dismiss a %s finding: %w", e.State, ErrTransition)
		}
		e.Dismissed = &Decision{By: by, At: at, Why: why, SHA256: e.SHA256}
		return transition(tx, e, StateDismissed, ActionDismiss, by, "", why, at)
	})
}

// Reopen puts a dismissed or fixed finding back to open, for the reason why.
// A reopened finding needs a new notice.
func (db *DB) Reopen(id, by, why string, at time.Time) (HistoryEntry, error) {
	if strings.TrimSpace(why) == "" {
		return HistoryEntry{}, fmt.Errorf("store: reopen %s: %w", id, ErrReasonRequired)
	}
	return db.review(id, func(tx *bolt.Tx, e *HistoryEntry) error {
		switch e.State {
		case StateDismissed:
			e.Dismissed = nil
		case StateFixed:
			e.Fixed = RunAt{}
			e.Reopened++
			clearNotice(e)
		default:
			return fmt.Errorf("reopen a %s finding: %w", e.State, ErrTransition)
		}
		return transition(tx, e, StateOpen, ActionReopen, by, "", why, at)
	})
}

// clearNotice forgets the notice of a finding that reopened: the unit needs
// a new one with a new deadline.
func clearNotice(e *HistoryEntry) {
	e.NotifiedAt, e.Deadline, e.Notice = time.Time{}, time.Time{}, ""
	e.FollowUp, e.FollowUpAt = "", time.Time{}
}

// advance applies what a complete run r says of entry e: failing (f is the
// failing finding's page SHA-256 and the run's as-of date decides overdue)
// or cleared. It records the events of every change.
func advance(tx *bolt.Tx, e *HistoryEntry, r Run, failingNow bool, sha string) error {
	at := time.Now()
	if e.State == "" {
		e.State = StateOpen
	}
	if !failingNow {
		if e.State == StateFixed {
			return nil
		}
		return transition(tx, e, StateFixed, ActionFix, SystemUser, r.ID, "本次监测未再发现该问题", at)
	}
	e.SHA256 = sha
	sameAsDismissed := e.Dismissed != nil && e.Dismissed.SHA256 == sha
	switch e.State {
	case StateFixed:
		clearNotice(e)
		if sameAsDismissed {
			return transition(tx, e, StateDismissed, ActionReopen, SystemUser, r.ID, "问题再次出现，页面与驳回时相同，仍为已驳回", at)
		}
		return transition(tx, e, StateOpen, ActionReopen, SystemUser, r.ID, "已整改的问题再次出现", at)
	case StateDismissed:
		if sameAsDismissed {
			return nil
		}
		e.Dismissed = nil
		return transition(tx, e, StateOpen, ActionReopen, SystemUser, r.ID,
			"页面已变化（SHA-256 "+shortSHA(sha)+"），驳回失效，问题仍然存在", at)
	case StateNotified:
		if !e.Deadline.IsZero() && r.AsOf > e.Deadline.Format(time.DateOnly) {
			e.Overdue = RunAt{Run: r.ID, At: r.Started}
			return transition(tx, e, StateOverdue, ActionOverdue, SystemUser, r.ID,
				"整改期限 "+e.Deadline.Format(time.DateOnly)+" 已过，问题仍然存在", at)
		}
	}
	return nil
}

func shortSHA(s string) string {
	if len(s) > 12 {
		return s[:12]
	}
	if s == "" {
		return "无"
	}
	return s
}

// migrateLifecycle gives every history entry its id and a state (fixed when
// it was fixed, else open), indexes it, and records the state as a migrate
// event (migration step 4).
func migrateLifecycle(tx *bolt.Tx) error {
	es, err := allEntries(tx)
	if err != nil {
		return err
	}
	at := time.Now()
	for _, e := range es {
		e.ID = FindingID(e.Key)
		from := e.State
		if e.State == "" {
			e.State = StateOpen
			if !e.Open() {
				e.State = StateFixed
			}
		}
		if err := appendEvent(tx, Event{Finding: e.ID, Unit: e.Unit, Check: e.Check, Subject: e.Subject,
			Action: ActionMigrate, By: SystemUser, At: at, Run: e.LastChecked.Run, From: from, To: e.State,
			Why: "升级数据库时由历史记录重建：首次发现于运行 " + e.FirstSeen.Run}); err != nil {
			return err
		}
		if err := putEntry(tx, e); err != nil {
			return err
		}
	}
	return nil
}

// allEntries reads every history entry in key order.
func allEntries(tx *bolt.Tx) ([]HistoryEntry, error) {
	var es []HistoryEntry
	err := tx.Bucket(bucketHistory).ForEach(func(k, v []byte) error {
		var e HistoryEntry
		if err := decodeZ(v, &e); err != nil {
			return fmt.Errorf("history %s: %w", k, err)
		}
		es = append(es, e)
		return nil
	})
	return es, err
}

// ByID indexes history entries by finding id.
func ByID(es []HistoryEntry) map[string]HistoryEntry {
	m := make(map[string]HistoryEntry, len(es))
	for _, e := range es {
		m[e.ID] = e
	}
	return m
}
