package web_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"gkaudit/checks"
	"gkaudit/internal/testutil"
	"gkaudit/store"
	"gkaudit/web"
)

const appCSP = "default-src 'self'; img-src 'self' data:; frame-src 'self'; form-action 'self'; frame-ancestors 'none'"

// Ensure that anonymous requests for any page, and anonymous posts, are
// sent to the login page, and that the login page and the static files
// are served without a session.
func TestAnonymous_RedirectsToLogin(t *testing.T) {
	fx := newFixture(t)
	srv := newServer(t, fx.path, nil, nil)
	c := newClient(t)
	for _, p := range []string{"/", "/units/xinqi", "/findings/" + fx.orgID, "/page/" + fx.sha, "/events", "/users", "/nosuch"} {
		resp, _ := get(t, c, srv.URL+p)
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/login") {
			t.Errorf("GET %s = %d %q, want 303 to /login", p, resp.StatusCode, loc)
		}
	}
	resp, _ := get(t, c, srv.URL+"/units/xinqi")
	if loc := resp.Header.Get("Location"); loc != "/login?next=%2Funits%2Fxinqi" {
		t.Errorf("redirect of /units/xinqi = %q, want it back after login", loc)
	}
	resp, _ = post(t, c, srv.URL+"/findings/"+fx.orgID+"/dismiss", url.Values{"why": {"x"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
		t.Errorf("anonymous POST = %d %q, want 303 to /login", resp.StatusCode, resp.Header.Get("Location"))
	}
	for _, p := range []string{"/login", "/static/app.css", "/static/app.js"} {
		if resp, _ := get(t, c, srv.URL+p); resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s = %d, want 200", p, resp.StatusCode)
		}
	}
}

// Ensure that every app page carries the strict CSP and the other security
// headers, and that the session cookie is HttpOnly and SameSite=Strict.
func TestPages_SecurityHeaders(t *testing.T) {
	fx := newFixture(t)
	srv := newServer(t, fx.path, nil, nil)
	c := newClient(t)
	resp, _ := tryLogin(t, c, srv.URL, "view", password("view"))
	var cookie string
	for _, h := range resp.Header.Values("Set-Cookie") {
		if strings.HasPrefix(h, "gkaudit_session=") {
			cookie = h
		}
	}
	if !contains(cookie, "HttpOnly", "SameSite=Strict", "Path=/") || strings.Contains(cookie, "Secure") {
		t.Errorf("session cookie %q, want HttpOnly, SameSite=Strict, not Secure without TLS", cookie)
	}
	for _, p := range []string{"/", "/units/xinqi", "/findings/" + fx.orgID, "/runs", "/notices", "/events", "/account"} {
		resp, _ := get(t, c, srv.URL+p)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s = %d, want 200", p, resp.StatusCode)
		}
		h := resp.Header
		if h.Get("Content-Security-Policy") != appCSP || h.Get("X-Content-Type-Options") != "nosniff" || h.Get("X-Frame-Options") != "DENY" {
			t.Errorf("GET %s: CSP %q, nosniff %q, frame %q; want the app's policy", p, h.Get("Content-Security-Policy"),
				h.Get("X-Content-Type-Options"), h.Get("X-Frame-Options"))
		}
	}
}

