package web_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"golang.org/x/crypto/bcrypt"

	"gkaudit/store"
)

// TestScreenshots writes the README's screenshots (dashboard, a unit, a
// finding at 1366×768) of the database GKAUDIT_SHOT_DB into the directory
// GKAUDIT_SHOTS; it is skipped unless both are set:
//
//	GKAUDIT_SHOT_DB=gkaudit-demo.db GKAUDIT_SHOTS=$PWD/docs go test -run Screenshots ./web
//
// GKAUDIT_SHOT_UNIT and GKAUDIT_SHOT_FINDING choose the unit and finding
// (default xinqi and its first failing finding).
func TestScreenshots(t *testing.T) {
	src, dir := os.Getenv("GKAUDIT_SHOT_DB"), os.Getenv("GKAUDIT_SHOTS")
	if src == "" || dir == "" {
		t.Skip("set GKAUDIT_SHOT_DB and GKAUDIT_SHOTS to write screenshots")
	}
	path := filepath.Join(t.TempDir(), "shot.db")
	copyFile(t, src, path)
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	h, _ := bcrypt.GenerateFromPassword([]byte("screenshot"), bcrypt.MinCost)
	if err := db.AddUser(store.User{Name: "李审核", Role: store.RoleAdmin, Hash: h}); err != nil {
		t.Fatal(err)
	}
	unit := or(os.Getenv("GKAUDIT_SHOT_UNIT"), "xinqi")
	finding := os.Getenv("GKAUDIT_SHOT_FINDING")
	if finding == "" {
		es, err := db.History(unit)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range es {
			if e.Open() && finding == "" {
				finding = e.ID
			}
		}
	}
	db.Close()
	srv := newServer(t, path, nil, nil)
	tab := browser(t)
	browserLogin(t, tab, srv.URL, "李审核", "screenshot")
	shots := []struct{ name, path, ready string }{
		{"dashboard.png", "/", "table.units"},
		{"unit.png", "/units/" + unit, "table.card-items"},
		{"finding.png", "/findings/" + finding, "iframe"},
	}
	if os.Getenv("GKAUDIT_SHOT_EXTRA") != "" {
		shots = append(shots, extraShots...)
	}
	for _, s := range shots {
		step(t, tab, "open "+s.path, chromedp.Navigate(srv.URL+s.path), chromedp.WaitVisible(chromedp.CSS(s.ready)), chromedp.Sleep(500*time.Millisecond))
		ctx, cancel := context.WithTimeout(tab, 30*time.Second)
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, s.name), png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s (%s)", filepath.Join(dir, s.name), s.path)
	}
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// extraShots are the other pages, written as extra-*.png when
// GKAUDIT_SHOT_EXTRA is set, for looking at them.
var extraShots = []struct{ name, path, ready string }{
	{"extra-scoring.png", "/units/xinqi/score", "table.scoring"},
	{"extra-runs.png", "/runs", "table.runs"},
	{"extra-notices.png", "/notices", "main h1"},
	{"extra-notice.png", "/notices/draft/xinqi/rectification", "iframe"},
	{"extra-events.png", "/events", "main h1"},
	{"extra-users.png", "/users", "table.users"},
	{"extra-login.png", "/login", "main"},
}
