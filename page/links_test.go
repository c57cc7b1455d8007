package page

import (
	"net/url"
	"slices"
	"testing"
	"unicode/utf8"
)

func mustBase(t testing.TB) *url.URL {
	u, err := url.Parse("http://www.example.gov.cn/xxgk/zcwj/index.html")
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestExtract_Links(t *testing.T) {
	const doc = `<html><head><title> 政策 文件
	- 北仑区 </title></head><body>
	<a href="a.html">  政策
	  文件 </a>
	<a href="../b.html#sec">B</a>
	<a href="#top">top</a>
	<a href="JavaScript:void(0)">js</a>
	<a href="mailto:gk@example.gov.cn">mail</a>
	<a href="tel:0574-1234">tel</a>
	<a href=" http://other.gov.cn/x?y=1 ">外链</a>
	<a href="a.html">政策 文件</a>
	<a href="a.html">again</a>
	<a href="/img.html" title="图片"><img src="x.png"></a>
	<a href="/alt.html"><img src="x.png" alt="替代"></a>
	<a>no href</a>
	<a href="..\..\old.html">iis</a>
	<iframe src="/frame.html"></iframe><frameset><frame src="f2.html"></frameset>
	<script>document.write('<a href="/script.html">s</a>')</script>
	</body></html>`
	got := extract([]byte(doc), mustBase(t))
	if got.title != "政策 文件 - 北仑区" {
		t.Errorf("title = %q", got.title)
	}
	want := []Link{
		{URL: "http://www.example.gov.cn/xxgk/zcwj/a.html", Text: "政策 文件"},
		{URL: "http://www.example.gov.cn/xxgk/b.html", Text: "B"},
		{URL: "http://other.gov.cn/x?y=1", Text: "外链"},
		{URL: "http://www.example.gov.cn/xxgk/zcwj/a.html", Text: "again"},
		{URL: "http://www.example.gov.cn/img.html", Text: "图片"},
		{URL: "http://www.example.gov.cn/alt.html", Text: "替代"},
		{URL: "http://www.example.gov.cn/old.html", Text: "iis"},
		{URL: "http://www.example.gov.cn/frame.html", Text: ""},
	}
	if !slices.Equal(got.links, want) {
		t.Errorf("links =\n%v\nwant\n%v", got.links, want)
	}
}

func TestExtract_BaseHref(t *testing.T) {
	got := extract([]byte(`<head><base href="http://cdn.example.gov.cn/x/"></head><a href="y.html">y</a>`), mustBase(t))
	if len(got.links) != 1 || got.links[0].URL != "http://cdn.example.gov.cn/x/y.html" {
		t.Errorf("links = %v", got.links)
	}
}

func TestExtract_Breadcrumb(t *testing.T) {
	for _, c := range []struct {
		name, html string
		want       []string
		urls       []string // "" for no link
	}{
		{"label and anchors", `<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/xxgk/">信息公开</a> &gt; 政策文件</div>`,
			[]string{"首页", "信息公开", "政策文件"}, []string{"http://www.example.gov.cn/", "http://www.example.gov.cn/xxgk/", ""}},
		{"label in span, by id", `<div id="dqwz"><span>您的位置:</span><a href="/">首页</a>&raquo;<a href="/xxgk/">政务公开</a></div>`,
			[]string{"首页", "政务公开"}, nil},
		{"plain text trail", `<p>您现在的位置是： 首页 &gt;&gt; 信息公开 &gt;&gt; 年报</p>`,
			[]string{"首页", "信息公开", "年报"}, nil},
		{"slash and full-width", `<table><tr><td>所在位置：首页／信息公开 ＞ 政策解读 / 正文</td></tr></table>`,
			[]string{"首页", "信息公开", "政策解读", "正文"}, nil},
		{"list without separators", `<ol class="breadcrumb"><li><a href="/">首页</a></li><li><a href="/a/">机构概况</a></li><li class="active">领导信息</li></ol>`,
			[]string{"首页", "机构概况", "领导信息"}, nil},
		{"arrow in anchors", `<div class="weizhi"><a href="/">首页 →</a><a href="/b/">部门文件 →</a></div>`,
			[]string{"首页", "部门文件"}, nil},
		{"label with &nbsp;", `<div class="path">当前位置&nbsp;:&nbsp;<a href="/">首页</a>&nbsp;›&nbsp;<a href="/c/">通知公告</a></div>`,
			[]string{"首页", "通知公告"}, nil},
		{"bootstrap position class is not a trail", `<div class="position-relative"><a href="/">首页</a><a href="/x">新闻</a></div>`,
			nil, nil},
		{"address block is not a trail", `<div class="location">办公地址：北仑区新碶街道</div>`,
			nil, nil},
		{"none", `<p>正文</p>`, nil, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := extract([]byte("<html><body><div class=\"top\">x</div>"+c.html+"</body></html>"), mustBase(t)).crumbs
			var texts []string
			for _, cr := range got {
				texts = append(texts, cr.Text)
			}
			if !slices.Equal(texts, c.want) {
				t.Errorf("breadcrumb = %q, want %q", texts, c.want)
			}
			for i, u := range c.urls {
				if i < len(got) && got[i].URL != u {
					t.Errorf("segment %d URL = %q, want %q", i, got[i].URL, u)
				}
			}
		})
	}
}

