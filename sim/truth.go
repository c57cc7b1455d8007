package sim

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
)

// Truth is the expected outcome of one check on one unit.
type Truth struct {
	Unit   string `json:"unit"`
	Check  string `json:"check"`
	Status string `json:"status"` // pass | fail | na
	// Subjects are the failing pages, links or columns (absolute URLs) for
	// per-item checks.
	Subjects []string `json:"subjects,omitempty"`
	Note     string   `json:"note,omitempty"` // the defect seeded, or why na
}

// Statuses of a truth entry.
const (
	Pass = "pass"
	Fail = "fail"
	NA   = "na"
)

// baseChecks are the check IDs of DESIGN.md other than keyarea.*, in order.
var baseChecks = []string{
	"site.reachable", "link.broken", "column.stale", "column.empty", "volume.low",
	"org.info", "guide.present", "guide.elements", "catalog.present", "catalog.metadata",
	"report.annual", "report.sections", "policy.validity",
	"interpretation.linked", "interpretation.sync", "decision.consultation",
	"carrier.column", "channel.apply", "newmedia.links",
	"content.serious_error", "privacy.personal_info",
	"site.identity", "link.suspicious",
}

// WriteTruth writes the manifest as indented JSON.
func WriteTruth(w io.Writer, t []Truth) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(t); err != nil {
		return fmt.Errorf("sim: write truth: %w", err)
	}
	return nil
}

// Truth judges the generated district by the rules of DESIGN.md and returns
// one entry per unit and check: the base checks, then keyarea.<area> for each
// area the unit must cover. Subjects are URLs, so call it after Start.
func (d *District) Truth() []Truth {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.truth == nil {
		vol := d.volumes()
		for _, s := range d.units {
			d.truth = append(d.truth, d.unitTruth(s, vol)...)
		}
	}
	out := slices.Clone(d.truth)
	for i := range out {
		out[i].Subjects = slices.Clone(out[i].Subjects)
	}
	return out
}

// volumes counts each live unit's items dated in the assessment year and the
// average of each unit kind.
type volumes struct {
	count map[string]int
	avg   map[string]float64
}

func (d *District) volumes() volumes {
	v := volumes{count: map[string]int{}, avg: map[string]float64{}}
	n := map[string]int{}
	for _, s := range d.units {
		if s.trap != trapNone {
			continue
		}
		c := 0
		for _, it := range s.items {
			if it.date.Year() == d.year {
				c++
			}
		}
		v.count[s.u.ID] = c
		v.avg[s.u.Kind] += float64(c)
		n[s.u.Kind]++
	}
	for k := range v.avg {
		v.avg[k] /= float64(n[k])
	}
	return v
}

// volumeLowRatio is the share of the kind's average under which volume.low
// fails (config thresholds.volume_low_ratio).
const volumeLowRatio = 0.5

func (d *District) unitTruth(s *unitSite, vol volumes) []Truth {
	ids := slices.Clone(baseChecks)
	for _, a := range s.areas {
		ids = append(ids, "keyarea."+a)
	}
	out := make([]Truth, 0, len(ids))
	if s.trap != trapNone {
		why := map[trapKind]string{trapUnreachable: "port closed: connection refused", trapHanging: "host accepts connections and never answers"}[s.trap]
		for _, id := range ids {
			t := Truth{Unit: s.u.ID, Check: id, Status: NA, Note: "site unreachable"}
			if id == "site.reachable" {
				t.Status, t.Note = Fail, why
			}
			out = append(out, t)
		}
		return out
	}
	for _, id := range ids {
		t := d.judge(s, id, vol)
		t.Unit, t.Check = s.u.ID, id
		if t.Status == "" {
			t.Status = Pass
		}
		if t.Status == Fail && len(t.Subjects) > 0 {
			// Order by path, not by host:port, so the order stays the same
			// whatever ports the listeners get.
			slices.SortFunc(t.Subjects, func(a, b string) int {
				return strings.Compare(pathOf(a)+" "+a, pathOf(b)+" "+b)
			})
			t.Subjects = slices.Compact(t.Subjects)
		}
		out = append(out, t)
	}
	return out
}

// pathOf strips the scheme and host from an absolute URL.
func pathOf(u string) string {
	if i := strings.Index(strings.TrimPrefix(u, "http://"), "/"); i >= 0 {
		return strings.TrimPrefix(u, "http://")[i:]
	}
	return u
}

