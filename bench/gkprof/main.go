// Command gkprof runs what `gkaudit audit --config FILE --db FILE --units ...`
// runs (audit.Run over the selected units into a bbolt store) under the CPU
// profiler, for the benchmark: where does gkaudit spend its CPU per page?
//
//	go run ./bench/gkprof -config bench/out/bench.yaml -db /tmp/p.db -units a,b -cpuprofile cpu.out
//	go tool pprof -top bench/out/gkprof cpu.out
//
// It does not load the terms file checks (gkaudit's checkTerms); the crawl and
// the checks are those of gkaudit audit.
package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"gkaudit/audit"
	"gkaudit/config"
	"gkaudit/store"
)

func main() {
	cfgPath := flag.String("config", "", "config file")
	dbPath := flag.String("db", "", "bbolt file")
	unitList := flag.String("units", "", "comma-separated unit ids (default: all)")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile here")
	memProfile := flag.String("memprofile", "", "write an allocation profile here")
	perUnit := flag.Bool("units-timing", false, "print each unit's pages and elapsed time, slowest first")
	flag.Parse()
	cfg, err := config.Load(*cfgPath)
	check(err)
	units := cfg.Units
	if *unitList != "" {
		want := map[string]bool{}
		for _, id := range strings.Split(*unitList, ",") {
			want[id] = true
		}
		units = nil
		for _, u := range cfg.Units {
			if want[u.ID] {
				units = append(units, u)
			}
		}
	}
	db, err := store.Open(*dbPath)
	check(err)
	defer db.Close()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		check(err)
		check(pprof.StartCPUProfile(f))
		defer pprof.StopCPUProfile()
	}
	asOf := time.Date(2020, 3, 1, 0, 0, 0, 0, time.FixedZone("CST", 8*3600))
	start := time.Now()
	res, err := audit.Run(context.Background(), audit.Options{Config: cfg, Units: units, AsOf: asOf, DB: db})
	check(err)
	pages := 0
	for _, u := range res.Units {
		pages += u.Pages - u.Errors
	}
	el := time.Since(start)
	if *perUnit {
		list := slices.Clone(res.Units)
		slices.SortFunc(list, func(a, b audit.UnitResult) int { return cmp.Compare(b.Elapsed, a.Elapsed) })
		for _, u := range list {
			fmt.Printf("%-24s pages=%6d 304=%6d carried=%6d elapsed=%6.2fs reused=%s why=%s\n", u.Unit.ID, u.Pages, u.NotModified, u.Carried, u.Elapsed.Seconds(), u.Reused, u.CheckedWhy)
		}
	}
	fmt.Printf("pages=%d seconds=%.2f pages_per_s=%.1f\n", pages, el.Seconds(), float64(pages)/el.Seconds())
	if *memProfile != "" {
		f, err := os.Create(*memProfile)
		check(err)
		runtime.GC()
		check(pprof.Lookup("allocs").WriteTo(f, 0))
		f.Close()
	}
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "gkprof:", err)
		os.Exit(1)
	}
}
