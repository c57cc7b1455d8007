package audit

import (
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
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newScheduler(units, tt.last)
			var got []string
			for {
				i, ok := s.next()
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
	s := newScheduler(units, nil)
	var got []string
	pick := func() int {
		i, ok := s.next()
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