// Ensure that a viewer reads but cannot score, decide, run or issue (403
// with a Chinese message), a reviewer scores and decides but cannot run or
// issue, and an admin may do all.
func TestRoles(t *testing.T) {
	fx := newFixture(t)
	runner := &fakeRunner{}
	srv := newServer(t, fx.path, runner, nil)
	posts := []struct {
		path string
		form url.Values
		role string // the least role allowed
	}{
		{"/units/xinqi/score", url.Values{"item": {"leadership"}, "points": {"4"}, "why": {"组织领导有力"}}, store.RoleReviewer},
		{"/findings/" + fx.mediaID + "/confirm", url.Values{"why": {"核实"}}, store.RoleReviewer},
		{"/runs/now", nil, store.RoleAdmin},
		{"/notices/issue", url.Values{"unit": {"finance"}}, store.RoleAdmin},
		{"/users", url.Values{"name": {"new"}, "role": {"viewer"}, "password": {"12345678"}, "password2": {"12345678"}}, store.RoleAdmin},
	}
	rank := map[string]int{store.RoleViewer: 1, store.RoleReviewer: 2, store.RoleAdmin: 3}
	for _, who := range []string{"view", "rev", "admin1"} {
		c := login(t, srv.URL, who)
		role := map[string]string{"view": store.RoleViewer, "rev": store.RoleReviewer, "admin1": store.RoleAdmin}[who]
		token := csrfOf(t, c, srv.URL+"/")
		for _, p := range posts {
			form := url.Values{"csrf": {token}}
			for k, v := range p.form {
				form[k] = v
			}
			resp, body := post(t, c, srv.URL+p.path, form)
			allowed := rank[role] >= rank[p.role]
			switch {
			case allowed && resp.StatusCode != http.StatusSeeOther:
				t.Errorf("%s POST %s = %d, want 303:\n%s", who, p.path, resp.StatusCode, body)
			case !allowed && (resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "无权操作")):
				t.Errorf("%s POST %s = %d, want 403 with 无权操作", who, p.path, resp.StatusCode)
			}
		}
		resp, _ := get(t, c, srv.URL+"/units/xinqi/score")
		if want := map[bool]int{true: 200, false: 403}[role != store.RoleViewer]; resp.StatusCode != want {
			t.Errorf("%s GET scoring page = %d, want %d", who, resp.StatusCode, want)
		}
		resp, _ = get(t, c, srv.URL+"/users")
		if want := map[bool]int{true: 200, false: 403}[role == store.RoleAdmin]; resp.StatusCode != want {
			t.Errorf("%s GET users = %d, want %d", who, resp.StatusCode, want)
		}
	}
	if runner.calls != 1 {
		t.Errorf("RunNow called %d times, want once (by the admin)", runner.calls)
	}
}

// Ensure that a POST without its CSRF token, or with another session's,
// is refused with 403 and changes nothing; and that the login form needs
// its token too.
func TestPost_RequiresCSRF(t *testing.T) {
	fx := newFixture(t)
	srv := newServer(t, fx.path, nil, nil)
	rev, other := login(t, srv.URL, "rev"), login(t, srv.URL, "admin1")
	otherToken := csrfOf(t, other, srv.URL+"/")
	for _, form := range []url.Values{{"why": {"误判"}}, {"why": {"误判"}, "csrf": {otherToken}}, {"why": {"误判"}, "csrf": {""}}} {
		resp, body := post(t, rev, srv.URL+"/findings/"+fx.orgID+"/dismiss", form)
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "CSRF") {
			t.Errorf("dismiss with %v = %d, want 403 naming the CSRF token", form, resp.StatusCode)
		}
	}
	_, page := get(t, rev, srv.URL+"/findings/"+fx.orgID)
	if !strings.Contains(page, `class="state open"`) {
		t.Error("the finding changed state after refused posts")
	}
	c := newClient(t)
	get(t, c, srv.URL+"/login")
	resp, _ := post(t, c, srv.URL+"/login", url.Values{"name": {"rev"}, "password": {password("rev")}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("login without its token = %d, want 403", resp.StatusCode)
	}
}

