package crawler

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"gkaudit/config"
)

func TestScope_Contains(t *testing.T) {
	const h = "http://portal.gov.cn"
	mustURL := func(s string) *url.URL {
		u, err := url.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	avoid := []string{
		h + "/col/col1235/index.html", // another unit on the same portal
		h + "/",                       // the portal's home page is a unit too
		h + "/col/col1234/index.html", // ourselves: ignored
		"http://other.gov.cn/xxgk/",
		"::bad",
	}
	for _, c := range []struct {
		name    string
		unit    config.Unit
		url     string
		inScope bool
	}{
		{"entry", config.Unit{}, h + "/col/col1234/index.html", true},
		{"own column page 2", config.Unit{}, h + "/col/col1234/index.html?uid=1&pageNum=2", true},
		{"shared article path", config.Unit{}, h + "/art/2019/12/3/art_1234_5678.html", true},
		{"default port", config.Unit{}, "http://PORTAL.gov.cn:80/art/1.html", true},
		{"other unit's entry", config.Unit{}, h + "/col/col1235/index.html", false},
		{"under other unit's entry", config.Unit{}, h + "/col/col1235/sub/a.html", false},
		{"similar prefix", config.Unit{}, h + "/col/col12350/index.html", true},
		{"portal home page", config.Unit{}, h + "/", false},
		{"portal home page index", config.Unit{}, h + "/index.html", true},
		{"other host", config.Unit{}, "http://other.gov.cn/art/1.html", false},
		{"https other port", config.Unit{}, "https://portal.gov.cn/art/1.html", true},
		{"not http", config.Unit{}, "ftp://portal.gov.cn/a", false},
		{"scope prefix in", config.Unit{Scope: []string{h + "/col/col1234/", h + "/art/"}}, h + "/art/2019/1.html", true},
		{"scope prefix out", config.Unit{Scope: []string{h + "/col/col1234/", h + "/art/"}}, h + "/zwgk/1.html", false},
		{"scope glob", config.Unit{Scope: []string{h + "/art/*/art_1234_*.html"}}, h + "/art/2019/art_1234_9.html", true},
		{"scope glob single segment", config.Unit{Scope: []string{h + "/art/*/art_1234_*.html"}}, h + "/art/2019/12/art_1234_9.html", false},
		{"scope double star", config.Unit{Scope: []string{h + "/art/**/art_1234_*.html"}}, h + "/art/2019/12/3/art_1234_9.html", true},
		{"scope path pattern", config.Unit{Scope: []string{"/art/**"}}, h + "/art/x.html", true},
		{"scope other host", config.Unit{Scope: []string{"http://files.gov.cn/u1/"}}, "http://files.gov.cn/u1/a.html", true},
		{"exclude", config.Unit{Exclude: []string{"**/search/**", h + "/art/2018/"}}, h + "/art/2018/a.html", false},
		{"exclude glob", config.Unit{Exclude: []string{"**/search/**"}}, h + "/site/search/x?q=1", false},
		{"exclude leaves others", config.Unit{Exclude: []string{h + "/art/2018/"}}, h + "/art/2019/a.html", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newScope(mustURL(h+"/col/col1234/index.html"), c.unit, avoid)
			if got := s.contains(mustURL(c.url)); got != c.inScope {
				t.Errorf("contains(%s) = %v, want %v", c.url, got, c.inScope)
			}
		})
	}
}

// Ensure that a unit whose entry sits under another unit's directory keeps
// its own pages and leaves the parent's.
func TestScope_NestedUnits(t *testing.T) {
	parent, _ := url.Parse("http://h.gov.cn/xxgk/")
	child, _ := url.Parse("http://h.gov.cn/xxgk/jyj/")
	page, _ := url.Parse("http://h.gov.cn/xxgk/jyj/a.html")
	sibling, _ := url.Parse("http://h.gov.cn/xxgk/b.html")

	ps := newScope(parent, config.Unit{}, []string{child.String()})
	if ps.contains(page) || !ps.contains(sibling) {
		t.Errorf("parent: child page %v, sibling %v; want false, true", ps.contains(page), ps.contains(sibling))
	}
	cs := newScope(child, config.Unit{}, []string{parent.String()})
	if !cs.contains(page) || cs.contains(sibling) {
		t.Errorf("child: own page %v, parent's page %v; want true, false", cs.contains(page), cs.contains(sibling))
	}
}

