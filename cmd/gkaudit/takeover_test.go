package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gkaudit/config"
	"gkaudit/store"
)

// Ensure that a domain taken over between two runs is found by comparing the
// landing page's title with the one the earlier run saw: generation 1 passes
// link.suspicious for the unit whose 友情链接 is taken over in generation 2,
// generation 2 fails it on that link alone (the renamed 发改委 site, whose
// title still matches its link, does not), and a third night still fails it
// (the first title is carried, not tonight's).
func TestLinkSuspicious_TakeoverAcrossRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("crawls the simulated district three times")
	}
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Revisit.Articles = 0 // every link probed every night
	port := freePorts(t, 20)
	db, err := store.Open(filepath.Join(t.TempDir(), "audit.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	night0 := time.Date(2026, 11, 1, 1, 0, 0, 0, time.FixedZone("CST", 8*3600))
	suspicious := func(rep truthReport) (mism []string, tp int) {
		for _, m := range rep.mismatches {
			if strings.Contains(m, " link.suspicious: ") {
				mism = append(mism, m)
			}
		}
		if c := rep.byCheck["link.suspicious"]; c != nil {
			tp = c.tp
		}
		return mism, tp
	}

	d := serveSim(t, cfg, 1, port)
	_, rep, _ := night(t, db, d, cfg, night0)
	d.Close()
	m1, tp1 := suspicious(rep)
	if len(m1) > 0 {
		t.Fatalf("generation 1: %v", m1)
	}
	d = serveSim(t, cfg, 2, port)
	defer d.Close()
	for n := 1; n <= 2; n++ {
		_, rep, _ = night(t, db, d, cfg, night0.AddDate(0, 0, n))
		m, tp := suspicious(rep)
		if len(m) > 0 {
			t.Errorf("generation 2, night %d: %v", n, m)
		}
		if tp != tp1+1 {
			t.Errorf("generation 2, night %d: %d failing units, want %d (the taken-over link added)", n, tp, tp1+1)
		}
	}
}
