// Package service is the long-running part of gkaudit serve: it runs audits
// on the config's cron schedule, never two at once, probes every unit's entry
// page for availability between runs (国办秘函〔2019〕19号), and reports its
// state (Status) and metrics (Prometheus) for /healthz and /metrics. It
// reaches the store only through a store.Handle, so that the file is closed,
// and open to other gkaudit commands, while the service is idle.
//
// It is testable without HTTP: New, then Run(ctx) until ctx is cancelled;
// RunNow and Status from any goroutine.
package service

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/robfig/cron/v3"

	"gkaudit/audit"
	"gkaudit/config"
	"gkaudit/store"
)

// Errors RunNow returns.
var (
	// ErrRunning is returned by RunNow while a run is going: runs never
	// overlap, and a run due meanwhile is skipped.
	ErrRunning = errors.New("已有一次检查正在运行：检查不会重叠，请等它结束后再试")
	// ErrStopped is returned by RunNow when the service is not running:
	// Run has not been called yet, or its context is done.
	ErrStopped = errors.New("定时检查服务没有在运行：请确认 gkaudit serve 已启动，稍后再试")
)

// AuditFunc runs one audit; audit.Run is the one gkaudit serve uses, the
// one gkaudit audit uses. Tests pass a fake.
type AuditFunc func(ctx context.Context, opt audit.Options) (audit.Result, error)

// Options configure a Service.
type Options struct {
	Config *config.Config // units, crawl policy, schedule, run_deadline, probe
	Store  *store.Handle
	Logger *slog.Logger // nil: no logs
	// Audit runs one audit; nil is audit.Run.
	Audit AuditFunc
	// ProbeTransport carries the availability probes; nil: a transport of
	// its own without keep-alive, so that each probe opens the site as a
	// first visitor would.
	ProbeTransport http.RoundTripper
	// LockWait is how long a run waits for the store file while another
	// process holds it (a CLI command that writes, gc); default 1 min.
	LockWait time.Duration
}

// RunNote marks the runs the service makes (store.Run.Note).
const RunNote = "serve"

// Service runs the schedule and the probes. Its zero value is not usable:
// call New.
type Service struct {
	cfg      *config.Config
	store    *store.Handle
	log      *slog.Logger
	audit    AuditFunc
	sched    cron.Schedule
	loc      *time.Location
	prober   *Prober
	metrics  *metrics
	lockWait time.Duration

	started  atomic.Bool // Run was called
	running  atomic.Bool // a run is in flight: the one guard against overlap
	triggers chan trigger
	stopping chan struct{} // closed when Run stops taking triggers
	runs     sync.WaitGroup

	mu sync.Mutex
	st state // guarded by mu
}

// trigger asks Run's loop to start a run; reply gets start's answer.
type trigger struct {
	reason string
	reply  chan error
}

// Trigger reasons, in logs.
const (
	reasonSchedule = "schedule"
	reasonNow      = "now"
)

// New checks the options and parses the schedule. The schedule's time zone
// is its CRON_TZ= prefix, Asia/Shanghai without one.
func New(opt Options) (*Service, error) {
	if opt.Config == nil || opt.Store == nil {
		return nil, errors.New("service: Config and Store are required")
	}
	sched, err := parseSchedule(opt.Config.Schedule)
	if err != nil {
		return nil, fmt.Errorf("service: schedule %q: %w", opt.Config.Schedule, err)
	}
	log := opt.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	run := opt.Audit
	if run == nil {
		run = audit.Run
	}
	wait := opt.LockWait
	if wait <= 0 {
		wait = time.Minute
	}
	return &Service{
		cfg:      opt.Config,
		store:    opt.Store,
		log:      log,
		audit:    run,
		sched:    sched,
		loc:      shanghai(),
		prober:   newProber(opt.Config, opt.ProbeTransport),
		metrics:  newMetrics(),
		lockWait: wait,
		triggers: make(chan trigger),
		stopping: make(chan struct{}),
	}, nil
}

