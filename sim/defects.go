package sim

import (
	"math/rand/v2"

	"gkaudit/config"
)

// defects are the faults seeded into one unit. The truth is not read from
// here: truth.go judges the generated site, so a defect that does not show
// cannot slip into the manifest.
type defects struct {
	broken     bool // dead attachments, deleted articles, a dead outbound link, a 500
	loop       bool // a redirect loop behind a link
	huge       bool // a 50 MB page
	calendar   bool // an endless 每日动态 calendar
	stale      colKind
	empty      bool // a 统计信息 column with nothing in it
	low        bool // few items in the year
	orgMiss    string
	guide      int // guideOK, guideMissing, guideNoFax, guideOld
	catalog    int // 0, catMissing, catEmpty
	catMeta    bool
	report     int // 0, repOldOnly, repMissing
	sections   bool
	validity   bool
	linked     int // 0, linkDocMissing, linkInterpMissing
	late       bool
	consult    int // 0, consultMissing, consultEmpty
	keyarea    map[string]int
	noRules    bool
	apply      int // 0, applyNoOnline, applyNoPaper
	noMedia    bool
	wording    int    // 1+: a misspelt protected term (wording.go)
	privacy    int    // privPage, privAttach, privRoster (wording.go)
	identity   string // footer item left out (identity.go: idNoConac ...), or idScript
	suspicious int    // suspHidden, suspOffscreen, suspSpam, suspTakeover (identity.go)
}

const (
	guideOK = iota
	guideMissing
	guideNoFax
	guideOld
)

const (
	catMissing = 1
	catEmpty   = 2
)

const (
	repOldOnly = 1
	repMissing = 2
)

const (
	linkDocMissing    = 1
	linkInterpMissing = 2
)

const (
	consultMissing = 1
	consultEmpty   = 2
)

const (
	applyNoOnline = 1
	applyNoPaper  = 2
)

// Org elements that a defective 机构信息 page leaves out.
var orgElements = []string{"办公时间", "负责人", "内设机构", "办公地址"}

// planTraps places the unreachable and hanging units: the last street hangs,
// the last department with its own host is unreachable.
func planTraps(us []*unitSite) {
	var street, dept *unitSite
	for _, s := range us {
		if !s.own {
			continue
		}
		if s.u.Kind == config.KindStreet {
			street = s
		} else {
			dept = s
		}
	}
	if street != nil {
		street.trap = trapHanging
	}
	if dept != nil {
		dept.trap = trapUnreachable
	}
}

