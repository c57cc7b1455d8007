package sim

import (
	"fmt"
	"slices"
	"time"
)

// Generations is the number of generations a district has (see
// Options.Generation).
const Generations = 3

// advance applies the edits of generations 2 .. gen to the generated units,
// before the routes are registered. The edits are picked by unit order, not
// at random, so that a generation is the same whatever the seed's
// permutations gave, as long as such a unit exists:
//
// Generation 2 (a few weeks on):
//   - every fourth unit posts a fresh 工作动态 item;
//   - the first two units with a stale column post a fresh item in it
//     (column.stale fixed);
//   - two units without other broken links post a 工作动态 item whose
//     attachment was never uploaded (link.broken, new: a new entry, fetched
//     and its links probed the night it appears);
//   - two units withdraw a news article in their CMS: its page and its list
//     entry are gone;
//   - the first unit whose guide lacks the fax number adds it
//     (guide.elements fixed);
//   - the first unit with unlabelled policy documents labels them
//     (policy.validity fixed);
//   - the last unit whose 机构信息 is complete drops its office hours
//     (org.info, new).
//
// Generation 3: the missing attachments are uploaded (link.broken fixed)
// and another fourth of the units post a fresh item.
//
// A page deleted on the server while its unchanged list entry stays is not
// among the edits: no list tells of it, so a nightly run under the revisit
// policy finds it on the page's night of the rotation (revisit.articles),
// which crawler's TestRevisit_SilentDeletionFoundOnItsNight shows.
func (d *District) advance(gen int) {
	var live []*unitSite
	for _, s := range d.units {
		if s.trap == trapNone {
			live = append(live, s)
		}
	}
	if gen < 2 || len(live) == 0 {
		return
	}
	touched := map[*unitSite]bool{}
	var dead []*attachment
	for i, s := range live {
		if i%4 == 1 {
			d.freshItem(s, s.column(kNews), 1, 2)
			touched[s] = true
		}
	}
	fixedStale := 0
	for _, s := range live {
		if fixedStale == 2 {
			break
		}
		if c := s.column(s.def.stale); s.def.stale != "" && c != nil {
			d.freshItem(s, c, 2, 2)
			s.def.stale = ""
			touched[s] = true
			fixedStale++
		}
	}
	withdrawn := 0
	for i, s := range live {
		news := s.column(kNews)
		if s.def.broken || news == nil || len(news.items) < 8 {
			continue
		}
		switch {
		case len(dead) < 2 && i%4 != 1: // i%4 == 1 posted its item above
			it := d.freshItem(s, news, 1, 2)
			it.attach = append(it.attach, d.attachment(s, it, "doc"))
			it.attach[0].missing = true
			dead = append(dead, &it.attach[0])
			touched[s] = true
		case withdrawn < 2:
			news.items = slices.Delete(news.items, len(news.items)/2, len(news.items)/2+1)
			withdrawn++
			touched[s] = true
		}
	}
	for _, s := range live {
		if s.def.guide == guideNoFax && s.def.apply == 0 {
			s.def.guide = guideOK
			break
		}
	}
	for _, s := range live {
		if !s.def.validity {
			continue
		}
		s.def.validity = false
		for _, it := range s.column(kPolicy).items {
			if it.validity == valNone || it.validity == valEmpty {
				it.validity = s.v.valStyle
			}
		}
		break
	}
	for i := len(live) - 1; i >= 0; i-- {
		if s := live[i]; s.def.orgMiss == "" && !s.v.orgSplit {
			s.def.orgMiss = "办公时间"
			break
		}
	}

	if gen >= 3 {
		for _, a := range dead {
			a.missing = false
		}
		for i, s := range live {
			if i%4 == 3 {
				d.freshItem(s, s.column(kNews), 0, 3)
				touched[s] = true
			}
		}
	}
	for s := range touched {
		if c := s.column(kCatalog); c != nil && s.def.catalog != catEmpty {
			c.items = s.catalogued()
		}
	}
}

// freshItem puts a new item dated days before the as-of date at the top of
// column c and returns it (nil when c is nil); gen salts its content.
func (d *District) freshItem(s *unitSite, c *column, days, gen int) *item {
	if c == nil {
		return nil
	}
	r := unitRand(d.opt.Seed, s.u.ID, fmt.Sprintf("generation-%d-%s", gen, c.path))
	day := d.asOf.AddDate(0, 0, -days)
	date := time.Date(day.Year(), day.Month(), day.Day(), 9+r.IntN(8), r.IntN(60), r.IntN(60), 0, day.Location())
	it := &item{col: c, seq: len(s.items), date: date, written: date, topic: pick(r, topics)}
	it.title = title(r, c, s, date.Year(), it.topic)
	d.itemPath(s, it)
	if c.kind.catalogued() {
		it.publisher = fullName(s.u.Name)
		it.index = fmt.Sprintf("%s/%d-%05d", s.code, date.Year(), 100+it.seq)
		it.docNo = fmt.Sprintf("%s〔%d〕%d号", s.abbr, it.written.Year(), 3+it.seq)
	}
	if c.kind == kPolicy {
		it.validity = s.v.valStyle
	}
	c.items = append([]*item{it}, c.items...)
	s.items = append(s.items, it)
	return it
}
