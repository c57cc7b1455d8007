package store

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Notice kinds.
const (
	// NoticeRectification (整改通知) lists findings not notified before;
	// issuing it makes them notified with deadlines.
	NoticeRectification = "rectification"
	// NoticeFollowUp (催办通知) lists overdue findings.
	NoticeFollowUp = "follow_up"
)

// Notice is an issued notice: its 文号, unit, date and findings.
type Notice struct {
	ID       string    `json:"id"` // zero-padded sequence
	Kind     string    `json:"kind"`
	Number   string    `json:"number"` // 文号
	Year     int       `json:"year"`   // of the number's sequence
	Seq      int       `json:"seq"`    // the number's sequence within Year
	Unit     string    `json:"unit"`
	Date     time.Time `json:"date"` // the notice's date (as-of)
	By       string    `json:"by"`
	Run      string    `json:"run"`      // the run whose findings it lists
	Findings []string  `json:"findings"` // finding ids
	// Deadlines are the findings' deadlines (rectification notices), by id.
	Deadlines map[string]time.Time `json:"deadlines,omitempty"`
}

// Issue is a notice to issue: Findings are the ids to list; Deadlines gives
// each one's deadline (rectification notices). Number formats the 文号 from
// the sequence number the store allocates within the year of Date.
type Issue struct {
	Kind      string
	Unit      string
	Date      time.Time
	By        string
	Run       string
	Findings  []string
	Deadlines map[string]time.Time
	Number    func(year, seq int) string
}

// IssueNotice records a notice and moves its findings on, in one
// transaction. A rectification notice lists only findings still open (never
// notified, or reopened since) and makes them notified with their
// deadlines; a follow-up lists only overdue findings not followed up on
// that date. Findings in other states are left out, so issuing again never
// lists a finding twice; when none is left the notice is not recorded and
// the returned Notice has no ID.
func (db *DB) IssueNotice(is Issue) (Notice, error) {
	var n Notice
	err := db.update(func(tx *bolt.Tx) error {
		var ids []string
		entries := map[string]HistoryEntry{}
		for _, id := range is.Findings {
			e, err := entryByID(tx, id)
			if err != nil {
				return err
			}
			if e.Unit != is.Unit {
				return fmt.Errorf("finding %s belongs to %s, not %s", id, e.Unit, is.Unit)
			}
			if issuable(e, is) && !slices.Contains(ids, id) {
				ids = append(ids, id)
				entries[id] = e
			}
		}
		if len(ids) == 0 {
			return nil
		}
		nb := tx.Bucket(bucketNotices)
		year := is.Date.Year()
		seq := 1
		err := nb.ForEach(func(k, v []byte) error {
			var old Notice
			if err := unmarshal(v, &old); err != nil {
				return fmt.Errorf("notice %s: %w", k, err)
			}
			if old.Year == year && old.Seq >= seq {
				seq = old.Seq + 1
			}
			return nil
		})
		if err != nil {
			return err
		}
		id, err := nb.NextSequence()
		if err != nil {
			return err
		}
		n = Notice{ID: fmt.Sprintf("%0*d", runIDWidth, id), Kind: is.Kind, Year: year, Seq: seq,
			Number: is.Number(year, seq), Unit: is.Unit, Date: is.Date, By: is.By, Run: is.Run, Findings: ids}
		at := time.Now()
		for _, fid := range ids {
			e := entries[fid]
			switch is.Kind {
			case NoticeRectification:
				dl := is.Deadlines[fid]
				if dl.IsZero() {
					return fmt.Errorf("finding %s has no deadline", fid)
				}
				if n.Deadlines == nil {
					n.Deadlines = map[string]time.Time{}
				}
				n.Deadlines[fid] = dl
				e.NotifiedAt, e.Deadline, e.Notice = is.Date, dl, n.Number
				if err := transition(tx, &e, StateNotified, ActionNotify, is.By, is.Run,
					"整改通知 "+n.Number+"，整改期限 "+dl.Format(time.DateOnly), at); err != nil {
					return err
				}
			case NoticeFollowUp:
				e.FollowUp, e.FollowUpAt = n.Number, is.Date
				if err := transition(tx, &e, e.State, ActionFollowUp, is.By, is.Run, "催办通知 "+n.Number, at); err != nil {
					return err
				}
			default:
				return fmt.Errorf("unknown notice kind %q", is.Kind)
			}
			if err := putEntry(tx, e); err != nil {
				return err
			}
		}
		raw, err := json.Marshal(n)
		if err != nil {
			return err
		}
		return nb.Put([]byte(n.ID), raw)
	})
	if err != nil {
		return Notice{}, fmt.Errorf("store: issue notice for %s: %w", is.Unit, err)
	}
	return n, nil
}

// issuable reports whether a notice of kind is.Kind may list e.
func issuable(e HistoryEntry, is Issue) bool {
	switch is.Kind {
	case NoticeRectification:
		return e.State == StateOpen || e.State == ""
	case NoticeFollowUp:
		return e.State == StateOverdue && !sameDay(e.FollowUpAt, is.Date)
	}
	return false
}

func sameDay(a, b time.Time) bool {
	return !a.IsZero() && a.Format(time.DateOnly) == b.Format(time.DateOnly)
}

// Notices returns the issued notices of a unit ("" for every unit), oldest
// first.
func (db *DB) Notices(unit string) ([]Notice, error) {
	var all []Notice
	err := db.view(func(tx *bolt.Tx) (err error) {
		all, err = decodeBucket[Notice](tx, bucketNotices, "notice")
		return err
	})
	out := slices.DeleteFunc(all, func(n Notice) bool { return unit != "" && n.Unit != unit })
	if err != nil {
		return nil, fmt.Errorf("store: notices: %w", err)
	}
	return out, nil
}
