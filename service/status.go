package service

import (
	"errors"
	"maps"
	"slices"
	"time"

	"gkaudit/audit"
	"gkaudit/store"
)

// Outcome is how a run ended.
type Outcome string

// Outcomes. An interrupted run (the service stopped, or the run deadline
// passed) and a failed one both stay incomplete in the store.
const (
	OutcomeComplete    Outcome = "complete"
	OutcomeInterrupted Outcome = "interrupted"
	OutcomeFailed      Outcome = "failed"
)

// Status is what the service is doing: plain data for /healthz and the UI.
type Status struct {
	Running    bool      `json:"running"`
	RunID      string    `json:"run_id,omitempty"` // the run in progress, once it has begun in the store
	Started    time.Time `json:"started,omitzero"`
	UnitsDone  int       `json:"units_done"`
	UnitsTotal int       `json:"units_total"`
	Pages      int       `json:"pages"`                 // fetched so far by the run in progress
	InProgress []string  `json:"in_progress,omitempty"` // unit ids being crawled, sorted
	Last       LastRun   `json:"last_run"`
	Next       time.Time `json:"next_run,omitzero"` // next scheduled start
}

// LastRun is the last run that ended: in this process, or, after a restart,
// the newest run in the store (incomplete: interrupted).
type LastRun struct {
	ID       string    `json:"id,omitempty"`
	Started  time.Time `json:"started,omitzero"`
	Finished time.Time `json:"finished,omitzero"`
	Outcome  Outcome   `json:"outcome,omitempty"` // "" when there has been none
	Err      string    `json:"error,omitempty"`
}

// state is Status's source, guarded by Service.mu.
type state struct {
	running     bool
	runID       string
	started     time.Time
	done, total int
	donePages   int
	inProgress  map[string]int // unit id -> pages so far
	last        LastRun
}

// Status returns a snapshot of the service's state.
func (s *Service) Status() Status {
	s.mu.Lock()
	st := Status{
		Running:    s.st.running,
		RunID:      s.st.runID,
		Started:    s.st.started,
		UnitsDone:  s.st.done,
		UnitsTotal: s.st.total,
		Pages:      s.st.donePages,
		InProgress: slices.Sorted(maps.Keys(s.st.inProgress)),
		Last:       s.st.last,
	}
	for _, n := range s.st.inProgress {
		st.Pages += n
	}
	s.mu.Unlock()
	if s.started.Load() {
		st.Next = s.next(time.Now())
	}
	return st
}

func (s *Service) beginStatus(start time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st = state{running: true, started: start, total: len(s.cfg.Units), inProgress: map[string]int{}, last: s.st.last}
}

func (s *Service) endStatus(last LastRun) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st = state{last: last}
}

// progress is the run's audit.Options.Progress: it keeps Status current and
// counts pages and fetch errors as units finish. Units report concurrently.
func (s *Service) progress(e audit.Event) {
	if e.Done {
		s.metrics.observeUnit(e)
		attrs := []any{"run", e.Run, "unit", e.Unit.ID, "name", e.Unit.Name, "pages", e.Pages, "errors", e.Errors,
			"failing_checks", e.Failing, "took", e.Elapsed.Round(100 * time.Millisecond).String(), "done", e.Finished, "total", e.Total}
		if e.Err != nil {
			s.log.Warn("单位检查未完成", append(attrs, "err", e.Err)...)
		} else {
			s.log.Info("单位检查完成", attrs...)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.st.running {
		return
	}
	if s.st.runID == "" && e.Run != "" {
		s.note(s.st.started, e.Run) // once per run: the ID is known now
	}
	s.st.runID = e.Run
	if e.Total > 0 {
		s.st.total = e.Total
	}
	if e.Done {
		delete(s.st.inProgress, e.Unit.ID)
		s.st.done = max(s.st.done, e.Finished)
		s.st.donePages += e.Pages
		return
	}
	s.st.inProgress[e.Unit.ID] = e.Pages
}

// loadLast takes the last run and the findings gauge from the store when
// the service starts, so that /healthz and /metrics tell the truth before
// the first run of this process.
func (s *Service) loadLast() {
	err := s.store.Do(func(db *store.DB) error {
		if err := s.metrics.setProbeRatios(db, s.cfg.Units, time.Now()); err != nil {
			return err
		}
		r, err := db.NewestRun()
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		last := LastRun{ID: r.ID, Started: r.Started, Finished: r.Finished, Outcome: OutcomeComplete}
		if !r.Complete {
			last.Outcome, last.Err = OutcomeInterrupted, "运行未完成（进程被中断或终止）"
		}
		s.mu.Lock()
		s.st.last = last
		s.mu.Unlock()
		c, err := db.LatestComplete("")
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		s.metrics.lastComplete.Set(float64(c.Finished.Unix()))
		return s.metrics.setFindings(db, c.ID)
	})
	if err != nil {
		s.log.Warn("读取数据库中的上次运行失败", "err", err)
	}
}
