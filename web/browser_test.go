package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"golang.org/x/crypto/bcrypt"

	"gkaudit/audit"
	"gkaudit/config"
	"gkaudit/internal/testutil"
	"gkaudit/render"
	"gkaudit/sim"
	"gkaudit/store"
)

// browser starts Debian's chromium for a test and returns a tab with a
// 1366×768 window. Without chromium the test is skipped, unless CI is set
// (CI installs chromium, so there its absence is a failure).
func browser(t *testing.T) context.Context {
	t.Helper()
	if _, err := render.Browser(); err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("no chromium installed")
		}
		t.Fatal(err)
	}
	s, err := render.Start(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	tab, cancel := s.Tab()
	t.Cleanup(cancel)
	if err := chromedp.Do(tab, chromedp.EmulateViewport(1366, 768)); err != nil {
		t.Fatal(err)
	}
	return tab
}

// step runs actions with a deadline, failing the test with what it was
// doing.
func step(t *testing.T, tab context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v\npage: %s", what, err, pageText(tab))
	}
}

// pageText is the text of the page now, for failure messages.
func pageText(tab context.Context) string {
	ctx, cancel := context.WithTimeout(tab, 5*time.Second)
	defer cancel()
	s, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.location.href + "\n" + (document.querySelector("main") || document.body).innerText`))
	return s
}

// text returns the text of the first element matching css.
func text(t *testing.T, tab context.Context, css string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, 30*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(css)))
	if err != nil {
		t.Fatalf("text of %s: %v", css, err)
	}
	return s
}

// browserLogin logs in on the login page as name.
func browserLogin(t *testing.T, tab context.Context, base, name, pw string) {
	t.Helper()
	step(t, tab, "log in as "+name,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`input[name=name]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=name]`), name),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), pw),
		chromedp.Click(chromedp.CSS(`button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`header.top`)),
	)
}

// auditSim audits units of the simulated district (served on loopback)
// into a new store with an admin account, and returns its path and the
// config naming the units.
func auditSim(t *testing.T, ids ...string) (string, *config.Config) {
	t.Helper()
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	testutil.AllowLoopback(cfg)
	var units []config.Unit
	for _, id := range ids {
		u, ok := cfg.UnitByID(id)
		if !ok {
			t.Fatalf("no unit %s", id)
		}
		units = append(units, u)
	}
	d, err := sim.New(sim.Options{Seed: 1, Size: sim.SizeDemo, Units: units})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	cfg.Units = d.Units()
	cfg.Crawl.Delay = 0
	cfg.Crawl.RecheckAfter = 0 // the sim's dead links stay dead: try again at once
	cfg.Crawl.Timeout = config.Duration(time.Second)
	cfg.Crawl.Retries = 0
	cfg.Crawl.UnitBudget = config.Duration(30 * time.Second)
	path := filepath.Join(t.TempDir(), "audit.db")
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := audit.Run(context.Background(), audit.Options{Config: cfg, Units: cfg.Units, AsOf: d.AsOf(), DB: db}); err != nil {
		t.Fatal(err)
	}
	h, _ := bcrypt.GenerateFromPassword([]byte(password("admin1")), bcrypt.MinCost)
	if err := db.AddUser(store.User{Name: "admin1", Role: store.RoleAdmin, Hash: h}); err != nil {
		t.Fatal(err)
	}
	return path, cfg
}

// click clicks the element at css and waits for the page it leads to.
func click(t *testing.T, tab context.Context, what, css string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, 30*time.Second)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(css)))
	if err != nil {
		t.Fatalf("%s (click %s): %v", what, css, err)
	}
	if resp.Status != 200 {
		t.Fatalf("%s (click %s): HTTP %d", what, css, resp.Status)
	}
}

// acceptConfirms makes the page's confirm() say yes, as a reviewer would.
func acceptConfirms(t *testing.T, tab context.Context) {
	t.Helper()
	step(t, tab, "accept confirms", chromedp.Evaluate[chromedp.Void](`window.confirm = function () { return true; }`))
}