// parseSchedule parses a standard cron spec, as config validation does.
// robfig/cron v3.0.1 panics on a CRON_TZ= with nothing after it.
func parseSchedule(spec string) (s cron.Schedule, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("bad spec: %v", r)
		}
	}()
	return cron.ParseStandard(strings.TrimSpace(spec))
}

// shanghai is the default zone of the schedule: the office's. Without tzdata
// it is UTC+8, which China has kept without daylight saving since 1991.
func shanghai() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*3600)
}

// Run runs the schedule and the probes until ctx is done, then stops the
// run in progress (it stops within seconds and is left incomplete), waits
// for it and the probes, and returns nil. Run may be called once.
func (s *Service) Run(ctx context.Context) error {
	if !s.started.CompareAndSwap(false, true) {
		return errors.New("service: Run called twice")
	}
	s.loadLast()
	s.log.Info("服务已启动", "schedule", s.cfg.Schedule, "next_run", s.next(time.Now()),
		"units", len(s.cfg.Units), "probe_every", s.cfg.Probe.Every.String(), "run_deadline", config.Duration(s.cfg.RunDeadlineOrDefault()).String())

	// cron only triggers: the job returns at once, so cron never queues or
	// overlaps jobs; whether a run starts is decided by start alone.
	c := cron.New(cron.WithLocation(s.loc), cron.WithLogger(cronLogger{s.log}))
	c.Schedule(s.sched, cron.FuncJob(func() { s.trigger(reasonSchedule) }))
	c.Start()

	var probes sync.WaitGroup
	if s.cfg.Probe.Every > 0 {
		probes.Go(func() { s.probeLoop(ctx) })
	}
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case t := <-s.triggers:
			t.reply <- s.start(ctx, t.reason)
		}
	}
	close(s.stopping)
	<-c.Stop().Done()
	if s.running.Load() {
		s.log.Info("正在停止当前运行", "run", s.Status().RunID)
	}
	s.runs.Wait()
	probes.Wait()
	s.log.Info("服务已停止")
	return nil
}

// RunNow starts a run now, unless one is going (ErrRunning) or the service
// is not running (ErrStopped). It does not wait for the run to end.
func (s *Service) RunNow() error {
	return s.trigger(reasonNow)
}

// trigger hands a start request to Run's loop, which owns the service's
// context: runs live as long as the service, not as the caller.
func (s *Service) trigger(reason string) error {
	if !s.started.Load() {
		return ErrStopped
	}
	reply := make(chan error, 1)
	select {
	case s.triggers <- trigger{reason: reason, reply: reply}:
		return <-reply
	case <-s.stopping:
		return ErrStopped
	}
}

// start begins a run in its own goroutine unless one is in flight, which it
// logs and counts as a skip.
func (s *Service) start(ctx context.Context, reason string) error {
	if !s.running.CompareAndSwap(false, true) {
		cur := s.Status()
		msg := "上一次运行尚未结束，跳过本次计划运行"
		if reason == reasonNow {
			msg = "已有运行正在进行，不再另行启动"
		}
		s.log.Warn(msg, "reason", reason, "run", cur.RunID, "started", cur.Started,
			"units_done", cur.UnitsDone, "units_total", cur.UnitsTotal)
		s.metrics.skipped.Inc()
		return ErrRunning
	}
	s.runs.Add(1)
	go func() {
		defer s.runs.Done()
		defer s.running.Store(false)
		s.runOnce(ctx, reason)
	}()
	return nil
}

