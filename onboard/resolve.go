package onboard

import (
	"fmt"
	"sort"
	"strings"

	"gkaudit/config"
)

// Match tiers: a link whose text is the unit's name as configured beats one
// whose text reduces to the same key, when nothing else tells them apart.
const (
	tierKey = 1 + iota
	tierExact
)

// hit is a link that names a unit.
type hit struct {
	l       link
	name    string
	tier    int
	byTitle bool
}

// matcher collects the links that name each unit and picks one.
type matcher struct {
	nm    *namer
	units []config.Unit
	keys  []string
	hits  [][]hit
	all   []link

	found  []Found
	reason map[int]string
	cands  map[int][]Candidate
}

func newMatcher(nm *namer, units []config.Unit) *matcher {
	m := &matcher{nm: nm, units: units, hits: make([][]hit, len(units)), reason: map[int]string{}, cands: map[int][]Candidate{}}
	for _, u := range units {
		m.keys = append(m.keys, nm.key(u.Name))
	}
	return m
}

// offer considers a link by its own names.
func (m *matcher) offer(l link) {
	m.all = append(m.all, l)
	for _, name := range l.names() {
		m.consider(l, strings.TrimSpace(name), false)
	}
}

// offerTitle considers a generic link by the title and headings of the
// page it leads to.
func (m *matcher) offerTitle(l link, info pageInfo) {
	texts := titleParts(info.title)
	for i, h := range info.headings {
		if i >= 3 {
			break
		}
		texts = append(texts, titleParts(h)...)
	}
	for _, t := range texts {
		m.consider(l, t, true)
	}
}

func (m *matcher) consider(l link, name string, byTitle bool) {
	k := m.nm.key(name)
	if k == "" {
		return
	}
	for i, u := range m.units {
		tier := 0
		switch {
		case name == u.Name && !byTitle:
			tier = tierExact
		case k == m.keys[i]:
			tier = tierKey
		default:
			continue
		}
		hs := m.hits[i]
		dup := false
		for j := range hs {
			if hs[j].l.url == l.url {
				dup = true
				if tier > hs[j].tier {
					hs[j].tier, hs[j].name = tier, name
				}
			}
		}
		if !dup {
			m.hits[i] = append(hs, hit{l: l, name: name, tier: tier, byTitle: byTitle})
		}
	}
}

// missing is how many units no link names yet.
func (m *matcher) missing() int {
	n := 0
	for _, hs := range m.hits {
		if len(hs) == 0 {
			n++
		}
	}
	return n
}

// taken reports whether some unit's links already lead to u.
func (m *matcher) taken(u string) bool {
	for _, hs := range m.hits {
		for _, h := range hs {
			if h.l.url == u {
				return true
			}
		}
	}
	return false
}

// resolve picks each unit's link: among links to different targets, the
// one that most looks like a disclosure column, then the exact name; a
// tie, or a target two units claim, leaves the unit missing with the links
// as candidates.
func (m *matcher) resolve() {
	pick := map[int]hit{}
	for i, hs := range m.hits {
		if len(hs) == 0 {
			continue
		}
		// One link per target, the best-named; then the targets ranked by
		// how much they look like the unit's disclosure column, the
		// configured name as it is breaking a tie.
		var top []hit
		at := map[string]int{}
		for _, h := range hs {
			k := sameEntry(h.l.url)
			if j, ok := at[k]; ok {
				if h.tier > top[j].tier || disclosureScore(h) > disclosureScore(top[j]) {
					top[j] = h
				}
				continue
			}
			at[k] = len(top)
			top = append(top, h)
		}
		rank := func(h hit) int { return disclosureScore(h)*4 + h.tier }
		sort.SliceStable(top, func(a, b int) bool { return rank(top[a]) > rank(top[b]) })
		if len(top) > 1 && rank(top[0]) == rank(top[1]) {
			m.reason[i] = fmt.Sprintf("门户上有 %d 个链接都叫这个名称，指向不同的网址，无法判断哪个是信息公开栏目", len(top))
			for _, h := range top {
				m.cands[i] = append(m.cands[i], Candidate{Name: h.name, URL: h.l.url})
			}
			continue
		}
		pick[i] = top[0]
	}
	byURL := map[string][]int{}
	for i, h := range pick {
		byURL[sameEntry(h.l.url)] = append(byURL[sameEntry(h.l.url)], i)
	}
	for _, is := range byURL {
		if len(is) < 2 {
			continue
		}
		sort.Ints(is)
		for _, i := range is {
			var others []string
			for _, j := range is {
				if j != i {
					others = append(others, m.units[j].Name)
				}
			}
			m.reason[i] = fmt.Sprintf("找到的网址同时被认作 %s 的栏目，无法判断属于哪个单位", strings.Join(others, "、"))
			m.cands[i] = append(m.cands[i], Candidate{Name: pick[i].name, URL: pick[i].l.url})
		}
		for _, i := range is {
			delete(pick, i)
		}
	}
	for i, u := range m.units {
		h, ok := pick[i]
		if !ok {
			continue
		}
		u.URL = h.l.url
		m.found = append(m.found, Found{Unit: u, Text: h.name, From: h.l.from, ByTitle: h.byTitle})
	}
}

