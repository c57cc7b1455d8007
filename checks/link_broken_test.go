package checks

import (
	"bytes"
	"net/url"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gkaudit/site"

	"github.com/PuerkitoBio/goquery"
)

// fakeWeb crawls a page's links as the crawler would, with an outcome set by
// the link: on other hosts a probe (no such host when the host says
// nxdomain); attachments probed; other in-site links fetched, their directory
// naming the outcome (ok, gone 404, err 500, slow timeout, loop redirect loop,
// robots skipped, big truncated, throttle 429, waf 412, busy 503 with
// Retry-After, once a 404 whose second try never ran). Every other failure
// failed its second try too.
func fakeWeb(entry *site.Page) *site.Snapshot {
	s := &site.Snapshot{UnitID: "u1", Entry: entry.URL, Pages: []*site.Page{entry}, SecondTries: true}
	at := time.Date(2020, 3, 1, 2, 0, 0, 0, time.UTC)
	first := &site.Try{At: at.Add(-time.Minute), Status: 404}
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
				pr.FirstTry = first
			}
			s.Probes = append(s.Probes, pr)
		case ext == ".pdf" || ext == ".doc" || ext == ".xls":
			pr := site.Probe{URL: l.URL, Status: 200, Method: "HEAD", FetchedAt: at, Referrers: []string{entry.URL}}
			switch outcome {
			case "gone":
				pr.Status, pr.FirstTry = 404, first
			case "err":
				pr.Status, pr.Method, pr.FirstTry = 500, "GET", first
			}
			s.Probes = append(s.Probes, pr)
		case outcome == "robots":
			s.Skipped = append(s.Skipped, site.Skip{URL: l.URL, Reason: "robots.txt"})
		default:
			p := &site.Page{URL: l.URL, FinalURL: l.URL, Status: 200, FetchedAt: at, Attempts: 1, SHA256: "e3b0c442"}
			switch outcome {
			case "gone":
				p.Status, p.FirstTry = 404, first
			case "err":
				p.Status, p.Attempts, p.FirstTry = 500, 2, first
			case "slow":
				p.Status, p.Attempts, p.Err = 0, 2, "Get \""+l.URL+"\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
				p.FirstTry = first
			case "loop":
				p.Status, p.Err, p.FirstTry = 302, "Get \"/xxgk/loop/zt.html\": stopped after 10 redirects", first
			case "big":
				p.Truncated = true
			case "throttle":
				p.Status, p.Attempts = 429, 2
			case "waf":
				p.Status = 412
			case "busy":
				p.Status, p.FirstTry = 503, first
				p.Exchanges = []site.Exchange{{Response: &site.Response{Status: "503 Service Unavailable", Header: site.Header{"Retry-After": {"120"}}}}}
			case "once":
				p.Status = 404
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
				if len(fs) == 0 || fs[0].Status != Pass || !strings.Contains(fs[0].Detail, "已检查") {
					t.Fatalf("LinkBroken(%s) = %+v, want pass with the counts first", fx.name, fs)
				}
				for _, f := range fs[1:] {
					if f.Status != NA || !strings.Contains(f.Detail, "未能核实") {
						t.Errorf("LinkBroken(%s): %v (%s) after the pass, want only na for links the site refused", fx.name, f.Status, f.Detail)
					}
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

// Ensure that the pages a link leads to are judged as a reviewer would:
// a 200 page that says it is not there is broken (soft 404), a real article
// that mentions 404 or 页面不存在 is not, a plain 403 server page is broken,
// and a firewall's or anti-bot challenge page is na, whether crawled as a
// page or sampled by a probe. Files of testdata/link.broken/landing are named
// <verdict>_<case>.html (broken, ok, unsure).
func TestLinkBroken_Landings(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "link.broken", "landing", "*.html"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no landing fixtures: %v", err)
	}
	notFound, challenge := linkBrokenTerms["link.broken.not_found"], linkBrokenTerms["link.broken.challenge"]
	first := &site.Try{At: time.Date(2020, 3, 1, 2, 0, 0, 0, time.UTC)}
	for _, path := range paths {
		name := strings.TrimSuffix(filepath.Base(path), ".html")
		want, _, _ := strings.Cut(name, "_")
		t.Run(name, func(t *testing.T) {
			p := withLinks(loadPage(t, path, "http://gov.example/xxgk/x.html"))
			p.Title = titleOf(p)
			if want != "ok" && !strings.Contains(name, "soft404") {
				p.Status = 403
			}
			p.FirstTry = first
			v := judgePage(p, true, notFound, challenge, paramsFor(nil).SoftNotFoundMaxRunes)
			got := "ok"
			switch {
			case v.unsure:
				got = "unsure"
			case v.why != "":
				got = "broken"
			}
			if got != want {
				t.Errorf("page %s: %s (%s), want %s", name, got, v.why, want)
			}
			if p.Status == 403 {
				pv := judgeProbe(site.Probe{URL: p.URL, Status: 403, Method: "GET", Sample: string(p.Body), FirstTry: first}, true, challenge)
				if pv.unsure != v.unsure || (pv.why == "") != (v.why == "") {
					t.Errorf("probe %s: %+v, want the page's verdict %+v", name, pv, v)
				}
			}
		})
	}
}

// Ensure that a link that failed once and whose second try never ran is na,
// that a 503 with Retry-After is na, and that a broken link's finding names
// both tries and whether it sits on the entry page.
func TestLinkBroken_SecondTryAndPlace(t *testing.T) {
	entry := htmlPage(testEntry, `<html><body><a href="/xxgk/once/a.html">一次失败</a><a href="/xxgk/busy/b.html">繁忙</a><a href="/xxgk/gone/c.html">已删除</a></body></html>`)
	fs := LinkBroken(fakeWeb(entry), testEnv())
	byURL := map[string]Finding{}
	for _, f := range fs {
		byURL[f.Subject] = f
	}
	if f := byURL["http://gov.example/xxgk/once/a.html"]; f.Status != NA || !strings.Contains(f.Detail, "未能再次访问核实") {
		t.Errorf("404 without a second try = %v (%s), want na", f.Status, f.Detail)
	}
	if f := byURL["http://gov.example/xxgk/busy/b.html"]; f.Status != NA || !strings.Contains(f.Detail, "Retry-After") {
		t.Errorf("503 with Retry-After = %v (%s), want na", f.Status, f.Detail)
	}
	if f := byURL["http://gov.example/xxgk/gone/c.html"]; f.Status != Fail || !strings.Contains(f.Detail, "位于入口页") || !strings.Contains(f.Detail, "稍后再次访问仍失败") {
		t.Errorf("404 twice = %v (%s), want fail on the entry page, both tries", f.Status, f.Detail)
	}
}

// Ensure that links the crawl skipped for link_ignore are counted apart and
// not judged.
func TestLinkBroken_LinkIgnoreCounted(t *testing.T) {
	entry := htmlPage(testEntry, `<html><body><a href="http://zwfw.example/login">办事大厅</a><a href="/xxgk/ok.html">机构信息</a></body></html>`)
	ok := &site.Page{URL: "http://gov.example/xxgk/ok.html", FinalURL: "http://gov.example/xxgk/ok.html", Status: 200, Attempts: 1}
	s := &site.Snapshot{UnitID: "u1", Entry: testEntry, Pages: []*site.Page{entry, ok}, SecondTries: true,
		Skipped: []site.Skip{{URL: "http://zwfw.example/login", Reason: "link_ignore"}}}
	f := onlyStatus(t, LinkBroken(s, testEnv()))
	if f.Status != Pass || !strings.Contains(f.Detail, "1 个链接按配置 link_ignore 不检查") {
		t.Errorf("LinkBroken = %v (%s), want pass counting the ignored link", f.Status, f.Detail)
	}
}

// titleOf reads a fixture page's <title>, as the crawler records it.
func titleOf(p *site.Page) string {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(p.HTML()))
	if err != nil {
		return ""
	}
	return strings.TrimSpace(doc.Find("title").First().Text())
}
