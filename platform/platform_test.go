package platform

import (
	"net/url"
	"strings"
	"testing"
)

// hanwebPage is a Hanweb JCMS list page in the shape public JCMS sites serve
// (nextgroup link with the proxy's parameters, records, totalrecord, the
// jpage script), modelled on jsgzw.jiangsu.gov.cn/col/col61490/index.html and
// the scrapers that read it.
const hanwebPage = `<div id="247686"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&amp;appid=1&amp;webid=39&amp;path=/&amp;columnid=61490&amp;unitid=247686&amp;webname=%E6%B1%9F%E8%8B%8F&amp;permissiontype=0"></a>]]></nextgroup>
<recordset>
<record><![CDATA[<li><a href="/art/2019/12/3/art_61490_1.html">关于印发某某办法的通知</a><span class="fr">2019-12-03</span></li>]]></record>
<record><![CDATA[<li><a href="/art/2019/12/2/art_61490_2.html">关于开展某某工作的通知</a><span class="fr">2019-12-02</span></li>]]></record>
</recordset><totalrecord>58</totalrecord></datastore></script></div>
<script language="javascript" src="/module/web/jpage/jpage.js"></script>
<script>$('#247686').jpage({perPage:20});</script>`

// Ensure that a Hanweb page's parameters, count and ranges are read as the
// jpage script would send them.
func TestParseHanweb(t *testing.T) {
	h, found := ParseHanweb([]byte(hanwebPage))
	if !found || !h.Readable() {
		t.Fatalf("ParseHanweb = %+v, %v; want readable", h, found)
	}
	if h.Total != 58 || h.First != 2 || h.PerPage != 20 || h.Proxy != DefaultProxy {
		t.Errorf("Total, First, PerPage, Proxy = %d, %d, %d, %q", h.Total, h.First, h.PerPage, h.Proxy)
	}
	if got := h.FormBody(); got != "col=1&appid=1&webid=39&path=%2F&columnid=61490&sourceContentType=1&unitid=247686&webname=%E6%B1%9F%E8%8B%8F&permissiontype=0" {
		t.Errorf("FormBody = %s", got)
	}
	rs := h.Remaining(100)
	if len(rs) != 28 || rs[0] != (Range{3, 4}) || rs[27] != (Range{57, 58}) {
		t.Errorf("Remaining = %v", rs)
	}
	if n := len(h.Remaining(5)); n != 5 {
		t.Errorf("Remaining(5) = %d ranges", n)
	}
	base, _ := url.Parse("https://jsgzw.jiangsu.gov.cn/col/col61490/index.html")
	u, err := h.RequestURL(base, rs[0])
	if err != nil || u != "https://jsgzw.jiangsu.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=3&endrecord=4&perpage=20&columnid=61490&unitid=247686" {
		t.Errorf("RequestURL = %s, %v", u, err)
	}
}

// Ensure that a datastore without the proxy's parameters is found but not
// readable, and that a page without one is not found.
func TestParseHanweb_Unreadable(t *testing.T) {
	page := `<script type="text/xml"><datastore><recordset><record><![CDATA[<li>x</li>]]></record></recordset><totalrecord>90</totalrecord></datastore></script>`
	h, found := ParseHanweb([]byte(page))
	if !found || h.Readable() || h.Total != 90 || h.First != 1 {
		t.Errorf("ParseHanweb = %+v, %v", h, found)
	}
	if _, found := ParseHanweb([]byte("<ul><li><a href=a.html>x</a></li></ul>")); found {
		t.Error("plain page found as Hanweb")
	}
}

// Ensure that the records of a dataproxy answer (the XML the proxy sends) are read.
func TestRecords(t *testing.T) {
	ans := `<?xml version="1.0" encoding="UTF-8"?>
<datastore>
<totalrecord>58</totalrecord>
<recordset>
<record><![CDATA[<li><a href="/art/2019/1/1/art_1_1.html">甲</a></li>]]></record>
<record><![CDATA[
<li><a href="/art/2019/1/1/art_1_2.html">乙</a></li>
]]></record>
</recordset>
</datastore>`
	recs, total := Records([]byte(ans))
	if len(recs) != 2 || total != 58 || !strings.Contains(recs[1], "art_1_2") {
		t.Errorf("Records = %q, %d", recs, total)
	}
}

