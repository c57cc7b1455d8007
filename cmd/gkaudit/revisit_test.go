package main

import (
	"context"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"gkaudit/audit"
	"gkaudit/config"
	"gkaudit/sim"
	"gkaudit/store"
)

// night audits the district served by d into db as of the night started.
func night(t *testing.T, db *store.DB, d *sim.District, cfg *config.Config, started time.Time) (store.Run, truthReport, int) {
	t.Helper()
	c := *cfg
	c.Units = d.Units()
	c.Crawl = loopbackPolicy(c.Crawl)
	// A guard against a hanging night, not a time limit: under -race on a
	// shared 2-core machine one night of the demo district has taken more
	// than 3 minutes. go test's -timeout bounds the whole package.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	res, err := audit.Run(ctx, audit.Options{Config: &c, AsOf: d.AsOf(), DB: db, Started: started})
	if err != nil {
		t.Fatal(err)
	}
	found, err := db.Findings(res.Run.ID)
	if err != nil {
		t.Fatal(err)
	}
	carried := 0
	for _, u := range res.Units {
		carried += u.Carried
	}
	return res.Run, compareTruth(found, d.Truth()), carried
}

func serveSim(t *testing.T, cfg *config.Config, gen, port int) *sim.District {
	t.Helper()
	d, err := sim.New(sim.Options{Seed: 1, Size: sim.SizeDemo, ItemsPerColumn: 8, Units: cfg.Units, Generation: gen,
		Listen: net.JoinHostPort("127.0.0.1", strconv.Itoa(port))})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Start(); err != nil {
		t.Fatal(err)
	}
	return d
}

// Ensure that the revisit policy loses nothing a district's next generation
// changes: the night after generation 1, generation 2 (new items, an item
// whose attachment is missing, withdrawn articles, fixed defects, a page that
// lost a field, policy documents that gained their validity label behind
// unchanged list entries) agrees with its truth the same night, with most
// pages carried forward. The traps: an article carried forward although its
// content was fixed (caught because pages behind failing findings are
// confirmed every night), a further list page carried behind a first page
// that changed, and a new entry's probes carried from nowhere. A page deleted
// behind an unchanged entry, which no list tells of, waits for its night:
// crawler's TestRevisit_SilentDeletionFoundOnItsNight.
func TestRevisit_Generation2FoundTheSameNight(t *testing.T) {
	if testing.Short() {
		t.Skip("crawls the simulated district night after night")
	}
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	port := freePorts(t, 20)
	db, err := store.Open(filepath.Join(t.TempDir(), "audit.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	night0 := time.Date(2026, 11, 1, 1, 0, 0, 0, time.FixedZone("CST", 8*3600))

	d := serveSim(t, cfg, 1, port)
	_, rep, _ := night(t, db, d, cfg, night0)
	d.Close()
	if len(rep.mismatches) > 0 {
		t.Fatalf("generation 1, first night: %d mismatches:\n%s", len(rep.mismatches), strings.Join(rep.mismatches, "\n"))
	}

	d = serveSim(t, cfg, 2, port)
	defer d.Close()
	run, rep, carried := night(t, db, d, cfg, night0.AddDate(0, 0, 1))
	if carried == 0 {
		t.Fatalf("night 1: no page carried forward: the revisit policy did not run")
	}
	units, err := db.AuditedUnits(run.ID)
	if err != nil {
		t.Fatal(err)
	}
	pages := 0
	for _, u := range units {
		if snap, err := db.Snapshot(run.ID, u); err == nil {
			pages += len(snap.Pages)
		}
	}
	t.Logf("generation 2, night 1: %d of %d pages carried forward, %d mismatches", carried, pages, len(rep.mismatches))
	if len(rep.mismatches) > 0 {
		t.Errorf("generation 2, the night after: %d mismatches, want none:\n%s", len(rep.mismatches), strings.Join(rep.mismatches, "\n"))
	}
	if carried*2 < pages {
		t.Errorf("generation 2: %d of %d pages carried forward, want most", carried, pages)
	}
}
