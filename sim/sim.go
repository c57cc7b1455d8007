// Package sim is a simulated district: the disclosure columns of every unit
// of a config, served on loopback in the styles of real Chinese government
// CMS sites (a shared Hanweb-style portal, TRS-style sites on hosts of their
// own, GBK and UTF-8), with defects seeded deterministically and a
// ground-truth manifest of what each check should find. Tests, the demo and
// the benchmarks crawl it.
//
// The sim models government sites, not a checker: it imports neither checks
// nor crawler, and the truth is derived from the generated site by the rules
// of DESIGN.md.
package sim

import (
	"fmt"
	"sync"
	"time"

	"gkaudit/config"
	"gkaudit/workday"
)

// Size selects how much content each column holds.
type Size int

const (
	// SizeDemo is small enough for a polite crawl of the whole district in
	// well under two minutes.
	SizeDemo Size = iota
	// SizeBench gives at least 20,000 crawlable pages.
	SizeBench
	// SizeHuge serves about 118,000 pages in the same units, of which a
	// crawl reads about 97,000 (the news columns list more pages than the
	// 60 of a column the crawler and the checks read): the scale at which
	// the memory benchmark (bench/rss.sh) measures whether peak RSS grows
	// with the size of a site.
	SizeHuge
)

// Options configure a district. The zero value is the demo district of the
// default config.
type Options struct {
	Seed           int64 // default 1
	Size           Size
	ItemsPerColumn int           // overrides Size when > 0
	AsOf           time.Time     // default 2020-03-01 Asia/Shanghai
	Units          []config.Unit // default: the units of config.Default()
	// Listen is the portal host's address, default "127.0.0.1:0". With a
	// fixed port P the layout is fixed too: the units' own hosts listen on
	// P+1, P+2 ... in unit order, then the external host, then the closed
	// and the hanging trap, so that URLs (and with them finding subjects)
	// are the same each time the district is served; Start fails when one
	// of those ports is busy.
	Listen string
	// Generation is the state of the district's sites (default 1). Each
	// later generation is the one before a few weeks on: fresh items in
	// some columns, a page or two deleted (still linked), some seeded
	// defects fixed and a new one (see generation.go). Pages it does not
	// touch are served byte for byte as before, with the same validators.
	Generation int
	// NoTraps leaves out the crawler traps of the reachable units (the
	// redirect loop, the 50 MB page, the endless ?date= calendar) and the
	// links to them; everything else is generated identically. The benchmark
	// serves the district this way so that tools without page, depth or time
	// budgets (wget, linkinator) can finish. The unreachable and hanging
	// units stay. The truth is computed from the generated site, so it
	// follows.
	NoTraps bool
}

// District is a generated district, served once started.
type District struct {
	opt    Options
	cfg    *config.Config
	cal    *workday.Calendar // cfg's working-day calendar, for the truth
	asOf   time.Time
	year   int // the assessment year: the year before AsOf
	perCol int
	units  []*unitSite

	portal, ext *host
	hosts       []*host // portal, own hosts, external, in that order

	mu      sync.Mutex
	started bool
	traps   trapHosts
	truth   []Truth // computed on first call after Start
}

// New generates the district. Nothing listens until Start.
func New(opt Options) (*District, error) {
	cfg, err := config.Default()
	if err != nil {
		return nil, fmt.Errorf("sim: %w", err)
	}
	if opt.Seed == 0 {
		opt.Seed = 1
	}
	if opt.AsOf.IsZero() {
		loc, err := time.LoadLocation("Asia/Shanghai")
		if err != nil {
			loc = time.FixedZone("CST", 8*3600)
		}
		opt.AsOf = time.Date(2020, 3, 1, 0, 0, 0, 0, loc)
	}
	if opt.Units == nil {
		opt.Units = cfg.Units
	}
	if opt.Listen == "" {
		opt.Listen = "127.0.0.1:0"
	}
	if opt.Generation == 0 {
		opt.Generation = 1
	}
	d := &District{opt: opt, cfg: cfg, cal: cfg.Calendar(), asOf: opt.AsOf, year: opt.AsOf.Year() - 1}
	switch {
	case opt.ItemsPerColumn > 0:
		d.perCol = opt.ItemsPerColumn
	case opt.Size == SizeBench:
		d.perCol = 28
	case opt.Size == SizeHuge:
		d.perCol = 158
	default:
		d.perCol = 2
	}
	seen := map[string]bool{}
	deptPos, ownN, portalN := 0, 0, 0
	for i, u := range opt.Units {
		if u.ID == "" || seen[u.ID] {
			return nil, fmt.Errorf("sim: unit %d: empty or duplicate id %q", i, u.ID)
		}
		seen[u.ID] = true
		s := &unitSite{u: u, idx: i, areas: cfg.KeyAreasOf(u)}
		if u.Kind == config.KindStreet {
			s.own = true
		} else {
			s.own = deptPos%12 == 1
			deptPos++
		}
		if s.own {
			s.tpl = []int{1, 1, 2}[ownN%3]
			ownN++
		} else {
			s.tpl = []int{0, 0, 2}[portalN%3]
			portalN++
		}
		d.units = append(d.units, s)
	}
	planTraps(d.units)
	for _, s := range d.units {
		if s.trap != trapNone {
			s.entry = "/xxgk/index.html"
		}
	}
	gbk := []encMode{encGBKHeader, encGBKEquiv, encGBKMetaOnly}
	nGBK := 0
	for _, s := range d.units {
		if s.own && s.trap == trapNone && nGBK < 6 {
			s.enc = gbk[nGBK%3]
			nGBK++
		}
	}
	planDefects(d.units, opt.Seed)
	if opt.NoTraps {
		// Cleared after planning, so that the seeded permutations, and with
		// them every other defect, are the same as with the traps.
		for _, s := range d.units {
			s.def.loop, s.def.huge, s.def.calendar = false, false, false
		}
	}
	for _, s := range d.units {
		if s.trap == trapNone {
			d.buildUnit(s)
		}
	}
	if opt.Generation < 1 || opt.Generation > Generations {
		return nil, fmt.Errorf("sim: generation %d: want 1 to %d", opt.Generation, Generations)
	}
	d.advance(opt.Generation)
	d.buildHosts()
	return d, nil
}

// Generation is the generation the district serves.
func (d *District) Generation() int { return d.opt.Generation }

// AsOf is the date the content is dated against.
func (d *District) AsOf() time.Time { return d.asOf }

// Units returns the units with URL set to their entry page (the
// disclosure column). Before Start the URLs are empty.
func (d *District) Units() []config.Unit {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]config.Unit, len(d.units))
	for i, s := range d.units {
		out[i] = s.u
		out[i].KeyAreas = append([]string(nil), s.areas...)
		if d.started {
			out[i].URL = d.unitBase(s) + s.entry
		}
	}
	return out
}

// unitBase is the scheme and host of the unit's site.
func (d *District) unitBase(s *unitSite) string {
	switch s.trap {
	case trapUnreachable:
		return "http://" + d.traps.closedAddr
	case trapHanging:
		return "http://" + d.traps.hangAddr
	}
	return s.h.base
}

// Pages is the number of distinct crawlable HTML pages the district serves
// (the endless calendar counted once).
func (d *District) Pages() int {
	n := 0
	for _, h := range d.hosts {
		n += h.pages
	}
	return n
}

// extURL is the absolute URL of a page on the external host, which stands in
// for every site outside the district (weibo.com, www.gov.cn ...).
func (d *District) extURL(p string) string { return d.ext.base + "/" + p }
