package audit

import (
	"context"
	"slices"
	"testing"

	"gkaudit/config"
	"gkaudit/store"
)

// Ensure that the scheduler starts the busiest host first and spreads the
// workers over hosts: with a portal of four units and three hosts of one unit,
// the first four picks are one unit per host, portal first; the rest go to the
// portal, biggest unit first. The trap: config order puts every worker on the
// portal at once, where the host budget serialises them, and leaves the small
// hosts for the end.
func TestScheduler_BusiestHostFirstHostsInParallel(t *testing.T) {
	units := []config.Unit{
		{ID: "p1", URL: "http://portal.gov.cn/col/1/"},
		{ID: "p2", URL: "http://portal.gov.cn/col/2/"},
		{ID: "p3", URL: "http://portal.gov.cn/col/3/"},
		{ID: "p4", URL: "http://portal.gov.cn/col/4/"},
		{ID: "a", URL: "http://a.gov.cn/xxgk/"},
		{ID: "b", URL: "http://b.gov.cn/xxgk/"},
		{ID: "c", URL: "http://C.gov.cn/xxgk/"},
	}
	tests := []struct {
		name string
		last map[string]store.UnitCount
		want []string
	}{
		{"no history: hosts weigh their units", nil, []string{"p1", "a", "b", "c", "p2", "p3", "p4"}},
		{"pages last run", map[string]store.UnitCount{
			"p1": {Pages: 10}, "p2": {Pages: 10}, "p3": {Pages: 300}, "p4": {Pages: 10},
			"a": {Pages: 20}, "b": {Pages: 500}, "c": {Pages: 5},
		}, []string{"b", "p3", "a", "c", "p1", "p2", "p4"}},
		// c's host only timed out: one page, but the longest unit.
		{"time last run", map[string]store.UnitCount{
			"p1": {Pages: 10, ElapsedMS: 100}, "p2": {Pages: 10, ElapsedMS: 100}, "p3": {Pages: 300, ElapsedMS: 3000}, "p4": {Pages: 10, ElapsedMS: 100},
			"a": {Pages: 20, ElapsedMS: 200}, "b": {Pages: 500, ElapsedMS: 5000}, "c": {Pages: 1, ElapsedMS: 9300},
		}, []string{"c", "b", "p3", "a", "p1", "p2", "p4"}},
		// A run written before times were kept: pages, for every unit.
		{"time missing for one unit", map[string]store.UnitCount{
			"p1": {Pages: 10, ElapsedMS: 100}, "p2": {Pages: 10, ElapsedMS: 100}, "p3": {Pages: 300, ElapsedMS: 3000}, "p4": {Pages: 10, ElapsedMS: 100},
			"a": {Pages: 20, ElapsedMS: 200}, "b": {Pages: 500}, "c": {Pages: 1, ElapsedMS: 9300},
		}, []string{"b", "p3", "a", "c", "p1", "p2", "p4"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newScheduler(units, tt.last, 0)
			var got []string
			for {
				i, ok := s.next(context.Background())
				if !ok {
					break
				}
				got = append(got, units[i].ID)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for k := range got {
				if got[k] != tt.want[k] {
					t.Fatalf("order %v, want %v", got, tt.want)
				}
			}
		})
	}
}

// Ensure that a host whose unit finishes takes the next unit before a host
// that still has one running.
func TestScheduler_FinishedHostTakesNextUnit(t *testing.T) {
	units := []config.Unit{
		{ID: "p1", URL: "http://portal.gov.cn/1/"}, {ID: "p2", URL: "http://portal.gov.cn/2/"},
		{ID: "a1", URL: "http://a.gov.cn/1/"}, {ID: "a2", URL: "http://a.gov.cn/2/"},
	}
	s := newScheduler(units, nil, 0)
	var got []string
	pick := func() int {
		i, ok := s.next(context.Background())
		if !ok {
			t.Fatal("no unit left")
		}
		got = append(got, units[i].ID)
		return i
	}
	pick()      // a1: equal work, host name order
	p := pick() // p1: the idle host
	s.done(p)
	pick() // p2: its host is idle again, a.gov.cn still busy
	if want := []string{"a1", "p1", "p2"}; !slices.Equal(got, want) {
		t.Errorf("picks %v, want %v", got, want)
	}
}

// Ensure that at polite rates no more than the per-host limit of a host's
// units run at once: with a limit of 1 the second portal unit starts only
// once the first is done, and a worker waiting for it gives up when the run
// is cancelled. The trap: every worker on the portal, each unit getting a
// quarter of the host's budget against its own unit_budget.
func TestScheduler_PerHostLimit(t *testing.T) {
	units := []config.Unit{
		{ID: "p1", URL: "http://portal.gov.cn/1/"}, {ID: "p2", URL: "http://portal.gov.cn/2/"},
		{ID: "a1", URL: "http://a.gov.cn/1/"},
	}
	s := newScheduler(units, map[string]store.UnitCount{"p1": {Pages: 9}, "p2": {Pages: 8}, "a1": {Pages: 1}}, 1)
	ctx := context.Background()
	first, _ := s.next(ctx)
	second, _ := s.next(ctx)
	if units[first].ID != "p1" || units[second].ID != "a1" {
		t.Fatalf("first picks %s, %s; want p1, a1", units[first].ID, units[second].ID)
	}
	got := make(chan string, 1)
	go func() {
		i, ok := s.next(ctx)
		if !ok {
			got <- "none"
			return
		}
		got <- units[i].ID
	}()
	s.done(first)
	if g := <-got; g != "p2" {
		t.Errorf("after p1 is done the waiting worker got %s, want p2", g)
	}

	s = newScheduler(units[:2], nil, 1)
	s.next(ctx)
	cctx, cancel := context.WithCancel(ctx)
	res := make(chan bool, 1)
	go func() { _, ok := s.next(cctx); res <- ok }()
	cancel()
	s.stop()
	if <-res {
		t.Error("a worker waiting on a cancelled run got a unit")
	}
}
