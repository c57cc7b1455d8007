package audit_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gkaudit/audit"
	"gkaudit/checks"
	"gkaudit/config"
	"gkaudit/internal/testutil"
	"gkaudit/store"
)

// Ensure that a run's units on one portal host share one politeness budget:
// six units with parallel_units 4 never put more than parallel_per_host
// requests in flight on the host, as the server counts them. The trap: a
// budget per unit (colly's LimitRule per collector) lets the run put
// parallel_units x parallel_per_host requests on the shared portal.
func TestRun_SharedPortalHostBudget(t *testing.T) {
	var mu sync.Mutex
	now, most := 0, 0
	mux := http.NewServeMux()
	for k := range 6 {
		var links strings.Builder
		for i := range 8 {
			fmt.Fprintf(&links, `<a href="/u%d/a%d.html">文章%d</a>`, k, i, i)
		}
		body := `<html><body>` + links.String() + `</body></html>`
		mux.HandleFunc(fmt.Sprintf("/u%d/", k), func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(body))
		})
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		now++
		most = max(most, now)
		mu.Unlock()
		defer func() { mu.Lock(); now--; mu.Unlock() }()
		time.Sleep(2 * time.Millisecond) // lets unheld requests overlap
		mux.ServeHTTP(w, r)
	}))
	defer srv.Close()

	cfg := hostTestConfig(t)
	for k := range 6 {
		cfg.Units = append(cfg.Units, config.Unit{ID: fmt.Sprintf("u%d", k), Name: fmt.Sprintf("单位%d", k),
			Kind: config.KindDepartment, URL: fmt.Sprintf("%s/u%d/index.html", srv.URL, k)})
	}
	res := runAudit(t, cfg)
	if most > cfg.Crawl.ParallelPerHost {
		t.Errorf("%d requests in flight on the shared host, want <= parallel_per_host %d", most, cfg.Crawl.ParallelPerHost)
	}
	for _, u := range res.Units {
		if u.Pages != 9 {
			t.Errorf("%s: %d pages, want 9", u.Unit.ID, u.Pages)
		}
	}
}

// Ensure that the units of a host that keeps answering 429 are not failed
// for what the crawler was not let to see: their failing checks are na with
// the reason, while a unit on another host is judged as usual.
func TestRun_RefusingHostChecksAreNA(t *testing.T) {
	refusing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "1")
		http.Error(w, "too many requests", http.StatusTooManyRequests)
	}))
	defer refusing.Close()
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL + "/xxgk/"
	closed.Close()

	cfg := hostTestConfig(t)
	cfg.Crawl.MaxRefusals = 3
	cfg.Crawl.MaxRetryAfter = config.Duration(20 * time.Millisecond)
	cfg.Units = []config.Unit{
		{ID: "r1", Name: "被拒单位一", Kind: config.KindDepartment, URL: refusing.URL + "/r1/"},
		{ID: "r2", Name: "被拒单位二", Kind: config.KindDepartment, URL: refusing.URL + "/r2/"},
		{ID: "closed", Name: "无法访问单位", Kind: config.KindDepartment, URL: closedURL},
	}
	res := runAudit(t, cfg)
	db := res.db
	fs, err := db.Findings(res.Run.ID)
	if err != nil {
		t.Fatal(err)
	}
	reach := map[string]checks.Finding{}
	for _, f := range fs {
		if f.Check == "site.reachable" {
			reach[f.Unit] = f
		}
		if (f.Unit == "r1" || f.Unit == "r2") && f.Status == checks.Fail {
			t.Errorf("%s %s %s: fail on a refusing host: %s", f.Unit, f.Check, f.Subject, f.Detail)
		}
	}
	for _, u := range []string{"r1", "r2"} {
		if f := reach[u]; f.Status != checks.NA || !strings.Contains(f.Detail, "拒绝抓取") {
			t.Errorf("site.reachable[%s] = %s %q, want na with the reason", u, f.Status, f.Detail)
		}
	}
	if f := reach["closed"]; f.Status != checks.Fail {
		t.Errorf("site.reachable[closed] = %s, want fail (a closed port is not a refusal)", f.Status)
	}
}

type auditResult struct {
	audit.Result
	db *store.DB
}

func hostTestConfig(t *testing.T) *config.Config {
	t.Helper()
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Units = nil
	cfg.Crawl.Delay = 0
	cfg.Crawl.RecheckAfter = 0 // the sim's dead links stay dead: try again at once
	cfg.Crawl.ParallelPerHost = 2
	cfg.Crawl.ParallelUnits = 4
	cfg.Crawl.Timeout = config.Duration(2 * time.Second)
	cfg.Crawl.Retries = 2
	cfg.Crawl.Robots = true
	testutil.AllowLoopback(cfg)
	return cfg
}

func runAudit(t *testing.T, cfg *config.Config) auditResult {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "audit.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := audit.Run(ctx, audit.Options{Config: cfg, AsOf: time.Date(2020, 3, 1, 0, 0, 0, 0, time.UTC), DB: db})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return auditResult{res, db}
}
