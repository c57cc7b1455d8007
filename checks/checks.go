// Package checks holds the audit rules. Each rule is a pure function from a
// unit's snapshot to findings, in a file named after its check ID
// (org.info -> org_info.go); this file registers them.
package checks

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"gkaudit/config"
	"gkaudit/page"
	"gkaudit/site"
	"gkaudit/workday"
)

// Env is what a check may know besides the snapshot.
type Env struct {
	AsOf   time.Time      // the date rules are judged at
	Unit   config.Unit    // the unit under audit
	Config *config.Config // thresholds, word lists, rubric
	// Calendar is the working-day calendar delays are counted on. When nil
	// the checks build Config's (Monday to Friday when Config is nil too);
	// setting it saves building it again for every check that counts.
	Calendar *workday.Calendar
	// Availability summarises the unit's availability probes of the last 7
	// days (site.reachable); zero when there are none.
	Availability Availability
	// Params are the thresholds, resolved once from Config (ParamsOf); Run
	// resolves them when they are not set.
	Params Params

	// memo holds what several checks derive from the same snapshot; Run
	// sets it so that the work is done once per unit, not once per check.
	memo *memo
}

// memo is per-snapshot derived data shared by the checks of one Run. Checks
// of one unit run one after another, so it needs no lock.
type memo struct {
	snap    *site.Snapshot
	columns *columnSet
	interp  *interpIndex
	guide   *guideResult             // locateGuide's
	lists   map[string]columnListing // column URL -> what it lists (listingOf)
}

// calendar returns the working-day calendar to count on; nil counts Monday
// to Friday.
func (e Env) calendar() *workday.Calendar {
	switch {
	case e.Calendar != nil:
		return e.Calendar
	case e.Config != nil:
		return e.Config.Calendar()
	}
	return nil
}

// columnSet returns the snapshot's column set, built once per Run.
func (e Env) columnSet(s *site.Snapshot) *columnSet {
	if e.memo == nil || e.memo.snap != s {
		return newColumnSet(s)
	}
	if e.memo.columns == nil {
		e.memo.columns = newColumnSet(s)
	}
	return e.memo.columns
}

// interpIndex returns the snapshot's 解读 index, built once per Run.
func (e Env) interpIndex(s *site.Snapshot) *interpIndex {
	if e.memo == nil || e.memo.snap != s {
		return newInterpIndex(s, e)
	}
	if e.memo.interp == nil {
		e.memo.interp = newInterpIndex(s, e)
	}
	return e.memo.interp
}

// Func is the signature of a unit's check: one snapshot in, its findings
// out. It must not do I/O and must not panic on any input (Run turns a
// panic into an error finding).
type Func func(s *site.Snapshot, env Env) []Finding

// DistrictFunc is the signature of a district-level check: it compares the
// units of a run with each other (volume.low: each unit's items against the
// average of its kind), so it judges every unit's counts at once, after the
// last unit is done (or at gkaudit merge, from every shard's counts). env
// carries the config; Unit is unset.
type DistrictFunc func(counts []UnitCount, env Env) []Finding

// Check is a registered rule: a unit check (Run) or a district check
// (District).
type Check struct {
	ID       string
	Rule     string // source the check enforces, quoted in findings
	Run      Func
	District DistrictFunc
	// Terms are the check's word lists with their defaults; Config.Terms
	// overrides them key by key.
	Terms map[string][]string
	// Dated says how the check's findings depend on Env.AsOf; a re-run
	// that reuses a unit's findings (audit/reuse.go) runs the check again
	// when the as-of date differs in what it reads.
	Dated Dating
	// Nightly is set when the findings depend on what changes every run
	// although the unit's pages do not: the week of availability probes and
	// the entry page's attempts (site.reachable), the times of first tries
	// and the Retry-After of refusals (link.broken). A re-run that reuses a
	// unit's findings runs these checks again every time.
	Nightly bool
}

