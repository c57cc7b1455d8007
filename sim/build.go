package sim

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"path"
	"time"
)

// unitRand is the unit's own random stream: its content depends only on the
// seed and its id, not on its neighbours in the unit list.
func unitRand(seed int64, id, salt string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(id + "/" + salt))
	return rand.New(rand.NewPCG(uint64(seed), h.Sum64()))
}

// buildUnit generates the columns and items of one reachable unit.
func (d *District) buildUnit(s *unitSite) {
	r := unitRand(d.opt.Seed, s.u.ID, "content")
	s.v = pickVariants(r)
	if s.def.orgMiss == "负责人" {
		s.v.orgSplit = false
	}
	if s.def.guide == guideMissing && s.v.applyMode == 1 {
		s.v.applyMode = 0 // routes must be described somewhere
	}
	if s.def.apply != 0 {
		s.v.applyMode = 0
		if s.def.apply == applyNoOnline {
			s.v.applyMode = 3 // paper only
		} else {
			s.v.applyMode = 4 // online form only
		}
	}
	s.abbr = docAbbr(s.u.Name, s.u.Kind)
	s.code = fmt.Sprintf("11330206%07d%c", 2551000+s.idx*173, 'A'+rune(s.idx%26))
	if s.own {
		s.entry = "/xxgk/index.html"
	} else {
		s.entry = fmt.Sprintf("/col/col%d/index.html", colBase(s.idx))
	}

	n := d.perCol
	few := func(k int) int {
		if s.def.low {
			return 1
		}
		return k
	}
	add := func(k colKind, area string, count int) *column {
		c := d.newColumn(s, k, area)
		d.fillColumn(r, s, c, count)
		return c
	}
	add(kOrg, "", 0)
	if s.v.orgSplit {
		add(kLeaders, "", 0)
	}
	if s.def.guide != guideMissing {
		g := add(kGuide, "", 0)
		if s.v.guideList {
			g.guideDoc = true
			d.fillColumn(r, s, g, 1)
		}
	}
	if !s.def.noRules {
		add(kRules, "", 2)
	}
	if s.def.catalog != catMissing {
		add(kCatalog, "", 0)
	}
	if s.def.report != repMissing {
		d.fillReports(r, s, add(kReport, "", 0))
	}
	policy := add(kPolicy, "", few(n+1))
	interp := d.newColumn(s, kInterp, "")
	if s.v.applyMode != 1 {
		add(kApply, "", 0)
	}
	switch s.def.consult {
	case 0:
		add(kConsult, "", few(n))
	case consultEmpty:
		add(kConsult, "", 0)
	}
	add(kNotice, "", few(n))
	for _, a := range s.areas {
		switch s.def.keyarea[a] {
		case 0:
			add(kKeyArea, a, few(n))
		case consultEmpty:
			add(kKeyArea, a, 0)
		}
	}
	if !s.def.low || s.def.stale == kPlan {
		add(kPlan, "", few(n))
	}
	if !s.def.low || s.def.stale == kPersonnel {
		add(kPersonnel, "", few(n))
	}
	if s.def.empty {
		add(kStats, "", 0)
	} else if !s.def.low && r.IntN(3) == 0 {
		add(kStats, "", n)
	}
	add(kNews, "", few(8*n+4))
	d.pairInterpretations(r, s, policy, interp)
	d.seedItemDefects(r, s)
	d.seedContentDefects(r, s)
	if c := s.column(kCatalog); c != nil && s.def.catalog != catEmpty {
		c.items = s.catalogued()
	}
	d.addExtras(s)
}

// colBase is the Hanweb id of a portal unit's entry column; its sub-columns
// follow it.
func colBase(idx int) int { return 1229012 + idx*40 }

// newColumn appends an empty column of kind k to s.
func (d *District) newColumn(s *unitSite, k colKind, area string) *column {
	c := &column{kind: k, area: area, pageSize: []int{10, 8, 6}[s.tpl]}
	if k == kKeyArea {
		names, ok := keyAreaNames[area]
		if !ok {
			names = [3]string{"重点领域信息", "重点领域信息", "重点领域信息"}
		}
		c.name = names[s.v.names]
	} else {
		c.name = columnNames[k][s.v.names]
	}
	if k == kNews && s.u.Kind == "street" && s.v.names == 1 {
		c.name = "街道动态"
	}
	c.id = colBase(s.idx) + 1 + len(s.cols)
	if s.own {
		c.slug = slugs[k]
		if k == kKeyArea {
			c.slug = areaSlugs[area]
			if c.slug == "" {
				c.slug = fmt.Sprintf("zdly%d", len(s.cols))
			}
		}
		c.path = "/xxgk/" + c.slug + "/index.html"
	} else {
		c.path = fmt.Sprintf("/col/col%d/index.html", c.id)
	}
	s.cols = append(s.cols, c)
	return c
}

