package store_test

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"gkaudit/internal/testutil"
	"gkaudit/store"
)

// Ensure that a handle opens the file on use and closes it once idle, so
// another open of the file succeeds in between.
func TestHandle_ClosesWhenIdle(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	h := store.NewHandle(path, 20*time.Millisecond)
	defer h.Close()
	if err := h.Do(func(db *store.DB) error { _, err := db.Runs(); return err }); err != nil {
		t.Fatal(err)
	}
	if !h.IsOpen() {
		t.Fatal("handle closed the file at once")
	}
	deadline := time.Now().Add(5 * time.Second)
	for h.IsOpen() && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if h.IsOpen() {
		t.Fatal("handle kept the file open while idle")
	}
	db, err := store.Open(path) // another user of the file gets in
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, release, err := h.Acquire()
	if err != nil {
		t.Fatal(err)
	}
	release()
	release() // a second release is harmless
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	if _, _, err := h.Acquire(); !errors.Is(err, store.ErrHandleClosed) {
		t.Errorf("Acquire after Close: %v", err)
	}
}

// Ensure that users, reviews and probes round-trip, and that a review
// needs a comment and is logged.
func TestUsersReviewsProbes(t *testing.T) {
	db := testutil.MustOpenStore(t)
	if err := db.AddUser(store.User{Name: "li", Role: store.RoleReviewer, Hash: []byte("h")}); err != nil {
		t.Fatal(err)
	}
	if err := db.AddUser(store.User{Name: "li", Role: store.RoleAdmin}); !errors.Is(err, store.ErrUserExists) {
		t.Errorf("duplicate user: %v", err)
	}
	if err := db.AddUser(store.User{Name: "x", Role: "root"}); err == nil {
		t.Errorf("unknown role accepted")
	}
	u, err := db.UpdateUser("li", func(u *store.User) error { u.Disabled = true; return nil })
	if err != nil || !u.Disabled {
		t.Errorf("UpdateUser = %+v, %v", u, err)
	}
	if us, err := db.Users(); err != nil || len(us) != 1 || us[0].Name != "li" || !us[0].Disabled {
		t.Errorf("Users = %+v, %v", us, err)
	}

	if _, err := db.AddReview(store.Review{Unit: "xinqi", Item: "news_conf", Points: 5, By: "li"}); !errors.Is(err, store.ErrReasonRequired) {
		t.Errorf("review without comment: %v", err)
	}
	if _, err := db.AddReview(store.Review{Unit: "xinqi", Item: "news_conf", Points: 5, By: "li", Why: "召开发布会2次"}); err != nil {
		t.Fatal(err)
	}
	rs, err := db.Reviews()
	if err != nil || len(rs) != 1 || rs[0].Points != 5 {
		t.Errorf("Reviews = %+v, %v", rs, err)
	}
	evs, err := db.Events(store.EventFilter{Action: store.ActionScore})
	if err != nil || len(evs) != 1 || evs[0].By != "li" {
		t.Errorf("score events = %+v, %v", evs, err)
	}

	t0 := time.Date(2020, 3, 1, 0, 0, 0, 0, time.UTC)
	var ps []store.ProbeResult
	for i := range 5 {
		ps = append(ps, store.ProbeResult{Unit: "xinqi", URL: "http://x/", At: t0.Add(time.Duration(i) * time.Hour), OK: i != 2})
	}
	ps = append(ps, store.ProbeResult{Unit: "xinqi-b", URL: "http://y/", At: t0, OK: true})
	if err := db.SaveProbes(ps); err != nil {
		t.Fatal(err)
	}
	got, err := db.Probes("xinqi", t0.Add(time.Hour), t0.Add(4*time.Hour))
	if err != nil || len(got) != 3 || got[1].OK {
		t.Errorf("Probes = %+v, %v; want hours 1..3 with hour 2 failed", got, err)
	}
	if n, err := db.DropProbesBefore(t0.Add(2 * time.Hour)); err != nil || n != 3 {
		t.Errorf("DropProbesBefore = %d, %v; want 3", n, err)
	}
}

// Ensure that an account change is an audit-log event with its actor.
func TestLogAccount(t *testing.T) {
	db := testutil.MustOpenStore(t)
	if err := db.LogAccount("admin", "li", "添加用户 li（审核员）", time.Now()); err != nil {
		t.Fatal(err)
	}
	evs, err := db.Events(store.EventFilter{Action: store.ActionAccount})
	if err != nil || len(evs) != 1 || evs[0].By != "admin" || evs[0].Subject != "li" || evs[0].ActionLabel() != "账号管理" {
		t.Errorf("account events = %+v, %v", evs, err)
	}
}
