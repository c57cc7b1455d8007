package crawler

import (
	"net/http"
	"testing"

	"gkaudit/site"
)

// testColumns is a subset of the default config's synonyms.
var testColumns = map[string][]string{
	"guide":                    {"政府信息公开指南", "信息公开指南", "公开指南"},
	"statutory":                {"法定主动公开内容", "主动公开", "主动公开内容"},
	"annual_report":            {"政府信息公开年报", "政府信息公开工作年度报告", "年度报告", "年报"},
	"policy":                   {"政策文件", "规范性文件", "政策法规"},
	"interpretation":           {"政策解读", "解读回应", "图解", "解读"},
	"keyarea.budget":           {"财政预决算", "预决算", "“三公”经费"},
	"personnel":                {"人事信息", "人事"},
	"keyarea.law_enforcement":  {"行政执法公示", "行政执法"},
	"keyarea.public_resources": {"公共资源配置", "公共资源交易"},
}

func TestColumnMatcher_Kind(t *testing.T) {
	m := newColumnMatcher(testColumns)
	for _, c := range []struct{ text, kind string }{
		{"政策解读", "interpretation"},
		{"政策文件", "policy"},
		{"政策文件解读", "interpretation"},
		{"  政 策\u3000文 件 ", "policy"},
		{"【政策文件】", "policy"},
		{"政策文件(12)", "policy"},
		{"政策文件（3条）", "policy"},
		{"» 规范性文件", "policy"},
		{"政府信息公开年报", "annual_report"},
		{"2019年政府信息公开年报", "annual_report"},
		{"2019年度政府信息公开工作年度报告", "annual_report"},
		{"主动公开", "statutory"},
		{"法定主动公开内容", "statutory"},
		{"政府信息公开指南", "guide"},
		{"\"三公\"经费", "keyarea.budget"},
		{"首页", ""},
		{"", ""},
		{"关于印发北仑区2019年政策文件清理结果的通知和解读材料", ""}, // an article title
		{"退役军人事务局", ""},    // a unit name containing 人事
		{"关于公布政策文件目录", ""}, // short, but a document
		{"干部人事", "personnel"},
	} {
		if got := m.kind(c.text); got != c.kind {
			t.Errorf("kind(%q) = %q, want %q", c.text, got, c.kind)
		}
	}
	if got := newColumnMatcher(nil).kind("政策文件"); got != "" {
		t.Errorf("no synonyms: kind = %q, want empty", got)
	}
}

// Ensure that a crawl maps link texts and breadcrumb segments to columns,
// once per kind and URL.
func TestCrawl_Columns(t *testing.T) {
	mux := http.NewServeMux()
	srv := newServer(t, mux)
	mux.HandleFunc("/xxgk/", htmlPage("信息公开", `
		<ul class="nav">
		<li><a href="/xxgk/zcwj/">政策文件</a></li>
		<li><a href="/xxgk/zcjd/">政策解读</a></li>
		<li><a href="/xxgk/nb/">政府信息公开年报</a></li>
		<li><a href="/xxgk/zdgk/">主动公开</a></li>
		<li><a href="/xxgk/zcwj/">政策文件</a></li>
		<li><a href="/xxgk/tj/">更多</a></li>
		</ul>`))
	mux.HandleFunc("/xxgk/tj/", htmlPage("图解", `<div class="location"><a href="/xxgk/">信息公开</a> > <a href="/xxgk/zn/">公开指南</a> > 图解</div>`))
	mux.HandleFunc("/xxgk/zcwj/", htmlPage("政策文件", `<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/xxgk/">信息公开</a> &gt; 政策文件</div>`))
	mux.HandleFunc("/xxgk/zcjd/", htmlPage("政策解读", `<div class="crumb"><a href="/xxgk/">信息公开</a> &gt;&gt; <a href="/xxgk/zcjd/">政策解读</a></div><a href="/xxgk/zcjd/1.html">关于印发北仑区2019年政策解读工作要点的通知全文</a>`))
	mux.HandleFunc("/xxgk/nb/", htmlPage("年报", `<p>您的位置：首页 / 信息公开 / 年度报告</p>`))
	mux.HandleFunc("/xxgk/zdgk/", htmlPage("主动公开", ``))

	s := mustCrawl(t, srv.URL+"/xxgk/", Options{Columns: testColumns})
	entry := srv.URL + "/xxgk/"
	want := []site.Column{
		{Kind: "policy", Name: "政策文件", URL: srv.URL + "/xxgk/zcwj/", Source: "link", From: entry},
		{Kind: "interpretation", Name: "政策解读", URL: srv.URL + "/xxgk/zcjd/", Source: "link", From: entry},
		{Kind: "annual_report", Name: "政府信息公开年报", URL: srv.URL + "/xxgk/nb/", Source: "link", From: entry},
		{Kind: "statutory", Name: "主动公开", URL: srv.URL + "/xxgk/zdgk/", Source: "link", From: entry},
		{Kind: "guide", Name: "公开指南", URL: srv.URL + "/xxgk/zn/", Source: "breadcrumb", From: srv.URL + "/xxgk/tj/"},
		{Kind: "interpretation", Name: "图解", URL: srv.URL + "/xxgk/tj/", Source: "breadcrumb", From: srv.URL + "/xxgk/tj/"},
	}
	for _, w := range want {
		n := 0
		for _, c := range s.Columns {
			if c.Kind == w.Kind && c.URL == w.URL {
				n++
				if c != w {
					t.Errorf("column = %+v, want %+v", c, w)
				}
			}
		}
		if n != 1 {
			t.Errorf("column %s %s found %d times, want once; columns %+v", w.Kind, w.URL, n, s.Columns)
		}
	}
	for _, c := range s.Columns {
		if c.URL == srv.URL+"/xxgk/zcjd/1.html" {
			t.Errorf("article mapped as a column: %+v", c)
		}
	}
	if p := pageByPath(s, "/xxgk/zcwj/"); p == nil || len(p.Breadcrumb) != 3 || p.Breadcrumb[2] != "政策文件" {
		t.Errorf("breadcrumb = %v", p.Breadcrumb)
	}
}
