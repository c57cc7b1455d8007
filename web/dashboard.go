package web

import (
	"errors"
	"html/template"
	"net/http"
	"slices"

	"gkaudit/checks"
	"gkaudit/report"
	"gkaudit/rundata"
	"gkaudit/score"
	"gkaudit/store"
)

// trendRuns is how many complete runs the dashboard's trend shows.
const trendRuns = 10

// errNoRuns is returned when the file holds no run yet.
var errNoRuns = errors.New("no runs")

// shownRun is the run pages show by default: the newest complete one, or
// the newest when none is complete. ref, when set, names another.
func shownRun(db *store.DB, ref string) (store.Run, error) {
	if ref != "" {
		return db.ResolveRun(ref)
	}
	r, err := db.LatestComplete("")
	if errors.Is(err, store.ErrNotFound) {
		r, err = db.NewestRun()
	}
	if errors.Is(err, store.ErrNotFound) {
		return store.Run{}, errNoRuns
	}
	return r, err
}

type dashRow struct {
	Rank               int
	Unit, Name, Kind   string
	Objective, AutoMax float64
	Reviewed, Total    float64
	Delta              float64
	HasDelta           bool
	Spark              template.HTML
	Open, Overdue      int
	Pending            int
	Veto               []string
	Unreachable        bool
	Crawling           bool
}

type dashView struct {
	Run       store.Run
	Last      store.Run // the newest run, complete or not
	Status    *RunStatus
	Prev      string // the previous complete run of the trend
	Rows      []dashRow
	Chart     template.HTML
	Failing   int
	Overdue   int
	VetoUnits int
	Average   float64
	AutoMax   float64
	Pending   int
	Trend     []report.TrendRun
}

func (s *server) dashboard(w http.ResponseWriter, r *http.Request, sess *session) {
	var v dashView
	err := s.do(func(db *store.DB) error {
		run, err := shownRun(db, "")
		if err != nil {
			return err
		}
		if v.Last, err = db.NewestRun(); err != nil {
			return err
		}
		rd, err := rundata.Report(db, run.ID, s.cfg, trendRuns)
		if err != nil {
			return err
		}
		v.Run, v.Trend = rd.Run, rd.Trend
		v.Chart = report.TrendChart(rd.Trend)
		s.fillDashboard(&v, rd)
		return nil
	})
	switch {
	case errors.Is(err, errNoRuns):
		s.render(w, r, http.StatusOK, "empty", sess, "总览", s.runnerView())
		return
	case err != nil:
		s.serverError(w, r, sess, err)
		return
	}
	if s.runner != nil {
		st := s.runner.Status()
		v.Status = &st
		for i := range v.Rows {
			v.Rows[i].Crawling = st.Running && slices.Contains(st.Current, v.Rows[i].Unit)
		}
	}
	s.render(w, r, http.StatusOK, "dashboard", sess, "总览", v)
}

func (s *server) fillDashboard(v *dashView, rd report.Data) {
	var prev map[string]float64
	for _, t := range rd.Trend {
		if t.Run < rd.Run.ID {
			prev, v.Prev = t.Scores, t.Run
		}
	}
	byID := store.ByID(rd.Entries)
	open, overdue := openCounts(rd.Findings, byID)
	var sum float64
	for _, c := range rd.Cards {
		row := dashRow{Rank: c.Rank, Unit: c.Unit, Name: c.Name, Kind: c.Kind, Objective: c.Objective, AutoMax: c.AutoMax,
			Reviewed: c.Reviewed, Total: c.Total, Open: open[c.Unit], Overdue: overdue[c.Unit], Pending: len(c.Pending),
			Unreachable: unreachable(c)}
		if p, ok := prev[c.Unit]; ok {
			row.Delta, row.HasDelta = c.Objective-p, true
		}
		if len(rd.Trend) > 1 {
			row.Spark, _, _ = report.ScoreSparkline(rd.Trend, c.Unit)
		}
		for _, vr := range c.Veto {
			row.Veto = append(row.Veto, vr.Summary())
		}
		v.Rows = append(v.Rows, row)
		v.Failing += row.Open
		v.Overdue += row.Overdue
		v.Pending += row.Pending
		if len(c.Veto) > 0 {
			v.VetoUnits++
		}
		sum += c.Objective
		v.AutoMax = max(v.AutoMax, c.AutoMax)
	}
	if len(rd.Cards) > 0 {
		v.Average = sum / float64(len(rd.Cards))
	}
	slices.SortStableFunc(v.Rows, func(a, b dashRow) int { return a.Rank - b.Rank })
}

// openCounts counts, per unit, the run's failing findings still to act on
// (open, notified or overdue; one per identity) and the overdue ones. A
// finding with no history yet (an incomplete run) counts as open.
func openCounts(fs []checks.Finding, byID map[string]store.HistoryEntry) (open, overdue map[string]int) {
	open, overdue = map[string]int{}, map[string]int{}
	seen := map[string]bool{}
	for _, f := range fs {
		if f.Status != checks.Fail || seen[f.ID] {
			continue
		}
		seen[f.ID] = true
		e, ok := byID[f.ID]
		switch {
		case !ok || e.State == store.StateOpen || e.State == store.StateNotified || e.State == "":
			open[f.Unit]++
		case e.State == store.StateOverdue:
			open[f.Unit]++
			overdue[f.Unit]++
		}
	}
	return open, overdue
}

// unreachable reports whether the card's site.reachable check failed.
func unreachable(c score.Card) bool {
	for _, it := range c.Items {
		for _, cr := range it.Checks {
			if cr.ID == "site.reachable" && cr.Status == string(checks.Fail) {
				return true
			}
		}
	}
	return false
}

// runnerInfo is what the empty dashboard and the runs page say of runs.
type runnerInfo struct {
	HasRunner bool
	Status    RunStatus
}

// runnerView reads the runner's status, if there is a runner.
func (s *server) runnerView() runnerInfo {
	if s.runner == nil {
		return runnerInfo{}
	}
	return runnerInfo{HasRunner: true, Status: s.runner.Status()}
}
