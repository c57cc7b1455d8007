package onboard_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"gkaudit/config"
	"gkaudit/onboard"
)

// route is one page a fixture portal serves.
type route struct {
	file  string // under testdata/, or "" for body
	body  string
	ctype string // default text/html; charset=utf-8
}

// servePortal serves routes on loopback; robots is its robots.txt ("" for
// 404). {{BASE}} in a served page is the server's own URL, {{OTHER}} other.
func servePortal(t *testing.T, routes map[string]route, robots string, other string) *httptest.Server {
	t.Helper()
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" && robots != "" {
			w.Write([]byte(robots))
			return
		}
		rt, ok := routes[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		body := []byte(rt.body)
		if rt.file != "" {
			var err error
			if body, err = os.ReadFile(filepath.Join("testdata", rt.file)); err != nil {
				t.Error(err)
			}
		}
		body = []byte(strings.NewReplacer("{{BASE}}", srv.URL, "{{OTHER}}", other).Replace(string(body)))
		ct := rt.ctype
		if ct == "" {
			ct = "text/html; charset=utf-8"
		}
		w.Header().Set("Content-Type", ct)
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func loopbackOptions() onboard.Options {
	return onboard.Options{
		District: "北仑区",
		Crawl: config.Crawl{AllowNetworks: []string{"127.0.0.0/8", "::1/128"}, Robots: true,
			Timeout: config.Duration(5 * time.Second), UserAgent: "gkaudit-test"},
	}
}

func units(spec ...string) []config.Unit {
	var us []config.Unit
	for _, s := range spec {
		id, name, _ := strings.Cut(s, "=")
		kind := config.KindDepartment
		if strings.HasSuffix(name, "街道") {
			kind = config.KindStreet
		}
		us = append(us, config.Unit{ID: id, Name: name, Kind: kind})
	}
	return us
}

// want is a unit's expected URL (a path is on the portal) and scope.
type want struct {
	url   string
	scope []string
}

func checkUnits(t *testing.T, res *onboard.Result, base string, wants map[string]want) {
	t.Helper()
	abs := func(s string) string {
		if strings.HasPrefix(s, "/") {
			return base + s
		}
		return s
	}
	for _, u := range res.Units {
		w, ok := wants[u.ID]
		if !ok {
			if u.URL != "" {
				t.Errorf("unit %s (%s) got url %s, want none", u.ID, u.Name, u.URL)
			}
			continue
		}
		var scope []string
		for _, s := range w.scope {
			scope = append(scope, abs(s))
		}
		if u.URL != abs(w.url) || !slices.Equal(u.Scope, scope) {
			t.Errorf("unit %s (%s) = %s %v, want %s %v", u.ID, u.Name, u.URL, u.Scope, abs(w.url), scope)
		}
	}
}

// Ensure that a Hanweb portal's 信息公开 index is read: department names
// in short and long forms, 宁波市公安局北仑分局 as 公安分局, a name beside a
// 进入 link, an image's alt, the records of a <datastore> block; an
// abbreviation (经信局) is not taken but offered as the nearest candidate.
func TestDiscover_Hanweb(t *testing.T) {
	srv := servePortal(t, map[string]route{"/col/col1229116/index.html": {file: "hanweb_xxgk.html"}}, "User-agent: *\nDisallow: /module/\n", "")
	us := units("gov_office=区政府办公室", "finance=财政局", "ecology=生态环境分局", "public_security=公安分局",
		"economy_it=经信局", "audit=审计局", "meteorology=气象局", "pboc_beilun=人民银行北仑支行",
		"xinqi=新碶街道", "xiaogang=小港街道", "daqi=大碶街道")
	res, err := onboard.Discover(context.Background(), srv.URL+"/col/col1229116/index.html", us, loopbackOptions())
	if err != nil {
		t.Fatal(err)
	}
	checkUnits(t, res, srv.URL, map[string]want{
		"gov_office":      {url: "/col/col1229412/index.html"},
		"finance":         {url: "/col/col1229452/index.html"},
		"ecology":         {url: "/col/col1229692/index.html"},
		"public_security": {url: "/col/col1229732/index.html"},
		"audit":           {url: "/col/col1229492/index.html"},
		"meteorology":     {url: "/col/col1230852/index.html"},
		"pboc_beilun":     {url: "/col/col1230892/index.html"},
		"xinqi":           {url: "/col/col1229012/index.html"},
		"xiaogang":        {url: "/col/col1229052/index.html"},
		"daqi":            {url: "/col/col1229092/index.html"},
	})
	if len(res.Pages) != 1 {
		t.Errorf("read %v, want the index only (指南, 制度, 年报, 依申请公开 lead to no list)", res.Pages)
	}
	if len(res.Missing) != 1 || res.Missing[0].Unit.ID != "economy_it" {
		t.Fatalf("Missing = %+v, want economy_it only", res.Missing)
	}
	c := res.Missing[0].Candidates
	if len(c) == 0 || c[0].URL != srv.URL+"/col/col1230132/index.html" {
		t.Errorf("economy_it candidates = %+v, want 区经济和信息化局 first", c)
	}
}

// Ensure that a TRS /xxgk/ tree is followed to its department list (更多部门),
// that list's second page (written by createPageHTML), and its 乡镇（街道） page in GBK declared only by <meta>; departments in
// directories of the shared host get their directory as scope, streets on
// hosts of their own none.
func TestDiscover_TRSTreeAndGBK(t *testing.T) {
	srv := servePortal(t, map[string]route{
		"/xxgk/index.shtml":      {file: "trs_xxgk.html"},
		"/xxgk/bm/":              {file: "trs_bm.html"},
		"/xxgk/bm/index_1.shtml": {file: "trs_bm_1.html"},
		"/xxgk/jd/index.shtml":   {file: "trs_jd_gbk.html", ctype: "text/html"},
	}, "", "")
	us := units("finance=财政局", "audit=审计局", "education=教育局", "civil_affairs=民政局", "health=卫生健康局", "justice=司法局",
		"xinqi=新碶街道", "xiaogang=小港街道", "daqi=大碶街道", "chaiqiao=柴桥街道", "guoju=郭巨街道")
	res, err := onboard.Discover(context.Background(), srv.URL+"/xxgk/index.shtml", us, loopbackOptions())
	if err != nil {
		t.Fatal(err)
	}
	checkUnits(t, res, srv.URL, map[string]want{
		"finance":       {url: "/xxgk/bm/czj/index.shtml", scope: []string{"/xxgk/bm/czj/"}},
		"audit":         {url: "/xxgk/bm/sjj/index.shtml", scope: []string{"/xxgk/bm/sjj/"}},
		"education":     {url: "/xxgk/bm/jyj/", scope: []string{"/xxgk/bm/jyj/"}},
		"civil_affairs": {url: "/xxgk/bm/mzj/index.shtml", scope: []string{"/xxgk/bm/mzj/"}},
		"health":        {url: "/xxgk/bm/wjj/index.shtml", scope: []string{"/xxgk/bm/wjj/"}},
		"justice":       {url: "/xxgk/bm/sfj/index.shtml", scope: []string{"/xxgk/bm/sfj/"}},
		"xinqi":         {url: "http://xq.bl.gov.cn/xxgk/"},
		"xiaogang":      {url: "http://xg.bl.gov.cn/xxgk/"},
		"daqi":          {url: "http://dq.bl.gov.cn/xxgk/"},
		"chaiqiao":      {url: "http://cq.bl.gov.cn/xxgk/"},
	})
	if len(res.Missing) != 1 || res.Missing[0].Unit.ID != "guoju" || res.Missing[0].Reason == "" {
		t.Errorf("Missing = %+v, want guoju with a reason", res.Missing)
	}
	if len(res.Pages) != 4 {
		t.Errorf("read %d pages %v, want 4 (the index, not again as ./; 部门 and its index_1; 乡镇街道)", len(res.Pages), res.Pages)
	}
}

// Ensure that units in drop-downs of department and street sites are
// found, and that a link to a department site's home page is replaced by
// the 政府信息公开 column that page links to.
func TestDiscover_SelectAndSiteHome(t *testing.T) {
	dept := servePortal(t, map[string]route{"/": {file: "dept_home.html"}}, "", "")
	srv := servePortal(t, map[string]route{"/": {file: "select_home.html"}}, "", dept.URL)
	us := units("finance=财政局", "education=教育局", "xinqi=新碶街道")
	res, err := onboard.Discover(context.Background(), srv.URL+"/", us, loopbackOptions())
	if err != nil {
		t.Fatal(err)
	}
	checkUnits(t, res, srv.URL, map[string]want{
		"finance":   {url: dept.URL + "/zfxxgk/index.html"},
		"education": {url: "http://www.nbjy.gov.cn/col/col1229801/index.html"},
		"xinqi":     {url: "http://xq.bl.gov.cn/xxgk/index.html"},
	})
	for _, f := range res.Found {
		if f.Unit.ID == "finance" && f.Home != dept.URL+"/" {
			t.Errorf("finance Home = %q, want %q", f.Home, dept.URL+"/")
		}
	}
}

// Ensure that two links of one name to different places are not guessed
// between: the unit is missing, both listed.
func TestDiscover_Ambiguous(t *testing.T) {
	srv := servePortal(t, map[string]route{"/": {body: `<html><head><title>信息公开</title></head><body>
<ul><li><a href="/col/col1/index.html">区财政局</a></li><li><a href="/col/col2/index.html">区财政局</a></li><li><a href="/col/col3/index.html">区审计局</a></li></ul></body></html>`}}, "", "")
	res, err := onboard.Discover(context.Background(), srv.URL+"/", units("finance=财政局", "audit=审计局"), loopbackOptions())
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Missing) != 1 || res.Missing[0].Unit.ID != "finance" || len(res.Missing[0].Candidates) != 2 {
		t.Fatalf("Missing = %+v, want finance with 2 candidates", res.Missing)
	}
	if !strings.Contains(res.Missing[0].Reason, "2 个链接") {
		t.Errorf("reason = %q", res.Missing[0].Reason)
	}
}

