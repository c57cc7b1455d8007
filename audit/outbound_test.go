package audit

import (
	"path/filepath"
	"testing"
	"time"

	"gkaudit/site"
	"gkaudit/store"
)

// Ensure that each landing page whose title changed gets the title an
// earlier run saw: the previous run's own earlier title when it had one,
// else its title; links new tonight, unchanged titles and the first run get
// none.
func TestEarlierTitles(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "a.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	at := time.Date(2026, 11, 1, 1, 0, 0, 0, time.UTC)
	probe := func(u, title, earlier string) site.Probe {
		return site.Probe{URL: u, Status: 200, External: true, FetchedAt: at, Landing: &site.Landing{Title: title, EarlierTitle: earlier}}
	}
	save := func(s *site.Snapshot) string {
		r, err := db.BeginRun(store.Run{AsOf: "2026-11-01", Units: []string{"u1"}})
		if err != nil {
			t.Fatal(err)
		}
		if err := earlierTitles(newPreviousUnit(db, s.UnitID, r.ID), s); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveSnapshot(r.ID, s); err != nil {
			t.Fatal(err)
		}
		if err := db.FinishRun(r.ID); err != nil {
			t.Fatal(err)
		}
		return r.ID
	}
	snap := func(ps ...site.Probe) *site.Snapshot {
		return &site.Snapshot{UnitID: "u1", Entry: "http://u1.example/xxgk/", Started: at, Finished: at, Probes: ps}
	}
	first := snap(probe("http://a.example/", "北仑区科学技术协会", ""))
	save(first)
	if got := first.Probes[0].Landing.EarlierTitle; got != "" {
		t.Errorf("first run: earlier title %q, want none", got)
	}
	second := snap(probe("http://a.example/", "优米网络科技有限公司", ""), probe("http://b.example/", "新站", ""))
	save(second)
	if got := second.Probes[0].Landing.EarlierTitle; got != "北仑区科学技术协会" {
		t.Errorf("second run: earlier title %q, want the first run's title", got)
	}
	if got := second.Probes[1].Landing.EarlierTitle; got != "" {
		t.Errorf("second run, new link: earlier title %q, want none", got)
	}
	third := snap(probe("http://a.example/", "优米网络科技有限公司", ""), probe("http://b.example/", "新站", ""))
	save(third)
	if got := third.Probes[0].Landing.EarlierTitle; got != "北仑区科学技术协会" {
		t.Errorf("third run: earlier title %q, want the first title carried", got)
	}
	if got := third.Probes[1].Landing.EarlierTitle; got != "" {
		t.Errorf("third run, unchanged title: earlier title %q, want none (the record stays as it was)", got)
	}
}
