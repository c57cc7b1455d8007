package audit_test

import (
	"context"
	"testing"
	"time"

	"gkaudit/checks"
	"gkaudit/config"
	"gkaudit/crawler"
	"gkaudit/internal/testutil"
	"gkaudit/sim"
	"gkaudit/site"
)

// BenchmarkChecks_SimDistrict measures the CPU the checks take per 1,000
// crawled pages of the simulated district (8 items a column, every unit):
// the whole check run, and site.identity and link.suspicious alone. The
// district is crawled once, outside the timer, unit by unit (go test -run X -bench SimDistrict ./audit).
func BenchmarkChecks_SimDistrict(b *testing.B) {
	d, err := sim.New(sim.Options{ItemsPerColumn: 8})
	if err != nil {
		b.Fatal(err)
	}
	if err := d.Start(); err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	cfg, err := config.Default()
	if err != nil {
		b.Fatal(err)
	}
	testutil.AllowLoopback(cfg)
	cfg.Units = d.Units()
	cfg.Crawl.Delay = 0
	cfg.Crawl.Timeout = config.Duration(5 * time.Second)
	cfg.Crawl.UnitBudget = config.Duration(time.Minute)
	cfg.Crawl.ParallelUnits = 8
	type unitSnap struct {
		s   *site.Snapshot
		env checks.Env
	}
	var snaps []unitSnap
	pages := 0
	for _, u := range cfg.Units {
		var avoid []string
		for _, o := range cfg.Units {
			if o.ID != u.ID {
				avoid = append(avoid, o.URL)
			}
		}
		s, err := crawler.Crawl(context.Background(), u, crawler.Options{Policy: cfg.Crawl, Columns: cfg.Columns, Avoid: avoid})
		if err != nil {
			b.Fatal(err)
		}
		pages += len(s.Pages)
		snaps = append(snaps, unitSnap{s, checks.Env{AsOf: d.AsOf(), Unit: u, Config: cfg, Calendar: cfg.Calendar()}})
	}
	per1000 := func(b *testing.B, run func(*site.Snapshot, checks.Env)) {
		for b.Loop() {
			for _, us := range snaps {
				run(us.s, us.env)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(pages)*1000/1e6, "ms/1000pages")
		b.ReportMetric(float64(pages), "pages")
	}
	b.Run("all", func(b *testing.B) { per1000(b, func(s *site.Snapshot, e checks.Env) { checks.Run(s, e) }) })
	b.Run("site.identity", func(b *testing.B) { per1000(b, func(s *site.Snapshot, e checks.Env) { checks.SiteIdentity(s, e) }) })
	b.Run("link.suspicious", func(b *testing.B) { per1000(b, func(s *site.Snapshot, e checks.Env) { checks.LinkSuspicious(s, e) }) })
}
