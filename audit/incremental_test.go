package audit_test

import (
	"context"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"gkaudit/audit"
	"gkaudit/config"
	"gkaudit/internal/testutil"
	"gkaudit/sim"
	"gkaudit/store"
)

// serveGen serves generation gen of the district at the given portal port.
func serveGen(t *testing.T, gen, port int) *sim.District {
	t.Helper()
	d, err := sim.New(sim.Options{ItemsPerColumn: 1, Generation: gen, Listen: net.JoinHostPort("127.0.0.1", strconv.Itoa(port))})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Start(); err != nil {
		t.Fatal(err)
	}
	return d
}

func auditSim(t *testing.T, db *store.DB, d *sim.District) audit.Result {
	t.Helper()
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	testutil.AllowLoopback(cfg)
	cfg.Units = d.Units()
	cfg.Crawl.Delay = 0
	cfg.Crawl.RecheckAfter = 0 // the sim's dead links stay dead: try again at once
	// Generous enough that a loaded machine (-race, other packages' tests)
	// does not time out a page in one run and not the other: the runs must
	// see the same district.
	cfg.Crawl.Timeout = config.Duration(5 * time.Second)
	cfg.Crawl.Retries = 1
	cfg.Crawl.UnitBudget = config.Duration(time.Minute)
	cfg.Crawl.ParallelUnits = 8
	// Every page every night: this covers the conditional GETs; carrying
	// unchanged articles forward is cmd/gkaudit's
	// TestRevisit_Generation2FoundTheSameNight.
	cfg.Revisit.Articles = 0
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	res, err := audit.Run(ctx, audit.Options{Config: cfg, AsOf: d.AsOf(), DB: db})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// Ensure that a second run over an unchanged district fetches under 10% of
// the first run's bytes and grows the file by under 5% of its size, and
// that a run over the next generation shows fixed and new findings.
func TestRun_Incremental(t *testing.T) {
	if testing.Short() {
		t.Skip("crawls the simulated district three times")
	}
	port := freePortRange(t, 20)
	path := filepath.Join(t.TempDir(), "audit.db")
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	d := serveGen(t, 1, port)
	r1 := auditSim(t, db, d)
	size1 := fileSize(t, path)
	r2 := auditSim(t, db, d)
	size2 := fileSize(t, path)
	d.Close()

	notMod := 0
	for _, u := range r2.Units {
		notMod += u.NotModified
	}
	t.Logf("run 1: %d pages, %d bytes fetched, file %d bytes", r1.Run.Pages, r1.Run.Bytes, size1)
	t.Logf("run 2: %d pages, %d bytes fetched (%.2f%%), %d not modified, file %d bytes (+%.2f%%)",
		r2.Run.Pages, r2.Run.Bytes, 100*float64(r2.Run.Bytes)/float64(r1.Run.Bytes), notMod, size2,
		100*float64(size2-size1)/float64(size1))
	if r2.Run.Pages != r1.Run.Pages {
		t.Errorf("run 2 saw %d pages, run 1 %d", r2.Run.Pages, r1.Run.Pages)
	}
	if 10*r2.Run.Bytes >= r1.Run.Bytes {
		t.Errorf("run 2 fetched %d bytes, want under 10%% of run 1's %d", r2.Run.Bytes, r1.Run.Bytes)
	}
	if 20*(size2-size1) >= size1 {
		t.Errorf("run 2 grew the file from %d to %d bytes, want under 5%%", size1, size2)
	}
	same, err := db.Diff(r1.Run.ID, r2.Run.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(same.New)+len(same.Fixed) != 0 || len(same.Persisting) == 0 {
		t.Errorf("unchanged district: %d new, %d fixed, %d persisting; want only persisting", len(same.New), len(same.Fixed), len(same.Persisting))
	}

	d2 := serveGen(t, 2, port)
	defer d2.Close()
	r3 := auditSim(t, db, d2)
	diff, err := db.Diff(r2.Run.ID, r3.Run.ID)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("generation 2: %d new, %d fixed, %d persisting; %d bytes fetched", len(diff.New), len(diff.Fixed), len(diff.Persisting), r3.Run.Bytes)
	checksOf := func(es []store.DiffEntry) map[string]bool {
		out := map[string]bool{}
		for _, e := range es {
			out[e.Finding.Check] = true
		}
		return out
	}
	newChecks, fixedChecks := checksOf(diff.New), checksOf(diff.Fixed)
	for _, c := range []string{"link.broken", "org.info"} {
		if !newChecks[c] {
			t.Errorf("generation 2: no new %s finding; new: %v", c, newChecks)
		}
	}
	for _, c := range []string{"column.stale", "guide.elements", "policy.validity"} {
		if !fixedChecks[c] {
			t.Errorf("generation 2: no fixed %s finding; fixed: %v", c, fixedChecks)
		}
	}
}

// freePortRange returns a port P such that P .. P+n-1 were free a moment
// ago.
func freePortRange(t *testing.T, n int) int {
	t.Helper()
	// Below Linux's ephemeral range (32768-60999), so that no outgoing
	// connection takes one of the ports between the check and the listen.
	for range 50 {
		base := 20000 + rand.IntN(12000)
		if base+n > 65535 {
			continue
		}
		var open []net.Listener
		for p := base; p < base+n; p++ {
			l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
			if err != nil {
				break
			}
			open = append(open, l)
		}
		for _, l := range open {
			l.Close()
		}
		if len(open) == n {
			return base
		}
	}
	t.Fatal("no free range of ports")
	return 0
}
