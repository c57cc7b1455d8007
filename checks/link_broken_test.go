package checks

import (
	"net/url"
	"path"
	"strings"
	"testing"
	"time"

	"gkaudit/site"
)

// fakeWeb crawls a page's links as the crawler would, with an outcome set by
// the link: on other hosts a probe (no such host when the host says
// nxdomain); attachments probed; other in-site links fetched, their directory
// naming the outcome (ok, gone 404, err 500, slow timeout, loop redirect loop,
// robots skipped, big truncated, throttle 429, waf 412).
func fakeWeb(entry *site.Page) *site.Snapshot {
	s := &site.Snapshot{UnitID: "u1", Entry: entry.URL, Pages: []*site.Page{entry}}
	at := time.Date(2020, 3, 1, 2, 0, 0, 0, time.UTC)
	seen := map[string]bool{entry.URL: true}
	for _, l := range entry.Links {
		if seen[l.URL] {
			continue
		}
		seen[l.URL] = true
		u, _ := url.Parse(l.URL)
		outcome := strings.Split(strings.TrimPrefix(u.Path, "/xxgk/"), "/")[0]
		switch ext := path.Ext(u.Path); {
		case u.Host != "gov.example":
			pr := site.Probe{URL: l.URL, Status: 200, Method: "HEAD", External: true, FetchedAt: at, Referrers: []string{entry.URL}}
			if strings.Contains(u.Host, "nxdomain") {
				pr.Status, pr.Method, pr.Err = 0, "GET", "Get \""+l.URL+"\": dial tcp: lookup "+u.Host+": no such host"
			}
			s.Probes = append(s.Probes, pr)
		case ext == ".pdf" || ext == ".doc" || ext == ".xls":
			pr := site.Probe{URL: l.URL, Status: 200, Method: "HEAD", FetchedAt: at, Referrers: []string{entry.URL}}
			switch outcome {
			case "gone":
				pr.Status = 404
			case "err":
				pr.Status, pr.Method = 500, "GET"
			}
			s.Probes = append(s.Probes, pr)
		case outcome == "robots":
			s.Skipped = append(s.Skipped, site.Skip{URL: l.URL, Reason: "robots.txt"})
		default:
			p := &site.Page{URL: l.URL, FinalURL: l.URL, Status: 200, FetchedAt: at, Attempts: 1, SHA256: "e3b0c442"}
			switch outcome {
			case "gone":
				p.Status = 404
			case "err":
				p.Status, p.Attempts = 500, 2
			case "slow":
				p.Status, p.Attempts, p.Err = 0, 2, "Get \""+l.URL+"\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
			case "loop":
				p.Status, p.Err = 302, "Get \"/xxgk/loop/zt.html\": stopped after 10 redirects"
			case "big":
				p.Truncated = true
			case "throttle":
				p.Status, p.Attempts = 429, 2
			case "waf":
				p.Status = 412
			}
			s.Pages = append(s.Pages, p)
		}
	}
	return s
}

// brokenOf names the broken URL each failing fixture must report (others may
// be reported too).
var brokenOf = map[string]string{
	"fail_ul_404_article":       "http://gov.example/xxgk/gone/t20191203_2.html",
	"fail_table_attachment_404": "http://gov.example/xxgk/gone/P020190910_js.xls",
	"fail_cards_timeout":        "http://gov.example/xxgk/slow/wsbs.html",
	"fail_redirect_loop":        "http://gov.example/xxgk/loop/zt.html",
	"fail_gbk_external_dns":     "http://www.nxdomain-old-gov.example/",
}

func TestLinkBroken_Fixtures(t *testing.T) {
	for _, fx := range fixtures(t, "link.broken") {
		t.Run(fx.name, func(t *testing.T) {
			entry := withLinks(loadPage(t, fx.path, testEntry))
			fs := LinkBroken(fakeWeb(entry), testEnv())
			if fx.want == Pass {
				f := onlyStatus(t, fs)
				if f.Status != Pass || !strings.Contains(f.Detail, "已检查") {
					t.Errorf("LinkBroken(%s) = %v (%s), want pass with the counts", fx.name, f.Status, f.Detail)
				}
				return
			}
			want := brokenOf[fx.name]
			found := false
			for _, f := range fs {
				if f.Status != Fail {
					t.Errorf("LinkBroken(%s) = %v (%s) among failures, want only fails", fx.name, f.Status, f.Detail)
				}
				if f.Subject == want {
					found = true
					if len(f.Looked) != 1 || f.Looked[0] != testEntry || f.Evidence.URL != want || !strings.Contains(f.Detail, testEntry) {
						t.Errorf("LinkBroken(%s) = %+v, want the referring page looked at and named, the broken URL as evidence", fx.name, f)
					}
				}
			}
			if !found {
				t.Errorf("LinkBroken(%s) = %+v, want a fail for %s", fx.name, fs, want)
			}
		})
	}
}

