package checks

import (
	"strings"
	"testing"
	"time"

	"gkaudit/site"
)

func TestSiteReachable_Fixtures(t *testing.T) {
	for _, fx := range fixtures(t, "site.reachable") {
		t.Run(fx.name, func(t *testing.T) {
			p := loadPage(t, fx.path, testEntry)
			s := &site.Snapshot{UnitID: "u1", Entry: testEntry, Pages: []*site.Page{p}}
			f := onlyStatus(t, SiteReachable(s, testEnv()))
			if f.Status != fx.want {
				t.Errorf("SiteReachable(%s) = %v (%s), want %v", fx.name, f.Status, f.Detail, fx.want)
			}
			if f.Evidence.SHA256 != p.SHA256 {
				t.Errorf("SiteReachable(%s) evidence sha256 = %q, want %q", fx.name, f.Evidence.SHA256, p.SHA256)
			}
		})
	}
}

func TestSiteReachable(t *testing.T) {
	ok := &site.Page{URL: testEntry, FinalURL: "http://gov.example/col/col1/index.html", Status: 200, Latency: 30 * time.Millisecond, Attempts: 1}
	tests := []struct {
		name   string
		snap   *site.Snapshot
		want   Status
		detail string
	}{
		{"redirected to a live page", &site.Snapshot{Entry: testEntry, Pages: []*site.Page{ok}}, Pass, "HTTP 200"},
		{"refused after retries", &site.Snapshot{Entry: testEntry, Pages: []*site.Page{{URL: testEntry, Err: "dial tcp 127.0.0.1:9: connect: connection refused", Attempts: 3}}}, Fail, "共尝试 3 次"},
		{"timeout", &site.Snapshot{Entry: testEntry, Pages: []*site.Page{{URL: testEntry, Err: "context deadline exceeded (Client.Timeout exceeded while awaiting headers)", Attempts: 3}}}, Fail, "Client.Timeout"},
		{"server error", &site.Snapshot{Entry: testEntry, Pages: []*site.Page{{URL: testEntry, Status: 503, Attempts: 3}}}, Fail, "HTTP 503"},
		{"not found", &site.Snapshot{Entry: testEntry, Pages: []*site.Page{{URL: testEntry, Status: 404, Attempts: 1}}}, Fail, "HTTP 404"},
		{"never fetched", &site.Snapshot{Entry: testEntry}, Fail, "未能抓取"},
		{"cancelled before the entry", &site.Snapshot{Entry: testEntry, StopReason: "cancelled"}, NA, "cancelled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := onlyStatus(t, SiteReachable(tt.snap, testEnv()))
			if f.Status != tt.want || !strings.Contains(f.Detail, tt.detail) {
				t.Errorf("SiteReachable(%s) = %v (%s), want %v with %q", tt.name, f.Status, f.Detail, tt.want, tt.detail)
			}
		})
	}
}
