package main

import (
	"fmt"

	"gkaudit/checks"
	"gkaudit/config"
	"gkaudit/score"
	"gkaudit/store"
)

// runData is what the outputs (score, notices, sheet, report) read of one
// run: its findings, the finding history with lifecycle states, and the
// scorecards computed from both and the reviewers' scores.
type runData struct {
	Run      store.Run
	Findings []checks.Finding
	Entries  []store.HistoryEntry          // every unit's history, by unit, check, subject
	ByID     map[string]store.HistoryEntry // Entries by finding id
	Units    []config.Unit                 // the run's units, named from the config
	Cards    []score.Card                  // in the order of Units
}

// loadRun opens the store, resolves a run reference (an ID or latest) and
// reads what the outputs need, scoring the run's units under cfg.
func loadRun(dbPath, runRef string, cfg *config.Config) (runData, error) {
	db, err := store.Open(dbPath)
	if err != nil {
		return runData{}, err
	}
	defer db.Close()
	return readRun(db, runRef, cfg)
}

func readRun(db *store.DB, runRef string, cfg *config.Config) (runData, error) {
	var d runData
	var err error
	if d.Run, err = db.ResolveRun(runRef); err != nil {
		return runData{}, fmt.Errorf("run %q: %w", runRef, err)
	}
	if d.Findings, err = db.Findings(d.Run.ID); err != nil {
		return runData{}, err
	}
	if d.Entries, err = db.Entries(); err != nil {
		return runData{}, err
	}
	d.ByID = make(map[string]store.HistoryEntry, len(d.Entries))
	for _, e := range d.Entries {
		d.ByID[e.ID] = e
	}
	reviews, err := db.Reviews()
	if err != nil {
		return runData{}, err
	}
	d.Units = runUnits(cfg, d.Run, d.Findings)
	d.Cards = score.ComputeWith(cfg, d.Units, d.Findings, score.FromHistory(d.Entries, d.Run.ID), score.ReviewsOf(reviews)...)
	return d, nil
}
