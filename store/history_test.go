package store_test

import (
	"errors"
	"testing"

	"gkaudit/checks"
	"gkaudit/internal/testutil"
	"gkaudit/store"
)

// day returns a run on day n after t0 auditing units.
func day(n int, units ...string) store.Run {
	return store.Run{Started: t0.AddDate(0, 0, n), AsOf: "2025-06-30", Units: units}
}

var (
	fail = checks.Fail
	pass = checks.Pass
	na   = checks.NA
)

func mustHistoryOf(t *testing.T, db *store.DB, f checks.Finding) store.HistoryEntry {
	t.Helper()
	e, err := db.HistoryOf(store.FindingKey(f))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func at(r store.Run) store.RunAt { return store.RunAt{Run: r.ID, At: r.Started} }

// Ensure that a finding's history follows it as it appears, persists, gets
// fixed and reopens, keeping its first sighting and counting reopenings.
func TestHistory_AppearPersistFixReopen(t *testing.T) {
	db := testutil.MustOpenStore(t)
	f := testutil.Finding
	a := func(st checks.Status) checks.Finding { return f("u1", "org.info", "org_info", st) }

	r1 := testutil.MustAddRun(t, db, day(0, "u1"), a(fail))
	e := mustHistoryOf(t, db, a(fail))
	want := store.HistoryEntry{Key: "u1/org.info/org_info", ID: store.FindingID("u1/org.info/org_info"), Unit: "u1", Check: "org.info", Subject: "org_info",
		URL: "org_info", Detail: a(fail).Detail, Rule: a(fail).Rule, SHA256: a(fail).Evidence.SHA256,
		FirstSeen: at(r1), LastSeen: at(r1), LastChecked: at(r1), LastStatus: fail, State: store.StateOpen}
	if !equalEntry(e, want) {
		t.Errorf("after appearing: %+v, want %+v", e, want)
	}

	r2 := testutil.MustAddRun(t, db, day(1, "u1"), a(fail))
	want.LastSeen, want.LastChecked = at(r2), at(r2)
	if e := mustHistoryOf(t, db, a(fail)); !equalEntry(e, want) || !e.Open() {
		t.Errorf("after persisting: %+v, want %+v", e, want)
	}

	r3 := testutil.MustAddRun(t, db, day(2, "u1"), a(pass))
	want.LastChecked, want.LastStatus, want.Fixed, want.State = at(r3), pass, at(r3), store.StateFixed
	if e := mustHistoryOf(t, db, a(fail)); !equalEntry(e, want) || e.Open() {
		t.Errorf("after passing: %+v, want %+v", e, want)
	}

	r4 := testutil.MustAddRun(t, db, day(3, "u1"), a(fail))
	want.LastSeen, want.LastChecked, want.LastStatus, want.Fixed, want.Reopened, want.State = at(r4), at(r4), fail, store.RunAt{}, 1, store.StateOpen
	if e := mustHistoryOf(t, db, a(fail)); !equalEntry(e, want) || !e.Open() {
		t.Errorf("after reopening: %+v, want %+v", e, want)
	}

	// Not reported at all by a check that looked: fixed again.
	r5 := testutil.MustAddRun(t, db, day(4, "u1"), f("u1", "org.info", "other", pass))
	want.LastChecked, want.LastStatus, want.Fixed, want.State = at(r5), "", at(r5), store.StateFixed
	if e := mustHistoryOf(t, db, a(fail)); !equalEntry(e, want) {
		t.Errorf("after no longer reported: %+v, want %+v", e, want)
	}
}

// Ensure that fixing needs a run that audited the unit and a check that could
// look: other units, na findings and a down site fix nothing.
func TestHistory_FixedOnlyWhenLooked(t *testing.T) {
	db := testutil.MustOpenStore(t)
	f := testutil.Finding
	other := f("u2", "org.info", "org_info", fail)     // u2 not audited later
	down := f("u1", "link.broken", "http://x/a", fail) // check says na later
	gone := f("u1", "org.info", "org_info", fail)      // status na later
	dropped := f("u1", "guide.present", "guide", fail) // check not reported later, check looked
	testutil.MustAddRun(t, db, day(0, "u1", "u2"), other, down, gone, dropped)

	testutil.MustAddRun(t, db, day(1, "u1"),
		f("u1", "link.broken", "http://x/", na), f("u1", "org.info", "org_info", na), f("u1", "site.reachable", "http://x/", pass))
	for _, tt := range []struct {
		f          checks.Finding
		open       bool
		lastStatus checks.Status
	}{
		{other, true, fail},
		{down, true, ""},
		{gone, true, na},
		{dropped, false, ""},
	} {
		e := mustHistoryOf(t, db, tt.f)
		if e.Open() != tt.open || e.LastStatus != tt.lastStatus {
			t.Errorf("%s: open %v, last status %q; want %v, %q", e.Key, e.Open(), e.LastStatus, tt.open, tt.lastStatus)
		}
	}

	// A unit audited without a single finding (checks never ran) fixes nothing.
	testutil.MustAddRun(t, db, day(2, "u2"))
	if e := mustHistoryOf(t, db, other); !e.Open() {
		t.Errorf("%s fixed by a run with no findings for its unit: %+v", e.Key, e)
	}
}

// Ensure that a run that is never finished (killed) neither fixes nor opens
// anything, and that pass and na findings open no history.
func TestHistory_IncompleteRunFixesNothing(t *testing.T) {
	db := testutil.MustOpenStore(t)
	f := testutil.Finding
	a := f("u1", "org.info", "org_info", fail)
	r1 := testutil.MustAddRun(t, db, day(0, "u1"), a, f("u1", "guide.present", "guide", pass), f("u1", "catalog.present", "c", na))
	testutil.MustBeginRun(t, db, day(1, "u1"), f("u1", "org.info", "org_info", pass), f("u1", "link.broken", "http://x/b", fail))

	e := mustHistoryOf(t, db, a)
	if !e.Open() || e.LastChecked.Run != r1.ID {
		t.Errorf("after an incomplete run: %+v, want open, last checked in %s", e, r1.ID)
	}
	es, err := db.History("u1")
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 1 || es[0].Key != store.FindingKey(a) {
		t.Errorf("History(u1) = %+v, want only %s", es, store.FindingKey(a))
	}
	if _, err := db.HistoryOf("u1/link.broken/http://x/b"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("HistoryOf a finding of an incomplete run: err = %v, want ErrNotFound", err)
	}
}

// Ensure that runs finishing out of order cannot roll an entry back: the
// older run's verdict does not undo the newer one's.
func TestHistory_OutOfOrderFinish(t *testing.T) {
	db := testutil.MustOpenStore(t)
	f := testutil.Finding
	a := f("u1", "org.info", "org_info", fail)
	testutil.MustAddRun(t, db, day(0, "u1"), a)
	older := testutil.MustBeginRun(t, db, day(1, "u1"), f("u1", "org.info", "org_info", pass))
	newer := testutil.MustAddRun(t, db, day(2, "u1"), a)
	if err := db.FinishRun(older.ID); err != nil {
		t.Fatal(err)
	}
	if e := mustHistoryOf(t, db, a); !e.Open() || e.LastChecked.Run != newer.ID {
		t.Errorf("after late finish of %s: %+v, want open, last checked %s", older.ID, e, newer.ID)
	}
}

// Ensure that a finding without a subject is identified by its URL, and that
// History lists a unit's entries by check, then subject, leaving out units
// whose ID extends the asked one.
func TestHistory_KeysAndOrder(t *testing.T) {
	db := testutil.MustOpenStore(t)
	noSubject := checks.Finding{Unit: "u1", Check: "link.broken", URL: "http://x/404", Status: fail}
	if got, want := store.FindingKey(noSubject), "u1/link.broken/http://x/404"; got != want {
		t.Errorf("FindingKey(%+v) = %q, want %q", noSubject, got, want)
	}
	f := testutil.Finding
	testutil.MustAddRun(t, db, day(0, "u1", "u1/x"),
		f("u1", "org.info", "b", fail), noSubject, f("u1", "org.info", "a", fail), f("u1/x", "org.info", "a", fail))
	es, err := db.History("u1")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range es {
		got = append(got, e.Check+" "+e.Subject)
	}
	want := []string{"link.broken http://x/404", "org.info a", "org.info b"}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("History(u1) = %q, want %q", got, want)
	}
}

// equalEntry compares entries, times by instant.
func equalEntry(a, b store.HistoryEntry) bool {
	eq := func(x, y store.RunAt) bool { return x.Run == y.Run && x.At.Equal(y.At) }
	ta, tb := a, b
	ta.FirstSeen, ta.LastSeen, ta.LastChecked, ta.Fixed = store.RunAt{}, store.RunAt{}, store.RunAt{}, store.RunAt{}
	tb.FirstSeen, tb.LastSeen, tb.LastChecked, tb.Fixed = store.RunAt{}, store.RunAt{}, store.RunAt{}, store.RunAt{}
	return ta == tb && eq(a.FirstSeen, b.FirstSeen) && eq(a.LastSeen, b.LastSeen) &&
		eq(a.LastChecked, b.LastChecked) && eq(a.Fixed, b.Fixed)
}
