package audit_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"gkaudit/audit"
	"gkaudit/checks"
	"gkaudit/config"
	"gkaudit/internal/testutil"
	"gkaudit/store"
)

// unitSite serves a disclosure column whose 通知公告 lists n items of 2019.
func unitSite(n int) *httptest.Server {
	mux := http.NewServeMux()
	page := func(w http.ResponseWriter, body string) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, "<html><body>"+body+"</body></html>")
	}
	mux.HandleFunc("/xxgk/", func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/xxgk/":
			page(w, `<h1>政府信息公开</h1><ul><li><a href="/xxgk/tzgg/index.html">通知公告</a></li></ul>`)
		case r.URL.Path == "/xxgk/tzgg/index.html":
			var b strings.Builder
			b.WriteString(`<ul class="list">`)
			for i := range n {
				fmt.Fprintf(&b, `<li><a href="/xxgk/tzgg/t2019_%d.html">关于做好2019年度第%d项重点工作的通知</a><span>2019-%02d-%02d</span></li>`, i, i+1, i%12+1, i%28+1)
			}
			b.WriteString(`</ul>`)
			page(w, b.String())
		default:
			page(w, `<h1>通知</h1><p>发布日期：2019-05-01</p>`)
		}
	})
	return httptest.NewServer(mux)
}

// Ensure that after every unit is audited, volume.low compares each unit's
// items of the assessment year with the average of its kind and fails the
// one clearly below it.
func TestRun_VolumeLow(t *testing.T) {
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	testutil.AllowLoopback(cfg)
	cfg.Units = nil
	for _, u := range []struct {
		id string
		n  int
	}{{"many1", 10}, {"many2", 12}, {"many3", 11}, {"few", 1}} {
		srv := unitSite(u.n)
		defer srv.Close()
		cfg.Units = append(cfg.Units, config.Unit{ID: u.id, Name: u.id, Kind: config.KindDepartment, URL: srv.URL + "/xxgk/"})
	}
	cfg.Crawl.Delay = 0
	cfg.Crawl.RecheckAfter = 0 // the sim's dead links stay dead: try again at once
	cfg.Crawl.Robots = false
	cfg.Crawl.Timeout = config.Duration(5 * time.Second)
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
	fs, err := db.Findings(res.Run.ID)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]checks.Finding{}
	for _, f := range fs {
		if f.Check == "volume.low" {
			if _, dup := got[f.Unit]; dup {
				t.Errorf("volume.low[%s] saved twice", f.Unit)
			}
			got[f.Unit] = f
		}
	}
	want := map[string]checks.Status{"many1": checks.Pass, "many2": checks.Pass, "many3": checks.Pass, "few": checks.Fail}
	for unit, st := range want {
		if f := got[unit]; f.Status != st {
			t.Errorf("volume.low[%s] = %q (%s), want %q", unit, f.Status, f.Detail, st)
		}
	}
	if d := got["few"].Detail; !strings.Contains(d, "1 条") || !strings.Contains(d, "8.5") {
		t.Errorf("volume.low[few] detail = %q, want its count 1 and the average 8.5", d)
	}
	for _, ur := range res.Units {
		failing := slices.Contains(ur.Failing, "volume.low")
		if failing != (ur.Unit.ID == "few") || ur.Items != map[string]int{"many1": 10, "many2": 12, "many3": 11, "few": 1}[ur.Unit.ID] {
			t.Errorf("result[%s] = items %d, failing %v; want its count and volume.low failing only for few", ur.Unit.ID, ur.Items, ur.Failing)
		}
	}
}

// Ensure that an interrupted run records no volume.low: the average needs
// every unit.
func TestRun_VolumeLowNotOnInterrupt(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	defer srv.Close()
	fast := unitSite(3)
	defer fast.Close()
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	testutil.AllowLoopback(cfg)
	cfg.Units = []config.Unit{{ID: "ok", Name: "ok", Kind: config.KindStreet, URL: fast.URL + "/xxgk/"}, {ID: "slow", Name: "slow", Kind: config.KindStreet, URL: srv.URL + "/"}}
	cfg.Crawl.Delay = 0
	cfg.Crawl.RecheckAfter = 0 // the sim's dead links stay dead: try again at once
	cfg.Crawl.Robots = false
	cfg.Crawl.Timeout = config.Duration(time.Minute)
	db, err := store.Open(filepath.Join(t.TempDir(), "audit.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	res, err := audit.Run(ctx, audit.Options{Config: cfg, AsOf: time.Date(2020, 3, 1, 0, 0, 0, 0, time.UTC), DB: db})
	if err == nil {
		t.Fatal("Run on an interrupted context returned no error")
	}
	fs, err := db.Findings(res.Run.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if f.Check == "volume.low" {
			t.Errorf("interrupted run recorded %+v", f)
		}
	}
}
