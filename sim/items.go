package sim

import (
	"fmt"
	"math/rand/v2"
	"path"
	"slices"
	"strings"
	"time"
)

// fillReports adds the annual reports: the three years before the
// assessment year in the old format and the assessment year's in the
// national template, each published in January of the following year.
func (d *District) fillReports(r *rand.Rand, s *unitSite, c *column) {
	last := d.year
	if s.def.report == repOldOnly {
		last = d.year - 1
	}
	for y := last; y >= d.year-3; y-- {
		date := time.Date(y+1, 1, 10+r.IntN(15), 9+r.IntN(8), r.IntN(60), 0, 0, d.asOf.Location())
		if date.After(d.asOf) {
			date = d.asOf.AddDate(0, 0, -1)
		}
		it := &item{col: c, seq: len(s.items), date: date, written: date, year: y}
		it.title = pick(r, []string{
			fmt.Sprintf("%s%d年政府信息公开工作年度报告", fullName(s.u.Name), y),
			fmt.Sprintf("%s%d年度政府信息公开工作报告", fullName(s.u.Name), y),
		})
		it.badSects = y == d.year && s.def.sections
		d.itemPath(s, it)
		c.items = append(c.items, it)
		s.items = append(s.items, it)
	}
}

// guideDate is when the guide was last revised: after the 2019 条例 took
// effect, or years before it for an out-of-date guide.
func (d *District) guideDate(s *unitSite) time.Time {
	r := unitRand(d.opt.Seed, s.u.ID, "guide-date")
	if s.def.guide == guideOld {
		return time.Date(2015, time.Month(3+r.IntN(8)), 1+r.IntN(28), 10, 0, 0, 0, d.asOf.Location())
	}
	return time.Date(2019, time.Month(6+r.IntN(6)), 1+r.IntN(28), 10, 0, 0, 0, d.asOf.Location())
}

// pairInterpretations writes a 解读 for the newest policy documents and links
// each pair both ways, unless a linked or sync defect says otherwise.
func (d *District) pairInterpretations(r *rand.Rand, s *unitSite, policy, interp *column) {
	docs := policy.items
	pairs := max(1, len(docs)/2)
	for i := range min(pairs, len(docs)) {
		doc := docs[i]
		late := s.def.late && i == pairs-1
		if late && doc.date.After(d.asOf.AddDate(0, 0, -60)) {
			doc.date = doc.date.AddDate(0, 0, -60)
			d.itemPath(s, doc)
			doc.attach[0] = d.attachment(s, doc, "pdf")
		}
		doc.written = doc.date
		date := doc.date
		switch {
		case late:
			date = date.AddDate(0, 0, 35+r.IntN(15))
		case r.IntN(3) == 0 && date.Weekday() >= time.Monday && date.Weekday() <= time.Wednesday:
			date = date.AddDate(0, 0, 1) // next working day
		}
		date = date.Add(time.Duration(r.IntN(90)) * time.Minute)
		it := &item{col: interp, seq: len(s.items), date: date, written: date, topic: doc.topic, pair: doc}
		subject := doc.title
		if _, b, ok := strings.Cut(doc.title, "《"); ok {
			subject, _, _ = strings.Cut(b, "》")
		}
		it.title = "《" + subject + "》政策解读"
		if interp.name == "图文解读" {
			it.title = "一图读懂《" + subject + "》"
		}
		doc.pair = it
		if i == 0 {
			doc.noLink = s.def.linked == linkDocMissing
			it.noLink = s.def.linked == linkInterpMissing
		}
		d.itemPath(s, it)
		interp.items = append(interp.items, it)
		s.items = append(s.items, it)
	}
	byDate := func(a, b *item) int { return b.date.Compare(a.date) }
	slices.SortStableFunc(policy.items, byDate)
	slices.SortStableFunc(interp.items, byDate)
}

