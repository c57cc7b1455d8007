package web

import (
	"errors"
	"net/http"
	"slices"

	"gkaudit/checks"
	"gkaudit/cndate"
	"gkaudit/rundata"
	"gkaudit/score"
	"gkaudit/store"
)

// maxRefs is how many findings a scorecard line lists before "and N more".
const maxRefs = 8

// unitEvents is how many events the unit page lists (the log has all).
const unitEvents = 30

// lineRefs are the failing findings behind a scorecard line.
type lineRefs struct {
	Refs []score.FindingRef
	More int
}

func failingRefs(fs []score.FindingRef) lineRefs {
	var out lineRefs
	seen := map[string]bool{}
	for _, f := range fs {
		if f.Status != checks.Fail || seen[f.ID+f.Subject] {
			continue
		}
		seen[f.ID+f.Subject] = true
		if len(out.Refs) < maxRefs {
			out.Refs = append(out.Refs, f)
		} else {
			out.More++
		}
	}
	return out
}

type itemRow struct {
	score.ItemScore
	Failing  lineRefs
	Editable bool // a reviewer may score it
}

type deductionRow struct {
	score.DeductionScore
	Failing  lineRefs
	Editable bool
}

// findingRow is one of the unit's findings with its lifecycle.
type findingRow struct {
	ID, Check, Subject, URL, Detail string
	State                           store.State
	FirstSeen                       store.RunAt
	Deadline                        string
	Notice                          string
	Failing                         bool // in the shown run
}

type unitView struct {
	Run        store.Run
	Card       score.Card
	Unit       string
	URL        string
	Items      []itemRow
	Deductions []deductionRow
	Findings   []findingRow // failing in the run
	Past       []findingRow // in the history, not failing in the run
	Events     []store.Event
	MoreEvents bool
}

// unitData reads the shown run (or ?run=) and the unit's card.
func (s *server) unitData(db *store.DB, r *http.Request) (rundata.Data, int, error) {
	run, err := shownRun(db, r.URL.Query().Get("run"))
	if err != nil {
		return rundata.Data{}, 0, err
	}
	d, err := rundata.Read(db, run.ID, s.cfg)
	if err != nil {
		return rundata.Data{}, 0, err
	}
	id := r.PathValue("id")
	for i, c := range d.Cards {
		if c.Unit == id {
			return d, i, nil
		}
	}
	return d, -1, nil
}

func (s *server) unit(w http.ResponseWriter, r *http.Request, sess *session) {
	var v unitView
	found := true
	err := s.do(func(db *store.DB) error {
		d, i, err := s.unitData(db, r)
		if err != nil || i < 0 {
			found = err != nil
			return err
		}
		v = buildUnit(d, i)
		evs, err := db.Events(store.EventFilter{Unit: v.Unit})
		if err != nil {
			return err
		}
		slices.Reverse(evs)
		if len(evs) > unitEvents {
			evs, v.MoreEvents = evs[:unitEvents], true
		}
		v.Events = evs
		return nil
	})
	switch {
	case errors.Is(err, errNoRuns) || !found:
		s.notFoundMsg(w, r, sess, "单位 "+r.PathValue("id")+" 不在最近一次运行中。")
		return
	case errors.Is(err, store.ErrNotFound):
		s.notFoundMsg(w, r, sess, "没有这次运行。")
		return
	case err != nil:
		s.serverError(w, r, sess, err)
		return
	}
	s.render(w, r, http.StatusOK, "unit", sess, v.Card.Name, v)
}

func buildUnit(d rundata.Data, i int) unitView {
	c := d.Cards[i]
	v := unitView{Run: d.Run, Card: c, Unit: c.Unit, URL: d.Units[i].URL}
	for _, it := range c.Items {
		v.Items = append(v.Items, itemRow{ItemScore: it, Failing: failingRefs(it.Findings), Editable: itemEditable(it)})
	}
	for _, dd := range c.Deductions {
		v.Deductions = append(v.Deductions, deductionRow{DeductionScore: dd, Failing: failingRefs(dd.Findings),
			Editable: dd.Mode == "manual" || dd.Review != nil})
	}
	seen := map[string]bool{}
	for _, f := range d.Findings {
		if f.Unit != c.Unit || f.Status != checks.Fail || seen[f.ID] {
			continue
		}
		seen[f.ID] = true
		v.Findings = append(v.Findings, rowOf(f, d.ByID[f.ID], true))
	}
	for _, e := range d.Entries {
		if e.Unit != c.Unit || seen[e.ID] {
			continue
		}
		v.Past = append(v.Past, rowOf(checks.Finding{ID: e.ID, Check: e.Check, Subject: e.Subject, URL: e.URL, Detail: e.Detail}, e, false))
	}
	return v
}

func rowOf(f checks.Finding, e store.HistoryEntry, failing bool) findingRow {
	row := findingRow{ID: f.ID, Check: f.Check, Subject: f.Subject, URL: f.URL, Detail: f.Detail, State: e.State,
		FirstSeen: e.FirstSeen, Notice: e.Notice, Failing: failing}
	if row.State == "" && failing {
		row.State = store.StateOpen
	}
	if !e.Deadline.IsZero() {
		row.Deadline = e.Deadline.In(cndate.Shanghai).Format("2006-01-02")
	}
	return row
}

// itemEditable reports whether reviewers score an item: manual and mixed
// items, items no check could judge, and items a reviewer scored before.
func itemEditable(it score.ItemScore) bool {
	return it.Mode == "manual" || it.Mode == "mixed" || it.Source == score.Pending || it.Review != nil
}
