package audit_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"gkaudit/audit"
	"gkaudit/checks"
	"gkaudit/config"
	"gkaudit/internal/testutil"
	"gkaudit/store"
)

// Ensure that the audit judges site.reachable on the unit's probes of the
// week before the run: 12 failed of 168 fails a site that answers this run,
// and probes older than a week or of another unit do not count.
func TestRun_AvailabilityFromProbes(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<html><body><h1>信息公开</h1></body></html>`))
	}))
	defer srv.Close()
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	testutil.AllowLoopback(cfg)
	cfg.Units = []config.Unit{
		{ID: "flaky", Name: "时好时坏单位", Kind: config.KindDepartment, URL: srv.URL + "/a/"},
		{ID: "steady", Name: "稳定单位", Kind: config.KindDepartment, URL: srv.URL + "/b/"},
	}
	cfg.Crawl.Delay, cfg.Crawl.Robots = 0, false
	cfg.Crawl.RecheckAfter = 0
	db := testutil.MustOpenStore(t)

	now := time.Now()
	var ps []store.ProbeResult
	for i := range 168 { // hourly for a week
		at := now.Add(-time.Duration(i)*time.Hour - 30*time.Minute)
		ps = append(ps, store.ProbeResult{Unit: "flaky", URL: srv.URL + "/a/", At: at, OK: i%14 != 0, Status: 200})
		ps = append(ps, store.ProbeResult{Unit: "steady", URL: srv.URL + "/b/", At: at, OK: true, Status: 200})
	}
	for i := range 50 { // a bad week long ago
		ps = append(ps, store.ProbeResult{Unit: "steady", URL: srv.URL + "/b/", At: now.Add(-8*24*time.Hour - time.Duration(i)*time.Hour)})
	}
	if err := db.SaveProbes(ps); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := audit.Run(ctx, audit.Options{Config: cfg, AsOf: audit.Today(now), DB: db})
	if err != nil {
		t.Fatal(err)
	}
	fs, err := db.Findings(res.Run.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		status checks.Status
		kind   string
		detail string
	}{
		"flaky":  {checks.Fail, checks.AvailabilityKind, "近7天可用性监测 168 次，失败 12 次（7.1%），达到国办秘函〔2019〕19号单项否决标准（5%）"},
		"steady": {checks.Pass, "", "入口页可访问（HTTP 200）；近7天可用性监测 168 次，失败 0 次（0.0%）"},
	}
	seen := 0
	for _, f := range fs {
		w, ok := want[f.Unit]
		if f.Check != "site.reachable" || !ok {
			continue
		}
		seen++
		if f.Status != w.status || f.Kind != w.kind || !strings.Contains(f.Detail, w.detail) {
			t.Errorf("site.reachable[%s] = %s kind %q (%s), want %s kind %q with %q", f.Unit, f.Status, f.Kind, f.Detail, w.status, w.kind, w.detail)
		}
	}
	if seen != 2 {
		t.Errorf("got %d site.reachable findings, want 2", seen)
	}
	if av := res.Units[0].Availability; av.Total != 168 || av.Failed != 12 {
		t.Errorf("UnitResult.Availability = %+v, want 12 of 168", av)
	}
}

func TestFetchErrorKind(t *testing.T) {
	tests := []struct {
		status int
		err    string
		want   string
	}{
		{200, "", ""},
		{304, "", "http_3xx"},
		{404, "", "http_4xx"},
		{503, "", "http_5xx"},
		{0, "", "no_response"},
		{0, `Get "http://x/": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`, "timeout"},
		{0, "dial tcp: lookup nowhere.example: no such host", "dns"},
		{0, "dial tcp 127.0.0.1:9: connect: connection refused", "refused"},
		{0, "read tcp: connection reset by peer", "reset"},
		{0, "tls: failed to verify certificate: x509: certificate signed by unknown authority", "tls"},
		{0, "stopped after 10 redirects", "redirect_loop"},
		{0, "not fetched: page budget 3000 reached", ""},
		{0, "something odd", "other"},
	}
	for _, tt := range tests {
		if got := audit.FetchErrorKind(tt.status, tt.err); got != tt.want {
			t.Errorf("FetchErrorKind(%d, %q) = %q, want %q", tt.status, tt.err, got, tt.want)
		}
	}
}
