// Package audit runs one audit: it crawls each unit, runs the checks on the
// snapshot and records pages and findings in the store. A unit that cannot be
// reached yields findings; the run goes on with the next unit.
package audit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"gkaudit/checks"
	"gkaudit/config"
	"gkaudit/crawler"
	"gkaudit/site"
	"gkaudit/store"
)

// Options configure one run.
type Options struct {
	Config *config.Config
	Units  []config.Unit // units to audit; every configured unit when empty
	AsOf   time.Time     // date the rules are judged at
	DB     *store.DB
	Note   string
	// Progress, when set, receives crawl progress and unit completions.
	Progress func(Event)
	// Transport, when set, is used for every request (tests).
	Transport http.RoundTripper
	// Started is when the run counts as started (default now): the night
	// the revisit policy's rotation is on (tests play nights forward).
	Started time.Time
	// Shard, when set, audits only the units of that shard of Config.Units
	// (when Units is empty) and leaves the district-level checks
	// (volume.low) to gkaudit merge, which judges them from every shard's
	// unit counts.
	Shard Shard
	// Hosts, when set, is the politeness budget the run's crawls share (its
	// Stats say what each host received); nil gives the run a new one.
	Hosts *crawler.HostBudget
	// Full fetches every page in full. By default a unit's pages that the
	// newest complete run before this one stored are asked for with a
	// conditional GET, and a 304 reuses the stored body.
	Full bool
	// ColumnScope keeps each unit whose entry is a column of a shared
	// portal to that column (crawler.Options.ColumnScope): for units
	// audited by URL alone, whose portal neighbours are unknown.
	ColumnScope bool
}

// Event reports progress: a unit starting (Done false, Pages 0), a crawl
// tick (Done false) or a finished unit.
type Event struct {
	Run      string // the run's ID
	Unit     config.Unit
	Pages    int
	Errors   int
	Elapsed  time.Duration
	Done     bool
	Failing  int // failing findings, when Done
	Finished int // units finished so far, when Done
	Total    int // units in the run
	Err      error
	// ErrorKinds counts the unit's pages not fetched OK by FetchErrorKind,
	// when Done.
	ErrorKinds map[string]int
	// Causes counts the unit's failed fetches by Chinese cause, when Done.
	Causes map[string]int
	// Reused is, when Done, the run whose findings the unit reused
	// (UnitResult.Reused).
	Reused string
}

// UnitResult summarises one audited unit.
type UnitResult struct {
	Unit     config.Unit
	Pages    int
	Errors   int
	Elapsed  time.Duration
	Failing  []string // check IDs with at least one failing finding, sorted
	Findings int
	// Items counts the items the unit disclosed in the assessment year
	// (checks.DisclosedItems); Reachable says its entry page answered.
	Items     int
	Reachable bool
	// Unread says why a list of the unit was not read whole
	// (checks.DisclosedItems), "" when every list was.
	Unread string
	// Bytes received for the unit's pages (site.Page.Size summed), and how
	// many pages the server answered 304 Not Modified.
	Bytes       int64
	NotModified int
	// Requests counts the HTTP requests sent for the unit's pages and probes;
	// Carried the pages carried forward from the last run without one
	// (revisit policy).
	Requests, Carried int
	// ErrorKinds counts the pages not fetched OK by FetchErrorKind (timeout,
	// dns, refused, http_4xx, http_5xx ...).
	ErrorKinds map[string]int
	// Causes counts the pages whose fetch failed by Chinese cause (连接超时,
	// 无法解析域名 ...; site.Page.ErrCause), for the progress display.
	Causes map[string]int
	// Availability is the probe summary site.reachable judged by.
	Availability checks.Availability
	// Reused is the run whose findings the unit's were reused from, its
	// pages being unchanged since (audit/reuse.go); "" when every check ran.
	// Rechecked lists the checks that ran again on a reused unit.
	Reused    string
	Rechecked []string
	// CheckedWhy says why every check ran although an earlier run could
	// have been reused (what changed since, snapshotChange), "" otherwise.
	CheckedWhy string

	inputs string // digest of the program, config and unit settings (unitInputs)
}

// Result is the outcome of a run.
type Result struct {
	Run   store.Run
	Units []UnitResult // in the order of the configured units
}