// Ensure the error paths: an unreachable portal, a page that lists no
// unit, a portal robots.txt closes, loopback refused by the dial guard,
// and a cancelled context.
func TestDiscover_Errors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String() + "/"
	ln.Close()
	plain := servePortal(t, map[string]route{"/": {file: "dept_home.html"}}, "", "")
	shut := servePortal(t, map[string]route{"/": {file: "hanweb_xxgk.html"}}, "User-agent: *\nDisallow: /\n", "")
	us := units("finance=财政局", "audit=审计局")

	_, err = onboard.Discover(context.Background(), closed, us, loopbackOptions())
	if err == nil || !strings.Contains(err.Error(), "无法读取门户网站") {
		t.Errorf("closed port: err = %v, want 无法读取门户网站", err)
	}
	_, err = onboard.Discover(context.Background(), plain.URL+"/", us, loopbackOptions())
	if !errors.Is(err, onboard.ErrNoIndex) || !strings.Contains(err.Error(), "--portal") {
		t.Errorf("no index: err = %v, want ErrNoIndex saying what to do", err)
	}
	_, err = onboard.Discover(context.Background(), shut.URL+"/", us, loopbackOptions())
	if !errors.Is(err, onboard.ErrRobots) {
		t.Errorf("robots: err = %v, want ErrRobots", err)
	}
	guarded := loopbackOptions()
	guarded.Crawl.AllowNetworks = nil
	_, err = onboard.Discover(context.Background(), plain.URL+"/", us, guarded)
	if err == nil || !strings.Contains(err.Error(), "crawl.allow_networks") {
		t.Errorf("dial guard: err = %v, want the guard's message", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = onboard.Discover(ctx, plain.URL+"/", us, loopbackOptions())
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v, want context.Canceled", err)
	}
}

