package store_test

import (
	"errors"
	"testing"
	"time"

	"gkaudit/internal/testutil"
	"gkaudit/store"
)

// Ensure that BeginRun assigns zero-padded, ascending IDs and starts incomplete.
func TestBeginRun_AssignsIDs(t *testing.T) {
	db := testutil.MustOpenStore(t)
	before := time.Now()
	for i, want := range []string{"000001", "000002", "000003"} {
		r, err := db.BeginRun(store.Run{Complete: true, Pages: 7, Note: "n"})
		if err != nil {
			t.Fatal(err)
		}
		if r.ID != want {
			t.Errorf("run %d: ID = %q, want %q", i, r.ID, want)
		}
		if r.Complete || r.Pages != 0 || r.Started.Before(before) || r.AsOf != r.Started.Format(time.DateOnly) {
			t.Errorf("run %d = %+v, want incomplete, zero totals, Started now, AsOf today", i, r)
		}
	}
	runs, err := db.Runs()
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 3 || runs[0].ID != "000001" || runs[2].ID != "000003" {
		t.Errorf("Runs() = %+v, want 000001..000003 ascending", runs)
	}
}

// Ensure that BeginRun rejects an as-of date not in YYYY-MM-DD form.
func TestBeginRun_BadAsOf(t *testing.T) {
	db := testutil.MustOpenStore(t)
	if _, err := db.BeginRun(store.Run{AsOf: "2025/06/30"}); err == nil {
		t.Error("BeginRun(AsOf 2025/06/30) succeeded, want error")
	}
}

// Ensure that FinishRun marks the run complete and sets Finished.
func TestFinishRun(t *testing.T) {
	db := testutil.MustOpenStore(t)
	r := mustBeginRun(t, db)
	if err := db.FinishRun(r.ID); err != nil {
		t.Fatal(err)
	}
	got, err := db.Run(r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Complete || got.Finished.Before(got.Started) {
		t.Errorf("Run(%s) after FinishRun = %+v, want complete with Finished set", r.ID, got)
	}
	if !got.Started.Equal(r.Started) || got.AsOf != "2025-06-30" || len(got.Units) != 2 {
		t.Errorf("Run(%s) = %+v, want fields of %+v", r.ID, got, r)
	}
}

// Ensure that unknown runs are reported with ErrNotFound.
func TestRun_ErrNotFound(t *testing.T) {
	db := testutil.MustOpenStore(t)
	if _, err := db.ResolveRun("latest"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("ResolveRun(latest) on empty store: err = %v, want ErrNotFound", err)
	}
	r := mustBeginRun(t, db)
	if _, err := db.Run("000042"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Run(000042): err = %v, want ErrNotFound", err)
	}
	if err := db.FinishRun("000042"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("FinishRun(000042): err = %v, want ErrNotFound", err)
	}
	if err := db.SaveSnapshot("000042", newSnapshot("u1", 1, htmlBody)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SaveSnapshot(000042): err = %v, want ErrNotFound", err)
	}
	if err := db.SaveFindings("000042", nil); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SaveFindings(000042): err = %v, want ErrNotFound", err)
	}
	if _, err := db.Findings("000042"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Findings(000042): err = %v, want ErrNotFound", err)
	}
	if _, err := db.Snapshot(r.ID, "nosuch"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Snapshot(%s, nosuch): err = %v, want ErrNotFound", r.ID, err)
	}
	if _, err := db.Body("00"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Body(00): err = %v, want ErrNotFound", err)
	}
}

// Ensure that ResolveRun maps "" and "latest" to the newest run, complete or
// not, and other references to that ID.
func TestResolveRun(t *testing.T) {
	db := testutil.MustOpenStore(t)
	r1 := mustBeginRun(t, db)
	if err := db.FinishRun(r1.ID); err != nil {
		t.Fatal(err)
	}
	r2 := mustBeginRun(t, db) // left incomplete
	for _, tt := range []struct{ ref, want string }{
		{"", r1.ID}, // the newest complete run: r2 was cut short
		{"latest", r1.ID},
		{r2.ID, r2.ID},
		{r1.ID, r1.ID},
		{"1", r1.ID},
	} {
		got, err := db.ResolveRun(tt.ref)
		if err != nil {
			t.Errorf("ResolveRun(%q): %v", tt.ref, err)
			continue
		}
		if got.ID != tt.want {
			t.Errorf("ResolveRun(%q) = %s, want %s", tt.ref, got.ID, tt.want)
		}
	}
	if _, err := db.ResolveRun("x7"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("ResolveRun(x7): err = %v, want ErrNotFound", err)
	}
}
