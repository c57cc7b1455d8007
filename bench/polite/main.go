// Command polite measures a whole-district audit of the simulated district at
// a given politeness (crawl.delay, crawl.parallel_per_host): wall time, and
// per host the units, the requests the run's host budget let through and the
// most in flight at once. With -rerun it audits the same district again into
// the same database (the next night, nothing changed) and reports the ratio
// of requests; -generation sets the district's state for the re-run.
//
//	go run ./bench/polite -size bench -delay 0 -pph 4          # requests per host, fast
//	go run ./bench/polite -size demo -delay 200ms -pph 4       # polite, measured
//	go run ./bench/polite -size bench -delay 0 -rerun          # nightly request ratio
//
// At polite rates a host serves at most one request per delay, so the run
// lasts at least max over hosts of requests × delay; the tool prints that bound
// next to the measured time, which is how the bench district's time at polite
// defaults is extrapolated from a fast run (see README, Scale).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"gkaudit/audit"
	"gkaudit/config"
	"gkaudit/crawler"
	"gkaudit/sim"
	"gkaudit/store"
)

func main() {
	size := flag.String("size", "demo", "demo or bench")
	delay := flag.Duration("delay", 200*time.Millisecond, "crawl.delay")
	pph := flag.Int("pph", 4, "crawl.parallel_per_host")
	units := flag.Int("parallel-units", 4, "crawl.parallel_units")
	rerun := flag.Bool("rerun", false, "audit again (the next night) and report the request ratio")
	gen := flag.Int("generation", 1, "generation of the district for the re-run")
	full := flag.Bool("full", false, "the re-run fetches everything (--full)")
	dbPath := flag.String("db", "", "bbolt file (default: a temporary one)")
	revisit := flag.Duration("revisit", 7*24*time.Hour, "revisit.articles (0: every page every run)")
	flag.Parse()

	sz := sim.SizeDemo
	if *size == "bench" {
		sz = sim.SizeBench
	}
	cfg, err := config.Default()
	check(err)
	cfg.Revisit.Articles = config.Duration(*revisit)
	if *dbPath == "" {
		dir, err := os.MkdirTemp("", "polite")
		check(err)
		defer os.RemoveAll(dir)
		*dbPath = filepath.Join(dir, "p.db")
	}
	db, err := store.Open(*dbPath)
	check(err)
	defer db.Close()

	first := runOnce(db, cfg, sz, 1, *delay, *pph, *units, false)
	if !*rerun {
		return
	}
	second := runOnce(db, cfg, sz, *gen, *delay, *pph, *units, *full)
	fmt.Printf("re-run requests / first run's: %d / %d = %.3f\n", second, first, float64(second)/float64(first))
}

// runOnce serves generation gen on fixed ports, audits it and prints the
// figures; it returns the requests sent.
func runOnce(db *store.DB, cfg *config.Config, sz sim.Size, gen int, delay time.Duration, pph, units int, full bool) int {
	d, err := sim.New(sim.Options{Size: sz, Units: cfg.Units, Generation: gen, NoTraps: true, Listen: "127.0.0.1:18700"})
	check(err)
	check(d.Start())
	defer d.Close()
	c := *cfg
	c.Units = d.Units()
	c.Crawl.Delay = config.Duration(delay)
	c.Crawl.ParallelPerHost = pph
	c.Crawl.ParallelUnits = units
	c.Crawl.Timeout = config.Duration(5 * time.Second)
	c.Crawl.Retries = 1
	c.Crawl.RecheckAfter = 0 // second tries at once: the sim's dead links stay dead
	c.Crawl.UnitBudget = config.Duration(3 * time.Hour)
	c.Crawl.AllowNetworks = []string{"127.0.0.0/8", "::1/128"} // the sim listens on loopback (SSRF guard)
	hosts := crawler.NewHostBudget(c.Crawl)
	start := time.Now()
	res, err := audit.Run(context.Background(), audit.Options{Config: &c, AsOf: d.AsOf(), DB: db, Hosts: hosts, Full: full})
	check(err)
	wall := time.Since(start)

	unitsOn := map[string]int{}
	for _, u := range c.Units {
		unitsOn[hostOf(u.URL)]++
	}
	st := hosts.Stats()
	sort.Slice(st, func(i, j int) bool { return st[i].Requests > st[j].Requests })
	total, busiest, pages := 0, 0, 0
	carried, notMod, unitReqs := 0, 0, 0
	for _, u := range res.Units {
		pages += u.Pages
		carried += u.Carried
		notMod += u.NotModified
		unitReqs += u.Requests
	}
	defer fmt.Printf("pages %d: %d carried forward, %d answered 304, %d fetched in full; %d requests for pages and probes (the rest: robots.txt)\n",
		pages, carried, notMod, pages-carried-notMod, unitReqs)
	fmt.Printf("generation %d, delay %s, parallel_per_host %d, parallel_units %d, revisit.articles %s, %d units, %d pages\n", gen, delay, pph, units, c.Revisit.Articles, len(c.Units), pages)
	fmt.Printf("| host | units | requests | max in flight | requests × delay |\n|---|---:|---:|---:|---:|\n")
	for _, h := range st {
		total += h.Requests
		busiest = max(busiest, h.Requests)
		fmt.Printf("| %s | %d | %d | %d | %s |\n", h.Host, unitsOn[h.Host], h.Requests, h.MaxInFlight, (time.Duration(h.Requests) * delay).Round(time.Second))
	}
	fmt.Printf("requests %d; wall %s; lower bound at this delay (busiest host) %s\n", total, wall.Round(100*time.Millisecond), (time.Duration(busiest) * delay).Round(time.Second))
	return total
}

func hostOf(u string) string {
	u = strings.TrimPrefix(strings.TrimPrefix(u, "http://"), "https://")
	if i := strings.IndexByte(u, '/'); i >= 0 {
		u = u[:i]
	}
	return strings.ToLower(u)
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "polite:", err)
		os.Exit(1)
	}
}
