// Package checks holds the audit rules. Each rule is a pure function from a
// unit's snapshot to findings, in a file named after its check ID
// (org.info -> org_info.go); this file registers them.
package checks

import (
	"sort"
	"strings"
	"time"

	"gkaudit/config"
	"gkaudit/site"
)

// Env is what a check may know besides the snapshot.
type Env struct {
	AsOf   time.Time      // the date rules are judged at
	Unit   config.Unit    // the unit under audit
	Config *config.Config // thresholds, word lists, rubric
}

// Func is the signature every check shares. It must not do I/O and must not
// panic on any input.
type Func func(s *site.Snapshot, env Env) []Finding

// Check is a registered rule.
type Check struct {
	ID   string
	Rule string // source the check enforces, quoted in findings
	Run  Func
}

// registry maps check IDs to rules. It is read-only after package init.
var registry = map[string]Check{
	"site.reachable": {ID: "site.reachable", Rule: SiteReachableRule, Run: SiteReachable},
	"org.info":       {ID: "org.info", Rule: OrgInfoRule, Run: OrgInfo},
}

// All returns the registered checks in ID order.
func All() []Check {
	out := make([]Check, 0, len(registry))
	for _, c := range registry {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Lookup returns the check with the given ID.
func Lookup(id string) (Check, bool) {
	c, ok := registry[id]
	return c, ok
}

// Run runs every registered check on s and returns the findings in check ID
// order, each stamped with the unit and check ID.
func Run(s *site.Snapshot, env Env) []Finding {
	var out []Finding
	for _, c := range All() {
		for _, f := range c.Run(s, env) {
			f.Unit = env.Unit.ID
			f.Check = c.ID
			if f.Rule == "" {
				f.Rule = c.Rule
			}
			out = append(out, f)
		}
	}
	return out
}

// evidence builds the evidence of a finding from a fetched page, with an
// excerpt of the page text around the first of the given words found.
func evidence(p *site.Page, excerpt string) Evidence {
	if p == nil {
		return Evidence{}
	}
	u := p.FinalURL
	if u == "" {
		u = p.URL
	}
	return Evidence{URL: u, FetchedAt: p.FetchedAt, HTTPStatus: p.Status, SHA256: p.SHA256, Excerpt: clip(excerpt, 200)}
}

// clip shortens s to at most n runes.
func clip(s string, n int) string {
	s = strings.TrimSpace(s)
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