// Ensure that a unit already given a scope keeps it, and that the render
// of a partial result marks the missing unit and still parses.
func TestRender_Missing(t *testing.T) {
	srv := servePortal(t, map[string]route{"/xxgk/index.shtml": {file: "trs_xxgk.html"}}, "", "")
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	us := units("finance=财政局", "economy_it=经信局")
	us[1].KeyAreas = []string{"budget"}
	res, err := onboard.Discover(context.Background(), srv.URL+"/xxgk/index.shtml", us, loopbackOptions())
	if err != nil {
		t.Fatal(err)
	}
	out, err := onboard.Render(cfg, res, srv.URL+"/xxgk/index.shtml", time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), nil)
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	for _, w := range []string{"# 未找到：经信局", "- {id: economy_it, name: 经信局, kind: department, key_areas: [budget]}", "scope: ['" + srv.URL + "/xxgk/bm/czj/']", "gkaudit config check"} {
		if !strings.Contains(s, w) {
			t.Errorf("render lacks %q:\n%s", w, s)
		}
	}
	got, err := config.Parse("out.yaml", out)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Units) != 2 || got.Units[0].URL == "" || got.Units[1].URL != "" {
		t.Errorf("parsed units = %+v", got.Units)
	}
}

// Ensure that a user's config file is rewritten with its units replaced
// and its other settings and comments kept; a unit not found keeps the url
// it had, marked for checking.
func TestRender_KeepsUserFile(t *testing.T) {
	srv := servePortal(t, map[string]route{"/xxgk/index.shtml": {file: "trs_xxgk.html"}}, "", "")
	src := []byte("# 本区配置\ndistrict: 北仑区\ncrawl:\n  delay: 1s # 门户限速\nunits:\n  - {id: finance, name: 财政局, kind: department, exclude: ['/xxgk/**/old/**']}\n  - {id: economy_it, name: 经信局, kind: department, url: 'http://jxj.bl.gov.cn/xxgk/'}\n")
	cfg, err := config.Parse("user.yaml", src)
	if err != nil {
		t.Fatal(err)
	}
	res, err := onboard.Discover(context.Background(), srv.URL+"/xxgk/index.shtml", cfg.Units, loopbackOptions())
	if err != nil {
		t.Fatal(err)
	}
	out, err := onboard.Render(cfg, res, srv.URL, time.Now(), src)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"# 本区配置", "delay: 1s # 门户限速", "exclude: [/xxgk/**/old/**]", "url: '" + srv.URL + "/xxgk/bm/czj/index.shtml'", "照录自 user.yaml", "未找到：经信局（门户上没有名称与它相符的链接）。保留了原配置中的 url，请核对", "url: 'http://jxj.bl.gov.cn/xxgk/'"} {
		if !strings.Contains(string(out), w) {
			t.Errorf("render lacks %q:\n%s", w, out)
		}
	}
	got, err := config.Parse("out.yaml", out)
	if err != nil {
		t.Fatal(err)
	}
	if got.Crawl.Delay.D() != time.Second || len(got.Units) != 2 || got.Units[0].URL == "" || len(got.Units[0].Exclude) != 1 {
		t.Errorf("parsed = delay %v, units %+v", got.Crawl.Delay, got.Units)
	}
}

