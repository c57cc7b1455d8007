package store_test

import (
	"path/filepath"
	"reflect"
	"testing"

	"gkaudit/site"
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

// Ensure that a page carried forward by the revisit policy reads back as
// carried, with the exchanges of the fetch it carries as its origin and none
// of its own, and that the full fetch of its body is still found in the run
// that made it (evidence). The trap: a carried page stored as a fresh fetch
// without exchanges, which evidence would take for the full fetch.
func TestSnapshot_CarriedForwardRoundTrip(t *testing.T) {
	db := mustOpen(t, tempPath(t))
	defer db.Close()
	r1 := mustBeginRun(t, db)
	s1 := newSnapshot("u1", 1, func(int) []byte { return []byte("<html>正文</html>") })
	s1.Pages[0].Exchanges = []site.Exchange{{At: t0, Request: site.Request{Method: "GET", URL: s1.Pages[0].URL},
		Response: &site.Response{Proto: "HTTP/1.1", Status: "200 OK"}}}
	if err := db.SaveSnapshot(r1.ID, s1); err != nil {
		t.Fatal(err)
	}
	if err := db.FinishRun(r1.ID); err != nil {
		t.Fatal(err)
	}
	r2 := mustBeginRun(t, db)
	s2 := newSnapshot("u1", 1, func(int) []byte { return []byte("<html>正文</html>") })
	p := s2.Pages[0]
	p.CarriedForward, p.Origin, p.Exchanges, p.Size, p.FetchedAt = true, s1.Pages[0].Exchanges, nil, 0, s1.Pages[0].FetchedAt
	if err := db.SaveSnapshot(r2.ID, s2); err != nil {
		t.Fatal(err)
	}
	got, err := db.Snapshot(r2.ID, "u1")
	if err != nil {
		t.Fatal(err)
	}
	g := got.Pages[0]
	if !g.CarriedForward || g.Exchanges != nil || len(g.Origin) != 1 || !g.FetchedAt.Equal(t0) {
		t.Errorf("carried page read back as %+v", g)
	}
	run, full, err := db.FullFetch("u1", g.URL, g.SHA256, "999999") // after both runs
	if err != nil || run.ID != r1.ID || full.CarriedForward {
		t.Errorf("FullFetch = run %s, %+v, %v; want run %s's fetch", run.ID, full, err, r1.ID)
	}
}

// Ensure that gc removes the unit counts of the runs it removes, keeps those
// of the runs it keeps, and that check reads them without a problem. The
// trap: counts of deleted runs left behind, growing with every night.
func TestGC_RemovesUnitCountsOfRemovedRuns(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.db")
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for n := range 3 {
		r, err := db.BeginRun(store.Run{AsOf: "2020-03-0" + string(rune('1'+n)), Units: []string{"a"}})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SaveUnitCounts(r.ID, []store.UnitCount{{Unit: "a", Pages: n + 1}}); err != nil {
			t.Fatal(err)
		}
		if err := db.FinishRun(r.ID); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := store.GC(path, 1); err != nil {
		t.Fatal(err)
	}
	rep, err := store.Verify(path, store.Options{})
	if err != nil || len(rep.Problems) > 0 {
		t.Fatalf("Verify after gc = %+v, %v; want no problems", rep.Problems, err)
	}
	db, err = store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// Counts left behind by a removed run are a problem Verify names
	// (单位统计 … 属于不存在的运行); the kept run's are still there.
	if cs, err := db.UnitCounts(ids[2]); err != nil || len(cs) != 1 || cs[0].Pages != 3 {
		t.Errorf("UnitCounts(%s) after gc --keep 1 = %+v, %v; want the kept run's counts", ids[2], cs, err)
	}
}
