// Package rundata reads from the store what the outputs show of one run —
// the findings, the finding history with lifecycle states, the reviewers'
// scores and the scorecards computed from them — and assembles the inputs
// of the score sheet, the district report and the notices. The command line
// and the web UI share it.
package rundata

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"gkaudit/checks"
	"gkaudit/config"
	"gkaudit/report"
	"gkaudit/score"
	"gkaudit/sheet"
	"gkaudit/store"
)

// Data is what the outputs (score, notices, sheet, report) read of one
// run: its findings, the finding history with lifecycle states, and the
// scorecards computed from both and the reviewers' scores.
type Data struct {
	Run      store.Run
	Findings []checks.Finding
	Entries  []store.HistoryEntry          // every unit's history, by unit, check, subject
	ByID     map[string]store.HistoryEntry // Entries by finding id
	Units    []config.Unit                 // the run's units, named from the config
	Cards    []score.Card                  // in the order of Units
}

// RunRefError explains a run reference that did not resolve: a run that
// does not exist says how to list the runs (or, for latest, that there are
// none yet); other errors are wrapped as they are.
func RunRefError(runRef string, err error) error {
	switch {
	case !errors.Is(err, store.ErrNotFound):
		return fmt.Errorf("运行 %q：%w", runRef, err)
	case runRef == "" || runRef == "latest":
		return fmt.Errorf("数据库中还没有运行：先运行 gkaudit audit（%w）", err)
	}
	return fmt.Errorf("没有运行 %q：运行 ID 如 000001 或 1，gkaudit runs 列出全部运行（%w）", runRef, err)
}

// Read resolves a run reference (an ID or latest) and reads what the
// outputs need, scoring the run's units under cfg.
func Read(db *store.DB, runRef string, cfg *config.Config) (Data, error) {
	var d Data
	var err error
	if d.Run, err = db.ResolveRun(runRef); err != nil {
		return Data{}, RunRefError(runRef, err)
	}
	if d.Findings, err = db.Findings(d.Run.ID); err != nil {
		return Data{}, err
	}
	if d.Entries, err = db.Entries(); err != nil {
		return Data{}, err
	}
	d.ByID = store.ByID(d.Entries)
	reviews, err := db.Reviews()
	if err != nil {
		return Data{}, err
	}
	d.Units = Units(cfg, d.Run, d.Findings)
	namedFromSnapshots(db, cfg, d.Run.ID, d.Units, d.Findings)
	if !d.Run.Complete {
		// A unit an interrupted run never got to has no findings: it would
		// score full marks, or rank as if audited. It is left out.
		audited, err := db.AuditedUnits(d.Run.ID)
		if err != nil {
			return Data{}, err
		}
		d.Units = slices.DeleteFunc(d.Units, func(u config.Unit) bool { return !slices.Contains(audited, u.ID) })
	}
	d.Cards = score.ComputeWith(cfg, d.Units, d.Findings, score.FromHistory(d.Entries, d.Run.ID), score.ReviewsOf(reviews)...)
	return d, nil
}

// Units returns the units of a run, resolved against the config; an id the
// config does not know gets a unit named by its id. A run that recorded no
// units falls back to the units of its findings.
func Units(cfg *config.Config, run store.Run, found []checks.Finding) []config.Unit {
	ids := run.Units
	if len(ids) == 0 {
		for _, f := range found {
			if !slices.Contains(ids, f.Unit) {
				ids = append(ids, f.Unit)
			}
		}
	}
	units := make([]config.Unit, 0, len(ids))
	for _, id := range ids {
		u, ok := cfg.UnitByID(id)
		if !ok {
			u = config.Unit{ID: id, Name: id}
		}
		units = append(units, u)
	}
	return units
}

// Report reads what the report shows: the run with its findings,
// history and scorecards, every run, the notices, and the trend over the
// last n complete runs up to the reported one, each scored anew.
func Report(db *store.DB, runRef string, cfg *config.Config, n int) (report.Data, error) {
	d, err := Read(db, runRef, cfg)
	if err != nil {
		return report.Data{}, err
	}
	return ReportOf(db, d, cfg, n)
}

