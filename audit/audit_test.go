package audit_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gkaudit/audit"
	"gkaudit/checks"
	"gkaudit/config"
	"gkaudit/internal/testutil"
	"gkaudit/site"
	"gkaudit/store"
)

// Ensure that a run over an unreachable host and a hanging one finishes,
// reports site.reachable fail for both, and still audits the healthy unit.
func TestRun_UnreachableAndHanging(t *testing.T) {
	healthy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<html><body><a href="/jgxx.html">机构信息</a></body></html>`))
	}))
	defer healthy.Close()

	release := make(chan struct{})
	hanging := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer hanging.Close()
	defer close(release)

	// A port that was listening a moment ago and is now closed.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String() + "/xxgk/"
	l.Close()

	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	testutil.AllowLoopback(cfg)
	cfg.Units = []config.Unit{
		{ID: "healthy", Name: "正常单位", Kind: config.KindDepartment, URL: healthy.URL + "/"},
		{ID: "closed", Name: "无法访问单位", Kind: config.KindDepartment, URL: closed},
		{ID: "hanging", Name: "无响应单位", Kind: config.KindDepartment, URL: hanging.URL + "/xxgk/"},
	}
	cfg.Crawl.Delay = 0
	cfg.Crawl.RecheckAfter = 0 // the sim's dead links stay dead: try again at once
	cfg.Crawl.Timeout = config.Duration(300 * time.Millisecond)
	cfg.Crawl.Retries = 1
	cfg.Crawl.UnitBudget = config.Duration(10 * time.Second)
	cfg.Crawl.Robots = false

	db, err := store.Open(filepath.Join(t.TempDir(), "audit.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := audit.Run(ctx, audit.Options{Config: cfg, AsOf: time.Date(2020, 3, 1, 0, 0, 0, 0, time.UTC), DB: db})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if !res.Run.Complete {
		t.Errorf("run %s not marked complete", res.Run.ID)
	}
	fs, err := db.Findings(res.Run.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]checks.Status{"healthy": checks.Pass, "closed": checks.Fail, "hanging": checks.Fail}
	got := map[string]checks.Status{}
	for _, f := range fs {
		if f.Check == "site.reachable" {
			got[f.Unit] = f.Status
		}
	}
	for unit, st := range want {
		if got[unit] != st {
			t.Errorf("site.reachable[%s] = %q, want %q", unit, got[unit], st)
		}
	}
	// The failures are counted and worded as Chinese causes, the details
	// carry the cause and the evidence the raw error.
	wantCause := map[string]string{"closed": "连接被拒绝", "hanging": "读取超时"}
	for _, ur := range res.Units {
		if c := wantCause[ur.Unit.ID]; c != "" && ur.Causes[c] == 0 {
			t.Errorf("unit %s causes = %v, want %s", ur.Unit.ID, ur.Causes, c)
		}
	}
	for _, f := range fs {
		if c := wantCause[f.Unit]; c != "" && f.Check == "site.reachable" {
			if !strings.Contains(f.Detail, c) || strings.Contains(f.Detail, "dial tcp") || strings.Contains(f.Detail, "Client.Timeout") || f.Evidence.ErrorRaw == "" {
				t.Errorf("site.reachable[%s] detail %q error_raw %q, want the cause %s and the raw error apart", f.Unit, f.Detail, f.Evidence.ErrorRaw, c)
			}
		}
	}
}

// Ensure that a cancelled run returns promptly and leaves the run incomplete.
func TestRun_Cancelled(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	defer srv.Close()
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	testutil.AllowLoopback(cfg)
	cfg.Units = []config.Unit{{ID: "slow", Name: "慢", Kind: config.KindStreet, URL: srv.URL + "/"}}
	cfg.Crawl.Timeout = config.Duration(time.Minute)
	cfg.Crawl.Robots = false
	db, err := store.Open(filepath.Join(t.TempDir(), "audit.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	res, err := audit.Run(ctx, audit.Options{Config: cfg, AsOf: time.Now(), DB: db})
	if err == nil {
		t.Fatal("Run on a cancelled context returned no error")
	}
	if el := time.Since(start); el > 10*time.Second {
		t.Errorf("Run took %s after cancellation", el)
	}
	r, err := db.Run(res.Run.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.Complete {
		t.Errorf("cancelled run %s marked complete", r.ID)
	}
}

// Ensure that a run whose config does not allow loopback audits a loopback
// site as out of bounds, not as broken: no request reaches it, and
// site.reachable and link.broken are na with the guard's reason and what
// to change (crawl.allow_networks).
func TestDial_AuditBlocksLoopbackByDefault(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Write([]byte(`<html><body>信息公开</body></html>`))
	}))
	defer srv.Close()
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Units = []config.Unit{{ID: "local", Name: "本机单位", Kind: config.KindDepartment, URL: srv.URL + "/xxgk/"}}
	cfg.Crawl.Delay = 0
	cfg.Crawl.RecheckAfter = 0 // the sim's dead links stay dead: try again at once
	db := testutil.MustOpenStore(t)
	res, err := audit.Run(t.Context(), audit.Options{Config: cfg, AsOf: time.Date(2020, 3, 1, 0, 0, 0, 0, time.UTC), DB: db})
	if err != nil {
		t.Fatal(err)
	}
	fs, err := db.Findings(res.Run.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if f.Check != "site.reachable" && f.Check != "link.broken" {
			continue
		}
		if f.Status != checks.NA || !strings.Contains(f.Detail, "目标地址 127.0.0.1 属于本机回环地址，已按安全策略拒绝连接") ||
			!strings.Contains(f.Detail, "crawl.allow_networks") && f.Check == "site.reachable" {
			t.Errorf("%s = %s (%s), want na with the guard's reason", f.Check, f.Status, f.Detail)
		}
	}
	if k := res.Units[0].ErrorKinds["blocked"]; k == 0 || res.Units[0].Causes[site.CauseBlocked] == 0 {
		t.Errorf("error kinds %v, causes %v, want the entry counted as blocked", res.Units[0].ErrorKinds, res.Units[0].Causes)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("server got %d requests, want none", n)
	}
}
