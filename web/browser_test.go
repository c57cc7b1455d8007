package web_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"gkaudit/render"
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
		t.Fatalf("%s: %v", what, err)
	}
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