// Run audits the units and records everything under a new run in the store.
// It returns an error only when the store fails or the context is cancelled;
// the run is then left marked incomplete.
func Run(ctx context.Context, opt Options) (Result, error) {
	cfg := opt.Config
	units := opt.Units
	if len(units) == 0 {
		units = opt.Shard.Units(cfg.Units)
	}
	if len(units) == 0 && !opt.Shard.Sharded() {
		return Result{}, errors.New("audit: no units to audit")
	}
	for _, u := range units {
		if u.URL == "" {
			return Result{}, fmt.Errorf("audit: unit %s (%s) has no url", u.ID, u.Name)
		}
	}
	ids := make([]string, len(units))
	for i, u := range units {
		ids[i] = u.ID
	}
	// The hash of the effective config lets an evidence file say which
	// rules and policy the run applied, whatever file they came from.
	cfgText, err := cfg.Marshal()
	if err != nil {
		return Result{}, fmt.Errorf("audit: config: %w", err)
	}
	cfgSum := sha256.Sum256(cfgText)
	run, err := opt.DB.BeginRun(store.Run{Started: opt.Started, AsOf: opt.AsOf.Format("2006-01-02"), ConfigSource: cfg.Source, Units: ids, Note: opt.Note,
		ConfigSHA256: hex.EncodeToString(cfgSum[:])})
	if err != nil {
		return Result{}, fmt.Errorf("audit: %w", err)
	}
	res := Result{Run: run, Units: make([]UnitResult, len(units))}

	// Entry URLs of every configured unit: a unit's crawl must not wander into
	// another's column on a shared portal host.
	var entries []string
	for _, u := range cfg.Units {
		if u.URL != "" {
			entries = append(entries, u.URL)
		}
	}
	for _, u := range units {
		if !slices.Contains(entries, u.URL) {
			entries = append(entries, u.URL)
		}
	}

	// One politeness budget per host for the whole run: units on a shared
	// portal host share it.
	hosts := opt.Hosts
	if hosts == nil {
		hosts = crawler.NewHostBudget(cfg.Crawl)
	}
	last, err := opt.DB.LatestUnitCounts()
	if err != nil {
		return res, fmt.Errorf("audit: %w", err)
	}
	perHost := 0
	if cfg.Crawl.Delay > 0 {
		perHost = unitsPerHost
	}
	sched := newScheduler(units, last, perHost)
	defer context.AfterFunc(ctx, sched.stop)()
	renv, err := runEnv(cfg, opt.AsOf)
	if err != nil {
		return res, err
	}
	sh := &shared{hosts: hosts, env: renv, program: programDigest()}
	parallel := max(cfg.Crawl.ParallelUnits, 1)
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		finished int
		firstErr error
	)
	work := func(i int) {
		u := units[i]
		if opt.Progress != nil {
			opt.Progress(Event{Run: run.ID, Unit: u, Total: len(units)})
		}
		ur, err := auditUnit(ctx, opt, run, u, others(entries, u.URL), sh)
		mu.Lock()
		defer mu.Unlock()
		res.Units[i] = ur
		finished++
		if err != nil && firstErr == nil {
			firstErr = err
		}
		if opt.Progress != nil {
			done := u
			if ur.Unit.Name != "" {
				done = ur.Unit // named from its entry page
			}
			opt.Progress(Event{Run: run.ID, Unit: done, Pages: ur.Pages, Errors: ur.Errors, Elapsed: ur.Elapsed, Done: true,
				Failing: len(ur.Failing), Finished: finished, Total: len(units), Err: err, ErrorKinds: ur.ErrorKinds, Causes: ur.Causes, Reused: ur.Reused})
		}
	}
	// parallel_units workers take units in the scheduler's order.
	for range min(parallel, len(units)) {
		wg.Go(func() {
			for ctx.Err() == nil {
				i, ok := sched.next(ctx)
				if !ok {
					return
				}
				work(i)
				sched.done(i)
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		return res, firstErr
	}
	if err := ctx.Err(); err != nil {
		return res, fmt.Errorf("audit: run %s interrupted: %w", run.ID, err)
	}
	if !opt.Shard.Sharded() {
		if err := saveVolume(opt.DB, run.ID, renv, res.Units); err != nil {
			return res, err
		}
	}
	if err := opt.DB.FinishRun(run.ID); err != nil {
		return res, fmt.Errorf("audit: %w", err)
	}
	if r, err := opt.DB.Run(run.ID); err == nil {
		res.Run = r
	}
	return res, nil
}

// auditUnit crawls one unit, checks it and saves both.
func auditUnit(ctx context.Context, opt Options, run store.Run, u config.Unit, avoid []string, sh *shared) (UnitResult, error) {
	start := time.Now()
	runID := run.ID
	ur := UnitResult{Unit: u}
	prev := newPreviousUnit(opt.DB, u.ID, run.ID)
	previous, revisit, err := previousRun(opt, sh, run, u.ID, prev)
	if err != nil {
		return ur, err
	}
	freshLandings(revisit)
	readAttachments, err := previousAttachments(opt, prev)
	if err != nil {
		return ur, err
	}
	bodies := opt.DB.NewBodyWriter()
	snap, err := crawler.Crawl(ctx, u, crawler.Options{
		Policy:              opt.Config.Crawl,
		Columns:             opt.Config.Columns,
		Avoid:               avoid,
		Transport:           opt.Transport,
		Previous:            previous,
		PreviousAttachments: readAttachments,
		ColumnScope:         opt.ColumnScope,
		Revisit:             revisit,
		Hosts:               sh.hosts,
		Progress: func(p crawler.Progress) {
			if opt.Progress != nil && !p.Done {
				pu := u
				if pu.Name == "" {
					pu.Name = unitTitle(p.Title)
				}
				opt.Progress(Event{Run: runID, Unit: pu, Pages: p.Pages, Errors: p.Errors, Elapsed: p.Elapsed})
			}
		},
		OnBody: streamBodies(bodies),
		// Bounded memory: each body leaves memory once the store's body
		// writer has it; the checks read page views, not bodies, and an
		// unchanged page's view comes from the store without its body.
		ReleaseBodies: true,
	})
	bodiesErr := bodies.Close()
	if err != nil {
		// Bad input (an unparsable URL) is a finding about the unit, not a
		// reason to stop the run.
		snap = &site.Snapshot{UnitID: u.ID, UnitName: u.Name, Entry: u.URL, Started: start, Finished: time.Now(),
			Pages: []*site.Page{{URL: u.URL, Err: err.Error(), FetchedAt: start}}}
	}
	if ctx.Err() != nil {
		return ur, ctx.Err()
	}
	if bodiesErr != nil {
		return ur, fmt.Errorf("audit: save %s: %w", u.ID, bodiesErr)
	}
	if u.Name == "" {
		// A unit audited by URL without a name is named by its entry page.
		if p := snap.EntryPage(); p != nil {
			u.Name = unitTitle(p.Title)
		}
		if u.Name == "" {
			u.Name = u.ID
		}
		ur.Unit = u
	}
	snap.UnitID, snap.UnitName = u.ID, u.Name
	env, err := unitEnv(opt.DB, sh.env, u, run.Started)
	if err != nil {
		return ur, err
	}
	ur.Availability = env.Availability
	if err := earlierTitles(prev, snap); err != nil {
		return ur, err
	}
	findings, err := sh.judge(func() ([]checks.Finding, error) {
		defer readViewsBack(opt.DB, snap)()
		return judgeUnit(opt, sh, run, prev, snap, env, &ur)
	})
	if err != nil {
		return ur, err
	}
	ur.Reachable = snap.EntryPage().OK()
	if err := opt.DB.SaveSnapshot(runID, snap); err != nil {
		return ur, fmt.Errorf("audit: save %s: %w", u.ID, err)
	}
	if err := opt.DB.SaveFindings(runID, findings); err != nil {
		return ur, fmt.Errorf("audit: save findings of %s: %w", u.ID, err)
	}
	ur.Pages = len(snap.Pages)
	for _, p := range snap.Pages {
		if !p.OK() {
			ur.Errors++
		}
		if k := FetchErrorKind(p.Status, p.Err); k != "" {
			if ur.ErrorKinds == nil {
				ur.ErrorKinds = map[string]int{}
			}
			ur.ErrorKinds[k]++
		}
		if c := p.ErrCause(); c != "" && !strings.HasPrefix(p.Err, "not fetched") {
			if site.BlockedText(p.Err) {
				c = site.CauseBlocked
			}
			if ur.Causes == nil {
				ur.Causes = map[string]int{}
			}
			ur.Causes[c]++
		}
		ur.Bytes += p.Size
		if p.NotModified {
			ur.NotModified++
		}
		if p.CarriedForward {
			ur.Carried++
		}
	}
	ur.Requests = requestsOf(snap)
	ur.Elapsed = time.Since(start)
	ur.Findings = len(findings)
	ur.Failing = failingChecks(findings)
	return ur, saveCounts(opt.DB, runID, ur)
}

// saveVolume judges volume.low, which compares the units of a kind with each
// other and so runs only once every unit of a complete run is done, and adds
// its findings to the run and to the units' results.
func saveVolume(db *store.DB, runID string, env checks.Env, units []UnitResult) error {
	counts := make([]checks.UnitCount, len(units))
	for i, ur := range units {
		counts[i] = checks.UnitCount{Unit: ur.Unit, Items: ur.Items, Reachable: ur.Reachable, Unread: ur.Unread}
	}
	fs := checks.RunDistrict(counts, env)
	if err := db.SaveFindings(runID, fs); err != nil {
		return fmt.Errorf("audit: save %s findings: %w", checks.VolumeLowID, err)
	}
	for i := range units {
		for _, f := range fs {
			if f.Unit != units[i].Unit.ID {
				continue
			}
			units[i].Findings++
			if f.Status == checks.Fail && !slices.Contains(units[i].Failing, f.Check) {
				units[i].Failing = append(units[i].Failing, f.Check)
				sort.Strings(units[i].Failing)
			}
		}
	}
	return nil
}

func failingChecks(fs []checks.Finding) []string {
	set := map[string]bool{}
	for _, f := range fs {
		if f.Status == checks.Fail {
			set[f.Check] = true
		}
	}
	out := make([]string, 0, len(set))
	for id := range set {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

func others(entries []string, self string) []string {
	out := make([]string, 0, len(entries))
	for _, e := range entries {
		if e != self {
			out = append(out, e)
		}
	}
	return out
}

// unitTitle is a unit's name taken from its entry page's title: one line,
// at most 40 characters.
func unitTitle(title string) string {
	t := strings.Join(strings.Fields(title), " ")
	if r := []rune(t); len(r) > 40 {
		t = string(r[:40])
	}
	return t
}