// url is the absolute URL of a path on the unit's host.
func (s *unitSite) url(p string) string { return s.h.base + p }

// fail builds a failing truth.
func fail(note string, subjects ...string) Truth {
	return Truth{Status: Fail, Note: note, Subjects: subjects}
}

func (d *District) judge(s *unitSite, id string, vol volumes) Truth {
	if area, ok := strings.CutPrefix(id, "keyarea."); ok {
		for _, c := range s.cols {
			if c.kind == kKeyArea && c.area == area {
				if len(c.items) == 0 {
					return fail("key-area column "+c.name+" is empty", s.url(c.path))
				}
				return Truth{Note: "column " + c.name}
			}
		}
		return fail("no key-area column for " + area)
	}
	switch id {
	case "site.reachable":
		return Truth{}
	case "link.broken":
		return d.judgeLinks(s)
	case "column.stale":
		var subj, notes []string
		for _, c := range s.cols {
			days := c.kind.staleDays()
			if days == 0 || len(c.items) == 0 {
				continue
			}
			newest := slices.MaxFunc(c.items, func(a, b *item) int { return a.date.Compare(b.date) }).date
			if age := int(d.asOf.Sub(newest).Hours() / 24); age > days {
				subj = append(subj, s.url(c.path))
				notes = append(notes, fmt.Sprintf("%s newest item %d days old (limit %d)", c.name, age, days))
			}
		}
		if len(subj) > 0 {
			return fail(strings.Join(notes, "; "), subj...)
		}
	case "column.empty":
		var subj, names []string
		for _, c := range s.cols {
			if c.kind.single() || c.kind == kGuide && !c.guideDoc {
				continue
			}
			if len(c.items) == 0 {
				subj = append(subj, s.url(c.path))
				names = append(names, c.name)
			}
		}
		if len(subj) > 0 {
			return fail("empty columns: "+strings.Join(names, "、"), subj...)
		}
	case "volume.low":
		c, avg := vol.count[s.u.ID], vol.avg[s.u.Kind]
		note := fmt.Sprintf("%d items in %d, %s average %.1f", c, d.year, s.u.Kind, avg)
		if float64(c) < volumeLowRatio*avg {
			return fail(note)
		}
		return Truth{Note: note}
	case "org.info":
		if s.def.orgMiss != "" {
			return fail("机构信息 lacks "+s.def.orgMiss, s.url(s.column(kOrg).path))
		}
	case "guide.present":
		if s.column(kGuide) == nil {
			return fail("no 政府信息公开指南")
		}
	case "guide.elements":
		g := s.column(kGuide)
		if g == nil {
			return Truth{Status: NA, Note: "no guide"}
		}
		u := s.url(g.path)
		if g.guideDoc {
			u = s.url(g.items[0].path)
		}
		switch s.def.guide {
		case guideNoFax:
			return fail("guide gives no 传真", u)
		case guideOld:
			return fail("guide cites only 国务院令第492号 (2008 条例), revised 2015", u)
		}
	case "catalog.present":
		c := s.column(kCatalog)
		if c == nil {
			return fail("no 政府信息公开目录 / 法定主动公开内容")
		}
		if len(c.items) == 0 {
			return fail("catalog lists no items", s.url(c.path))
		}
	case "catalog.metadata":
		c := s.column(kCatalog)
		if c == nil || len(c.items) == 0 {
			return Truth{Status: NA, Note: "no catalogued documents"}
		}
		var subj, notes []string
		for _, it := range c.items {
			if it.meta != metaOK {
				subj = append(subj, s.url(it.path))
				notes = append(notes, metaNotes[it.meta])
			}
		}
		if len(subj) > 0 {
			return fail("documents with "+strings.Join(notes, "; "), subj...)
		}
	case "report.annual":
		c := s.column(kReport)
		if c == nil {
			return fail("no 政府信息公开年报 column")
		}
		if s.report(d.year) == nil {
			return fail(fmt.Sprintf("no %d report; newest is %d", d.year, c.items[0].year), s.url(c.path))
		}
	case "report.sections":
		r := s.report(d.year)
		if r == nil {
			return Truth{Status: NA, Note: fmt.Sprintf("no %d report", d.year)}
		}
		if r.badSects {
			return fail("report lacks 行政复议、行政诉讼情况 and 存在的主要问题及改进情况", s.url(r.path))
		}
	case "policy.validity":
		var subj []string
		for _, it := range s.column(kPolicy).items {
			if it.validity == valNone || it.validity == valEmpty {
				subj = append(subj, s.url(it.path))
			}
		}
		if len(subj) > 0 {
			return fail("policy documents without a validity label (or with an empty one)", subj...)
		}
	case "interpretation.linked":
		var subj []string
		for _, it := range s.items {
			if it.pair != nil && it.noLink {
				subj = append(subj, s.url(it.path))
			}
		}
		if len(subj) > 0 {
			return fail("page does not link to its 解读/document counterpart", subj...)
		}
	case "interpretation.sync":
		// Counted on the embedded config's working-day calendar, as the
		// check counts: holidays off, 调休 weekend days on.
		limit := d.cfg.Thresholds.InterpretationDelayWorkdays
		var subj []string
		for _, it := range s.column(kInterp).items {
			if d.cal.WorkdaysBetween(it.pair.date, it.date) > limit {
				subj = append(subj, s.url(it.path))
			}
		}
		if len(subj) > 0 {
			return fail(fmt.Sprintf("解读 published more than %d working days after its document", limit), subj...)
		}
	case "decision.consultation":
		c := s.column(kConsult)
		if c == nil {
			return fail("no 征求意见 column")
		}
		if !slices.ContainsFunc(c.items, func(it *item) bool { return it.date.Year() == d.year }) {
			return fail(fmt.Sprintf("no 征求意见 items in %d", d.year), s.url(c.path))
		}
	case "carrier.column":
		var miss []string
		for k, name := range map[colKind]string{kGuide: "指南", kRules: "制度", kCatalog: "法定主动公开内容", kReport: "年报"} {
			if s.column(k) == nil {
				miss = append(miss, name)
			}
		}
		if len(miss) > 0 {
			slices.Sort(miss)
			return fail("disclosure column lacks "+strings.Join(miss, "、"), s.url(s.entry))
		}
	case "channel.apply":
		switch s.v.applyMode {
		case 3:
			return fail("only 信函/当面 routes; no online form or e-mail")
		case 4:
			return fail("only an online form; no 信函/当面 route")
		case 1:
			return Truth{Note: "routes described in the guide"}
		case 2:
			return Truth{Note: "online route is an e-mail address (Art. 29 数据电文)"}
		}
	case "content.serious_error":
		return d.judgeWording(s)
	case "privacy.personal_info":
		return d.judgePrivacy(s)
	case "newmedia.links":
		if s.def.noMedia {
			return fail("no 政务微博/微信 link or QR code")
		}
	case "site.identity":
		return d.judgeIdentity(s)
	case "link.suspicious":
		return d.judgeSuspicious(s)
	}
	return Truth{}
}