// disclosureScore ranks links that name the same unit: one in a 信息公开
// list, or to a disclosure path, before a link to the unit's home page;
// one under 友情链接 or 市级部门 (another level's bureau of that name) last.
func disclosureScore(h hit) int {
	s := 2 // room below for the links of other levels
	for _, w := range []string{"友情链接", "相关链接", "市级", "省级", "兄弟", "县（市、区）", "县市区"} {
		if strings.Contains(h.l.section, w) {
			return 0
		}
	}
	if strings.Contains(h.l.section, "公开") {
		s += 2
	}
	p := strings.ToLower(h.l.url)
	for _, w := range []string{"/xxgk", "/zwgk", "/gk/", "/col/", "/bmxxgk", "/openness", "/public"} {
		if strings.Contains(p, w) {
			s++
			break
		}
	}
	if strings.Contains(h.l.text, "公开") {
		s++
	}
	return s
}

// sameEntry is a URL with a trailing index page dropped, so that /xxgk/
// and /xxgk/index.html count as one target.
func sameEntry(u string) string {
	for _, ix := range []string{"index.html", "index.htm", "index.shtml"} {
		if t, ok := strings.CutSuffix(u, "/"+ix); ok {
			return t + "/"
		}
	}
	return u
}

// missingList lists the units not found, with the links nearest their
// names.
func (m *matcher) missingList() []Missing {
	foundURL := map[string]bool{}
	foundID := map[string]bool{}
	for _, f := range m.found {
		foundURL[sameEntry(f.Unit.URL)] = true
		foundID[f.Unit.ID] = true
	}
	var out []Missing
	for i, u := range m.units {
		if foundID[u.ID] {
			continue
		}
		ms := Missing{Unit: u, Reason: m.reason[i], Candidates: m.cands[i]}
		if ms.Reason == "" {
			ms.Reason = "门户上没有名称与它相符的链接"
			ms.Candidates = m.nearest(m.keys[i], foundURL)
		}
		out = append(out, ms)
	}
	return out
}

// nearest returns the links whose names come closest to key: an
// abbreviation or a name containing it first, then by edit distance.
func (m *matcher) nearest(key string, skip map[string]bool) []Candidate {
	type scored struct {
		c    Candidate
		dist int
	}
	var list []scored
	seen := map[string]bool{}
	limit := max(1, len([]rune(key))/2)
	for _, l := range m.all {
		if skip[sameEntry(l.url)] {
			continue
		}
		for _, name := range l.names() {
			k := m.nm.key(name)
			if k == "" || seen[name+" "+l.url] {
				continue
			}
			d := config.EditDistance(key, k)
			switch {
			case abbreviates(key, k) || abbreviates(k, key):
				d = 0
			case strings.Contains(k, key) || strings.Contains(key, k) && len([]rune(k)) >= 2:
				d = min(d, 1)
			}
			if d > limit {
				continue
			}
			seen[name+" "+l.url] = true
			list = append(list, scored{Candidate{Name: name, URL: l.url}, d})
		}
	}
	sort.SliceStable(list, func(a, b int) bool { return list[a].dist < list[b].dist })
	var out []Candidate
	for _, s := range list {
		if len(out) == maxCandidates {
			break
		}
		out = append(out, s.c)
	}
	return out
}
