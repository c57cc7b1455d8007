package main

import (
	"flag"
	"fmt"
	"path/filepath"
	"time"

	"gkaudit/config"
	"gkaudit/score"
	"gkaudit/sim"
	"gkaudit/store"
)

func (c *cli) demo(args []string) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	dbPath := fs.String("db", "gkaudit-demo.db", "bbolt database file (a new run is added each time)")
	size := fs.String("size", "demo", "size of the simulated district: demo or bench")
	seed := fs.Int64("seed", 1, "seed of the simulated district")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	sz, err := parseSize(*size)
	if err != nil {
		fmt.Fprintf(c.stderr, "gkaudit demo: %v\n", err)
		return exitUsage
	}
	cfg, err := config.Default()
	if err != nil {
		return c.fail(err)
	}
	d, err := sim.New(sim.Options{Seed: *seed, Size: sz, Units: cfg.Units})
	if err != nil {
		return c.fail(err)
	}
	if err := d.Start(); err != nil {
		return c.fail(err)
	}
	defer d.Close()
	cfg.Units = d.Units()
	cfg.Crawl = loopbackPolicy(cfg.Crawl)
	fmt.Fprintf(c.stderr, "simulated district %s: %d units, %d pages, as of %s\n",
		cfg.District, len(cfg.Units), d.Pages(), d.AsOf().Format("2006-01-02"))

	start := time.Now()
	res, err := c.runAudit(cfg, cfg.Units, d.AsOf(), *dbPath, "demo")
	if err != nil {
		return c.fail(err)
	}
	elapsed := time.Since(start).Round(100 * time.Millisecond)
	cards, err := scoreRun(cfg, *dbPath, res.Run.ID)
	if err != nil {
		return c.fail(err)
	}
	writeScoreTable(c.stdout, cards)
	pages, errs := 0, 0
	for _, u := range res.Units {
		pages += u.Pages
		errs += u.Errors
	}
	abs, _ := filepath.Abs(*dbPath)
	fmt.Fprintf(c.stdout, "\naudited %d units (%d pages, %d crawl errors) in %s; run %s written to %s\n",
		len(res.Units), pages, errs, elapsed, res.Run.ID, abs)
	fmt.Fprintf(c.stdout, "findings:   go run ./cmd/gkaudit findings --db %s --format table\n", *dbPath)
	fmt.Fprintf(c.stdout, "scorecards: go run ./cmd/gkaudit score --db %s --format json\n", *dbPath)
	return exitOK
}

// scoreRun scores the units of cfg from the findings of a stored run.
func scoreRun(cfg *config.Config, dbPath, runID string) ([]score.Card, error) {
	db, err := store.Open(dbPath)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	found, err := db.Findings(runID)
	if err != nil {
		return nil, err
	}
	return score.Compute(cfg, cfg.Units, found), nil
}

// loopbackPolicy tunes the crawl policy for a district served on this
// machine: no politeness delay is needed, and the traps (a hanging host) should
// cost seconds, not minutes.
func loopbackPolicy(p config.Crawl) config.Crawl {
	p.Delay = 0
	p.Timeout = config.Duration(3 * time.Second)
	p.Retries = 1
	p.UnitBudget = config.Duration(90 * time.Second)
	p.ParallelUnits = 4
	return p
}

func parseSize(s string) (sim.Size, error) {
	switch s {
	case "demo":
		return sim.SizeDemo, nil
	case "bench":
		return sim.SizeBench, nil
	}
	return 0, fmt.Errorf("--size %q: want demo or bench", s)
}
