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
		{"timeout", &site.Snapshot{Entry: testEntry, Pages: []*site.Page{{URL: testEntry, Err: "context deadline exceeded (Client.Timeout exceeded while awaiting headers)", Attempts: 3}}}, Fail, "入口页无法访问：读取超时"},
		{"host answered nothing", &site.Snapshot{Entry: testEntry, Pages: []*site.Page{{URL: testEntry, Err: "context deadline exceeded (Client.Timeout exceeded while awaiting headers)", Attempts: 1, HostSilent: 2}}}, Fail, "入口页无法访问：读取超时（共尝试 1 次；站点对本次运行的 2 个请求（含 robots.txt）均未应答，不再重试）"},
		{"blocked by the SSRF guard", &site.Snapshot{Entry: testEntry, Pages: []*site.Page{{URL: testEntry, Err: "Get \"http://10.0.0.1/\": dial tcp 10.0.0.1:80: 目标地址 10.0.0.1 属于内网地址，已按安全策略拒绝连接；如需审计内网站点，请在 crawl.allow_networks 中加入该网段", Attempts: 1}}}, NA, "crawl.allow_networks"},
		{"server error", &site.Snapshot{Entry: testEntry, Pages: []*site.Page{{URL: testEntry, Status: 503, Attempts: 3}}}, Fail, "HTTP 503"},
		{"not found", &site.Snapshot{Entry: testEntry, Pages: []*site.Page{{URL: testEntry, Status: 404, Attempts: 1}}}, Fail, "HTTP 404"},
		{"never fetched", &site.Snapshot{Entry: testEntry}, Fail, "未能抓取"},
		{"cancelled before the entry", &site.Snapshot{Entry: testEntry, StopReason: "cancelled"}, NA, "入口页未抓取：审计被中断"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := onlyStatus(t, SiteReachable(tt.snap, testEnv()))
			if f.Status != tt.want || !strings.Contains(f.Detail, tt.detail) {
				t.Errorf("SiteReachable(%s) = %v (%s), want %v with %q", tt.name, f.Status, f.Detail, tt.want, tt.detail)
			}
			// The raw error is kept beside the Chinese cause, never in it.
			if p := tt.snap.EntryPage(); p != nil && p.Err != "" {
				if f.Evidence.ErrorRaw != p.Err || strings.Contains(f.Detail, "dial tcp") || strings.Contains(f.Detail, "Client.Timeout") {
					t.Errorf("SiteReachable(%s) detail %q, error_raw %q: want the cause in the detail and the raw error in error_raw", tt.name, f.Detail, f.Evidence.ErrorRaw)
				}
			}
		})
	}
}

// Ensure that a week of probes decides site.reachable as 国办秘函〔2019〕19号
// does: 5% or more failures fail it (a 单项否决, Kind availability) whatever
// this run's fetch; below 5% the run's fetch decides and the detail carries
// the ratio; too few probes are reported, not judged.
func TestSiteReachable_Availability(t *testing.T) {
	since := time.Date(2020, 2, 23, 2, 0, 0, 0, time.UTC)
	week := func(total, failed int) Availability {
		return Availability{Since: since, Until: since.Add(7 * 24 * time.Hour), Total: total, Failed: failed}
	}
	ok := &site.Snapshot{Entry: testEntry, Pages: []*site.Page{{URL: testEntry, Status: 200, Attempts: 1}}}
	down := &site.Snapshot{Entry: testEntry, Pages: []*site.Page{{URL: testEntry, Status: 503, Attempts: 3}}}
	cancelled := &site.Snapshot{Entry: testEntry, StopReason: "cancelled"}
	tests := []struct {
		name   string
		snap   *site.Snapshot
		av     Availability
		want   Status
		kind   string
		detail string
	}{
		{"7.1% fails a live site", ok, week(168, 12), Fail, AvailabilityKind,
			"近7天可用性监测 168 次，失败 12 次（7.1%），达到国办秘函〔2019〕19号单项否决标准（5%）；本次运行：入口页可访问（HTTP 200）"},
		{"exactly 5% fails", ok, week(160, 8), Fail, AvailabilityKind, "失败 8 次（5.0%）"},
		{"4.8% passes with the ratio", ok, week(168, 8), Pass, "", "入口页可访问（HTTP 200）；近7天可用性监测 168 次，失败 8 次（4.8%）"},
		{"no failed probe, entry down this run", down, week(168, 0), Fail, "", "入口页返回 HTTP 503 Service Unavailable（共尝试 3 次）；近7天可用性监测 168 次，失败 0 次（0.0%）"},
		{"too few probes are not judged", ok, week(10, 5), Pass, "", "失败 5 次（50.0%），不足 20 次，未按比例判定"},
		{"veto although the crawl was cancelled", cancelled, week(168, 100), Fail, AvailabilityKind, "本次运行：入口页未抓取：审计被中断"},
		{"one day of probes says 近1天", ok, Availability{Since: since, Until: since.Add(24 * time.Hour), Total: 24, Failed: 2}, Fail, AvailabilityKind, "近1天可用性监测 24 次"},
		{"no probes: as without the service", ok, Availability{}, Pass, "", "入口页可访问（HTTP 200）"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := testEnv()
			env.Availability = tt.av
			f := onlyStatus(t, SiteReachable(tt.snap, env))
			if f.Status != tt.want || f.Kind != tt.kind || !strings.Contains(f.Detail, tt.detail) {
				t.Errorf("SiteReachable(%s) = %v kind %q (%s), want %v kind %q with %q", tt.name, f.Status, f.Kind, f.Detail, tt.want, tt.kind, tt.detail)
			}
		})
	}
	if f := onlyStatus(t, SiteReachable(ok, testEnv())); strings.Contains(f.Detail, "可用性监测") {
		t.Errorf("SiteReachable without probes mentions probes: %s", f.Detail)
	}
}

// Ensure that on real entry pages a veto-level probe ratio fails the check
// and the evidence is still the page fetched in this run.
func TestSiteReachable_FixturesAvailability(t *testing.T) {
	for _, fx := range fixtures(t, "site.reachable") {
		t.Run(fx.name, func(t *testing.T) {
			p := loadPage(t, fx.path, testEntry)
			s := &site.Snapshot{UnitID: "u1", Entry: testEntry, Pages: []*site.Page{p}}
			env := testEnv()
			env.Availability = Availability{Total: 168, Failed: 12}
			f := onlyStatus(t, SiteReachable(s, env))
			if f.Status != Fail || f.Kind != AvailabilityKind || f.Evidence.SHA256 != p.SHA256 {
				t.Errorf("SiteReachable(%s, 12/168 failed) = %v kind %q sha %q, want fail kind availability sha %q", fx.name, f.Status, f.Kind, f.Evidence.SHA256, p.SHA256)
			}
		})
	}
}