// planDefects spreads the seeded defects over the reachable units. Each
// defect goes to a fixed share of units picked by a seeded permutation, so
// every check has failing and passing units whatever the unit list.
func planDefects(us []*unitSite, seed int64) {
	var live []*unitSite
	for _, s := range us {
		if s.trap == trapNone {
			s.def.keyarea = map[string]int{}
			live = append(live, s)
		}
	}
	n := len(live)
	if n == 0 {
		return
	}
	r := rand.New(rand.NewPCG(uint64(seed), 0xdefec7))
	share := func(frac float64) int { return max(1, int(float64(n)*frac+0.5)) }
	// pick gives k units, in permutation order, that satisfy ok.
	pick := func(k int, ok func(*unitSite) bool) []*unitSite {
		var out []*unitSite
		for _, i := range r.Perm(n) {
			if len(out) == k {
				break
			}
			if ok == nil || ok(live[i]) {
				out = append(out, live[i])
			}
		}
		return out
	}
	for i, s := range pick(share(0.17), nil) {
		s.def.broken = true
		s.def.loop = i == 0
		s.def.huge = i == 1
		s.def.calendar = i == 2
	}
	staleKinds := []colKind{kNews, kNotice, kPersonnel, kPlan}
	for i, s := range pick(share(0.15), nil) {
		s.def.stale = staleKinds[i%len(staleKinds)]
	}
	for _, s := range pick(share(0.12), nil) {
		s.def.empty = true
	}
	for _, kind := range []string{config.KindStreet, config.KindDepartment} {
		k := 2
		if kind == config.KindDepartment {
			k = 3
		}
		for _, s := range pick(k, func(s *unitSite) bool { return s.u.Kind == kind }) {
			s.def.low = true
		}
	}
	for i, s := range pick(share(0.13), nil) {
		s.def.orgMiss = orgElements[i%len(orgElements)]
	}
	for _, s := range pick(share(0.09), nil) {
		s.def.guide = guideMissing
	}
	for i, s := range pick(share(0.13), func(s *unitSite) bool { return s.def.guide == guideOK }) {
		s.def.guide = guideNoFax + i%2
	}
	for i, s := range pick(share(0.09), nil) {
		s.def.catalog = catMissing
		if i == 0 {
			s.def.catalog = catEmpty
		}
	}
	for _, s := range pick(share(0.13), func(s *unitSite) bool { return s.def.catalog == 0 }) {
		s.def.catMeta = true
	}
	for i, s := range pick(share(0.11), nil) {
		s.def.report = repOldOnly
		if i%3 == 2 {
			s.def.report = repMissing
		}
	}
	for _, s := range pick(share(0.11), func(s *unitSite) bool { return s.def.report == 0 }) {
		s.def.sections = true
	}
	for _, s := range pick(share(0.13), nil) {
		s.def.validity = true
	}
	for i, s := range pick(share(0.13), nil) {
		s.def.linked = linkDocMissing + i%2
	}
	for _, s := range pick(share(0.11), func(s *unitSite) bool { return s.def.linked == 0 }) {
		s.def.late = true
	}
	for i, s := range pick(share(0.13), nil) {
		s.def.consult = consultMissing
		if i%3 == 2 {
			s.def.consult = consultEmpty
		}
	}
	planKeyAreas(live, r)
	for _, s := range pick(share(0.09), nil) {
		s.def.noRules = true
	}
	for i, s := range pick(share(0.11), nil) {
		s.def.apply = applyNoOnline + i%2
		if s.def.apply == applyNoOnline && s.def.guide == guideOK {
			// The guide must not offer an e-mail route either: it gives a
			// web address instead, and lacks the fax number.
			s.def.guide = guideNoFax
		}
	}
	for _, s := range pick(share(0.13), nil) {
		s.def.noMedia = true
	}
	for i, s := range pick(share(0.09), nil) {
		s.def.wording = 1 + i%len(wordingErrors)
	}
	for i, s := range pick(share(0.09), nil) {
		s.def.privacy = privPage + i%3
	}
	for i, s := range pick(share(0.09), nil) {
		s.def.identity = identityMisses[i%len(identityMisses)]
	}
	for _, s := range pick(1, func(s *unitSite) bool { return s.def.identity == "" }) {
		s.def.identity = idScript
	}
	for i, s := range pick(share(0.11), nil) {
		s.def.suspicious = []int{suspHidden, suspOffscreen, suspSpam, suspTakeover, suspSpam}[i%5]
	}
}

// planKeyAreas fails one required key area of some units, taking areas that
// several units require so that each such check also has passing units.
func planKeyAreas(live []*unitSite, r *rand.Rand) {
	count := map[string]int{}
	for _, s := range live {
		for _, a := range s.areas {
			count[a]++
		}
	}
	quota := map[string]int{}
	for a, c := range count {
		if c >= 3 {
			quota[a] = max(2, c/6)
		}
	}
	for _, i := range r.Perm(len(live)) {
		s := live[i]
		for _, a := range s.areas {
			if quota[a] > 0 && len(s.def.keyarea) == 0 {
				quota[a]--
				mode := consultMissing
				if r.IntN(3) == 0 {
					mode = consultEmpty
				}
				s.def.keyarea[a] = mode
			}
		}
	}
}

// variants are the ways a passing unit may word and lay out the same thing.
type variants struct {
	guideCite  int  // 0 国务院令第711号, 1 国务院令 第 711 号, 2 no order number, 3 492 as revised by 711
	hoursSplit bool // 夏季/冬季 hours
	guideList  bool // guide column is a list holding one guide article
	orgSplit   bool // 机构职能 + 领导信息 on two pages
	applyMode  int  // 0 apply page with a form, 1 routes only in the guide, 2 apply page with e-mail
	media      int  // 0 footer links, 1 QR code with text, 2 box on the entry page
	pubLabel   int
	dateLabel  int
	docLabel   int
	valStyle   validity
	names      int // which wording of column names
}

func pickVariants(r *rand.Rand) variants {
	return variants{
		guideCite:  r.IntN(4),
		hoursSplit: r.IntN(3) == 0,
		guideList:  r.IntN(4) == 0,
		orgSplit:   r.IntN(4) == 0,
		applyMode:  r.IntN(3),
		media:      r.IntN(3),
		pubLabel:   r.IntN(3),
		dateLabel:  r.IntN(3),
		docLabel:   r.IntN(2),
		valStyle:   []validity{valValid, valCurrent, valDates}[r.IntN(3)],
		names:      r.IntN(3),
	}
}
