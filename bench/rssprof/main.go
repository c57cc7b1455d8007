// Command rssprof runs what `gkaudit audit --config FILE --db FILE` runs
// (audit.Run over every unit of the config into a bbolt store) and writes a
// heap profile at the run's peak: where is the memory of bench/rss.sh's peak
// RSS held? A sampler reads the live heap every -every; each time it is 5%
// above the highest seen so far, the heap profile is written again, so the
// file left at the end is the heap at (about) its peak.
//
//	go run ./bench/rssprof -config bench/out/rss/huge.yaml -db /tmp/p.db -heapprofile heap.out
//	go tool pprof -sample_index=inuse_space -top heap.out
//
// It does not load the terms file checks (gkaudit's checkTerms); the crawl and
// the checks are those of gkaudit audit.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"sync"
	"time"

	"gkaudit/audit"
	"gkaudit/cndate"
	"gkaudit/config"
	"gkaudit/store"
)

func main() {
	cfgPath := flag.String("config", "", "config file")
	dbPath := flag.String("db", "", "bbolt file")
	heapProfile := flag.String("heapprofile", "heap.out", "write the heap profile at the peak here")
	every := flag.Duration("every", 500*time.Millisecond, "how often the live heap is read")
	flag.Parse()
	cfg, err := config.Load(*cfgPath)
	check(err)
	db, err := store.Open(*dbPath)
	check(err)
	defer db.Close()

	var mu sync.Mutex
	var peak uint64
	var peakAt time.Duration
	start := time.Now()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	write := func() {
		metrics.Read(sample)
		live := sample[0].Value.Uint64()
		mu.Lock()
		defer mu.Unlock()
		if live < peak+peak/20 {
			return
		}
		peak, peakAt = live, time.Since(start)
		f, err := os.Create(*heapProfile)
		check(err)
		check(pprof.Lookup("heap").WriteTo(f, 0))
		check(f.Close())
	}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(*every)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				write()
			}
		}
	}()

	asOf := time.Date(2020, 3, 1, 0, 0, 0, 0, cndate.Shanghai)
	res, err := audit.Run(context.Background(), audit.Options{Config: cfg, Units: cfg.Units, AsOf: asOf, DB: db})
	close(stop)
	<-done
	check(err)
	pages := 0
	for _, u := range res.Units {
		pages += u.Pages
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Printf("pages=%d seconds=%.1f heap_peak_MB=%.0f at=%.0fs heap_sys_MB=%.0f profile=%s\n", pages, time.Since(start).Seconds(),
		float64(peak)/(1<<20), peakAt.Seconds(), float64(ms.HeapSys)/(1<<20), *heapProfile)
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "rssprof:", err)
		os.Exit(1)
	}
}
