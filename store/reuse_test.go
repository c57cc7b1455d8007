package store_test

import (
	"errors"
	"testing"

	"gkaudit/checks"
	"gkaudit/internal/testutil"
	"gkaudit/store"
)

// Ensure that a unit's findings and counts read back for that unit alone,
// and that a finding's reuse mark survives the store.
func TestUnitFindings_ReusedFromRoundTrips(t *testing.T) {
	db := testutil.MustOpenStore(t)
	a := testutil.Finding("a", "org.info", "http://a.example/", checks.Fail)
	ab := testutil.Finding("a-b", "org.info", "http://ab.example/", checks.Pass)
	r1 := testutil.MustAddRun(t, db, store.Run{AsOf: "2020-03-01", Units: []string{"a", "a-b"}}, a, ab)
	if err := db.SaveUnitCounts(r1.ID, []store.UnitCount{{Unit: "a", Items: 7, Inputs: "x"}}); err != nil {
		t.Fatal(err)
	}
	reused := a
	reused.Evidence.ReusedFrom = r1.ID
	r2 := testutil.MustAddRun(t, db, store.Run{AsOf: "2020-03-02", Units: []string{"a"}}, reused)

	got, err := db.UnitFindings(r1.ID, "a")
	if err != nil || len(got) != 1 || got[0].Subject != a.Subject || got[0].Evidence.ReusedFrom != "" {
		t.Fatalf("UnitFindings(%s, a) = %+v, %v; want only a's finding, not reused", r1.ID, got, err)
	}
	got, err = db.UnitFindings(r2.ID, "a")
	if err != nil || len(got) != 1 || got[0].Evidence.ReusedFrom != r1.ID {
		t.Fatalf("UnitFindings(%s, a) = %+v, %v; want a's finding reused from %s", r2.ID, got, err, r1.ID)
	}
	if got[0].ID != store.FindingID(store.FindingKey(a)) {
		t.Errorf("reused finding's ID %s, want the judging run's", got[0].ID)
	}
	c, err := db.UnitCountOf(r1.ID, "a")
	if err != nil || c.Items != 7 || c.Inputs != "x" {
		t.Errorf("UnitCountOf(%s, a) = %+v, %v", r1.ID, c, err)
	}
	if _, err := db.UnitCountOf(r2.ID, "a"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("UnitCountOf(%s, a): counts of a run that saved none", r2.ID)
	}
	if err := db.Check(); err != nil {
		t.Error(err)
	}
}
