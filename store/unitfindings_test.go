package store_test

import (
	"errors"
	"reflect"
	"testing"

	"gkaudit/checks"
	"gkaudit/internal/testutil"
	"gkaudit/store"
)

// Ensure that UnitFindings reads back exactly the findings Findings has for
// the unit, in saved order, over several saves, and none of a unit whose ID
// starts with it ("a-b", "a/b"), nor of another run; a unit without
// findings has none and an unknown run is ErrNotFound.
func TestUnitFindings_OnlyTheUnits(t *testing.T) {
	db := testutil.MustOpenStore(t)
	f := testutil.Finding
	r1 := mustBeginRun(t, db)
	for _, fs := range [][]checks.Finding{
		{f("a", "org.info", "http://a/1", fail), f("a-b", "org.info", "http://ab/1", fail), f("a/b", "org.info", "http://a/b/1", fail)},
		{f("a", "guide.present", "http://a/2", pass), f("b", "org.info", "http://b/1", fail)},
	} {
		if err := db.SaveFindings(r1.ID, fs); err != nil {
			t.Fatal(err)
		}
	}
	r2 := mustBeginRun(t, db)
	if err := db.SaveFindings(r2.ID, []checks.Finding{f("a", "org.info", "http://a/later", fail)}); err != nil {
		t.Fatal(err)
	}
	all, err := db.Findings(r1.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, unit := range []string{"a", "a-b", "a/b", "b", "none"} {
		got, err := db.UnitFindings(r1.ID, unit)
		if err != nil {
			t.Fatal(err)
		}
		var want []checks.Finding
		for _, x := range all {
			if x.Unit == unit {
				want = append(want, x)
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("UnitFindings(%s, %s) =\n%+v\nwant\n%+v", r1.ID, unit, got, want)
		}
	}
	if got, _ := db.UnitFindings(r1.ID, "a"); len(got) != 2 {
		t.Errorf("UnitFindings(%s, a) has %d findings, want 2", r1.ID, len(got))
	}
	if _, err := db.UnitFindings("999999", "a"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("UnitFindings of an unknown run: err = %v, want ErrNotFound", err)
	}
}
