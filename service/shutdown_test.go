package service

import (
	"context"
	"errors"
	"testing"
	"time"

	"gkaudit/config"
	"gkaudit/sim"
	"gkaudit/store"
)

// Ensure that stopping the service mid-run against the simulated district
// returns within 10 s, leaves the run incomplete (interrupted) in a file
// that passes bbolt's consistency check, and lets another process open the
// file right after.
func TestService_ShutdownMidRun(t *testing.T) {
	if testing.Short() {
		t.Skip("crawls the simulated district")
	}
	cfg := testConfig(t)
	d, err := sim.New(sim.Options{Seed: 1, Size: sim.SizeDemo})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Start(); err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	cfg.Units = d.Units()
	// The district is on loopback: no politeness delay, short timeouts.
	cfg.Crawl.Delay = 0
	cfg.Crawl.RecheckAfter = 0 // the sim's dead links stay dead: try again at once
	cfg.Crawl.Timeout = config.Duration(3 * time.Second)
	cfg.Crawl.Retries = 1
	cfg.Crawl.UnitBudget = config.Duration(90 * time.Second)
	cfg.Crawl.ParallelUnits = 4

	s, logs, path := newTestService(t, cfg, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	waitFor(t, 5*time.Second, "Run to start", func() bool { return s.RunNow() == nil })
	// Some units saved, others mid-crawl: the stop cuts both kinds of work.
	waitFor(t, 60*time.Second, "two units done", func() bool { st := s.Status(); return st.UnitsDone >= 2 && len(st.InProgress) > 0 })
	st := s.Status()
	if !st.Running || st.RunID == "" || len(st.InProgress) == 0 || st.UnitsTotal != len(cfg.Units) {
		t.Errorf("Status mid-run = %+v, want a run with units in progress of %d", st, len(cfg.Units))
	}

	cancel()
	stop := time.Now()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return within 10 s of the stop")
	}
	t.Logf("stopped %s after the cancel, %d pages and %d of %d units in", time.Since(stop).Round(time.Millisecond), st.Pages, st.UnitsDone, st.UnitsTotal)

	last := s.Status().Last
	if last.ID != st.RunID || last.Outcome != OutcomeInterrupted {
		t.Errorf("last run = %+v, want %s interrupted", last, st.RunID)
	}
	if count(logs.messages(t), "运行中断，已标记为未完成") != 1 {
		t.Errorf("interruption not logged: %q", logs.messages(t))
	}
	// The handle closes the file once idle; Run has released it.
	waitFor(t, 2*time.Second, "the handle to close the file", func() bool { return !s.store.IsOpen() })
	db, err := store.Open(path)
	if err != nil {
		t.Fatalf("store.Open right after the stop: %v", err)
	}
	defer db.Close()
	if err := db.Check(); err != nil {
		t.Error(err)
	}
	r, err := db.Run(st.RunID)
	if err != nil {
		t.Fatal(err)
	}
	if r.Complete || r.Note != RunNote {
		t.Errorf("run %s: complete %v note %q, want incomplete, note %q", r.ID, r.Complete, r.Note, RunNote)
	}
	if _, err := db.LatestComplete(""); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("LatestComplete = %v, want none", err)
	}
}
