package audit

import (
	"fmt"
	"time"

	"gkaudit/checks"
	"gkaudit/cndate"
	"gkaudit/config"
	"gkaudit/store"
)

// runEnv is what every check of a run may know: the config with its
// thresholds resolved (checks.Params) and the working-day calendar, built
// once per run.
func runEnv(cfg *config.Config, asOf time.Time) (checks.Env, error) {
	params, err := checks.ParamsOf(cfg)
	if err != nil {
		return checks.Env{}, fmt.Errorf("audit: thresholds: %w", err)
	}
	return checks.Env{AsOf: asOf, Config: cfg, Calendar: cfg.Calendar(), Params: params}, nil
}

// unitEnv is what the checks of unit u may know besides its snapshot in the
// run started at started: the run's env with the unit and its availability
// over the week before.
func unitEnv(db *store.DB, run checks.Env, u config.Unit, started time.Time) (checks.Env, error) {
	av, err := availability(db, u.ID, started)
	if err != nil {
		return checks.Env{}, err
	}
	run.Unit, run.Availability = u, av
	return run, nil
}

// Recheck runs the checks again over a run as the store keeps it: each
// unit's snapshot read back (store.ReadableSnapshot: views and links from
// the stored bodies), the district checks over the stored unit counts. With
// the config and as-of date the run was made with, it gives the run's
// findings: what the checks judged is all in the store.
func Recheck(db *store.DB, cfg *config.Config, runID string) ([]checks.Finding, error) {
	run, err := db.Run(runID)
	if err != nil {
		return nil, fmt.Errorf("audit: recheck: %w", err)
	}
	asOf, err := time.ParseInLocation("2006-01-02", run.AsOf, cndate.Shanghai)
	if err != nil {
		return nil, fmt.Errorf("audit: recheck %s: as-of date %q: %w", runID, run.AsOf, err)
	}
	counts, err := db.UnitCounts(runID)
	if err != nil {
		return nil, fmt.Errorf("audit: recheck: %w", err)
	}
	byUnit := map[string]store.UnitCount{}
	for _, c := range counts {
		byUnit[c.Unit] = c
	}
	renv, err := runEnv(cfg, asOf)
	if err != nil {
		return nil, err
	}
	var out []checks.Finding
	var district []checks.UnitCount
	for _, id := range run.Units {
		u, ok := cfg.UnitByID(id)
		if !ok {
			u = config.Unit{ID: id}
		}
		snap, err := db.ReadableSnapshot(runID, id)
		if err != nil {
			return nil, fmt.Errorf("audit: recheck: %w", err)
		}
		if u.Name == "" {
			u.Name = snap.UnitName
		}
		if u.URL == "" {
			u.URL = snap.Entry
		}
		env, err := unitEnv(db, renv, u, run.Started)
		if err != nil {
			return nil, err
		}
		out = append(out, naWhenRefused(snap, checks.Run(snap, env))...)
		c := byUnit[id]
		district = append(district, checks.UnitCount{Unit: u, Items: c.Items, Reachable: c.Reachable, Unread: c.Unread})
	}
	return append(out, checks.RunDistrict(district, renv)...), nil
}
