package service

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"gkaudit/audit"
	"gkaudit/config"
	"gkaudit/store"
)

// metrics are the service's Prometheus metrics, in a registry of their own
// (no global state): runs, pages and fetch errors, findings of the last
// complete run, probes and each unit's 7-day probe success ratio, and the
// Go and process collectors.
type metrics struct {
	reg          *prometheus.Registry
	runs         *prometheus.CounterVec
	skipped      prometheus.Counter
	duration     prometheus.Histogram
	running      prometheus.Gauge
	lastComplete prometheus.Gauge
	pages        prometheus.Counter
	fetchErrors  *prometheus.CounterVec
	findings     *prometheus.GaugeVec
	probes       *prometheus.CounterVec
	probeRatio   *prometheus.GaugeVec
	probeCount   *prometheus.GaugeVec
}

// fetchErrorKinds are audit.FetchErrorKind's kinds, exported at 0 from the
// start so that rate() works before the first error of a kind.
var fetchErrorKinds = []string{"timeout", "dns", "refused", "reset", "tls", "redirect_loop", "no_response", "blocked", "http_3xx", "http_4xx", "http_5xx", "other"}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		runs: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "gkaudit_runs_total",
			Help: "Audit runs ended, by outcome (complete, interrupted, failed)."}, []string{"outcome"}),
		skipped: prometheus.NewCounter(prometheus.CounterOpts{Name: "gkaudit_runs_skipped_total",
			Help: "Runs not started because the previous one was still going."}),
		// Buckets from 1 min to about 8.5 h: a district takes tens of minutes,
		// the run deadline is hours.
		duration: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "gkaudit_run_duration_seconds",
			Help: "Wall-clock duration of audit runs.", Buckets: prometheus.ExponentialBuckets(60, 2, 10)}),
		running: prometheus.NewGauge(prometheus.GaugeOpts{Name: "gkaudit_run_in_progress",
			Help: "1 while an audit run is going."}),
		lastComplete: prometheus.NewGauge(prometheus.GaugeOpts{Name: "gkaudit_last_complete_run_timestamp_seconds",
			Help: "When the last complete run finished (Unix time); 0 before any."}),
		pages: prometheus.NewCounter(prometheus.CounterOpts{Name: "gkaudit_pages_fetched_total",
			Help: "Pages the runs fetched (304 answers included)."}),
		fetchErrors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "gkaudit_fetch_errors_total",
			Help: "Pages the runs could not fetch with a 2xx answer, by kind."}, []string{"kind"}),
		findings: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "gkaudit_findings",
			Help: "Findings of the last complete run, by check and status."}, []string{"check", "status"}),
		probes: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "gkaudit_probes_total",
			Help: "Availability probes taken, by result (ok, fail)."}, []string{"result"}),
		probeRatio: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "gkaudit_probe_success_ratio",
			Help: "Share of a unit's availability probes of the last 7 days that succeeded (0.95 or less is a veto by 国办秘函〔2019〕19号)."}, []string{"unit"}),
		probeCount: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "gkaudit_probes_7d",
			Help: "A unit's availability probes of the last 7 days."}, []string{"unit"}),
	}
	m.reg.MustRegister(m.runs, m.skipped, m.duration, m.running, m.lastComplete, m.pages, m.fetchErrors,
		m.findings, m.probes, m.probeRatio, m.probeCount,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for _, o := range []Outcome{OutcomeComplete, OutcomeInterrupted, OutcomeFailed} {
		m.runs.WithLabelValues(string(o))
	}
	for _, k := range fetchErrorKinds {
		m.fetchErrors.WithLabelValues(k)
	}
	m.probes.WithLabelValues("ok")
	m.probes.WithLabelValues("fail")
	return m
}

// Registry returns the registry /metrics serves; the web UI may add its own
// collectors to it.
func (s *Service) Registry() *prometheus.Registry { return s.metrics.reg }

func (m *metrics) observeRun(o Outcome, took time.Duration) {
	m.runs.WithLabelValues(string(o)).Inc()
	m.duration.Observe(took.Seconds())
}

func (m *metrics) observeComplete(at time.Time) {
	m.lastComplete.Set(float64(at.Unix()))
}

// observeUnit counts a finished unit's pages and fetch errors.
func (m *metrics) observeUnit(e audit.Event) {
	m.pages.Add(float64(e.Pages))
	for k, n := range e.ErrorKinds {
		m.fetchErrors.WithLabelValues(k).Add(float64(n))
	}
}

// setFindings sets the findings gauge to the counts of run.
func (m *metrics) setFindings(db *store.DB, run string) error {
	fs, err := db.Findings(run)
	if err != nil {
		return err
	}
	counts := map[[2]string]int{}
	for _, f := range fs {
		counts[[2]string{f.Check, string(f.Status)}]++
	}
	m.findings.Reset()
	for k, n := range counts {
		m.findings.WithLabelValues(k[0], k[1]).Set(float64(n))
	}
	return nil
}

// setProbeRatios sets each unit's 7-day probe success ratio from the store;
// a unit without probes in the window has no series.
func (m *metrics) setProbeRatios(db *store.DB, units []config.Unit, now time.Time) error {
	m.probeRatio.Reset()
	m.probeCount.Reset()
	for _, u := range units {
		ps, err := db.Probes(u.ID, now.Add(-audit.AvailabilityWindow), now.Add(time.Second))
		if err != nil {
			return err
		}
		if len(ps) == 0 {
			continue
		}
		ok := 0
		for _, p := range ps {
			if p.OK {
				ok++
			}
		}
		m.probeRatio.WithLabelValues(u.ID).Set(float64(ok) / float64(len(ps)))
		m.probeCount.WithLabelValues(u.ID).Set(float64(len(ps)))
	}
	return nil
}
