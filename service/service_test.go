package service

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"gkaudit/audit"
	"gkaudit/store"
)

// Ensure that with a run due every second and runs that take 2.5 s, at
// most one run is ever in flight: the runs due meanwhile are skipped and
// logged, and RunNow says ErrRunning.
func TestService_SkipsOverlappingRuns(t *testing.T) {
	cfg := testConfig(t)
	cfg.Schedule = "@every 1s"
	var inFlight, most, runs atomic.Int32
	fake := func(ctx context.Context, opt audit.Options) (audit.Result, error) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		id := runs.Add(1)
		r, err := opt.DB.BeginRun(store.Run{Note: opt.Note})
		if err != nil {
			return audit.Result{}, err
		}
		opt.Progress(audit.Event{Run: r.ID, Unit: cfg.Units[0], Total: 1})
		select {
		case <-time.After(2500 * time.Millisecond):
		case <-ctx.Done():
			return audit.Result{Run: r}, ctx.Err()
		}
		opt.Progress(audit.Event{Run: r.ID, Unit: cfg.Units[0], Pages: int(id), Done: true, Finished: 1, Total: 1})
		return audit.Result{Run: r}, opt.DB.FinishRun(r.ID)
	}
	s, logs, _ := newTestService(t, cfg, Options{Audit: fake})
	if err := s.RunNow(); !errors.Is(err, ErrStopped) {
		t.Errorf("RunNow before Run = %v, want ErrStopped", err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 6500*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	start := time.Now()
	go func() { done <- s.Run(ctx) }()

	waitFor(t, 3*time.Second, "the first run", func() bool { return s.Status().Running })
	if err := s.RunNow(); !errors.Is(err, ErrRunning) {
		t.Errorf("RunNow during a run = %v, want ErrRunning", err)
	}
	st := s.Status()
	if st.UnitsTotal != 1 || st.Next.IsZero() || st.Started.IsZero() {
		t.Errorf("Status during a run = %+v, want 1 unit, a start and a next run", st)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("Run did not return after its context ended")
	}
	if el := time.Since(start); el > 9*time.Second {
		t.Errorf("Run took %s, want it to stop soon after 6.5 s", el)
	}

	if most.Load() != 1 {
		t.Errorf("%d runs were in flight at once, want at most 1", most.Load())
	}
	// Due at 1, 2, 3 ... 6 s; runs start at 1 s and about 3.5 s (the one
	// due at 4 s after the first ended), the third is cut by the stop.
	if n := runs.Load(); n < 2 || n > 3 {
		t.Errorf("%d runs started in 6.5 s, want 2 or 3", n)
	}
	msgs := logs.messages(t)
	skips := count(msgs, "上一次运行尚未结束，跳过本次计划运行")
	if skips < 2 {
		t.Errorf("%d skipped runs logged, want 2 or more; log: %q", skips, msgs)
	}
	if got := testutil.ToFloat64(s.metrics.skipped); int(got) != skips+1 { // the RunNow too
		t.Errorf("gkaudit_runs_skipped_total = %v, want %d", got, skips+1)
	}
	if got := testutil.ToFloat64(s.metrics.runs.WithLabelValues("complete")); got < 1 {
		t.Errorf("complete runs counted = %v, want 1 or more", got)
	}
	last := s.Status().Last
	if last.ID == "" || last.Outcome == "" {
		t.Errorf("last run = %+v, want one", last)
	}
	if err := s.RunNow(); !errors.Is(err, ErrStopped) {
		t.Errorf("RunNow after Run = %v, want ErrStopped", err)
	}
}

// Ensure that a run that outlives its deadline is stopped, left
// incomplete and reported as interrupted.
func TestService_RunDeadline(t *testing.T) {
	cfg := testConfig(t)
	cfg.RunDeadline = 200 * 1e6 // 200 ms
	var id string
	fake := func(ctx context.Context, opt audit.Options) (audit.Result, error) {
		r, err := opt.DB.BeginRun(store.Run{Note: opt.Note})
		if err != nil {
			return audit.Result{}, err
		}
		id = r.ID
		<-ctx.Done()
		return audit.Result{Run: r}, ctx.Err()
	}
	s, logs, _ := newTestService(t, cfg, Options{Audit: fake})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	waitFor(t, 2*time.Second, "Run to start", func() bool { return s.RunNow() == nil })
	waitFor(t, 5*time.Second, "the run to end", func() bool { return s.Status().Last.ID != "" })
	cancel()
	<-done
	last := s.Status().Last
	if last.ID != id || last.Outcome != OutcomeInterrupted || last.Err != "超过运行时限 200ms，运行中断" {
		t.Errorf("last run = %+v, want %s interrupted by the deadline", last, id)
	}
	if count(logs.messages(t), "运行中断，已标记为未完成") != 1 {
		t.Errorf("interruption not logged: %q", logs.messages(t))
	}
}

// Ensure that during a run another opener of the file is told which run of
// gkaudit serve holds it, and that after the run the file opens again and
// the note is gone.
func TestService_ReaderDuringRun(t *testing.T) {
	cfg := testConfig(t)
	release := make(chan struct{})
	fake := func(ctx context.Context, opt audit.Options) (audit.Result, error) {
		r, err := opt.DB.BeginRun(store.Run{Note: opt.Note})
		if err != nil {
			return audit.Result{}, err
		}
		opt.Progress(audit.Event{Run: r.ID, Unit: cfg.Units[0], Total: 1})
		select {
		case <-release:
		case <-ctx.Done():
		}
		return audit.Result{Run: r}, opt.DB.FinishRun(r.ID)
	}
	s, _, path := newTestService(t, cfg, Options{Audit: fake})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	defer func() { cancel(); <-done }()
	waitFor(t, 2*time.Second, "Run to start", func() bool { return s.RunNow() == nil })
	waitFor(t, 2*time.Second, "the run's ID", func() bool { return s.Status().RunID != "" })

	_, err := store.Open(path)
	if want := "的运行 000001 占用"; !errors.Is(err, store.ErrLocked) || !strings.Contains(err.Error(), "gkaudit serve（进程 ") || !strings.Contains(err.Error(), want) {
		t.Errorf("Open during the run = %v, want ErrLocked naming gkaudit serve and %q", err, want)
	}
	close(release)
	waitFor(t, 2*time.Second, "the run to end", func() bool { return s.Status().Last.Outcome == OutcomeComplete })
	waitFor(t, 2*time.Second, "the file to close", func() bool { return !s.store.IsOpen() })
	db, err := store.Open(path)
	if err != nil {
		t.Fatalf("Open after the run: %v", err)
	}
	db.Close()
	if _, err := os.Stat(path + ".busy"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("busy note left after the run: %v", err)
	}
}