// seedItemDefects breaks individual articles: validity labels, metadata
// fields, dead links.
func (d *District) seedItemDefects(r *rand.Rand, s *unitSite) {
	var policy, news, notice []*item
	var catalogued []*item
	for _, c := range s.cols {
		switch c.kind {
		case kPolicy:
			policy = c.items
		case kNews:
			news = c.items
		case kNotice:
			notice = c.items
		}
		if c.kind.catalogued() {
			catalogued = append(catalogued, c.items...)
		}
	}
	if s.def.validity && len(policy) > 0 {
		policy[0].validity = valNone
		if len(policy) > 2 {
			policy[2].validity = valEmpty
		}
	}
	if s.def.catMeta && len(catalogued) > 0 {
		kinds := []metaDefect{metaNoDocNo, metaEmptyDocNo, metaNoIndex, metaEmptyPublisher}
		k := r.IntN(len(kinds))
		for i := 0; i < len(catalogued) && i < 2*3; i += 3 {
			m := kinds[(k+i)%len(kinds)]
			// 文号 is required of documents only (a 部门决算 or a news item
			// has none), so a 文号 defect on anything else is no defect:
			// seed a missing 索引号 there instead.
			if (m == metaNoDocNo || m == metaEmptyDocNo) && !catalogued[i].isDocument() {
				m = metaNoIndex
			}
			catalogued[i].meta = m
		}
	}
	if len(notice) > 0 {
		notice[0].extraLink = "www.gov.cn/zhengce/content/2019-04/15/content_5382991.htm"
	}
	if !s.def.broken {
		return
	}
	if len(policy) > 0 && len(policy[0].attach) > 0 {
		policy[0].attach[0].missing = true
	}
	if len(notice) > 0 {
		notice[0].extraLink = "www.nbdpc.gov.cn/old/art/2015/6/1/art_12_3456.html" // gone
	}
	if len(news) > 3 {
		news[2].deleted = true
		news[3].fails500 = true
	}
}

// addExtras registers pages outside the column tree: the application form
// and the trap pages.
func (d *District) addExtras(s *unitSite) {
	if s.v.applyMode == 0 || s.v.applyMode == 4 {
		p := fmt.Sprintf("/ysqgk/%d/apply.html", colBase(s.idx))
		if s.own {
			p = "/xxgk/ysqgk/apply.html"
		}
		s.extra = append(s.extra, extraPage{path: p, kind: "form"})
	}
	news := s.column(kNews)
	dir := path.Dir(news.path) + "/"
	if s.def.loop {
		s.extra = append(s.extra, extraPage{path: dir + "zt_a.html", kind: "loopA"}, extraPage{path: dir + "zt_b.html", kind: "loopB"})
	}
	if s.def.huge {
		s.extra = append(s.extra, extraPage{path: dir + "data_all.html", kind: "huge"})
	}
	if s.def.calendar {
		s.extra = append(s.extra, extraPage{path: dir + "rdt.html", kind: "calendar"})
	}
}

// column returns the unit's first column of kind k, or nil.
func (s *unitSite) column(k colKind) *column {
	for _, c := range s.cols {
		if c.kind == k {
			return c
		}
	}
	return nil
}

// extraPath returns the path of the unit's extra page of the given kind.
func (s *unitSite) extraPath(kind string) string {
	for _, e := range s.extra {
		if e.kind == kind {
			return e.path
		}
	}
	return ""
}

// isDocument reports whether an item is a 文件 (a policy document, or a title
// such as 关于…的通知 / …办法 / …意见), which must carry a 文号.
func (it *item) isDocument() bool {
	if it.col.kind == kPolicy {
		return true
	}
	t := it.title
	return strings.Contains(t, "关于") || strings.HasSuffix(t, "通知") || strings.HasSuffix(t, "意见") ||
		strings.HasSuffix(t, "办法") || strings.HasSuffix(t, "规定") || strings.HasSuffix(t, "决定")
}
