package store_test

import (
	"path/filepath"
	"reflect"
	"testing"

	"gkaudit/store"
)

// Ensure that unit counts round-trip per run, that a run without counts (a
// file written before they were kept) reads as none, and that the latest
// counts come from the newest complete run only.
func TestUnitCounts_RoundTripAndLatestComplete(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r1, err := db.BeginRun(store.Run{AsOf: "2020-03-01", Units: []string{"a", "b"}})
	if err != nil {
		t.Fatal(err)
	}
	if cs, err := db.UnitCounts(r1.ID); err != nil || len(cs) != 0 {
		t.Fatalf("UnitCounts before any = %v, %v; want none", cs, err)
	}
	want := []store.UnitCount{{Unit: "a", Items: 3, Reachable: true, Pages: 10}, {Unit: "b", Pages: 1}}
	if err := db.SaveUnitCounts(r1.ID, []store.UnitCount{want[1], want[0]}); err != nil {
		t.Fatal(err)
	}
	if err := db.FinishRun(r1.ID); err != nil {
		t.Fatal(err)
	}
	got, err := db.UnitCounts(r1.ID)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("UnitCounts = %+v, %v; want %+v", got, err, want)
	}
	r2, _ := db.BeginRun(store.Run{AsOf: "2020-03-02", Units: []string{"a"}})
	if err := db.SaveUnitCounts(r2.ID, []store.UnitCount{{Unit: "a", Pages: 99}}); err != nil {
		t.Fatal(err)
	}
	latest, err := db.LatestUnitCounts()
	if err != nil || latest["a"].Pages != 10 {
		t.Errorf("LatestUnitCounts = %+v, %v; want the complete run's a (10 pages), not the incomplete one's", latest, err)
	}
	if err := db.SaveUnitCounts("999999", want); err == nil {
		t.Error("SaveUnitCounts on a missing run: no error")
	}
}
