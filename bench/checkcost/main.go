// Command checkcost measures the CPU cost of the four monitoring checks
// (content.serious_error, privacy.personal_info, site.identity,
// link.suspicious) per 1,000 pages against the whole check run and the
// crawl, over the simulated district crawled once into memory.
//
//	go run ./bench/checkcost [-seed 1] [-rounds 3]
//
// It crawls the sim on loopback (no politeness delay) and reports the crawl's
// CPU per 1,000 pages (the sim serves in the same process, so the figure
// includes serving: an upper bound for the crawler), then the process's CPU
// time (user + system, GC included) of checks.Run over every unit's snapshot
// and of each monitoring check alone (each reading the page text itself, as
// checks.Run's shared text cache is not there), the best of -rounds rounds
// (the machine is shared: the best round is the one least disturbed).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"syscall"
	"time"

	"gkaudit/checks"
	"gkaudit/config"
	"gkaudit/crawler"
	"gkaudit/sim"
	"gkaudit/site"
)

func main() {
	seed := flag.Int64("seed", 1, "sim seed")
	rounds := flag.Int("rounds", 3, "timing rounds (best is reported)")
	show := flag.Bool("show", false, "print the two checks' fail and na findings")
	profile := flag.String("cpuprofile", "", "write a CPU profile of the timed rounds here")
	flag.Parse()
	if *profile != "" {
		f, err := os.Create(*profile)
		if err == nil {
			defer f.Close()
			_ = pprof.StartCPUProfile(f)
			defer pprof.StopCPUProfile()
		}
	}
	if err := run(*seed, *rounds, *show); err != nil {
		fmt.Fprintln(os.Stderr, "checkcost:", err)
		os.Exit(1)
	}
}

func run(seed int64, rounds int, show bool) error {
	cfg, err := config.Default()
	if err != nil {
		return err
	}
	d, err := sim.New(sim.Options{Seed: seed, Size: sim.SizeDemo, Units: cfg.Units})
	if err != nil {
		return err
	}
	if err := d.Start(); err != nil {
		return err
	}
	defer d.Close()
	cfg.Units = d.Units()
	pol := cfg.Crawl
	pol.Delay, pol.Robots = 0, false
	pol.AllowNetworks = []string{"127.0.0.0/8", "::1/128"}
	pol.Timeout = config.Duration(2 * time.Second)
	pol.UnitBudget = config.Duration(2 * time.Minute)
	var entries []string
	for _, u := range cfg.Units {
		entries = append(entries, u.URL)
	}
	type unitSnap struct {
		env  checks.Env
		snap *site.Snapshot
	}
	var snaps []unitSnap
	pages, attachments := 0, 0
	crawlStart := cpu()
	for _, u := range cfg.Units {
		var avoid []string
		for _, e := range entries {
			if e != u.URL {
				avoid = append(avoid, e)
			}
		}
		s, err := crawler.Crawl(context.Background(), u, crawler.Options{Policy: pol, Columns: cfg.Columns, Avoid: avoid})
		if err != nil {
			return err
		}
		pages += len(s.Pages)
		attachments += len(s.Attachments)
		snaps = append(snaps, unitSnap{env: checks.Env{AsOf: d.AsOf(), Unit: u, Config: cfg, Calendar: cfg.Calendar()}, snap: s})
	}
	crawlCPU := cpu() - crawlStart
	monitoring := []string{"content.serious_error", "privacy.personal_info", "site.identity", "link.suspicious"}
	if show {
		for _, id := range monitoring {
			c, _ := checks.Lookup(id)
			for _, u := range snaps {
				for _, f := range c.Run(u.snap, u.env) {
					if f.Status != checks.Pass {
						fmt.Printf("%s %s %s %s\n  %s\n  %s\n", u.env.Unit.ID, id, f.Status, f.Subject, f.Detail, f.Evidence.Excerpt)
					}
				}
			}
		}
	}
	best := func(f func()) time.Duration {
		var b time.Duration
		for i := 0; i < rounds; i++ {
			runtime.GC()
			start := cpu()
			f()
			if t := cpu() - start; i == 0 || t < b {
				b = t
			}
		}
		return b
	}
	all := best(func() {
		for _, u := range snaps {
			checks.Run(u.snap, u.env)
		}
	})
	only := func(id string) time.Duration {
		c, _ := checks.Lookup(id)
		return best(func() {
			for _, u := range snaps {
				c.Run(u.snap, u.env)
			}
		})
	}
	per := func(t time.Duration) string {
		return fmt.Sprintf("%7.1f ms", float64(t.Microseconds())/1000*1000/float64(pages))
	}
	fmt.Printf("sim seed %d: %d units, %d pages, %d attachments read; best of %d rounds; CPU per 1,000 pages\n", seed, len(snaps), pages, attachments, rounds)
	fmt.Printf("  crawl (and serving the sim)    %s\n", per(crawlCPU))
	fmt.Printf("  all checks (checks.Run)        %s  (%.0f%% of crawl + checks)\n", per(all), 100*float64(all)/float64(all+crawlCPU))
	var four time.Duration
	for _, id := range monitoring {
		t := only(id)
		four += t
		fmt.Printf("  %-22s alone    %s  (%.0f%% of all checks)\n", id, per(t), 100*float64(t)/float64(all))
	}
	fmt.Printf("  the four, summed               %s  (%.0f%% of all checks, %.0f%% of crawl + checks)\n", per(four), 100*float64(four)/float64(all), 100*float64(four)/float64(all+crawlCPU))
	return nil
}

// cpu is the CPU time of the process (user + system, GC included), not wall
// time: other work on the machine then disturbs the figures less.
func cpu() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
