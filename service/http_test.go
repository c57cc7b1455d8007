package service

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gkaudit/audit"
	"gkaudit/checks"
	"gkaudit/store"
)

func get(t *testing.T, h http.Handler, path string) (int, string, http.Header) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	body, _ := io.ReadAll(rec.Result().Body)
	return rec.Code, string(body), rec.Result().Header
}

// Ensure that /healthz says 200 with the last run, its state and the next
// one, and /metrics counts the run and exposes every metric of the README.
func TestHandler_HealthzAndMetrics(t *testing.T) {
	cfg := testConfig(t)
	fake := func(ctx context.Context, opt audit.Options) (audit.Result, error) {
		r, err := opt.DB.BeginRun(store.Run{Note: opt.Note})
		if err != nil {
			return audit.Result{}, err
		}
		fs := []checks.Finding{
			{Unit: "xinqi", Check: "site.reachable", Subject: "http://x/", Status: checks.Pass},
			{Unit: "xinqi", Check: "org.info", Subject: "http://x/jg/", Status: checks.Fail},
			{Unit: "xinqi", Check: "link.broken", Subject: "http://x/a", Status: checks.Fail},
			{Unit: "xinqi", Check: "link.broken", Subject: "http://x/b", Status: checks.Fail},
		}
		if err := opt.DB.SaveFindings(r.ID, fs); err != nil {
			return audit.Result{}, err
		}
		opt.Progress(audit.Event{Run: r.ID, Unit: cfg.Units[0], Pages: 7, Errors: 2, Done: true, Finished: 1, Total: 1,
			ErrorKinds: map[string]int{"http_4xx": 1, "timeout": 1}})
		return audit.Result{Run: r, Units: []audit.UnitResult{{Unit: cfg.Units[0], Pages: 7}}}, opt.DB.FinishRun(r.ID)
	}
	s, _, _ := newTestService(t, cfg, Options{Audit: fake})
	h := s.Handler(nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	defer func() { cancel(); <-done }()

	code, body, hdr := get(t, h, "/healthz")
	if code != http.StatusOK || !strings.HasPrefix(hdr.Get("Content-Type"), "application/json") {
		t.Fatalf("/healthz before a run = %d %s: %s", code, hdr.Get("Content-Type"), body)
	}
	waitFor(t, 2*time.Second, "Run to start", func() bool { return s.RunNow() == nil })
	waitFor(t, 5*time.Second, "the run to end", func() bool { return s.Status().Last.Outcome != "" })

	code, body, _ = get(t, h, "/healthz")
	var got Health
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatalf("/healthz body %s: %v", body, err)
	}
	if code != http.StatusOK || !got.Healthy || got.DB != "ok" || got.Running || got.Last.ID != "000001" ||
		got.Last.Outcome != OutcomeComplete || got.Next.IsZero() {
		t.Errorf("/healthz after a run = %d %+v, want 200, healthy, run 000001 complete, a next run", code, got)
	}
	for _, key := range []string{`"healthy": true`, `"db": "ok"`, `"running": false`, `"last_run"`, `"outcome": "complete"`, `"next_run"`} {
		if !strings.Contains(body, key) {
			t.Errorf("/healthz lacks %s: %s", key, body)
		}
	}

	code, body, _ = get(t, h, "/metrics")
	if code != http.StatusOK {
		t.Fatalf("/metrics = %d", code)
	}
	for _, line := range []string{
		`gkaudit_runs_total{outcome="complete"} 1`,
		`gkaudit_runs_total{outcome="interrupted"} 0`,
		`gkaudit_runs_total{outcome="failed"} 0`,
		`gkaudit_runs_skipped_total 0`,
		`gkaudit_run_duration_seconds_count 1`,
		`gkaudit_run_in_progress 0`,
		`gkaudit_pages_fetched_total 7`,
		`gkaudit_fetch_errors_total{kind="http_4xx"} 1`,
		`gkaudit_fetch_errors_total{kind="timeout"} 1`,
		`gkaudit_fetch_errors_total{kind="dns"} 0`,
		`gkaudit_findings{check="link.broken",status="fail"} 2`,
		`gkaudit_findings{check="org.info",status="fail"} 1`,
		`gkaudit_findings{check="site.reachable",status="pass"} 1`,
		`gkaudit_probes_total{result="ok"} 0`,
		`# TYPE gkaudit_last_complete_run_timestamp_seconds gauge`,
		`# TYPE go_goroutines gauge`,
		`# TYPE process_cpu_seconds_total counter`,
	} {
		if !strings.Contains(body, line+"\n") {
			t.Errorf("/metrics lacks %q", line)
		}
	}

	code, body, hdr = get(t, h, "/")
	if code != http.StatusNotFound || body != noUI || !strings.HasPrefix(hdr.Get("Content-Type"), "text/plain") {
		t.Errorf("/ without a UI = %d %q, want 404 %q", code, body, noUI)
	}
	ui := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ui " + r.URL.Path)) })
	if code, body, _ := get(t, s.Handler(ui), "/findings/x"); code != http.StatusOK || body != "ui /findings/x" {
		t.Errorf("/findings/x with a UI = %d %q, want the UI's answer", code, body)
	}
}

// Ensure that /healthz answers 503 naming the problem when the database
// cannot be opened.
func TestHandler_HealthzDBDown(t *testing.T) {
	cfg := testConfig(t)
	h := store.NewHandle(filepath.Join(t.TempDir(), "missing", "gkaudit.db"), time.Millisecond)
	defer h.Close()
	s, err := New(Options{Config: cfg, Store: h})
	if err != nil {
		t.Fatal(err)
	}
	code, body, _ := get(t, s.Handler(nil), "/healthz")
	var got Health
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatalf("/healthz body %s: %v", body, err)
	}
	if code != http.StatusServiceUnavailable || got.Healthy || !strings.Contains(got.DB, "no such file or directory") {
		t.Errorf("/healthz with no database = %d %+v, want 503 naming the error", code, got)
	}
}
