package audit

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"gkaudit/config"
)

// Shard is one part of a district audited by its own process (gkaudit audit
// --shard K/N): K is 1-based, 1 <= K <= N. The zero value is no sharding.
type Shard struct {
	K, N int
}

// ParseShard reads "K/N". K may be written "I+1": a Kubernetes Indexed Job
// numbers its pods from 0 (JOB_COMPLETION_INDEX) and has no shell to add one,
// so its args say --shard=$(JOB_COMPLETION_INDEX)+1/N.
func ParseShard(s string) (Shard, error) {
	ks, ns, ok := strings.Cut(strings.TrimSpace(s), "/")
	k, err1 := sumOf(ks)
	n, err2 := strconv.Atoi(strings.TrimSpace(ns))
	if !ok || err1 != nil || err2 != nil || n < 1 || k < 1 || k > n {
		return Shard{}, fmt.Errorf("--shard %q 应为 K/N（1 ≤ K ≤ N，例如 2/4；Kubernetes 的 JOB_COMPLETION_INDEX 从 0 起，写作 --shard=$(JOB_COMPLETION_INDEX)+1/N）", s)
	}
	return Shard{K: k, N: n}, nil
}

// sumOf reads "K" or "I+J".
func sumOf(s string) (int, error) {
	a, b, plus := strings.Cut(s, "+")
	x, err := strconv.Atoi(strings.TrimSpace(a))
	if err != nil || !plus {
		return x, err
	}
	y, err := strconv.Atoi(strings.TrimSpace(b))
	return x + y, err
}

func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.K, s.N) }

// Sharded reports whether s is a real shard (N set).
func (s Shard) Sharded() bool { return s.N > 0 }

// Assign maps each host of the units to its shard (1..n): the units of one
// host stay in one shard, so the host's politeness budget holds across the
// shards' processes. Hosts are taken biggest first (most units, then host
// name) and each goes to the shard with the fewest units so far (lowest
// number on a tie), so the assignment depends on the config alone and is the
// same in every process.
func Assign(units []config.Unit, n int) map[string]int {
	count := map[string]int{}
	for _, u := range units {
		count[unitHost(u)]++
	}
	hosts := make([]string, 0, len(count))
	for h := range count {
		hosts = append(hosts, h)
	}
	sort.Slice(hosts, func(i, j int) bool {
		if count[hosts[i]] != count[hosts[j]] {
			return count[hosts[i]] > count[hosts[j]]
		}
		return hosts[i] < hosts[j]
	})
	load := make([]int, n+1)
	out := map[string]int{}
	for _, h := range hosts {
		best := 1
		for k := 2; k <= n; k++ {
			if load[k] < load[best] {
				best = k
			}
		}
		out[h] = best
		load[best] += count[h]
	}
	return out
}

// Units returns the units of shard s, in config order.
func (s Shard) Units(units []config.Unit) []config.Unit {
	if !s.Sharded() {
		return units
	}
	a := Assign(units, s.N)
	var out []config.Unit
	for _, u := range units {
		if a[unitHost(u)] == s.K {
			out = append(out, u)
		}
	}
	return out
}