// ReportOf is Report for a run already read.
func ReportOf(db *store.DB, d Data, cfg *config.Config, n int) (report.Data, error) {
	runs, err := db.Runs()
	if err != nil {
		return report.Data{}, err
	}
	notices, err := db.Notices("")
	if err != nil {
		return report.Data{}, err
	}
	trend, err := trendRuns(db, cfg, runs, d, n)
	if err != nil {
		return report.Data{}, err
	}
	return report.Data{District: cfg.District, Year: cfg.Year, Run: d.Run, Runs: runs, Cards: d.Cards,
		Findings: d.Findings, Entries: d.Entries, Notices: notices, Trend: trend}, nil
}

// trendRuns scores the last n complete runs up to d's run, oldest first,
// two at a time (bbolt readers do not block each other); d's own run, when
// complete, is not read again.
func trendRuns(db *store.DB, cfg *config.Config, runs []store.Run, d Data, n int) ([]report.TrendRun, error) {
	var picked []store.Run
	for i := len(runs) - 1; i >= 0 && len(picked) < n; i-- {
		if r := runs[i]; r.Complete && r.ID <= d.Run.ID {
			picked = append(picked, r)
		}
	}
	out := make([]report.TrendRun, len(picked))
	errs := make([]error, len(picked))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			for i := range jobs {
				out[i], errs[i] = trendRun(db, cfg, picked[i], d)
			}
		})
	}
	for i := range picked {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	// picked is newest first; the charts want oldest first.
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}

// trendRun scores one run with the finding history d holds.
func trendRun(db *store.DB, cfg *config.Config, r store.Run, d Data) (report.TrendRun, error) {
	lc := score.FromHistory(d.Entries, r.ID)
	if r.ID == d.Run.ID {
		return report.NewTrendRun(r, d.Cards, d.Findings, lc), nil
	}
	found, err := db.Findings(r.ID)
	if err != nil {
		return report.TrendRun{}, err
	}
	cards := score.ComputeWith(cfg, Units(cfg, r, found), found, lc)
	return report.NewTrendRun(r, cards, found, lc), nil
}

// Sheet reads what the score sheet shows of a run.
func Sheet(db *store.DB, runRef string, cfg *config.Config) (sheet.Data, error) {
	rd, err := Read(db, runRef, cfg)
	if err != nil {
		return sheet.Data{}, err
	}
	return SheetOf(db, rd, cfg)
}

// SheetOf is Sheet for a run already read.
func SheetOf(db *store.DB, rd Data, cfg *config.Config) (sheet.Data, error) {
	evs, err := db.Events(store.EventFilter{})
	if err != nil {
		return sheet.Data{}, err
	}
	return sheet.Data{District: cfg.District, Year: cfg.Year, Rubric: cfg.Rubric, Units: cfg.Units,
		Run: rd.Run, Cards: rd.Cards, Findings: rd.Findings, Entries: rd.Entries, Events: evs}, nil
}

// namedFromSnapshots names the units the config does not know (audited by
// audit --url) as their run saved them, instead of by their id, and gives
// them the kind whose key areas their findings judged.
func namedFromSnapshots(db *store.DB, cfg *config.Config, runID string, units []config.Unit, found []checks.Finding) {
	for i, u := range units {
		if _, known := cfg.UnitByID(u.ID); known {
			continue
		}
		if s, err := db.Snapshot(runID, u.ID); err == nil && s.UnitName != "" {
			units[i].Name = s.UnitName
		}
		units[i].Kind = kindOf(cfg, u.ID, found)
	}
}

// kindOf is the unit kind whose default key areas are exactly the key areas
// a unit's findings judged, or "" when none or several are.
func kindOf(cfg *config.Config, unitID string, found []checks.Finding) string {
	judged := map[string]bool{}
	for _, f := range found {
		if area, ok := strings.CutPrefix(f.Check, "keyarea."); ok && f.Unit == unitID {
			judged[area] = true
		}
	}
	match := ""
	for _, kind := range config.UnitKinds() {
		areas := cfg.KeyAreas[kind]
		same := len(areas) == len(judged)
		for _, a := range areas {
			same = same && judged[a]
		}
		if same {
			if match != "" {
				return ""
			}
			match = kind
		}
	}
	return match
}