// freshness gives the age in days of a column's newest item: fresh columns
// are days or weeks old, stale ones months past their limit.
func freshness(r *rand.Rand, s *unitSite, k colKind) int {
	if s.def.stale == k {
		switch k {
		case kNews:
			return 100 + r.IntN(30)
		case kNotice:
			return 240 + r.IntN(40)
		default:
			return 450 + r.IntN(40)
		}
	}
	switch k {
	case kNews:
		return 1 + r.IntN(4)
	case kNotice:
		return 5 + r.IntN(30)
	case kPolicy:
		return 10 + r.IntN(40)
	case kRules:
		return 100 + r.IntN(40)
	}
	return 10 + r.IntN(80)
}

// fillColumn creates count items in c, newest first, spread back over the
// assessment year.
func (d *District) fillColumn(r *rand.Rand, s *unitSite, c *column, count int) {
	if count == 0 {
		return
	}
	newest := d.asOf.AddDate(0, 0, -freshness(r, s, c.kind))
	if c.guideDoc {
		newest = d.guideDate(s)
	}
	start := time.Date(d.year, 1, 8, 0, 0, 0, 0, d.asOf.Location())
	step := max(2*24*time.Hour, newest.Sub(start)/time.Duration(count))
	for i := range count {
		date := newest.Add(-time.Duration(i) * step)
		date = time.Date(date.Year(), date.Month(), date.Day(), 8+r.IntN(10), r.IntN(60), r.IntN(60), 0, date.Location())
		it := &item{col: c, seq: len(s.items), date: date, topic: pick(r, topics), forGuide: c.guideDoc}
		it.written = date.AddDate(0, 0, -r.IntN(6))
		it.title = title(r, c, s, date.Year(), it.topic)
		if c.guideDoc {
			it.title = fullName(s.u.Name) + "政府信息公开指南"
		}
		d.itemPath(s, it)
		if c.kind.catalogued() {
			it.publisher = fullName(s.u.Name)
			it.index = fmt.Sprintf("%s/%d-%05d", s.code, date.Year(), 100+it.seq)
			it.docNo = fmt.Sprintf("%s〔%d〕%d号", s.abbr, it.written.Year(), 3+it.seq)
		}
		if c.kind == kPolicy {
			it.validity = s.v.valStyle
			if i > 0 && i%4 == 3 {
				it.validity = valRepealed
			}
			it.attach = append(it.attach, d.attachment(s, it, "pdf"))
		}
		if c.kind == kKeyArea && c.area == "budget" {
			it.attach = append(it.attach, d.attachment(s, it, "xls"))
		}
		if c.kind == kNotice && i == 0 {
			it.attach = append(it.attach, d.attachment(s, it, "doc"))
		}
		c.items = append(c.items, it)
		s.items = append(s.items, it)
	}
}

// itemPath sets the article URL path in the style of the unit's CMS.
func (d *District) itemPath(s *unitSite, it *item) {
	t := it.date
	if s.own {
		it.path = fmt.Sprintf("/xxgk/%s/%04d%02d/t%04d%02d%02d_%d.html", it.col.slug, t.Year(), t.Month(),
			t.Year(), t.Month(), t.Day(), 123000+s.idx*2000+it.seq)
		return
	}
	it.path = fmt.Sprintf("/art/%d/%d/%d/art_%d_%d.html", t.Year(), int(t.Month()), t.Day(), it.col.id,
		41000+s.idx*2000+it.seq)
}

func (d *District) attachment(s *unitSite, it *item, ext string) attachment {
	names := map[string]string{"pdf": "文件正文.pdf", "doc": "附件：报名表.doc", "xls": "预算公开表.xls"}
	a := attachment{name: names[ext]}
	if s.own {
		a.path = fmt.Sprintf("%s/P0%s%06d.%s", path.Dir(it.path), it.date.Format("20060102"), it.seq, ext)
	} else {
		a.path = fmt.Sprintf("/picture/0/%s%04d.%s", it.date.Format("060102150405"), it.seq, ext)
	}
	return a
}