// Ensure that a crawl on a shared portal host does not enter another
// configured unit's column, but probes the link to it.
func TestCrawl_Avoid(t *testing.T) {
	mux := http.NewServeMux()
	srv := newServer(t, mux)
	mux.HandleFunc("/col/col1/index.html", htmlPage("unit 1", `
		<a href="/col/col2/index.html">unit 2</a>
		<a href="/col/col2/more.html">unit 2 more</a>
		<a href="/art/2019/12/3/art_1_1.html">article</a>`))
	mux.HandleFunc("/col/col2/", htmlPage("unit 2", `<a href="/art/2019/12/3/art_2_1.html">theirs</a>`))
	mux.HandleFunc("/art/", htmlPage("article", `<a href="/col/col1/index.html">back</a>`))

	s := mustCrawl(t, srv.URL+"/col/col1/index.html", Options{Avoid: []string{srv.URL + "/col/col2/index.html"}})
	if got := pageURLs(s); !slices.Equal(got, []string{"/col/col1/index.html", "/art/2019/12/3/art_1_1.html"}) {
		t.Errorf("pages = %v", got)
	}
	if p := probeByPath(s, "/col/col2/index.html"); p == nil || !p.External || p.Status != 200 {
		t.Errorf("probe of the other unit = %+v, want an external probe", p)
	}
}

// Ensure that Scope and Exclude narrow a crawl.
func TestCrawl_ScopeExclude(t *testing.T) {
	mux := http.NewServeMux()
	srv := newServer(t, mux)
	mux.HandleFunc("/xxgk/", htmlPage("x", `
		<a href="/xxgk/a.html">a</a>
		<a href="/xxgk/search/q.html">search</a>
		<a href="/news/1.html">news</a>`))
	mux.HandleFunc("/news/", htmlPage("news", ""))

	s := mustCrawl(t, srv.URL+"/xxgk/", Options{})
	if len(s.Pages) != 4 {
		t.Errorf("unscoped pages = %v, want 4", pageURLs(s))
	}
	u := config.Unit{ID: "u", URL: srv.URL + "/xxgk/", Scope: []string{srv.URL + "/xxgk/"}, Exclude: []string{"/xxgk/search/*"}}
	s2, err := Crawl(t.Context(), u, Options{Policy: testPolicy()})
	if err != nil {
		t.Fatal(err)
	}
	if got := pageURLs(s2); !slices.Equal(got, []string{"/xxgk/", "/xxgk/a.html"}) {
		t.Errorf("scoped pages = %v", got)
	}
	if p := probeByPath(s2, "/news/1.html"); p == nil || !p.External {
		t.Errorf("out-of-scope link probe = %+v", p)
	}
}

