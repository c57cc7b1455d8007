package page

import (
	"bytes"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
)

func TestReadAnchors(t *testing.T) {
	const doc = `<html><head><title>t</title><script>var a='<a href="/s.html">s</a>'</script></head><body>
	<div class="nav"><a href="/home.html">首页</a></div>
	<div class="leftnav"><ul><li><a href="/side.html" title="侧栏栏目全称">侧栏</a></li></ul></div>
	<p>相关文件：<a href="doc.html">《办法》</a></p>
	<a href="/pic.html"><img src="x.png" alt=" 政务 公开 "></a>
	<a href="#top">top</a><a href="javascript:;">js</a>
	<template><a href="/tpl.html">tpl</a></template>
	</body></html>`
	v := Read([]byte(doc), "http://www.example.gov.cn/a/index.html")
	want := []Anchor{
		{URL: "http://www.example.gov.cn/home.html", Text: "首页", Chrome: true},
		{URL: "http://www.example.gov.cn/side.html", Text: "侧栏", Title: "侧栏栏目全称", Side: true},
		{URL: "http://www.example.gov.cn/a/doc.html", Text: "《办法》", Context: "相关文件：《办法》"},
		{URL: "http://www.example.gov.cn/pic.html", Image: "政务 公开", NoLine: true},
	}
	if !slices.Equal(v.Anchors, want) {
		t.Errorf("anchors =\n%+v\nwant\n%+v", v.Anchors, want)
	}
	if got := v.Anchors[1].Label(); got != "侧栏栏目全称" {
		t.Errorf("Label = %q", got)
	}
	if got := v.Anchors[3].Name(); got != "政务 公开" {
		t.Errorf("Name = %q", got)
	}
}

func TestReadHeadings(t *testing.T) {
	const doc = `<body><div class="top"><h1>站名</h1></div><h1 class="title">关于印发办法的通知</h1>
	<div id="title">标题</div><p><strong>一、总则</strong></p><span class="biaoti x">指南</span><h2> </h2></body>`
	v := Read([]byte(doc), "http://www.example.gov.cn/")
	want := []Heading{{"关于印发办法的通知", H1 | TitleClass}, {"标题", TitleID}, {"一、总则", BoldLead}, {"指南", BiaotiClass}}
	if !slices.Equal(v.Headings, want) {
		t.Errorf("headings = %+v, want %+v", v.Headings, want)
	}
}

func TestReadBlocks(t *testing.T) {
	const doc = `<body><div class="footer"><a href="/f.html">页脚</a></div>
	<ul><li><a href="a.html">甲</a></li><li><ul><li><a href="b.html">乙</a></li></ul></li></ul>
	<p>暂无信息</p><form><input name="q"><input type="hidden"><select><option>选项</option></select><button>查询</button></form></body>`
	v := Read([]byte(doc), "http://www.example.gov.cn/c/")
	b := v.Blocks
	wantLinks := []Link{{URL: "http://www.example.gov.cn/c/a.html", Text: "甲"}, {URL: "http://www.example.gov.cn/c/b.html", Text: "乙"}}
	if !slices.Equal(b.Links, wantLinks) || !reflect.DeepEqual(b.Menus, [][]int{{0, 1}, {1}}) || !b.Form {
		t.Errorf("blocks = %+v", b)
	}
	if b.Text != "暂无信息" || b.LinkText != "甲\n乙" || !slices.Equal(Lines(b.LinkText), []string{"甲", "乙"}) || Lines("") != nil {
		t.Errorf("text %q, link text %q", b.Text, b.LinkText)
	}
}

func TestReadArticle(t *testing.T) {
	const doc = `<body><div class="menu"><a href="/">首页</a></div><aside>侧栏</aside>
	<ul><li><a href="1.html">栏目一</a></li><li><a href="2.html">栏目二</a></li><li><a href="3.html">栏目三</a></li></ul>
	<div><p>本指南所称政府信息</p><p>办公地址：某路1号</p></div></body>`
	v := Read([]byte(doc), "http://www.example.gov.cn/")
	if v.Article != "本指南所称政府信息 办公地址：某路1号" || v.ArticleText() != v.Article {
		t.Errorf("article = %q", v.Article)
	}
	if v.NoMain {
		t.Error("NoMain on a page with main text")
	}
	if w := Read([]byte(`<title>站</title><body><div id="top">全在页眉</div></body>`), "http://x.gov.cn/"); !w.NoMain || w.Article != "" || w.ArticleText() != "站 全在页眉" {
		t.Errorf("chrome-only page: NoMain %v, Article %q, ArticleText %q", w.NoMain, w.Article, w.ArticleText())
	}
	if w := Read([]byte(`<body><p>正文</p></body>`), "http://x.gov.cn/"); w.Article != "" || w.ArticleText() != "正文" {
		t.Errorf("plain page: Article %q (want it left to Main), ArticleText %q", w.Article, w.ArticleText())
	}
}

