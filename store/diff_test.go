package store_test

import (
	"errors"
	"slices"
	"testing"

	"gkaudit/internal/testutil"
	"gkaudit/store"
)

// Ensure that Diff sorts failing findings into new, fixed, persisting and
// unchecked, fixes only units audited in both runs, and takes first-seen from
// the history.
func TestDiff(t *testing.T) {
	db := testutil.MustOpenStore(t)
	f := testutil.Finding
	old := f("u1", "org.info", "org_info", fail)
	r1 := testutil.MustAddRun(t, db, day(0, "u1", "u2", "u3"), old)
	from := testutil.MustAddRun(t, db, day(1, "u1", "u2", "u3"),
		old,
		f("u1", "guide.present", "guide", fail), // passes later: fixed
		f("u1", "link.broken", "http://x/a", fail), // gone later: fixed
		f("u2", "org.info", "org_info", fail),      // u2 not audited later: left out
		f("u3", "org.info", "org_info", fail),      // na later: unchecked
		f("u3", "catalog.present", "c", pass))
	to := testutil.MustAddRun(t, db, day(2, "u1", "u3"),
		old,
		f("u1", "guide.present", "guide", pass),
		f("u1", "link.broken", "http://x/b", fail), // new
		f("u3", "org.info", "org_info", na),
		f("u3", "catalog.present", "c", fail)) // new

	d, err := db.Diff(from.ID, to.ID)
	if err != nil {
		t.Fatal(err)
	}
	keys := func(es []store.DiffEntry) []string {
		var ks []string
		for _, e := range es {
			ks = append(ks, e.Key)
		}
		return ks
	}
	for _, tt := range []struct {
		name string
		got  []store.DiffEntry
		want []string
	}{
		{"new", d.New, []string{"u1/link.broken/http://x/b", "u3/catalog.present/c"}},
		{"fixed", d.Fixed, []string{"u1/guide.present/guide", "u1/link.broken/http://x/a"}},
		{"persisting", d.Persisting, []string{"u1/org.info/org_info"}},
		{"unchecked", d.Unchecked, []string{"u3/org.info/org_info"}},
	} {
		if got := keys(tt.got); !slices.Equal(got, tt.want) {
			t.Errorf("Diff(%s, %s).%s = %q, want %q", from.ID, to.ID, tt.name, got, tt.want)
		}
	}
	if len(d.Persisting) == 1 && d.Persisting[0].FirstSeen.Run != r1.ID {
		t.Errorf("persisting first seen in %s, want %s", d.Persisting[0].FirstSeen.Run, r1.ID)
	}
	if len(d.New) > 0 && d.New[0].FirstSeen.Run != to.ID {
		t.Errorf("new first seen in %s, want %s", d.New[0].FirstSeen.Run, to.ID)
	}
	if d.From.ID != from.ID || d.To.ID != to.ID {
		t.Errorf("Diff runs = %s, %s, want %s, %s", d.From.ID, d.To.ID, from.ID, to.ID)
	}
	if _, err := db.Diff(from.ID, "000099"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Diff with an unknown run: err = %v, want ErrNotFound", err)
	}
}

// Ensure that LatestComplete skips incomplete runs and honours its bound.
func TestLatestComplete(t *testing.T) {
	db := testutil.MustOpenStore(t)
	if _, err := db.LatestComplete(""); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("LatestComplete on an empty store: err = %v, want ErrNotFound", err)
	}
	r1 := testutil.MustAddRun(t, db, day(0, "u1"))
	r2 := testutil.MustAddRun(t, db, day(1, "u1"))
	testutil.MustBeginRun(t, db, day(2, "u1"))
	for _, tt := range []struct{ before, want string }{{"", r2.ID}, {r2.ID, r1.ID}} {
		got, err := db.LatestComplete(tt.before)
		if err != nil || got.ID != tt.want {
			t.Errorf("LatestComplete(%q) = %s, %v, want %s", tt.before, got.ID, err, tt.want)
		}
	}
	if _, err := db.LatestComplete(r1.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("LatestComplete(%s): err = %v, want ErrNotFound", r1.ID, err)
	}
}