// Dating is how a check's findings depend on the as-of date.
type Dating int

// Datings.
const (
	// Undated findings do not read Env.AsOf.
	Undated Dating = iota
	// DatedByYear findings read it only through the assessment year
	// (assessYear: Config.Year, else the year before AsOf).
	DatedByYear
	// DatedByDay findings depend on the date itself: ages in days,
	// deadlines, dates in the future.
	DatedByDay
)

// KeyAreaPrefix starts the IDs the keyarea check reports under
// (keyarea.budget, keyarea.law_enforcement, ...): one check, one ID per area.
const KeyAreaPrefix = "keyarea."

// registry maps check IDs to rules. It is read-only after package init.
var registry = map[string]Check{
	"site.reachable":        {ID: "site.reachable", Rule: SiteReachableRule, Run: SiteReachable, Nightly: true},
	"org.info":              {ID: "org.info", Rule: OrgInfoRule, Run: OrgInfo, Terms: orgInfoTerms},
	"guide.present":         {ID: "guide.present", Rule: GuidePresentRule, Run: GuidePresent, Terms: guidePresentTerms},
	"guide.elements":        {ID: "guide.elements", Rule: GuideElementsRule, Run: GuideElements, Terms: guideElementsTerms},
	"carrier.column":        {ID: "carrier.column", Rule: CarrierColumnRule, Run: CarrierColumn, Terms: carrierColumnTerms},
	"channel.apply":         {ID: "channel.apply", Rule: ChannelApplyRule, Run: ChannelApply, Terms: channelApplyTerms},
	"newmedia.links":        {ID: "newmedia.links", Rule: NewmediaLinksRule, Run: NewmediaLinks, Terms: newmediaLinksTerms},
	"catalog.present":       {ID: "catalog.present", Rule: CatalogPresentRule, Run: CatalogPresent, Terms: catalogPresentTerms},
	"catalog.metadata":      {ID: "catalog.metadata", Rule: CatalogMetadataRule, Run: CatalogMetadata, Terms: catalogMetadataTerms},
	"policy.validity":       {ID: "policy.validity", Rule: PolicyValidityRule, Run: PolicyValidity, Terms: policyValidityTerms},
	"interpretation.linked": {ID: "interpretation.linked", Rule: InterpretationLinkedRule, Run: InterpretationLinked, Terms: interpretationLinkedTerms},
	"interpretation.sync":   {ID: "interpretation.sync", Rule: InterpretationSyncRule, Run: InterpretationSync, Terms: interpretationSyncTerms},
	"report.annual":         {ID: "report.annual", Rule: ReportAnnualRule, Run: ReportAnnual, Terms: reportAnnualTerms, Dated: DatedByDay},
	"report.sections":       {ID: "report.sections", Rule: ReportSectionsRule, Run: ReportSections, Terms: reportSectionsTerms, Dated: DatedByYear},
	"decision.consultation": {ID: "decision.consultation", Rule: DecisionConsultationRule, Run: DecisionConsultation, Terms: decisionConsultationTerms, Dated: DatedByYear},
	"keyarea":               {ID: "keyarea", Rule: KeyAreaRule, Run: KeyArea, Terms: keyAreaTerms, Dated: DatedByYear},
	"link.broken":           {ID: "link.broken", Rule: LinkBrokenRule, Run: LinkBroken, Terms: linkBrokenTerms, Nightly: true},
	"column.stale":          {ID: "column.stale", Rule: ColumnStaleRule, Run: ColumnStale, Terms: columnStaleTerms, Dated: DatedByDay},
	"column.empty":          {ID: "column.empty", Rule: ColumnEmptyRule, Run: ColumnEmpty, Terms: columnEmptyTerms},
	"content.serious_error": {ID: "content.serious_error", Rule: ContentSeriousErrorRule, Run: ContentSeriousError, Terms: contentSeriousErrorTerms},
	"privacy.personal_info": {ID: "privacy.personal_info", Rule: PrivacyPersonalInfoRule, Run: PrivacyPersonalInfo, Terms: privacyPersonalInfoTerms, Dated: DatedByDay},
	"volume.low":            {ID: "volume.low", Rule: VolumeLowRule, District: VolumeLow},
	"site.identity":         {ID: "site.identity", Rule: SiteIdentityRule, Run: SiteIdentity, Terms: siteIdentityTerms},
	"link.suspicious":       {ID: "link.suspicious", Rule: LinkSuspiciousRule, Run: LinkSuspicious, Terms: linkSuspiciousTerms},
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

// Lookup returns the check with the given ID; keyarea.<area> IDs resolve to
// the keyarea check.
func Lookup(id string) (Check, bool) {
	if strings.HasPrefix(id, KeyAreaPrefix) {
		id = "keyarea"
	}
	c, ok := registry[id]
	return c, ok
}

// Terms returns the word list for key: the config's override when it has one,
// else def.
func (e Env) Terms(key string, def []string) []string {
	if e.Config != nil {
		if t, ok := e.Config.Terms[key]; ok && len(t) > 0 {
			return t
		}
	}
	return def
}

// TermKeys returns every term key of the registered checks, sorted.
func TermKeys() []string {
	var out []string
	for _, c := range registry {
		for k := range c.Terms {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// Run runs every registered unit check on s and returns the findings in
// check ID order, each stamped with the unit and check ID. A check that
// panics yields one error finding naming it and the page it choked on, and
// the other checks run on.
func Run(s *site.Snapshot, env Env) []Finding { return runChecks(All(), s, env) }

// RunOnly runs the registered unit checks whose IDs are in ids, as Run
// does: the checks a re-run judges again when it reuses the rest of a
// unit's findings (audit/reuse.go). Unknown IDs are ignored.
func RunOnly(s *site.Snapshot, env Env, ids []string) []Finding {
	var list []Check
	for _, c := range All() {
		if slices.Contains(ids, c.ID) {
			list = append(list, c)
		}
	}
	return runChecks(list, s, env)
}

// runChecks is Run over the given checks.
func runChecks(list []Check, s *site.Snapshot, env Env) []Finding {
	if p := skeletonPage(s); p != nil {
		return skeletonFindings(list, s, p, env)
	}
	env.memo = &memo{snap: s}
	env = env.withParams()
	var out []Finding
	for _, c := range list {
		if c.Run == nil {
			continue
		}
		out = append(out, stamp(c, env.Unit.ID, runUnitCheck(c, s, env))...)
	}
	return out
}

// RunDistrict runs every registered district check on the units' counts,
// in check ID order. A check that panics yields one error finding per unit.
func RunDistrict(counts []UnitCount, env Env) []Finding { return runDistrict(All(), counts, env) }

// runDistrict is RunDistrict over the given checks.
func runDistrict(list []Check, counts []UnitCount, env Env) []Finding {
	env = env.withParams()
	var out []Finding
	for _, c := range list {
		if c.District == nil {
			continue
		}
		fs, err := guard(func() []Finding { return c.District(counts, env) })
		if err != nil {
			fs = nil
			for _, uc := range counts {
				fs = append(fs, Finding{Unit: uc.Unit.ID, Subject: c.ID, Status: Error, URL: uc.Unit.URL,
					Detail:   fmt.Sprintf("检查规则 %s 在比较各单位统计数时出错，本项未能判定；请把本条提示连同日志发给 gkaudit 维护人员。%v", c.ID, err),
					Evidence: Evidence{URL: uc.Unit.URL, ErrorRaw: err.Error()}})
			}
		}
		for _, f := range fs {
			out = append(out, stamp(c, f.Unit, []Finding{f})...)
		}
	}
	return out
}

// stamp sets the unit, check ID and rule of a check's findings.
func stamp(c Check, unit string, fs []Finding) []Finding {
	for i := range fs {
		fs[i].Unit = unit
		if fs[i].Check == "" || !strings.HasPrefix(fs[i].Check, c.ID) {
			fs[i].Check = c.ID
		}
		if fs[i].Rule == "" {
			fs[i].Rule = c.Rule
		}
	}
	return fs
}

// runUnitCheck runs one unit check, turning a panic into an error finding.
func runUnitCheck(c Check, s *site.Snapshot, env Env) []Finding {
	_ = s.TakeViewError() // one left by an earlier caller is not this check's
	fs, err := guard(func() []Finding { return c.Run(s, env) })
	if verr := s.TakeViewError(); verr != nil {
		// The check judged an empty view in place of one the store could
		// not give back: its findings cannot stand.
		return []Finding{{Subject: "views", Status: Error, URL: s.Entry, Looked: []string{s.Entry},
			Evidence: Evidence{URL: s.Entry, ErrorRaw: verr.Error()},
			Detail:   fmt.Sprintf("检查规则 %s 未能从数据库读回页面的读取结果，本项未能判定（其他检查照常进行）；请用 gkaudit check 检查数据库文件，修复后重新检查：%v", c.ID, verr)}}
	}
	if err == nil {
		return fs
	}
	p := pageBehindPanic(c, s, env)
	where, u := "本单位的快照", s.Entry
	ev := Evidence{URL: s.Entry, ErrorRaw: err.Error()}
	if p != nil {
		u = pageURL(p)
		where = "页面 " + u
		ev = evidence(p, "")
		ev.ErrorRaw = err.Error()
	}
	return []Finding{{Subject: "panic", Status: Error, URL: u, Looked: []string{u}, Evidence: ev,
		Detail: fmt.Sprintf("检查规则 %s 读取%s时出错，本项未能判定（其他检查照常进行）；请把本条提示连同该页面发给 gkaudit 维护人员修复：%v", c.ID, where, err)}}
}

// guard calls f and returns its panic, if any, as an error.
func guard(f func() []Finding) (fs []Finding, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return f(), nil
}

// pageBehindPanic finds the page a panicking check chokes on: checks are
// pure, so the first page whose presence makes the check panic is found by
// halving the snapshot's pages (each try keeps the pages before a cut:
// the entry page first). nil when the check panics without any page.
func pageBehindPanic(c Check, s *site.Snapshot, env Env) *site.Page {
	panics := func(n int) bool {
		part := *s
		part.Pages = s.Pages[:n]
		env.memo = &memo{snap: &part}
		_, err := guard(func() []Finding { return c.Run(&part, env) })
		return err != nil
	}
	lo, hi := 0, len(s.Pages) // panics(hi) holds: the whole snapshot
	if panics(0) {
		return nil
	}
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if panics(mid) {
			hi = mid
		} else {
			lo = mid
		}
	}
	return s.Pages[hi-1]
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
	return Evidence{URL: u, FetchedAt: p.FetchedAt, HTTPStatus: p.Status, SHA256: p.SHA256, Excerpt: page.Clip(excerpt, 200),
		ErrorRaw: p.Err}
}

// skeletonFindings is what Run says when it is given a crawl's view
// skeletons instead of whole views: one error finding per check, never a
// judgement of what the skeleton leaves out.
func skeletonFindings(list []Check, s *site.Snapshot, p *site.Page, env Env) []Finding {
	var out []Finding
	for _, c := range list {
		if c.Run == nil {
			continue
		}
		out = append(out, stamp(c, env.Unit.ID, []Finding{{Subject: "views", Status: Error, URL: pageURL(p), Looked: []string{pageURL(p)},
			Detail: "检查程序只拿到页面 " + pageURL(p) + " 的部分读取结果，本项未能判定；这是 gkaudit 的内部错误，请把本条提示发给维护人员", Evidence: evidence(p, "")}})...)
	}
	return out
}
