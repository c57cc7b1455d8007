package service

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"gkaudit/audit"
	"gkaudit/config"
	"gkaudit/crawler"
	"gkaudit/site"
	"gkaudit/store"
)

// Availability probes, as 国办秘函〔2019〕19号 measures availability: each
// unit's entry page fetched on a schedule (20+ a day), a probe that has not
// opened it within 15 s failing, failures of 5% or more over a week a veto.
// The audit reads the last week's probes into site.reachable.

// ProbeRetention is how long probes are kept: the veto looks back a week,
// the office a month.
const ProbeRetention = 30 * 24 * time.Hour

// maxProbeBody bounds what a probe reads of the page: enough to know the
// page came, not a download.
const maxProbeBody = 1 << 20

// probeHosts bounds how many hosts are probed at once; within a host the
// probes go one after another.
const probeHosts = 8

// Prober takes availability probes.
type Prober struct {
	Client    *http.Client
	UserAgent string        // the crawl's User-Agent
	Timeout   time.Duration // per probe, the whole page read
}

// newProber builds the service's prober from the config.
func newProber(cfg *config.Config, rt http.RoundTripper) *Prober {
	if rt == nil {
		// Probes pass the crawl's SSRF guard. The config was validated, so
		// allow_networks parses; should it not, nothing extra is allowed.
		t, err := crawler.GuardedTransport(cfg.Crawl.AllowNetworks)
		if err != nil {
			t, _ = crawler.GuardedTransport(nil)
		}
		t.DisableKeepAlives = true
		rt = t
	}
	return &Prober{Client: &http.Client{Transport: rt}, UserAgent: cfg.Crawl.UserAgent, Timeout: cfg.Probe.TimeoutOrDefault()}
}

// Probe fetches the unit's entry page once with GET. A 2xx answer whose
// page arrives within the timeout is a success; anything else is a failed
// probe, which is a result, not an error: Status is the answer's (0 when
// none came), Err says what went wrong, Latency is the time to the end of
// the page or to the failure.
func (p *Prober) Probe(ctx context.Context, u config.Unit) store.ProbeResult {
	start := time.Now()
	r := store.ProbeResult{Unit: u.ID, URL: u.URL, At: start}
	ctx, cancel := context.WithTimeout(ctx, p.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.URL, nil)
	if err != nil {
		r.Err = err.Error()
		return r
	}
	if p.UserAgent != "" {
		req.Header.Set("User-Agent", p.UserAgent)
	}
	req.Header.Set("Accept", "text/html,*/*;q=0.8")
	resp, err := p.Client.Do(req)
	if err != nil {
		r.Latency = time.Since(start)
		r.Err = probeErr(err, p.Timeout)
		return r
	}
	_, err = io.Copy(io.Discard, io.LimitReader(resp.Body, maxProbeBody))
	resp.Body.Close()
	r.Latency = time.Since(start)
	r.Status = resp.StatusCode
	if err != nil {
		r.Err = probeErr(err, p.Timeout)
		return r
	}
	r.OK = resp.StatusCode >= 200 && resp.StatusCode < 300
	return r
}

// probeErr words a failed probe: the timeout as the indicator says it, with
// Go's text kept for FetchErrorKind.
func probeErr(err error, timeout time.Duration) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Sprintf("超过 %s 未打开页面（timeout: %v）", timeout, err)
	}
	return err.Error()
}

// Round probes every unit with a URL once: hosts in parallel (up to 8),
// the units of one host one after another, so that a district portal
// hosting many units gets one probe at a time. When ctx ends the probes
// not yet taken are left out, and so is a probe cut short by it, which
// says nothing about the site.
func (p *Prober) Round(ctx context.Context, units []config.Unit) []store.ProbeResult {
	byHost := map[string][]config.Unit{}
	var hosts []string
	for _, u := range units {
		if u.URL == "" {
			continue
		}
		h := hostOf(u.URL)
		if _, ok := byHost[h]; !ok {
			hosts = append(hosts, h)
		}
		byHost[h] = append(byHost[h], u)
	}
	var (
		mu  sync.Mutex
		out []store.ProbeResult
		wg  sync.WaitGroup
		sem = make(chan struct{}, probeHosts)
	)
	for _, h := range hosts {
		wg.Go(func() {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			defer func() { <-sem }()
			for _, u := range byHost[h] {
				r := p.Probe(ctx, u)
				if ctx.Err() != nil {
					return
				}
				mu.Lock()
				out = append(out, r)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return out
}

// hostOf is the politeness key of a URL: its host and port, lower-cased.
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return strings.ToLower(u.Host)
}

// selfOutage reports whether a round says more about this machine's network
// than about the sites: three hosts or more probed and every probe failed
// without an answer. Such a round is logged and not counted against the
// units (a 单项否决 must not follow from the office's own network going
// down).
func selfOutage(rs []store.ProbeResult) bool {
	hosts := map[string]bool{}
	for _, r := range rs {
		if r.OK || r.Status != 0 {
			return false
		}
		hosts[hostOf(r.URL)] = true
	}
	return len(hosts) >= 3
}

// probeLoop probes at the configured interval, first at once, until ctx
// ends. Results that could not be saved (the file held by another process)
// are kept and saved with the next round.
func (s *Service) probeLoop(ctx context.Context) {
	t := time.NewTicker(s.cfg.Probe.Every.D())
	defer t.Stop()
	var pending []store.ProbeResult
	for {
		pending = s.probeRound(ctx, pending)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// maxPending bounds the probes kept while the store cannot be reached: a
// day of an hourly district of 100 units.
const maxPending = 2400

// probeRound takes one round, saves it with the pending results, drops
// probes past retention and refreshes the ratio gauges. It returns what is
// still unsaved.
func (s *Service) probeRound(ctx context.Context, pending []store.ProbeResult) []store.ProbeResult {
	start := time.Now()
	rs := s.prober.Round(ctx, s.cfg.Units)
	if ctx.Err() != nil && len(rs) == 0 {
		return pending
	}
	failed := 0
	for _, r := range rs {
		if !r.OK {
			failed++
			s.log.Info("可用性监测失败", "unit", r.Unit, "url", r.URL, "status", r.Status, "cause", site.CauseText(r.Err), "err", r.Err,
				"kind", audit.FetchErrorKind(r.Status, r.Err), "latency", r.Latency.Round(time.Millisecond).String())
		}
	}
	if selfOutage(rs) {
		s.log.Warn("本轮可用性监测全部失败，疑为本机网络故障，结果不计入", "probes", len(rs))
		return pending
	}
	s.metrics.probes.WithLabelValues("ok").Add(float64(len(rs) - failed))
	s.metrics.probes.WithLabelValues("fail").Add(float64(failed))
	pending = append(pending, rs...)
	if len(pending) > maxPending {
		pending = pending[len(pending)-maxPending:]
	}
	err := s.store.Do(func(db *store.DB) error {
		if err := db.SaveProbes(pending); err != nil {
			return err
		}
		if _, err := db.DropProbesBefore(time.Now().Add(-ProbeRetention)); err != nil {
			return err
		}
		return s.metrics.setProbeRatios(db, s.cfg.Units, time.Now())
	})
	if err != nil {
		s.log.Warn("可用性监测结果暂未保存，下轮重试", "probes", len(pending), "err", err)
		return pending
	}
	s.log.Info("本轮可用性监测完成", "probes", len(rs), "failed", failed, "took", time.Since(start).Round(time.Millisecond).String())
	return nil
}
