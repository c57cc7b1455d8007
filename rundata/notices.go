package rundata

import (
	"fmt"
	"time"

	"gkaudit/config"
	"gkaudit/notice"
	"gkaudit/store"
)

// Notices plans the notices due for the units of d's run on date and, when
// issue is set, issues them as by: each gets its 文号 and its findings move
// on (see store.IssueNotice). A notice whose findings were all issued
// already is left out. Without issue the docs are drafts and nothing
// changes.
func Notices(db *store.DB, d Data, cfg *config.Config, units []config.Unit, date time.Time, issue bool, by string) ([]notice.Doc, error) {
	runs, err := db.Runs()
	if err != nil {
		return nil, err
	}
	asOfs := map[string]string{}
	for _, r := range runs {
		asOfs[r.ID] = r.AsOf
	}
	docs := notice.Plan(notice.Input{Config: cfg, Run: d.Run, Units: units, Findings: d.Findings, Entries: d.ByID, Date: date, AsOf: asOfs})
	if !issue {
		return docs, nil
	}
	var out []notice.Doc
	for _, doc := range docs {
		n, err := db.IssueNotice(store.Issue{Kind: doc.Kind, Unit: doc.UnitID, Date: date, By: by, Run: d.Run.ID,
			Findings: doc.IDs(), Deadlines: doc.Deadlines(), Number: cfg.Notice.Number})
		if err != nil {
			return out, err
		}
		if n.ID == "" {
			continue // everything on it was issued already
		}
		doc.Draft, doc.Number = false, n.Number
		out = append(out, doc)
	}
	return out, nil
}

// Issued rebuilds notice n as it was issued: its findings from the run it
// was drafted from, as listed then, with its 文号, date and deadlines. The
// other failing findings of the unit count for the 单项否决 summary only.
// The run must still be in the file (gkaudit gc may have removed it).
func Issued(db *store.DB, cfg *config.Config, n store.Notice) (notice.Doc, error) {
	d, err := Read(db, n.Run, cfg)
	if err != nil {
		return notice.Doc{}, err
	}
	runs, err := db.Runs()
	if err != nil {
		return notice.Doc{}, err
	}
	asOfs := map[string]string{}
	for _, r := range runs {
		asOfs[r.ID] = r.AsOf
	}
	listed := map[string]bool{}
	for _, id := range n.Findings {
		listed[id] = true
	}
	// The states the findings had when the notice listed them; the unit's
	// other findings are kept off it.
	entries := make(map[string]store.HistoryEntry, len(d.ByID))
	for id, e := range d.ByID {
		switch {
		case listed[id] && n.Kind == store.NoticeFollowUp:
			e.State = store.StateOverdue
		case listed[id]:
			e.State = store.StateOpen
		case e.State != store.StateDismissed:
			e.State = store.StateNotified
		}
		entries[id] = e
	}
	var units []config.Unit
	for _, u := range d.Units {
		if u.ID == n.Unit {
			units = append(units, u)
		}
	}
	docs := notice.Plan(notice.Input{Config: cfg, Run: d.Run, Units: units, Findings: d.Findings, Entries: entries, Date: n.Date, AsOf: asOfs})
	for _, doc := range docs {
		if doc.Kind != n.Kind {
			continue
		}
		doc.Draft, doc.Number = false, n.Number
		if n.Kind == store.NoticeRectification {
			doc.Deadline = time.Time{}
			for i, p := range doc.Problems {
				if dl, ok := n.Deadlines[p.ID]; ok {
					doc.Problems[i].Deadline = dl
				}
				doc.Deadline = maxTime(doc.Deadline, doc.Problems[i].Deadline)
			}
		}
		return doc, nil
	}
	return notice.Doc{}, fmt.Errorf("notice %s: its findings are not in run %s: %w", n.Number, n.Run, store.ErrNotFound)
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