// Ensure that a reviewer can do the morning's work in a browser: log in,
// open the dashboard, a unit and one of its findings (the stored page in a
// sandboxed frame), dismiss it with a reason, score a manual item and see
// the unit's total change, and issue the unit's notice.
func TestBrowser_ReviewFlow(t *testing.T) {
	// The sim makes the last street and the last department on their own
	// hosts hang and refuse: xinqi and finance come with two more.
	path, cfg := auditSim(t, "xinqi", "xiaogang", "finance", "audit")
	srv := newServerConfig(t, path, cfg, nil, nil)
	tab := browser(t)
	browserLogin(t, tab, srv.URL, "admin1", password("admin1"))
	step(t, tab, "dashboard", chromedp.WaitVisible(chromedp.CSS(`table.units`)))
	if got := text(t, tab, `table.units tbody`); !strings.Contains(got, "新碶街道") || !strings.Contains(got, "财政局") {
		t.Fatalf("dashboard lists %q", got)
	}

	click(t, tab, "open the unit", `table.units a[href="/units/xinqi"]`)
	before := text(t, tab, `#total b`)
	click(t, tab, "open a finding", `table.findings tbody tr:first-child a`)
	step(t, tab, "finding page", chromedp.WaitVisible(chromedp.CSS(`.stored`)))
	findingURL, _ := chromedp.Run(tab, chromedp.Location())
	t.Logf("finding %s", findingURL)
	// A sandboxed frame without allow-same-origin has an opaque origin:
	// the app cannot reach into it, nor it into the app.
	if sandboxed, err := chromedp.Run(tab, chromedp.Evaluate[bool](
		`(function () { var f = document.querySelector(".stored iframe"); return !f || (f.hasAttribute("sandbox") && f.getAttribute("sandbox") === "" && f.contentDocument === null); })()`)); err != nil || !sandboxed {
		t.Errorf("stored page frame not sandboxed (%v)", err)
	}
	acceptConfirms(t, tab)
	step(t, tab, "reason", chromedp.SendKeys(chromedp.CSS(`#dismiss input[name=why]`), "页面另有说明，规则误判"))
	click(t, tab, "dismiss", `#dismiss button`)
	if got := text(t, tab, `.flash`); !strings.Contains(got, "已驳回") {
		t.Errorf("after dismissing, the page says %q", got)
	}
	if got := text(t, tab, `.facts`); !strings.Contains(got, "页面另有说明，规则误判") {
		t.Errorf("the finding does not show the reason")
	}

	step(t, tab, "scoring page", chromedp.Navigate(srv.URL+"/units/xinqi/score"), chromedp.WaitVisible(chromedp.CSS(`#line-leadership`)))
	mid := text(t, tab, `#total b`)
	step(t, tab, "score leadership",
		chromedp.SendKeys(chromedp.CSS(`#line-leadership input[name=points]`), "4"),
		chromedp.SendKeys(chromedp.CSS(`#line-leadership input[name=why]`), "领导小组健全，年度工作部署到位"))
	click(t, tab, "save the score", `#line-leadership button`)
	after := text(t, tab, `#total b`)
	if !near(after, mid, 4) {
		t.Errorf("total after scoring 4 = %s, want %s + 4", after, mid)
	}
	if got := text(t, tab, `.flash`); !strings.Contains(got, "→ "+after) {
		t.Errorf("flash %q does not give the new total %s", got, after)
	}
	step(t, tab, "unit page again", chromedp.Navigate(srv.URL+"/units/xinqi"), chromedp.WaitVisible(chromedp.CSS(`#total`)))
	if got := text(t, tab, `#total b`); got != after || got == before {
		t.Errorf("unit page total = %s, want %s (was %s)", got, after, before)
	}

	step(t, tab, "draft notice", chromedp.Navigate(srv.URL+"/notices/draft/xinqi/rectification"), chromedp.WaitVisible(chromedp.CSS(`iframe.noticeframe`)))
	acceptConfirms(t, tab)
	click(t, tab, "issue", `form[action="/notices/issue"] button`)
	if got := text(t, tab, `.flash`); !strings.Contains(got, "已印发 1 份通知") || !strings.Contains(got, "仑政公办") {
		t.Errorf("after issuing, the page says %q", got)
	}
	click(t, tab, "open the issued notice", `a[href="/notices/issued/000001"]`)
	step(t, tab, "issued notice", chromedp.WaitVisible(chromedp.CSS(`iframe.noticeframe`)))
}

// near reports whether got = base + d, as the page writes points.
func near(got, base string, d float64) bool {
	g, err1 := strconv.ParseFloat(got, 64)
	b, err2 := strconv.ParseFloat(base, 64)
	return err1 == nil && err2 == nil && g == b+d
}

// Ensure that a stored page's script runs neither in its frame nor in the
// app: the hostile page sets the parent's title and calls alert.
func TestBrowser_StoredPageScriptDoesNotRun(t *testing.T) {
	fx := newFixture(t)
	srv := newServer(t, fx.path, nil, nil)
	tab := browser(t)
	dialogs := make(chan string, 4)
	go func() {
		for ev, err := range chromedp.Events(tab, page.JavascriptDialogOpening) {
			if err != nil {
				return
			}
			dialogs <- ev.Message
			chromedp.Call(tab, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
		}
	}()
	browserLogin(t, tab, srv.URL, "view", password("view"))
	step(t, tab, "finding page", chromedp.Navigate(srv.URL+"/findings/"+fx.orgID), chromedp.WaitVisible(chromedp.CSS(`.stored iframe`)),
		chromedp.Sleep(time.Second))
	title, err := chromedp.Run(tab, chromedp.Title())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(title, "pwned") {
		t.Errorf("the stored page's script changed the app's title to %q", title)
	}
	step(t, tab, "stored page opened directly", chromedp.Navigate(srv.URL+"/page/"+fx.sha), chromedp.Sleep(500*time.Millisecond))
	select {
	case m := <-dialogs:
		t.Errorf("the stored page's script opened a dialog %q", m)
	default:
	}
	if got := text(t, tab, `h1`); got != "机构信息" {
		t.Errorf("stored page opened directly shows %q", got)
	}
}