// FuzzExtract ensures that Read never panics and
// returns only absolute http(s) URLs without fragments, and valid UTF-8.
func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		`<a href="a.html">x</a>`,
		`<div class="position">当前位置：<a href="/">首页</a> &gt; 政策</div>`,
		`<p>您的位置：首页 / 信息公开 / 年报</p>`,
		`<base href="http://x/"><iframe src="//y/z#f"></iframe>`,
		`<a href="\\a\b">`, `<div class="crumb">>>>//››</div>`, "<a href=\"http://[::1]:80/\">", `<a href="http://%zz">`,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<datastore><recordset><record><![CDATA[<li><a href=\"/art/2019/1/1/art_1_1.html\">甲</a></li>]]></record></recordset></datastore>",
	} {
		f.Add([]byte(s))
	}
	base := mustBase(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		p := extract(b, base)
		for _, l := range p.links {
			u, err := url.Parse(l.URL)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Fragment != "" {
				t.Errorf("bad link %q (%v)", l.URL, err)
			}
			if l.Text != collapse(l.Text) {
				t.Errorf("link text not collapsed: %q", l.Text)
			}
		}
		for _, c := range p.crumbs {
			if c.Text == "" || !utf8.ValidString(c.Text) && utf8.Valid(b) {
				t.Errorf("bad crumb %q", c.Text)
			}
		}
	})
}

// Ensure that the links of a Hanweb script datastore — the entries of a list
// page that the browser renders from <record><![CDATA[…]]></record> — are
// extracted like any other link.
func TestExtract_Datastore(t *testing.T) {
	base, _ := url.Parse("http://www.example.gov.cn/col/col1229001/index.html")
	body := []byte(`<html><body><div id="list"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1"></a>]]></nextgroup>
<recordset><record><![CDATA[<li><a href="/art/2019/3/5/art_1229001_1.html" title="关于印发北仑区2019年预算编制办法的通知">关于印发…的通知</a><span>2019-03-05</span></li>]]></record>
<record><![CDATA[<li><a href="/art/2019/2/1/art_1229001_2.html">区财政局2019年部门预算</a><span>2019-02-01</span></li>]]></record></recordset></datastore></script></div></body></html>`)
	got := extract(body, base)
	want := map[string]bool{"http://www.example.gov.cn/art/2019/3/5/art_1229001_1.html": false, "http://www.example.gov.cn/art/2019/2/1/art_1229001_2.html": false}
	for _, l := range got.links {
		if _, ok := want[l.URL]; ok {
			want[l.URL] = true
		}
	}
	for u, ok := range want {
		if !ok {
			t.Errorf("extract(datastore) lacks %s; links = %+v", u, got.links)
		}
	}
}

// Ensure that a dataproxy answer (bare XML whose records are HTML
// fragments, as Hanweb's dataproxy.jsp sends it) yields its records' links.
func TestExtract_DataproxyAnswer(t *testing.T) {
	base, _ := url.Parse("http://www.example.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=46&endrecord=90&perpage=15&columnid=1&unitid=2")
	body := []byte("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<datastore>\n<totalrecord>47</totalrecord>\n<recordset>\n" +
		"<record><![CDATA[\n<li><a href=\"/art/2019/3/5/art_1_46.html\" title=\"关于印发某某办法的通知\">关于印发某某办法的通知</a><span>2019-03-05</span></li>]]></record>\n" +
		"<record><![CDATA[<li><a href=\"/art/2019/3/4/art_1_47.html\">区财政局2019年部门预算</a></li>]]></record>\n</recordset>\n</datastore>\n")
	got := extract(body, base)
	if len(got.links) != 2 || got.links[0].URL != "http://www.example.gov.cn/art/2019/3/5/art_1_46.html" || got.links[1].Text != "区财政局2019年部门预算" {
		t.Errorf("extract(dataproxy answer) = %+v, want its 2 records", got.links)
	}
}

// extracted is what the tests above look at of a View.
type extracted struct {
	title  string
	links  []Link
	crumbs []Crumb
}

func extract(body []byte, base *url.URL) extracted {
	v := Read(body, base.String())
	return extracted{title: v.Title, links: v.Links, crumbs: v.Crumbs}
}
