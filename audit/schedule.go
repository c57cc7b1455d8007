package audit

import (
	"context"
	"net/url"
	"strings"
	"sync"

	"gkaudit/config"
	"gkaudit/store"
)

// scheduler hands out the units of a run to parallel_units workers so that
// the run ends early. At polite rates a host serves at most one request per
// crawl.delay whoever asks, so the run lasts at least as long as its busiest
// host needs: that host's units start first and it is kept busy throughout,
// while the other workers spread over the other hosts instead of queueing on
// one. Next picks a unit of the host with the fewest units running, the one
// with the most work left among those (time or pages last run, else its
// number of units), and within a host the longest unit first.
//
// At polite rates (crawl.delay > 0) at most unitsPerHost units of one host
// run at once: one unit keeps a host's budget busy, and every unit added to
// it only divides that budget, so each runs longer against its unit_budget
// while the run ends no sooner. A worker with no eligible unit waits.
type scheduler struct {
	mu        sync.Mutex
	cond      *sync.Cond
	perHost   int      // most units of one host at once; 0: no limit
	host      []string // per unit index
	weight    []int    // per unit index
	started   []bool
	running   map[string]int
	remaining map[string]int // summed weight of the host's units not started
}

// unitHost is the host (host:port, lower case) a unit's entry is on.
func unitHost(u config.Unit) string {
	pu, err := url.Parse(strings.TrimSpace(u.URL))
	if err != nil || pu.Host == "" {
		return u.URL
	}
	return strings.ToLower(pu.Host)
}

// newScheduler weighs each unit by the time the newest run with counts took
// over it, or, when that run did not record times (files written before
// they were kept), by the pages it fetched. Time is the better weight: it
// is what the workers are busy for, and a unit whose host only times out
// fetches one page but holds its worker for every timeout. A unit without
// counts weighs the average of those that have them (1 when none has): then
// a new district's hosts weigh their units.
func newScheduler(units []config.Unit, last map[string]store.UnitCount, perHost int) *scheduler {
	s := &scheduler{host: make([]string, len(units)), weight: make([]int, len(units)), started: make([]bool, len(units)),
		running: map[string]int{}, remaining: map[string]int{}, perHost: perHost}
	s.cond = sync.NewCond(&s.mu)
	byTime := len(last) > 0
	for _, c := range last {
		if c.Pages > 0 && c.ElapsedMS <= 0 {
			byTime = false
		}
	}
	weightOf := func(c store.UnitCount) int {
		if c.Pages <= 0 {
			return 0 // nothing fetched: no measure of the unit
		}
		if byTime {
			return int(max(c.ElapsedMS, 1))
		}
		return c.Pages
	}
	known, sum := 0, 0
	for _, u := range units {
		if w := weightOf(last[u.ID]); w > 0 {
			known++
			sum += w
		}
	}
	def := 1
	if known > 0 {
		def = max(sum/known, 1)
	}
	for i, u := range units {
		s.host[i] = unitHost(u)
		s.weight[i] = def
		if w := weightOf(last[u.ID]); w > 0 {
			s.weight[i] = w
		}
		s.remaining[s.host[i]] += s.weight[i]
	}
	return s
}

// unitsPerHost is how many units of one host run at once at polite rates.
const unitsPerHost = 2

// next returns the index of the next unit to start, waiting while every unit
// left is on a host at its limit; false when every unit has started or ctx
// has ended.
func (s *scheduler) next(ctx context.Context) (int, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	best := -1
	for {
		if ctx.Err() != nil {
			return 0, false
		}
		left := false
		for i := range s.host {
			if s.started[i] {
				continue
			}
			left = true
			if s.perHost > 0 && s.running[s.host[i]] >= s.perHost {
				continue
			}
			if best < 0 || s.before(i, best) {
				best = i
			}
		}
		if !left {
			return 0, false
		}
		if best >= 0 {
			break
		}
		s.cond.Wait() // done or stop wakes it
	}
	s.started[best] = true
	h := s.host[best]
	s.running[h]++
	s.remaining[h] -= s.weight[best]
	return best, true
}

// before reports whether unit i should start before unit j. Callers hold mu.
func (s *scheduler) before(i, j int) bool {
	hi, hj := s.host[i], s.host[j]
	if hi != hj {
		if s.running[hi] != s.running[hj] {
			return s.running[hi] < s.running[hj]
		}
		if s.remaining[hi] != s.remaining[hj] {
			return s.remaining[hi] > s.remaining[hj]
		}
		return hi < hj
	}
	if s.weight[i] != s.weight[j] {
		return s.weight[i] > s.weight[j]
	}
	return i < j // config order
}

// done records that unit i has finished.
func (s *scheduler) done(i int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.running[s.host[i]]--
	s.cond.Broadcast()
}

// stop wakes the waiting workers once ctx has ended.
func (s *scheduler) stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cond.Broadcast()
}