// runOnce runs one audit under the run deadline with the store held, and
// records its outcome.
func (s *Service) runOnce(ctx context.Context, reason string) {
	deadline := s.cfg.RunDeadlineOrDefault()
	ctx, cancel := context.WithTimeout(ctx, deadline)
	defer cancel()
	start := time.Now()
	s.beginStatus(start)
	s.metrics.running.Set(1)
	defer s.metrics.running.Set(0)
	s.log.Info("开始运行", "reason", reason, "units", len(s.cfg.Units), "deadline", start.Add(deadline))

	db, release, err := s.acquire(ctx)
	if err != nil {
		s.finish(ctx, start, audit.Result{}, err, nil)
		return
	}
	defer release()
	// The note lets a CLI command that cannot open the file during the run
	// say which run holds it.
	s.note(start, "")
	defer func() {
		if err := store.ClearBusyNote(s.store.Path()); err != nil {
			s.log.Warn("删除占用说明文件失败", "err", err)
		}
	}()
	res, err := s.audit(ctx, audit.Options{Config: s.cfg, AsOf: audit.Today(start), DB: db, Note: RunNote, Progress: s.progress})
	s.finish(ctx, start, res, err, db)
}

// note writes the busy note of the run started at start.
func (s *Service) note(start time.Time, run string) {
	n := store.BusyNote{PID: os.Getpid(), By: "gkaudit serve", Run: run, Started: start}
	if err := store.WriteBusyNote(s.store.Path(), n); err != nil {
		s.log.Warn("写入占用说明文件失败", "err", err)
	}
}

// acquire opens the store through the handle, waiting up to lockWait while
// another process holds the file.
func (s *Service) acquire(ctx context.Context) (*store.DB, func(), error) {
	until := time.Now().Add(s.lockWait)
	for {
		db, release, err := s.store.Acquire()
		if err == nil || !errors.Is(err, store.ErrLocked) || time.Now().After(until) {
			return db, release, err
		}
		s.log.Warn("数据库文件被其他进程占用，稍后重试", "err", err)
		select {
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		case <-time.After(2 * time.Second):
		}
	}
}

// finish records a run's outcome: complete, interrupted (the service
// stopped, or the run deadline passed: the run stays incomplete in the
// store) or failed. db is the open store, nil when it could not be opened.
func (s *Service) finish(ctx context.Context, start time.Time, res audit.Result, err error, db *store.DB) {
	took := time.Since(start)
	last := LastRun{ID: res.Run.ID, Started: start, Finished: time.Now()}
	pages := 0
	for _, u := range res.Units {
		pages += u.Pages
	}
	switch {
	case err == nil:
		last.Outcome = OutcomeComplete
		s.metrics.observeComplete(last.Finished)
		if db != nil {
			if ferr := s.metrics.setFindings(db, res.Run.ID); ferr != nil {
				s.log.Warn("读取本次运行的检查结果失败", "run", res.Run.ID, "err", ferr)
			}
		}
		s.log.Info("运行完成", "run", res.Run.ID, "took", took.Round(time.Second).String(), "units", len(res.Units), "pages", pages)
	case ctx.Err() != nil:
		last.Outcome = OutcomeInterrupted
		last.Err = "服务停止，运行中断"
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			last.Err = fmt.Sprintf("超过运行时限 %s，运行中断", config.Duration(s.cfg.RunDeadlineOrDefault()))
		}
		s.log.Warn("运行中断，已标记为未完成", "run", res.Run.ID, "why", last.Err, "took", took.Round(time.Second).String(), "pages", pages)
	default:
		last.Outcome = OutcomeFailed
		last.Err = err.Error()
		s.log.Error("运行失败", "run", res.Run.ID, "err", err, "took", took.Round(time.Second).String())
	}
	s.metrics.observeRun(last.Outcome, took)
	// Before the status says the run ended: whoever sees Last set must see
	// gkaudit_run_in_progress 0 too (runOnce's deferred Set(0) came later).
	s.metrics.running.Set(0)
	s.endStatus(last)
}

// next is the first scheduled time after t.
func (s *Service) next(t time.Time) time.Time {
	return s.sched.Next(t.In(s.loc))
}

// cronLogger sends cron's own messages to slog: its info is noise (each
// wake-up), its errors are not.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug("cron: "+msg, kv...) }
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append(kv, "err", err)...)
}