// Ensure that createPageHTML calls are read in the forms TRS templates write
// them: variables, literals, the newer element-first form; the function's
// own definition and nonsense are not calls.
func TestParseTRSPager(t *testing.T) {
	cases := []struct {
		page string
		want TRSPager
		ok   bool
	}{
		{"<script>var currentPage = 0;//所在页从0开始\nvar countPage = 8//共多少页\ncreatePageHTML(countPage, currentPage, \"index\", \"html\");</script>", TRSPager{8, 0, "index", "html"}, true},
		{`<script>createPageHTML(5, 2, "index", "shtml");</script>`, TRSPager{5, 2, "index", "shtml"}, true},
		{`<script>createPageHTML('page_div', 12, 0, 'index', 'html', 230);</script>`, TRSPager{12, 0, "index", "html"}, true},
		{`<script>function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){}</script>`, TRSPager{}, false},
		{`<script>createPageHTML(3, 5, "index", "html");</script>`, TRSPager{}, false},
		{`<script>createPageHTML(3, 0, "../x", "html");</script>`, TRSPager{}, false},
		{`<script>createPageHTML(n, 0, "index", "html");</script>`, TRSPager{}, false},
	}
	for _, c := range cases {
		got, ok := ParseTRSPager([]byte(c.page))
		if ok != c.ok || got != c.want {
			t.Errorf("ParseTRSPager(%q) = %+v, %v; want %+v, %v", c.page, got, ok, c.want, c.ok)
		}
	}
	base, _ := url.Parse("http://fgj.example.gov.cn/xxgk/tzgg/index_2.html?x=1")
	p := TRSPager{Count: 4, Prefix: "index", Ext: "html"}
	got := p.PageURLs(base, 10)
	want := []string{"http://fgj.example.gov.cn/xxgk/tzgg/index_1.html", "http://fgj.example.gov.cn/xxgk/tzgg/index_2.html", "http://fgj.example.gov.cn/xxgk/tzgg/index_3.html"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("PageURLs = %v", got)
	}
	dir, _ := url.Parse("http://h/xxgk/")
	if u, _ := p.PageURL(dir, 1); u != "http://h/xxgk/index_1.html" {
		t.Errorf("PageURL from a directory = %s", u)
	}
}

// Ensure that ajax-loaded content is told from plain scripts.
func TestScriptLoaded(t *testing.T) {
	if !ScriptLoaded([]byte(`<div id="list"></div><script>$.ajax({url:'/api/list?col=3', success:function(d){ if (d.length < 1) {} }});</script>`)) {
		t.Error("$.ajax list not seen")
	}
	if ScriptLoaded([]byte(`<script>var a = 1; document.write("x");</script>`)) {
		t.Error("plain script seen as ajax")
	}
	if ScriptLoaded([]byte(`<script>$(window).load(function () { $(".pic").show(); });</script>`)) {
		t.Error("a load event seen as ajax")
	}
	// Hanweb's visit counter and the like load no list.
	if ScriptLoaded([]byte(`<script>$.ajax({url: "/module/visitcount/articlehits.jsp?colid=1229", type: "post"});</script>`)) {
		t.Error("visit counter seen as a list")
	}
	for _, page := range []string{
		`<script>$("#list").load("/col/col1229/list.html");</script>`,
		`<script>fetch('/api/list?page=1').then(r => r.json());</script>`,
		`<script>var x = new XMLHttpRequest(); x.open("GET", "/list.json");</script>`,
		`<script>$.getJSON(listUrl, function (d) { if (d.total < 1) { } });</script>`,
	} {
		if !ScriptLoaded([]byte(page)) {
			t.Errorf("ScriptLoaded(%s) = false", page)
		}
	}
}

// Fuzz the page parsers: no panic, and what they return is within bounds.
func FuzzParsers(f *testing.F) {
	f.Add([]byte(hanwebPage))
	f.Add([]byte(`<script>createPageHTML('page_div', 12, 0, 'index', 'html', 230);</script>`))
	f.Add([]byte("<script>var countPage = 8\ncreatePageHTML(countPage, 0, \"index\", \"html\");</script>"))
	f.Add([]byte(`<?xml version="1.0"?><datastore><totalrecord>999999999</totalrecord><recordset><record><![CDATA[]]></record></recordset></datastore>`))
	base, _ := url.Parse("http://h.gov.cn/col/col1/index.html")
	f.Fuzz(func(t *testing.T, body []byte) {
		if h, found := ParseHanweb(body); found {
			rs := h.Remaining(60)
			if len(rs) > 60 {
				t.Fatalf("%d ranges", len(rs))
			}
			for _, r := range rs {
				if r.Start < 1 || r.End < r.Start {
					t.Fatalf("bad range %v", r)
				}
				if h.Readable() {
					if _, err := h.RequestURL(base, r); err != nil && !strings.Contains(err.Error(), "proxy") {
						t.Fatal(err)
					}
				}
			}
			_ = h.FormBody()
		}
		Records(body)
		if p, ok := ParseTRSPager(body); ok {
			if p.Count < 1 || p.Current < 0 || p.Current >= p.Count {
				t.Fatalf("bad pager %+v", p)
			}
			if n := len(p.PageURLs(base, 60)); n > 60 {
				t.Fatalf("%d urls", n)
			}
		}
		ScriptLoaded(body)
	})
}