func TestMailtoAddress(t *testing.T) {
	for body, want := range map[string]string{
		`<a href="MAILTO:gk@nb.gov.cn">信箱</a>`:  "gk@nb.gov.cn",
		`<a href="mailto:">x</a> 联系 a@b.gov.cn`: "a@b.gov.cn",
		`no link a@b.gov.cn`:                    "",
	} {
		if got := mailtoAddress([]byte(body)); got != want {
			t.Errorf("mailtoAddress(%q) = %q, want %q", body, got, want)
		}
	}
}

// The views read what the checks' own parses read before the views
// existed: the functions below are those parses, kept as oracles, run over
// every fixture and corpus page of the checks.
func TestContentViews_MatchCheckParses(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("..", "checks", "testdata", "*", "*.html"))
	if err != nil || len(paths) < 100 {
		t.Fatalf("fixtures: %d, %v", len(paths), err)
	}
	const pageURL = "http://gov.example/a/b.html"
	for _, path := range paths {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		enc, _, _ := charset.DetermineEncoding(raw, "text/html")
		body, err := io.ReadAll(enc.NewDecoder().Reader(bytes.NewReader(raw)))
		if err != nil {
			t.Fatal(err)
		}
		v := Read(body, pageURL)
		var links []oldLink
		for _, a := range v.Anchors {
			links = append(links, oldLink{a.URL, a.Label(), a.Line(), a.Chrome, a.Side})
		}
		if want := oldPageLinks(body, pageURL); !slices.Equal(links, want) {
			t.Errorf("%s: anchors as pageLinks =\n%v\nwant\n%v", path, links, want)
		}
		var named []Link
		for _, a := range v.Anchors {
			named = append(named, Link{a.URL, a.Name()})
		}
		if want := oldAnchorLinks(body, pageURL); !slices.Equal(named, want) {
			t.Errorf("%s: anchors as anchorLinks =\n%v\nwant\n%v", path, named, want)
		}
		want := oldArticle(body)
		if want == "" {
			want = v.Main // bodyText's fallback, pageText
		}
		if got := v.ArticleText(); got != want {
			t.Errorf("%s: article =\n%q\nwant\n%q", path, got, want)
		}
		if got, want := v.NoMain, oldMainText(body) == ""; got != want {
			t.Errorf("%s: NoMain = %v, want %v", path, got, want)
		}
		if !v.NoMain && v.Main != oldMainText(body) {
			t.Errorf("%s: main =\n%q\nwant\n%q", path, v.Main, oldMainText(body))
		}
		if got, want := headingTexts(v.Headings, H1|H2|H3|TitleClass|ArticleClass|TitleID), oldHeadings(body, "h1, h2, h3, .title, .article-title, #title"); !slices.Equal(got, want) {
			t.Errorf("%s: article headings = %q, want %q", path, got, want)
		}
		if got, want := headingTexts(v.Headings, H1|H2|H3|TitleClass|BiaotiClass|BoldLead), oldHeadings(body, "h1, h2, h3, .title, .biaoti, p > b, p > strong"); !slices.Equal(got, want) {
			t.Errorf("%s: guide headings = %q, want %q", path, got, want)
		}
		ob, got := oldBlocksOf(body, pageURL), blocksAsOld(v.Blocks)
		slices.Sort(ob.All) // the checks read every text node as a set
		slices.Sort(got.All)
		if !reflect.DeepEqual(got, ob) {
			t.Errorf("%s: blocks =\n%+v\nwant\n%+v", path, got, ob)
		}
		if got, want := v.Mailto, oldMailto(body); got != want {
			t.Errorf("%s: mailto = %q, want %q", path, got, want)
		}
	}
}

func headingTexts(hs []Heading, m HeadingMarks) []string {
	var out []string
	for _, h := range hs {
		if h.Any(m) {
			out = append(out, h.Text)
		}
	}
	return out
}

