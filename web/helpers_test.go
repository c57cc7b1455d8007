package web_test

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"gkaudit/checks"
	"gkaudit/config"
	"gkaudit/internal/testutil"
	"gkaudit/site"
	"gkaudit/store"
	"gkaudit/web"
)

// Accounts of the fixture store; each password is the name + "-password".
var accounts = []struct{ name, role string }{
	{"admin1", store.RoleAdmin}, {"rev", store.RoleReviewer}, {"view", store.RoleViewer}, {"gone", store.RoleReviewer},
}

func password(name string) string { return name + "-password" }

// hostileBody is a stored page that tries to run script in whoever shows it.
const hostileBody = `<html><head><title>新碶街道 机构信息</title><script>parent.document.title="pwned"</script></head>
<body onload="alert(1)"><h1>机构信息</h1><p>主要职能：负责辖区政务公开工作。</p>
<p>办公地址：新碶街道明州路1号</p><p>联系电话：0574-86780000</p><form action="http://evil.example/"><input name="q"></form></body></html>`

// markupDetail is a finding detail carrying markup, as page text quoted in
// a finding can.
const markupDetail = `机构信息缺少：办公时间 <img src=x onerror=alert(1)><script>alert(2)</script>`

// fixture is a store with two units of the built-in district audited in one
// complete run: xinqi fails org.info on a hostile stored page (detail with
// markup) and column.stale; finance fails newmedia.links.
type fixture struct {
	path    string
	sha     string // SHA-256 of the stored hostile page
	orgID   string // xinqi's org.info finding
	mediaID string // finance's newmedia.links finding
}

func newFixture(t testing.TB) fixture {
	t.Helper()
	sum := sha256.Sum256([]byte(hostileBody))
	fx := fixture{sha: hex.EncodeToString(sum[:])}
	entry := "http://xinqi.example/xxgk/index.html"
	fetched := time.Date(2020, 3, 1, 2, 0, 0, 0, time.UTC)
	fx.path = testutil.MustWriteStore(t, func(db *store.DB) {
		for _, a := range accounts {
			h, err := bcrypt.GenerateFromPassword([]byte(password(a.name)), bcrypt.MinCost)
			if err != nil {
				t.Fatal(err)
			}
			if err := db.AddUser(store.User{Name: a.name, Role: a.role, Hash: h}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.UpdateUser("gone", func(u *store.User) error { u.Disabled = true; return nil }); err != nil {
			t.Fatal(err)
		}
		org := checks.Finding{Unit: "xinqi", Check: "org.info", Subject: entry, Status: checks.Fail, URL: entry,
			Detail: markupDetail, Rule: "条例第二十条（二）",
			Evidence: checks.Evidence{URL: entry, FetchedAt: fetched, HTTPStatus: 200, SHA256: fx.sha, Excerpt: "办公地址：新碶街道明州路1号"}}
		stale := testutil.Finding("xinqi", "column.stale", "http://xinqi.example/xxgk/tzgg/", checks.Fail)
		stale.Kind = "notice"
		media := testutil.Finding("finance", "newmedia.links", "http://finance.example/xxgk/", checks.Fail)
		pass := testutil.Finding("finance", "org.info", "http://finance.example/xxgk/jgxx/", checks.Pass)
		r := testutil.MustBeginRun(t, db, store.Run{AsOf: "2020-03-01", Units: []string{"xinqi", "finance"}})
		snap := &site.Snapshot{UnitID: "xinqi", UnitName: "新碶街道", Entry: entry, Started: fetched, Finished: fetched.Add(time.Minute),
			Pages: []*site.Page{{URL: entry, FinalURL: entry, Status: 200, ContentType: "text/html", Charset: "utf-8",
				FetchedAt: fetched, Body: []byte(hostileBody), Size: int64(len(hostileBody)), Attempts: 1}}}
		if err := db.SaveSnapshot(r.ID, snap); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveFindings(r.ID, []checks.Finding{org, stale, media, pass}); err != nil {
			t.Fatal(err)
		}
		if err := db.FinishRun(r.ID); err != nil {
			t.Fatal(err)
		}
		fx.orgID = store.FindingID(store.FindingKey(org))
		fx.mediaID = store.FindingID(store.FindingKey(media))
	})
	return fx
}

// fakeRunner records RunNow calls and reports a fixed status.
type fakeRunner struct {
	mu     sync.Mutex
	calls  int
	status web.RunStatus
}

func (f *fakeRunner) RunNow() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	return nil
}

func (f *fakeRunner) Status() web.RunStatus {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.status
}

// clock is a settable clock for session expiry and rate limits.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// newServer serves the UI on the store at path on loopback.
func newServer(t testing.TB, path string, runner web.Runner, now func() time.Time) *httptest.Server {
	t.Helper()
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	return newServerConfig(t, path, cfg, runner, now)
}

// newServerConfig is newServer with units and rubric from cfg.
func newServerConfig(t testing.TB, path string, cfg *config.Config, runner web.Runner, now func() time.Time) *httptest.Server {
	t.Helper()
	h := store.NewHandle(path, 50*time.Millisecond)
	t.Cleanup(func() { h.Close() })
	o := web.Options{Store: h, Config: cfg, Now: now}
	if runner != nil {
		o.Runner = runner
	}
	ui, err := web.New(o)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(ui)
	t.Cleanup(srv.Close)
	return srv
}

// newClient is a browser-like client: cookies kept, redirects not followed
// (tests look at them).
func newClient(t testing.TB) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

var csrfPattern = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// get fetches url and returns the status and body.
func get(t testing.TB, c *http.Client, u string) (*http.Response, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

// post sends a form and returns the response and body.
func post(t testing.TB, c *http.Client, u string, form url.Values) (*http.Response, string) {
	t.Helper()
	resp, err := c.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

// csrfOf returns the CSRF token of the first form on the page at u.
func csrfOf(t testing.TB, c *http.Client, u string) string {
	t.Helper()
	_, body := get(t, c, u)
	m := csrfPattern.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF token on %s:\n%s", u, body)
	}
	return m[1]
}

// tryLogin posts the login form as name with pw and returns the response.
func tryLogin(t testing.TB, c *http.Client, base, name, pw string) (*http.Response, string) {
	t.Helper()
	token := csrfOf(t, c, base+"/login")
	return post(t, c, base+"/login", url.Values{"csrf": {token}, "name": {name}, "password": {pw}, "next": {"/"}})
}

// login returns a client logged in as name.
func login(t testing.TB, base, name string) *http.Client {
	t.Helper()
	c := newClient(t)
	resp, body := tryLogin(t, c, base, name, password(name))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login as %s = %d, want 303:\n%s", name, resp.StatusCode, body)
	}
	return c
}

func contains(body string, subs ...string) bool {
	for _, s := range subs {
		if !strings.Contains(body, s) {
			return false
		}
	}
	return true
}