// Ensure that a stored page is served only from its own path, byte for
// byte, under the sandbox CSP with nosniff, and shown on the finding page
// only in a sandboxed frame: its script never appears in an app page.
func TestStoredPage_Sandboxed(t *testing.T) {
	fx := newFixture(t)
	srv := newServer(t, fx.path, nil, nil)
	c := login(t, srv.URL, "view")
	resp, body := get(t, c, srv.URL+"/page/"+fx.sha)
	h := resp.Header
	if resp.StatusCode != 200 || body != hostileBody {
		t.Fatalf("GET /page/%s = %d, body %q; want the stored page", fx.sha, resp.StatusCode, body)
	}
	if got := h.Get("Content-Security-Policy"); got != "sandbox; default-src 'none'; img-src 'self' data:" {
		t.Errorf("stored page CSP = %q", got)
	}
	if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Errorf("stored page nosniff %q, type %q", h.Get("X-Content-Type-Options"), h.Get("Content-Type"))
	}
	resp, src := get(t, c, srv.URL+"/page/"+fx.sha+"/source")
	if src != hostileBody || resp.Header.Get("Content-Type") != "text/plain; charset=utf-8" || !strings.HasPrefix(resp.Header.Get("Content-Security-Policy"), "sandbox") {
		t.Errorf("source view: type %q, CSP %q", resp.Header.Get("Content-Type"), resp.Header.Get("Content-Security-Policy"))
	}
	for _, p := range []string{"/", "/units/xinqi", "/findings/" + fx.orgID, "/events"} {
		_, page := get(t, c, srv.URL+p)
		if strings.Contains(page, "parent.document") || strings.Contains(page, `onload="alert`) {
			t.Errorf("%s carries the stored page's script", p)
		}
	}
	_, page := get(t, c, srv.URL+"/findings/"+fx.orgID)
	if !strings.Contains(page, `<iframe sandbox src="/page/`+fx.sha+`"`) {
		t.Errorf("finding page does not frame the stored page in a sandbox:\n%s", page)
	}
	for _, p := range []string{"/page/" + strings.Repeat("0", 64), "/page/../../etc/passwd", "/page/ABC"} {
		if resp, _ := get(t, c, srv.URL+p); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", p, resp.StatusCode)
		}
	}
}

// Ensure that a finding's detail with markup is shown escaped on every
// page that quotes it, and that the excerpt is highlighted in the app's
// own rendering of the page's text.
func TestFinding_EscapesMarkup(t *testing.T) {
	fx := newFixture(t)
	srv := newServer(t, fx.path, nil, nil)
	c := login(t, srv.URL, "view")
	for _, p := range []string{"/findings/" + fx.orgID, "/units/xinqi"} {
		_, page := get(t, c, srv.URL+p)
		if strings.Contains(page, "<img src=x") || strings.Contains(page, "<script>alert(2)") {
			t.Errorf("%s shows the detail's markup unescaped", p)
		}
		if !strings.Contains(page, "&lt;img src=x onerror=alert(1)&gt;") {
			t.Errorf("%s does not show the detail escaped", p)
		}
	}
	_, page := get(t, c, srv.URL+"/findings/"+fx.orgID)
	if !contains(page, "<mark>办公地址：新碶街道明州路1号</mark>", "主要职能", fx.sha, "条例第二十条（二）", "200") {
		t.Errorf("finding page lacks the highlighted excerpt or the evidence:\n%s", page)
	}
}

// Ensure that failed logins are limited per user name (5) and per client
// address (20) within 15 minutes, even with the right password, and that
// the limit lapses.
func TestLogin_RateLimit(t *testing.T) {
	fx := newFixture(t)
	clk := &clock{t: time.Date(2020, 3, 2, 9, 0, 0, 0, time.UTC)}
	srv := newServer(t, fx.path, nil, clk.now)
	c := newClient(t)
	for i := range 5 {
		if resp, _ := tryLogin(t, c, srv.URL, "rev", "wrong"); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("bad login %d = %d, want 401", i, resp.StatusCode)
		}
	}
	resp, body := tryLogin(t, c, srv.URL, "rev", password("rev"))
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "登录失败次数过多") {
		t.Errorf("login after 5 failures = %d, want 429 in Chinese", resp.StatusCode)
	}
	if resp, _ := tryLogin(t, newClient(t), srv.URL, "view", password("view")); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("another user's login = %d, want 303 (the limit is per user)", resp.StatusCode)
	}
	for i := range 15 {
		tryLogin(t, c, srv.URL, fmt.Sprintf("guess%d", i), "wrong")
	}
	if resp, _ := tryLogin(t, c, srv.URL, "admin1", password("admin1")); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("login after 20 failures from one address = %d, want 429", resp.StatusCode)
	}
	clk.add(16 * time.Minute)
	if resp, _ := tryLogin(t, c, srv.URL, "rev", password("rev")); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("login after the window = %d, want 303", resp.StatusCode)
	}
}

