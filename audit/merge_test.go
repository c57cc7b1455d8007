package audit_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"gkaudit/audit"
	"gkaudit/checks"
	"gkaudit/config"
	"gkaudit/score"
	"gkaudit/store"
)

// simConfig is the config auditing the served district d.
func simConfig(t *testing.T, units []config.Unit) *config.Config {
	t.Helper()
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Units = units
	cfg.Crawl.Delay = 0
	cfg.Crawl.RecheckAfter = 0 // the sim's dead links stay dead: try again at once
	cfg.Crawl.Timeout = config.Duration(5 * time.Second)
	cfg.Crawl.Retries = 1
	cfg.Crawl.UnitBudget = config.Duration(time.Minute)
	cfg.Crawl.ParallelUnits = 8
	return cfg
}

func openDB(t *testing.T, path string) *store.DB {
	t.Helper()
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// findingSet is a run's findings keyed by unit, check and subject, each with
// what a reader sees of it.
func findingSet(t *testing.T, db *store.DB, runID string) (map[string]string, []checks.Finding) {
	t.Helper()
	fs, err := db.Findings(runID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range fs {
		k := f.Unit + " " + f.Check + " " + f.Subject
		out[k] = fmt.Sprintf("%s %s %s | %s", f.Status, f.Kind, f.URL, f.Detail)
	}
	return out, fs
}

// Ensure that auditing a district in three shards and merging them gives the
// run a single process gives: the same findings (district-level volume.low
// included, judged at merge from the shards' unit counts) and the same score
// cards. The traps: a shard judging volume.low over its own units only, and a
// merge that loses the units' counts or bodies.
func TestMerge_ShardsEqualSingleRun(t *testing.T) {
	if testing.Short() {
		t.Skip("crawls the simulated district twice")
	}
	port := freePortRange(t, 20)
	d := serveGen(t, 1, port)
	defer d.Close()
	cfg := simConfig(t, d.Units())
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	single := openDB(t, filepath.Join(dir, "single.db"))
	sres, err := audit.Run(ctx, audit.Options{Config: cfg, AsOf: d.AsOf(), DB: single})
	if err != nil {
		t.Fatal(err)
	}

	const n = 3
	var shards []*store.DB
	seen := map[string]int{}
	for k := 1; k <= n; k++ {
		db := openDB(t, filepath.Join(dir, fmt.Sprintf("shard-%d.db", k)))
		res, err := audit.Run(ctx, audit.Options{Config: cfg, AsOf: d.AsOf(), DB: db, Shard: audit.Shard{K: k, N: n}})
		if err != nil {
			t.Fatalf("shard %d/%d: %v", k, n, err)
		}
		for _, u := range res.Units {
			seen[u.Unit.ID]++
		}
		shards = append(shards, db)
		fs, _ := db.Findings(res.Run.ID)
		for _, f := range fs {
			if f.Check == checks.VolumeLowID {
				t.Fatalf("shard %d/%d judged %s over its own units", k, n, f.Check)
			}
		}
	}
	for _, u := range cfg.Units {
		if seen[u.ID] != 1 {
			t.Errorf("unit %s audited by %d shards, want 1", u.ID, seen[u.ID])
		}
	}

	merged := openDB(t, filepath.Join(dir, "merged.db"))
	mrun, err := audit.Merge(ctx, audit.MergeOptions{Config: cfg, Out: merged, Shards: shards})
	if err != nil {
		t.Fatalf("Merge: %v", err)
	}
	if !mrun.Complete || strings.Join(mrun.Units, ",") != strings.Join(sres.Run.Units, ",") || mrun.AsOf != sres.Run.AsOf {
		t.Errorf("merged run %+v, want complete with the single run's units and as-of", mrun)
	}
	if mrun.Pages != sres.Run.Pages {
		t.Errorf("merged run has %d pages, single run %d", mrun.Pages, sres.Run.Pages)
	}

	want, sfs := findingSet(t, single, sres.Run.ID)
	got, mfs := findingSet(t, merged, mrun.ID)
	var diffs []string
	for k, w := range want {
		if g, ok := got[k]; !ok {
			diffs = append(diffs, "missing: "+k+": "+w)
		} else if g != w {
			diffs = append(diffs, "differs: "+k+":\n  single "+w+"\n  merged "+g)
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			diffs = append(diffs, "extra: "+k+": "+g)
		}
	}
	sort.Strings(diffs)
	for _, d := range diffs {
		t.Error(d)
	}
	if t.Failed() {
		return
	}
	vol := 0
	for _, f := range mfs {
		if f.Check == checks.VolumeLowID {
			vol++
		}
	}
	if vol != len(cfg.Units) {
		t.Errorf("merged run has %d %s findings, want one per unit (%d)", vol, checks.VolumeLowID, len(cfg.Units))
	}
	// Two crawls of one site list a check's findings in the order its pages
	// happened to be fetched; the cards are compared over the same order.
	for _, fs := range [][]checks.Finding{sfs, mfs} {
		sort.SliceStable(fs, func(i, j int) bool {
			a, b := fs[i], fs[j]
			return a.Unit+"\x00"+a.Check+"\x00"+a.Subject < b.Unit+"\x00"+b.Check+"\x00"+b.Subject
		})
	}
	sj, _ := json.Marshal(score.Compute(cfg, cfg.Units, sfs))
	mj, _ := json.Marshal(score.Compute(cfg, cfg.Units, mfs))
	if string(sj) != string(mj) {
		i := 0
		for i < min(len(sj), len(mj)) && sj[i] == mj[i] {
			i++
		}
		lo := max(i-300, 0)
		t.Errorf("score cards differ at byte %d:\nsingle …%s…\nmerged …%s…", i, sj[lo:min(i+200, len(sj))], mj[lo:min(i+200, len(mj))])
	}

	// Merging again into the same file adds a second run; a shard audited
	// under another config is refused.
	other := *cfg
	other.Thresholds.VolumeLowRatio = 0.9
	if _, err := audit.Merge(ctx, audit.MergeOptions{Config: &other, Out: merged, Shards: shards}); err == nil || !strings.Contains(err.Error(), "配置") {
		t.Errorf("Merge under another config: err = %v, want the config mismatch", err)
	}
}

// Ensure that the shard assignment keeps a host's units together, is the
// same for the same config and covers every unit once.
func TestShard_HostsStayTogether(t *testing.T) {
	var units []config.Unit
	for i := range 10 {
		units = append(units, config.Unit{ID: fmt.Sprintf("p%d", i), URL: fmt.Sprintf("http://portal.gov.cn/col/%d/", i)})
	}
	for _, h := range []string{"a", "b", "c", "d", "e"} {
		units = append(units, config.Unit{ID: h, URL: "http://" + h + ".gov.cn/xxgk/"})
	}
	for _, n := range []int{1, 2, 3, 7} {
		count := map[string]int{}
		host := map[string]int{}
		for k := 1; k <= n; k++ {
			for _, u := range (audit.Shard{K: k, N: n}).Units(units) {
				count[u.ID]++
				h := strings.Split(u.URL, "/")[2]
				if prev, ok := host[h]; ok && prev != k {
					t.Errorf("N=%d: host %s in shards %d and %d", n, h, prev, k)
				}
				host[h] = k
			}
		}
		for _, u := range units {
			if count[u.ID] != 1 {
				t.Errorf("N=%d: unit %s in %d shards", n, u.ID, count[u.ID])
			}
		}
	}
	for _, tt := range []struct {
		in string
		ok bool
	}{{"1/1", true}, {"3/4", true}, {"3+1/4", true}, {"0+1/4", true}, {"4+1/4", false}, {"0/4", false}, {"5/4", false}, {"x", false}, {"1/0", false}} {
		if _, err := audit.ParseShard(tt.in); (err == nil) != tt.ok {
			t.Errorf("ParseShard(%q) err = %v, want ok %v", tt.in, err, tt.ok)
		}
	}
	// An Indexed Job's 0-based index: pod 2 is shard 3.
	if sh, err := audit.ParseShard("2+1/4"); err != nil || sh != (audit.Shard{K: 3, N: 4}) {
		t.Errorf("ParseShard(2+1/4) = %v, %v; want 3/4", sh, err)
	}
}