// Ensure that column scope (audit --url on a unit of a shared portal) keeps
// to the entry's column, the Hanweb sub-columns its column pages link to
// and their articles, and leaves out the portal's root pages, other
// columns and their articles.
func TestScope_ColumnScope(t *testing.T) {
	const h = "http://portal.gov.cn"
	mustURL := func(s string) *url.URL {
		u, err := url.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	entry := mustURL(h + "/col/col1234/index.html")
	s := newScope(entry, config.Unit{}, nil)
	s.keepToColumn(entry)
	// The entry page links a sub-column; an article of ours links another
	// column, which must not be admitted (only column pages admit).
	s.admitColumns(entry, []string{h + "/col/col1240/index.html", "http://other.gov.cn/col/col9/index.html"})
	s.admitColumns(mustURL(h+"/art/2019/12/3/art_1240_1.html"), []string{h + "/col/col5555/index.html"})
	for _, c := range []struct {
		url      string
		in, leaf bool
	}{
		{h + "/col/col1234/index.html", true, false},
		{h + "/col/col1234/index.html?uid=1&pageNum=2", true, false},
		{h + "/col/col1234/index_2.html", true, false},
		{h + "/col/col1240/index.html", true, false},
		{h + "/art/2019/12/3/art_1234_5678.html", true, false},
		{h + "/art/2019/12/3/art_1240_5679.html", true, false},
		{h + "/art/2019/12/3/art_1299_5680.html", false, true},
		{h + "/col/col5555/index.html", false, true},
		{h + "/col/col1235/index.html", false, true},
		{h + "/", false, true},
		{h + "/index.html", false, true},
		{h + "/ysqgk/1234/apply.html", true, true},
		{"http://other.gov.cn/col/col9/index.html", false, true},
	} {
		u := mustURL(c.url)
		if got := s.contains(u); got != c.in {
			t.Errorf("contains(%s) = %v, want %v", c.url, got, c.in)
		}
		if c.in {
			if got := s.leaf(u); got != c.leaf {
				t.Errorf("leaf(%s) = %v, want %v", c.url, got, c.leaf)
			}
		}
	}
	// An own-site column one level below the root is not a portal column:
	// the whole host stays in scope.
	own := mustURL("http://xinqi.gov.cn/xxgk/index.html")
	s = newScope(own, config.Unit{}, nil)
	s.keepToColumn(own)
	if !s.contains(mustURL("http://xinqi.gov.cn/")) {
		t.Error("own site: home page out of scope, want the host's scope kept")
	}
	for _, c := range []struct {
		url  string
		want bool
	}{
		{"http://p.gov.cn/col/col1/index.html", true},
		{"http://p.gov.cn/zwgk/bm/fgj/index.html", true},
		{"http://p.gov.cn/xxgk/index.html", false},
		{"http://p.gov.cn/", false},
	} {
		if got := IsPortalColumn(mustURL(c.url)); got != c.want {
			t.Errorf("IsPortalColumn(%s) = %v, want %v", c.url, got, c.want)
		}
	}
}

// Ensure that a column-scoped crawl (audit --url) of one department on a
// Hanweb portal keeps to it when the portal's nav bar links portal-wide
// columns: a column whose location trail does not pass through the unit is
// fetched but not followed, so the other departments it lists stay out.
func TestCrawl_ColumnScopeDisownsPortalColumns(t *testing.T) {
	mux := http.NewServeMux()
	nav := `<div class="nav"><a href="/">首页</a> <a href="/col/col1/index.html">政务公开</a></div>`
	trail := func(items ...string) string {
		return `<div class="position">当前位置：<a href="/">首页</a>` + strings.Join(items, "") + `</div>`
	}
	mux.HandleFunc("/", htmlPage("北仑区人民政府", nav+`<a href="/col/col200/index.html">区教育局</a>`))
	mux.HandleFunc("/col/col1/index.html", htmlPage("政务公开", nav+trail(` &gt; <span>政务公开</span>`)+
		`<a href="/col/col100/index.html">区发改局</a><a href="/col/col200/index.html">区教育局</a><a href="/art/2019/1/2/art_1_9.html">区政府通知</a>`))
	mux.HandleFunc("/col/col100/index.html", htmlPage("区发改局", nav+trail(` &gt; <a href="/col/col1/index.html">政务公开</a> &gt; <span>区发改局</span>`)+
		`<a href="/col/col101/index.html">政策文件</a>`))
	mux.HandleFunc("/col/col101/index.html", htmlPage("政策文件", nav+trail(` &gt; <a href="/col/col100/index.html">区发改局</a> &gt; <span>政策文件</span>`)+
		`<a href="/art/2019/1/3/art_101_1.html">关于印发某办法的通知</a><a href="/col/col102/index.html">规范性文件</a>`))
	mux.HandleFunc("/col/col102/index.html", htmlPage("规范性文件", nav+`<a href="/art/2019/1/4/art_102_2.html">某规定</a>`))
	mux.HandleFunc("/art/", htmlPage("文章", nav+`<p>正文</p>`))
	mux.HandleFunc("/col/col200/index.html", htmlPage("区教育局", nav+`<a href="/col/col201/index.html">教育局政策</a>`))
	mux.HandleFunc("/col/col201/index.html", htmlPage("教育局政策", nav))
	srv := newServer(t, mux)

	s := mustCrawl(t, srv.URL+"/col/col100/index.html", Options{Policy: testPolicy(), ColumnScope: true})
	got := map[string]bool{}
	for _, p := range s.Pages {
		got[strings.TrimPrefix(p.URL, srv.URL)] = true
	}
	for _, want := range []string{"/col/col100/index.html", "/col/col101/index.html", "/col/col102/index.html",
		"/art/2019/1/3/art_101_1.html", "/art/2019/1/4/art_102_2.html"} {
		if !got[want] {
			t.Errorf("page %s not crawled; pages %v", want, got)
		}
	}
	for _, not := range []string{"/", "/col/col200/index.html", "/col/col201/index.html", "/art/2019/1/2/art_1_9.html"} {
		if got[not] {
			t.Errorf("page %s crawled, want it left to the portal and its other units; pages %v", not, got)
		}
	}
}