var metaNotes = map[metaDefect]string{
	metaNoIndex:        "no 索引号",
	metaEmptyDocNo:     "empty 文号",
	metaNoDocNo:        "no 文号",
	metaEmptyPublisher: "empty 发布机构",
}

// report returns the unit's annual report on year, or nil.
func (s *unitSite) report(year int) *item {
	if c := s.column(kReport); c != nil {
		for _, it := range c.items {
			if it.year == year {
				return it
			}
		}
	}
	return nil
}

// judgeLinks renders every page of the unit and tests each link against the
// routes of the district.
func (d *District) judgeLinks(s *unitSite) Truth {
	var subj []string
	for _, p := range d.unitPages(s) {
		for _, l := range d.pageLinks(s, p) {
			if d.broken(s, l) {
				subj = append(subj, l)
			}
		}
	}
	if len(subj) > 0 {
		note := "links that return 404/500 or loop"
		if s.def.huge || s.def.calendar {
			note += "; the unit also serves a 50 MB page or an endless calendar (not broken)"
		}
		return fail(note, subj...)
	}
	return Truth{}
}

func fakeRequest(p string) *http.Request {
	r, err := http.NewRequest(http.MethodGet, "http://sim.invalid"+p, nil)
	if err != nil {
		panic(err) // paths are generated by the sim itself
	}
	return r
}