// Ensure that a unit linked twice is given its 信息公开 column: not the
// city bureau of the same name in a 市级部门 drop-down or 友情链接, not the
// portal's home page its name also links to.
func TestDiscover_PrefersDisclosureList(t *testing.T) {
	srv := servePortal(t, map[string]route{"/": {body: `<html><head><title>北仑区人民政府</title></head><body>
<div class="foot">主办：<a href="/">北仑区人民政府办公室</a></div>
<h3>部门信息公开</h3><ul><li><a href="/col/col11/index.html">区财政局</a></li><li><a href="/col/col12/index.html">区政府办公室</a></li></ul>
<select onchange="window.open(this.value)"><option value="">--市级部门--</option><option value="http://czj.ningbo.gov.cn/">财政局</option></select>
<h3>友情链接</h3><a href="http://www.mof.gov.cn/">财政局</a>
</body></html>`}}, "", "")
	res, err := onboard.Discover(context.Background(), srv.URL+"/", units("finance=财政局", "gov_office=区政府办公室"), loopbackOptions())
	if err != nil {
		t.Fatal(err)
	}
	checkUnits(t, res, srv.URL, map[string]want{
		"finance":    {url: "/col/col11/index.html"},
		"gov_office": {url: "/col/col12/index.html"},
	})
}
