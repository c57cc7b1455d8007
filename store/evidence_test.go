package store_test

import (
	"errors"
	"testing"

	"gkaudit/checks"
	"gkaudit/internal/testutil"
	"gkaudit/site"
	"gkaudit/store"
)

// Ensure that FindingByID finds a finding by its id in the newest complete
// run that reports it (not an incomplete later one), prefers the failing
// one of duplicates, honours --run, and tells an unknown id from one whose
// runs gc removed.
func TestFindingByID(t *testing.T) {
	path := tempPath(t)
	db := mustOpen(t, path)
	fail := testutil.Finding("u1", "org.info", "http://u1.example/jgxx/", checks.Fail)
	pass := fail
	pass.Status = checks.Pass
	other := testutil.Finding("u1", "guide.present", "http://u1.example/zn/", checks.Fail)
	unit := store.Run{AsOf: "2025-06-30", Units: []string{"u1"}}
	r1 := testutil.MustAddRun(t, db, unit, pass, fail, other)
	r2 := testutil.MustAddRun(t, db, unit, other)
	testutil.MustBeginRun(t, db, unit, fail) // incomplete: not the default
	id := store.FindingID(store.FindingKey(fail))

	run, f, err := db.FindingByID(id, "")
	if err != nil || run.ID != r1.ID || f.Status != checks.Fail || f.ID != id {
		t.Errorf("FindingByID(%s) = run %s, %s %s, %v; want run %s, fail", id, run.ID, f.ID, f.Status, err, r1.ID)
	}
	if _, _, err := db.FindingByID(id, r2.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("FindingByID(%s, %s) error = %v, want ErrNotFound", id, r2.ID, err)
	}
	if run, _, err := db.FindingByID(id, "latest"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("FindingByID(%s, latest) = run %s (complete %v), %v; want ErrNotFound: latest is the newest complete run, %s", id, run.ID, run.Complete, err, r2.ID)
	}
	if _, _, err := db.FindingByID("000000000000", ""); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("FindingByID(unknown) error = %v, want ErrNotFound", err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := store.GC(path, 1); err != nil {
		t.Fatal(err)
	}
	db = mustOpen(t, path)
	defer db.Close()
	if _, _, err := db.FindingByID(id, ""); !errors.Is(err, store.ErrCollected) {
		t.Errorf("after gc: FindingByID(%s) error = %v, want ErrCollected", id, err)
	}
}

// Ensure that FullFetch finds, behind a run of 304s, the run that fetched
// the body in full, and nothing once gc removed it.
func TestFullFetch(t *testing.T) {
	path := tempPath(t)
	db := mustOpen(t, path)
	first := withExchanges(newSnapshot("u1", 5, htmlBody))
	second := revisit(first)
	third := revisit(second)
	var ids []string
	for _, s := range []*site.Snapshot{first, second, third} {
		r := mustBeginRun(t, db)
		if err := db.SaveSnapshot(r.ID, s); err != nil {
			t.Fatal(err)
		}
		if err := db.FinishRun(r.ID); err != nil { // gc --keep counts complete runs
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	p := first.Pages[2]
	run, got, err := db.FullFetch("u1", p.URL, p.SHA256, ids[2])
	if err != nil || run.ID != ids[0] || got.NotModified || got.SHA256 != p.SHA256 || len(got.Exchanges) != 2 {
		t.Fatalf("FullFetch(%s) = run %s, %+v, %v; want run %s's page", p.URL, run.ID, got, err, ids[0])
	}
	if _, _, err := db.FullFetch("u1", p.URL, "bad", ids[2]); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("FullFetch(other hash) error = %v, want ErrNotFound", err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := store.GC(path, 2); err != nil {
		t.Fatal(err)
	}
	db = mustOpen(t, path)
	defer db.Close()
	if _, _, err := db.FullFetch("u1", p.URL, p.SHA256, ids[2]); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("after gc: FullFetch error = %v, want ErrNotFound", err)
	}
}