type oldLink struct {
	URL, Text, Context string
	Chrome, Side       bool
}

func oldDoc(body []byte) *goquery.Document {
	if len(body) > ParseLimit {
		body = body[:ParseLimit]
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		panic(err)
	}
	return doc
}

func oldPageLinks(body []byte, pageURL string) []oldLink {
	doc := oldDoc(body)
	doc.Find("script, style, noscript, template").Remove()
	base, _ := url.Parse(pageURL)
	var out []oldLink
	doc.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		u := Resolve(base, href)
		if u == "" {
			return
		}
		text := Collapse(a.Text())
		if t, ok := a.Attr("title"); ok && utf8.RuneCountInString(t) > utf8.RuneCountInString(text) {
			text = Collapse(t)
		}
		l := oldLink{URL: u, Text: text, Chrome: oldUnder(a, ChromeClass, "nav", "header", "footer"), Side: oldUnder(a, SideClass, "aside")}
		if b := a.ParentsFiltered("p, li, dd, dt, td, th, div, span, h1, h2, h3, h4, h5, h6").First(); b.Length() > 0 {
			if ctx := Collapse(b.Text()); utf8.RuneCountInString(ctx) <= 120 {
				l.Context = ctx
			}
		}
		out = append(out, l)
	})
	return out
}

func oldUnder(s *goquery.Selection, class *regexp.Regexp, tags ...string) bool {
	for _, n := range s.Parents().Nodes {
		if n.Type != html.ElementNode {
			continue
		}
		if slices.Contains(tags, n.Data) {
			return true
		}
		for _, a := range n.Attr {
			if (a.Key == "class" || a.Key == "id") && class.MatchString(a.Val) {
				return true
			}
		}
	}
	return false
}

func oldAnchorLinks(body []byte, pageURL string) []Link {
	doc := oldDoc(body)
	base, _ := url.Parse(pageURL)
	var out []Link
	doc.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		u := Resolve(base, href)
		if u == "" {
			return
		}
		text := Collapse(a.Text())
		if text == "" {
			text, _ = a.Attr("title")
		}
		if text == "" {
			img := a.Find("img").First()
			if t, ok := img.Attr("alt"); ok && t != "" {
				text = t
			} else {
				text, _ = img.Attr("title")
			}
		}
		out = append(out, Link{URL: u, Text: Collapse(text)})
	})
	return out
}

const oldBlocks = "br, p, div, li, tr, td, th, dt, dd, h1, h2, h3, h4, h5, h6, table"

func oldMainText(body []byte) string {
	doc := oldDoc(body)
	StripChrome(doc)
	doc.Find(oldBlocks).Each(func(_ int, s *goquery.Selection) { s.AppendHtml(" ") })
	return Collapse(doc.Find("body").Text())
}

func oldArticle(body []byte) string {
	doc := oldDoc(body)
	StripChrome(doc)
	doc.Find("aside").Remove()
	for _, n := range doc.Nodes {
		oldPruneLinkLists(n)
	}
	doc.Find(oldBlocks).Each(func(_ int, s *goquery.Selection) { s.AppendHtml(" ") })
	return Collapse(doc.Find("body").Text())
}

func oldHeadings(body []byte, sel string) []string {
	doc := oldDoc(body)
	StripChrome(doc)
	var out []string
	doc.Find(sel).Each(func(_ int, s *goquery.Selection) {
		if t := Collapse(s.Text()); t != "" {
			out = append(out, t)
		}
	})
	return out
}

type oldContentBlocks struct {
	Text, All []string
	Links     []Link
	Menus     [][]Link
	Form      bool
}

func blocksAsOld(b Blocks) oldContentBlocks {
	var o oldContentBlocks
	o.Form = b.Form
	o.Text = Lines(b.Text)
	o.All = append(slices.Clone(o.Text), Lines(b.LinkText)...)
	o.Links = b.Links
	for _, m := range b.Menus {
		var menu []Link
		for _, i := range m {
			menu = append(menu, b.Links[i])
		}
		o.Menus = append(o.Menus, menu)
	}
	return o
}