// Ensure that a URL linked from many pages is one finding listing them all,
// and that attachments with a 500 and 404 pages are both reported.
func TestLinkBroken_OncePerURL(t *testing.T) {
	dead := "http://gov.example/xxgk/old/index.html"
	var pages []*site.Page
	for _, u := range []string{testEntry, "http://gov.example/xxgk/a.html", "http://gov.example/xxgk/b.html"} {
		pages = append(pages, htmlPage(u, `<html><body><a href="/xxgk/old/index.html">旧版信息公开</a><a href="/xxgk/a.html">甲</a><a href="/xxgk/b.html">乙</a></body></html>`))
	}
	pages = append(pages, &site.Page{URL: dead, FinalURL: dead, Status: 404, Attempts: 1})
	s := &site.Snapshot{UnitID: "u1", Entry: testEntry, Pages: pages,
		Probes: []site.Probe{{URL: "http://gov.example/xxgk/f.pdf", Status: 500, Method: "GET", Referrers: []string{"http://gov.example/xxgk/b.html"}}}}
	fs := LinkBroken(s, testEnv())
	if len(fs) != 2 {
		t.Fatalf("LinkBroken = %d findings, want 2 (one per broken URL): %+v", len(fs), fs)
	}
	if fs[0].Subject != dead || len(fs[0].Looked) != 3 || !strings.Contains(fs[0].Detail, "旧版信息公开") || !strings.Contains(fs[0].Detail, "404") {
		t.Errorf("LinkBroken[0] = %+v, want %s once, from its 3 pages, with the anchor text and status", fs[0], dead)
	}
	if fs[1].Subject != "http://gov.example/xxgk/f.pdf" || fs[1].Evidence.HTTPStatus != 500 {
		t.Errorf("LinkBroken[1] = %+v, want the attachment with HTTP 500", fs[1])
	}
}

func TestLinkBroken_Unreachable(t *testing.T) {
	s := &site.Snapshot{UnitID: "u1", Entry: testEntry, Pages: []*site.Page{{URL: testEntry, Err: "dial tcp: connection refused"}}}
	f := onlyStatus(t, LinkBroken(s, testEnv()))
	if f.Status != NA || f.Detail == "" {
		t.Errorf("LinkBroken(unreachable) = %v (%q), want na with a reason", f.Status, f.Detail)
	}
}

// Ensure that a link the crawl's SSRF guard refused to connect to is na
// with the guard's reason, not a broken link, for pages and probes alike,
// and that the other links are still judged.
func TestLinkBroken_BlockedIsNA(t *testing.T) {
	const why = "目标地址 10.0.0.1 属于内网地址，已按安全策略拒绝连接；如需审计内网站点，请在 crawl.allow_networks 中加入该网段"
	intranet := "http://gov.example/xxgk/oa.html"
	meta := "http://169.254.169.254/latest/meta-data/"
	entry := htmlPage(testEntry, `<html><body><a href="/xxgk/oa.html">内网办公</a><a href="http://169.254.169.254/latest/meta-data/">元数据</a></body></html>`)
	s := &site.Snapshot{UnitID: "u1", Entry: testEntry, Pages: []*site.Page{entry,
		{URL: intranet, FinalURL: "http://10.0.0.1/", Err: "Get \"http://10.0.0.1/\": dial tcp 10.0.0.1:80: " + why, Attempts: 1}},
		Probes: []site.Probe{{URL: meta, Method: "GET", External: true, Err: "Head \"" + meta + "\": dial tcp 169.254.169.254:80: 目标地址 169.254.169.254 属于链路本地地址（含云平台元数据地址），已按安全策略拒绝连接；如需审计内网站点，请在 crawl.allow_networks 中加入该网段"}}}
	fs := LinkBroken(s, testEnv())
	byURL := map[string]Finding{}
	for _, f := range fs {
		byURL[f.Subject] = f
	}
	if f := byURL["links"]; f.Status != Pass || !strings.Contains(f.Detail, "2 个链接指向内网等受限地址") {
		t.Errorf("LinkBroken summary = %v (%s), want pass counting the 2 blocked links apart", f.Status, f.Detail)
	}
	for _, u := range []string{intranet, meta} {
		f, ok := byURL[u]
		if !ok || f.Status != NA || !strings.Contains(f.Detail, "已按安全策略拒绝连接") || !strings.Contains(f.Detail, "crawl.allow_networks") ||
			strings.Contains(f.Detail, "dial tcp") || f.Evidence.ErrorRaw == "" {
			t.Errorf("LinkBroken(%s) = %+v, want na with the guard's reason and the raw error kept apart", u, f)
		}
	}
	if len(fs) != 3 {
		t.Errorf("LinkBroken = %d findings, want 3 (summary and two na): %+v", len(fs), fs)
	}
}

// Ensure that broken links are worded as Chinese causes with the raw error
// kept in the evidence.
func TestLinkBroken_ChineseCauses(t *testing.T) {
	slow := "http://gov.example/xxgk/slow.html"
	entry := htmlPage(testEntry, `<html><body><a href="/xxgk/slow.html">办事</a></body></html>`)
	raw := "Get \"" + slow + "\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
	s := &site.Snapshot{UnitID: "u1", Entry: testEntry, Pages: []*site.Page{entry, {URL: slow, FinalURL: slow, Err: raw, Attempts: 2}}}
	f := onlyStatus(t, LinkBroken(s, testEnv()))
	if f.Status != Fail || !strings.Contains(f.Detail, "读取超时") || strings.Contains(f.Detail, "Client.Timeout") || f.Evidence.ErrorRaw != raw {
		t.Errorf("LinkBroken(slow) = %+v, want fail worded 读取超时 with the raw error in error_raw", f)
	}
}