// Ensure that a disabled account cannot log in, and that disabling one
// (from the users page, or in the store as gkaudit user disable does) ends
// its sessions at once.
func TestDisabledUser(t *testing.T) {
	fx := newFixture(t)
	srv := newServer(t, fx.path, nil, nil)
	if resp, body := tryLogin(t, newClient(t), srv.URL, "gone", password("gone")); resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "账号已停用") {
		t.Errorf("disabled login = %d, want 401", resp.StatusCode)
	}
	rev, view := login(t, srv.URL, "rev"), login(t, srv.URL, "view")
	admin := login(t, srv.URL, "admin1")
	resp, _ := post(t, admin, srv.URL+"/users/rev/disable", url.Values{"csrf": {csrfOf(t, admin, srv.URL+"/users")}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("disable = %d", resp.StatusCode)
	}
	if resp, _ := get(t, rev, srv.URL+"/"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("disabled user's session: GET / = %d, want 303 to login", resp.StatusCode)
	}
	// The command line changes the file, not the server's memory.
	time.Sleep(200 * time.Millisecond) // the handle closes the idle file
	db, err := store.Open(fx.path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.UpdateUser("view", func(u *store.User) error { u.Disabled = true; return nil }); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if resp, _ := get(t, view, srv.URL+"/"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("session of a user disabled in the store: GET / = %d, want 303", resp.StatusCode)
	}
	if resp, _ := get(t, admin, srv.URL+"/"); resp.StatusCode != http.StatusOK {
		t.Errorf("admin's session ended too: %d", resp.StatusCode)
	}
}

// Ensure that sessions end after two idle hours.
func TestSession_IdleExpiry(t *testing.T) {
	fx := newFixture(t)
	clk := &clock{t: time.Date(2020, 3, 2, 9, 0, 0, 0, time.UTC)}
	srv := newServer(t, fx.path, nil, clk.now)
	c := login(t, srv.URL, "view")
	clk.add(time.Hour)
	if resp, _ := get(t, c, srv.URL+"/"); resp.StatusCode != http.StatusOK {
		t.Fatalf("GET / after an hour = %d, want 200", resp.StatusCode)
	}
	clk.add(2*time.Hour + time.Second)
	if resp, _ := get(t, c, srv.URL+"/"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("GET / after 2 idle hours = %d, want 303 to login", resp.StatusCode)
	}
	c = login(t, srv.URL, "view")
	if resp, _ := post(t, c, srv.URL+"/logout", url.Values{"csrf": {csrfOf(t, c, srv.URL+"/")}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout = %d", resp.StatusCode)
	}
	if resp, _ := get(t, c, srv.URL+"/"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("GET / after logout = %d, want 303", resp.StatusCode)
	}
}

// Ensure that a reviewer's score needs a comment and a value in range,
// applies only to lines reviewers score, and shows in the unit's total at
// once, with its audit-log event.
func TestScore_ChangesTotal(t *testing.T) {
	fx := newFixture(t)
	srv := newServer(t, fx.path, nil, nil)
	c := login(t, srv.URL, "rev")
	token := csrfOf(t, c, srv.URL+"/units/xinqi/score")
	bad := []url.Values{
		{"item": {"leadership"}, "points": {"4"}, "why": {" "}},
		{"item": {"leadership"}, "points": {"6"}, "why": {"x"}},
		{"item": {"leadership"}, "points": {"1.3"}, "why": {"x"}},
		{"item": {"leadership"}, "points": {"NaN"}, "why": {"x"}},
		{"item": {"org"}, "points": {"5"}, "why": {"自动项"}},
		{"item": {"nosuch"}, "points": {"1"}, "why": {"x"}},
	}
	for _, f := range bad {
		f.Set("csrf", token)
		if resp, _ := post(t, c, srv.URL+"/units/xinqi/score", f); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("score %v = %d, want 400", f, resp.StatusCode)
		}
	}
	resp, _ := post(t, c, srv.URL+"/units/xinqi/score", url.Values{"csrf": {token}, "item": {"leadership"}, "points": {"4.5"}, "why": {"领导小组健全 <b>"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("score = %d, want 303", resp.StatusCode)
	}
	_, page := get(t, c, srv.URL+resp.Header.Get("Location"))
	if !contains(page, "已保存", "总分 -1 → 3.5") {
		t.Errorf("scoring page after saving lacks the new total:\n%s", page)
	}
	_, unit := get(t, c, srv.URL+"/units/xinqi")
	if !contains(unit, `<div class="fig big" id="total"><b>3.5</b>`) {
		t.Errorf("unit page total is not 3.5 (−1 for the stale column, +4.5)")
	}
	_, log := get(t, c, srv.URL+"/events?action=score")
	if !contains(log, "rev", "人工评分", "领导小组健全 &lt;b&gt;") {
		t.Errorf("audit log lacks the score event:\n%s", log)
	}
}

// Ensure that dismissing needs a reason, moves the finding to dismissed
// with an event naming the reviewer, and that it can be reopened.
func TestDecide_DismissReopen(t *testing.T) {
	fx := newFixture(t)
	srv := newServer(t, fx.path, nil, nil)
	c := login(t, srv.URL, "rev")
	u := srv.URL + "/findings/" + fx.orgID
	token := csrfOf(t, c, u)
	if resp, body := post(t, c, u+"/dismiss", url.Values{"csrf": {token}, "why": {""}}); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "请填写理由") {
		t.Errorf("dismiss without reason = %d, want 400", resp.StatusCode)
	}
	if resp, _ := post(t, c, u+"/dismiss", url.Values{"csrf": {token}, "why": {"办公时间在页脚"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("dismiss = %d", resp.StatusCode)
	}
	_, page := get(t, c, u)
	if !contains(page, `class="state dismissed"`, "办公时间在页脚", "已驳回", "重新打开") {
		t.Errorf("finding page after dismissal:\n%s", page)
	}
	if resp, _ := post(t, c, u+"/dismiss", url.Values{"csrf": {token}, "why": {"again"}}); resp.StatusCode != http.StatusConflict {
		t.Errorf("second dismissal = %d, want 409", resp.StatusCode)
	}
	if resp, _ := post(t, c, u+"/reopen", url.Values{"csrf": {token}, "why": {"复核后确属问题"}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("reopen = %d", resp.StatusCode)
	}
	_, log := get(t, c, srv.URL+"/events?by=rev&unit=xinqi")
	if !contains(log, "审核驳回", "审核重新打开", "办公时间在页脚", "复核后确属问题") || strings.Contains(log, `<td class="nowrap">发现</td>`) {
		t.Errorf("filtered audit log:\n%s", log)
	}
}

// Ensure that the admin issues a unit's notice from the UI (文号, findings
// notified), that it is listed and rebuilt, and that drafts and issued
// notices are framed, sandboxed documents.
func TestNotices_Issue(t *testing.T) {
	fx := newFixture(t)
	srv := newServer(t, fx.path, nil, func() time.Time { return time.Date(2020, 3, 2, 9, 0, 0, 0, time.UTC) })
	c := login(t, srv.URL, "admin1")
	_, list := get(t, c, srv.URL+"/notices")
	if !contains(list, "/notices/draft/xinqi/rectification", "/notices/draft/finance/rectification") {
		t.Fatalf("notices page lacks the drafts:\n%s", list)
	}
	resp, doc := get(t, c, srv.URL+"/notices/draft/xinqi/rectification/doc")
	if !strings.HasPrefix(resp.Header.Get("Content-Security-Policy"), "sandbox;") || !contains(doc, "整改通知", "草稿", "&lt;img src=x") {
		t.Errorf("draft doc: CSP %q\n%s", resp.Header.Get("Content-Security-Policy"), doc)
	}
	resp, _ = post(t, c, srv.URL+"/notices/issue", url.Values{"csrf": {csrfOf(t, c, srv.URL+"/notices")}, "unit": {"xinqi"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("issue = %d", resp.StatusCode)
	}
	_, list = get(t, c, srv.URL+"/notices")
	if !contains(list, "已印发 1 份通知", "仑政公办〔2020〕1号", "/notices/issued/000001") || strings.Contains(list, "/notices/draft/xinqi/") {
		t.Errorf("notices page after issuing:\n%s", list)
	}
	_, doc = get(t, c, srv.URL+"/notices/issued/000001/doc")
	if !contains(doc, "仑政公办〔2020〕1号", "新碶街道") || strings.Contains(doc, "草稿") {
		t.Errorf("issued notice rebuilt:\n%s", doc)
	}
	_, page := get(t, c, srv.URL+"/findings/"+fx.orgID)
	if !contains(page, `class="state notified"`, "仑政公办〔2020〕1号") {
		t.Error("the finding is not notified after issuing")
	}
}

// Ensure that the exports download: the score sheet, the report, and a
// finding's WARC (gzip members starting with a warcinfo record).
func TestExports(t *testing.T) {
	fx := newFixture(t)
	srv := newServer(t, fx.path, nil, nil)
	c := login(t, srv.URL, "view")
	for _, tt := range []struct{ path, ctype, magic string }{
		{"/export/score.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "PK"},
		{"/export/report.html", "text/html; charset=utf-8", "<!DOCTYPE html>"},
		{"/findings/" + fx.orgID + "/evidence", "application/warc", "\x1f\x8b"},
	} {
		resp, body := get(t, c, srv.URL+tt.path)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != tt.ctype || !strings.HasPrefix(body, tt.magic) ||
			!strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") {
			t.Errorf("GET %s = %d %q %q, starts %q", tt.path, resp.StatusCode, resp.Header.Get("Content-Type"),
				resp.Header.Get("Content-Disposition"), body[:min(len(body), 16)])
		}
		if strings.HasSuffix(tt.path, "/evidence") {
			zr, err := gzip.NewReader(bytes.NewReader([]byte(body)))
			if err != nil {
				t.Fatal(err)
			}
			warc, _ := io.ReadAll(zr)
			if !contains(string(warc), "WARC/1.1", "WARC-Type: warcinfo", "WARC-Type: resource") {
				t.Errorf("evidence file:\n%.600s", warc)
			}
		}
	}
}

// Ensure that the runs page shows the runner's progress and the run-now
// button to admins only, and without a runner says where runs come from.
func TestRuns_Runner(t *testing.T) {
	fx := newFixture(t)
	runner := &fakeRunner{status: web.RunStatus{Running: true, RunID: "000002", UnitsDone: 3, UnitsTotal: 48, Pages: 812, Current: []string{"xinqi"}}}
	srv := newServer(t, fx.path, runner, nil)
	admin, view := login(t, srv.URL, "admin1"), login(t, srv.URL, "view")
	_, page := get(t, admin, srv.URL+"/runs")
	if !contains(page, "正在运行 2", "3</b>/<span data-f=\"units_total\">48", "新碶街道", "立即运行") {
		t.Errorf("admin's runs page:\n%s", page)
	}
	if _, page := get(t, view, srv.URL+"/runs"); strings.Contains(page, "立即运行") {
		t.Error("a viewer sees the run-now button")
	}
	_, js := get(t, view, srv.URL+"/runs/status")
	if !contains(js, `"running":true`, `"units_done":3`, `"current":["新碶街道"]`) {
		t.Errorf("status JSON = %s", js)
	}
	srv = newServer(t, newFixture(t).path, nil, nil)
	_, page = get(t, login(t, srv.URL, "admin1"), srv.URL+"/runs")
	if !contains(page, "gkaudit audit", "gkaudit serve", "000001") || strings.Contains(page, "立即运行") {
		t.Errorf("runs page without a runner:\n%s", page)
	}
}

// Ensure that an admin adds accounts with a password of at least 8
// characters, and cannot disable themself.
func TestUsers_Add(t *testing.T) {
	fx := newFixture(t)
	srv := newServer(t, fx.path, nil, nil)
	c := login(t, srv.URL, "admin1")
	token := csrfOf(t, c, srv.URL+"/users")
	form := func(name, pw, pw2 string) url.Values {
		return url.Values{"csrf": {token}, "name": {name}, "role": {"reviewer"}, "password": {pw}, "password2": {pw2}}
	}
	if resp, _ := post(t, c, srv.URL+"/users", form("李审核", "short", "short")); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("short password = %d, want 400", resp.StatusCode)
	}
	if resp, _ := post(t, c, srv.URL+"/users", form("李审核", "long enough", "long enougg")); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("mismatched passwords = %d, want 400", resp.StatusCode)
	}
	if resp, _ := post(t, c, srv.URL+"/users", form("rev", "long enough", "long enough")); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("existing name = %d, want 400", resp.StatusCode)
	}
	if resp, _ := post(t, c, srv.URL+"/users", form("李审核", "long enough", "long enough")); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("add = %d", resp.StatusCode)
	}
	nc := newClient(t)
	if resp, _ := tryLogin(t, nc, srv.URL, "李审核", "long enough"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("new user's login = %d", resp.StatusCode)
	}
	if resp, _ := post(t, c, srv.URL+"/users/admin1/disable", url.Values{"csrf": {token}}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("self-disable = %d, want 400", resp.StatusCode)
	}
}

// Ensure that a database without runs shows where runs come from instead
// of failing, and that unknown units and findings, and findings that never
// failed, get Chinese pages.
func TestPages_EmptyAndUnknown(t *testing.T) {
	path := testutil.MustWriteStore(t, func(db *store.DB) {
		h, _ := bcrypt.GenerateFromPassword([]byte(password("view")), bcrypt.MinCost)
		if err := db.AddUser(store.User{Name: "view", Role: store.RoleViewer, Hash: h}); err != nil {
			t.Fatal(err)
		}
	})
	srv := newServer(t, path, nil, nil)
	c := login(t, srv.URL, "view")
	for _, tt := range []struct {
		path string
		code int
		want string
	}{
		{"/", 200, "尚无运行记录"},
		{"/runs", 200, "还没有运行记录"},
		{"/notices", 200, "还没有完整的运行"},
		{"/events", 200, "没有符合条件的记录"},
		{"/units/xinqi", 404, "不在最近一次运行中"},
		{"/export/score.xlsx", 404, "还没有运行记录"},
	} {
		resp, body := get(t, c, srv.URL+tt.path)
		if resp.StatusCode != tt.code || !strings.Contains(body, tt.want) {
			t.Errorf("GET %s = %d, want %d and %q", tt.path, resp.StatusCode, tt.code, tt.want)
		}
	}

	fx := newFixture(t)
	srv = newServer(t, fx.path, nil, nil)
	c = login(t, srv.URL, "view")
	pass := store.FindingID(store.FindingKey(testutil.Finding("finance", "org.info", "http://finance.example/xxgk/jgxx/", checks.Pass)))
	for _, tt := range []struct {
		path string
		code int
		want string
	}{
		{"/findings/" + pass, 200, "没有整改记录"},
		{"/findings/000000000000", 404, "没有编号为 000000000000 的问题"},
		{"/findings/xyz", 404, "12 位十六进制"},
		{"/units/nosuch", 404, "不在最近一次运行中"},
		{"/nosuch", 404, "页面不存在"},
	} {
		resp, body := get(t, c, srv.URL+tt.path)
		if resp.StatusCode != tt.code || !strings.Contains(body, tt.want) {
			t.Errorf("GET %s = %d, want %d and %q", tt.path, resp.StatusCode, tt.code, tt.want)
		}
	}
}

// Ensure that a finding's page names its status in the command line's
// words (the web said 合格/无法检查/检查出错 where tables said
// 通过/无法判断/出错).
func TestFinding_StatusWordsOfCLI(t *testing.T) {
	fx := newFixture(t)
	srv := newServer(t, fx.path, nil, nil)
	c := login(t, srv.URL, "view")
	pass := store.FindingID(store.FindingKey(testutil.Finding("finance", "org.info", "http://finance.example/xxgk/jgxx/", checks.Pass)))
	for _, tt := range []struct {
		id   string
		want string
	}{
		{pass, `st-pass">` + checks.Pass.Label() + `<`},
		{fx.orgID, `st-fail">` + checks.Fail.Label() + `<`},
	} {
		_, page := get(t, c, srv.URL+"/findings/"+tt.id)
		if !strings.Contains(page, tt.want) {
			t.Errorf("GET /findings/%s lacks %q:\n%s", tt.id, tt.want, page)
		}
	}
	if checks.Pass.Label() != "通过" || checks.NA.Label() != "无法判断" {
		t.Errorf("labels = %s, %s, want the CLI's 通过, 无法判断", checks.Pass.Label(), checks.NA.Label())
	}
}