func oldBlocksOf(body []byte, pageURL string) oldContentBlocks {
	var b oldContentBlocks
	doc := oldDoc(body)
	StripChrome(doc)
	doc.Find("form").EachWithBreak(func(_ int, f *goquery.Selection) bool {
		b.Form = f.Find("input:not([type=hidden]):not([type=submit]):not([type=button]), textarea, select").Length() >= 2
		return !b.Form
	})
	doc.Find("select, option, input, button, textarea").Remove()
	base, _ := url.Parse(pageURL)
	var walk func(n *html.Node, inLink bool)
	walk = func(n *html.Node, inLink bool) {
		switch n.Type {
		case html.TextNode:
			if t := Collapse(n.Data); t != "" {
				b.All = append(b.All, t)
				if !inLink {
					b.Text = append(b.Text, t)
				}
			}
			return
		case html.ElementNode:
			if n.Data == "a" {
				inLink = true
				var href string
				for _, a := range n.Attr {
					if a.Key == "href" {
						href = a.Val
					}
				}
				if u := Resolve(base, href); u != "" {
					b.Links = append(b.Links, Link{URL: u, Text: Collapse(goquery.NewDocumentFromNode(n).Text())})
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inLink)
		}
	}
	for _, n := range doc.Find("body").Nodes {
		walk(n, false)
	}
	doc.Find("ul, ol, dl, table").Each(func(_ int, list *goquery.Selection) {
		var menu []Link
		list.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
			href, _ := a.Attr("href")
			if u := Resolve(base, href); u != "" {
				menu = append(menu, Link{URL: u, Text: Collapse(a.Text())})
			}
		})
		if len(menu) > 0 {
			b.Menus = append(b.Menus, menu)
		}
	})
	return b
}

func oldMailto(body []byte) string {
	if len(body) > ParseLimit {
		body = body[:ParseLimit]
	}
	if i := bytes.Index(bytes.ToLower(body), []byte("mailto:")); i >= 0 {
		if m := EmailRE.Find(body[i:]); m != nil {
			return string(m)
		}
	}
	return ""
}

// oldPruneLinkLists is the checks' former pruneLinkLists, which removed
// the link lists from the tree.
func oldPruneLinkLists(n *html.Node) (total, inLinks, links int) {
	switch n.Type {
	case html.TextNode:
		return utf8.RuneCountInString(Compact(n.Data)), 0, 0
	case html.ElementNode, html.DocumentNode:
	default:
		return 0, 0, 0
	}
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		t, l, k := oldPruneLinkLists(c)
		total, inLinks, links = total+t, inLinks+l, links+k
		c = next
	}
	if n.Type != html.ElementNode {
		return total, inLinks, links
	}
	if n.Data == "a" {
		return total, total, links + 1
	}
	if linkListTags[n.Data] && links >= 3 && total > 0 && inLinks*10 >= total*6 && n.Parent != nil {
		n.Parent.RemoveChild(n)
		return 0, 0, 0
	}
	return total, inLinks, links
}

// Read never fails, and the content views hold together: menus index the
// blocks' links, block lines are never empty, anchors are absolute.
func FuzzReadContent(f *testing.F) {
	f.Add([]byte(`<ul><li><a href="a.html">甲</a></li></ul><p>暂无信息</p><form><input><textarea></textarea></form>`))
	f.Add([]byte(`<div class="nav"><a href="/" title="首页">x</a></div><aside><a href="b"><img alt="图"></a></aside><h1 class="title">标题</h1>`))
	f.Add([]byte(`<?xml version="1.0"?><datastore><recordset><record><![CDATA[<li><a href="/c.html">丙</a></li>]]></record></recordset></datastore>`))
	f.Add([]byte(`<a href="mailto:x@y.gov.cn">信箱</a><p><b>一、</b></p>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		v := Read(body, "http://gov.example/a/b.html")
		for _, m := range v.Blocks.Menus {
			for _, i := range m {
				if i < 0 || i >= len(v.Blocks.Links) {
					t.Fatalf("menu index %d of %d links", i, len(v.Blocks.Links))
				}
			}
		}
		for _, l := range append(Lines(v.Blocks.Text), Lines(v.Blocks.LinkText)...) {
			if l == "" {
				t.Fatalf("empty block line in %q / %q", v.Blocks.Text, v.Blocks.LinkText)
			}
		}
		for _, a := range v.Anchors {
			if !strings.HasPrefix(a.URL, "http://") && !strings.HasPrefix(a.URL, "https://") {
				t.Fatalf("anchor URL %q", a.URL)
			}
		}
	})
}
