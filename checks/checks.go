// Package checks holds the audit rules. Each rule is a pure function from a
// unit's snapshot to findings, in a file named after its check ID
// (org.info -> org_info.go); this file registers them.
package checks

import (
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

// Func is the signature every check shares. It must not do I/O and must not
// panic on any input.
type Func func(s *site.Snapshot, env Env) []Finding

// Check is a registered rule.
type Check struct {
	ID   string
	Rule string // source the check enforces, quoted in findings
	Run  Func
	// Terms are the check's word lists with their defaults; Config.Terms
	// overrides them key by key.
	Terms map[string][]string
}

// KeyAreaPrefix starts the IDs the keyarea check reports under
// (keyarea.budget, keyarea.law_enforcement, ...): one check, one ID per area.
const KeyAreaPrefix = "keyarea."

// registry maps check IDs to rules. It is read-only after package init.
var registry = map[string]Check{
	"site.reachable":        {ID: "site.reachable", Rule: SiteReachableRule, Run: SiteReachable},
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
	"report.annual":         {ID: "report.annual", Rule: ReportAnnualRule, Run: ReportAnnual, Terms: reportAnnualTerms},
	"report.sections":       {ID: "report.sections", Rule: ReportSectionsRule, Run: ReportSections, Terms: reportSectionsTerms},
	"decision.consultation": {ID: "decision.consultation", Rule: DecisionConsultationRule, Run: DecisionConsultation, Terms: decisionConsultationTerms},
	"keyarea":               {ID: "keyarea", Rule: KeyAreaRule, Run: KeyArea, Terms: keyAreaTerms},
	"link.broken":           {ID: "link.broken", Rule: LinkBrokenRule, Run: LinkBroken, Terms: linkBrokenTerms},
	"column.stale":          {ID: "column.stale", Rule: ColumnStaleRule, Run: ColumnStale, Terms: columnStaleTerms},
	"column.empty":          {ID: "column.empty", Rule: ColumnEmptyRule, Run: ColumnEmpty, Terms: columnEmptyTerms},
	"content.serious_error": {ID: "content.serious_error", Rule: ContentSeriousErrorRule, Run: ContentSeriousError, Terms: contentSeriousErrorTerms},
	"privacy.personal_info": {ID: "privacy.personal_info", Rule: PrivacyPersonalInfoRule, Run: PrivacyPersonalInfo, Terms: privacyPersonalInfoTerms},
	"volume.low":            {ID: "volume.low", Rule: VolumeLowRule, Run: volumeLowPerUnit}, // district-level: audit calls VolumeLow after all units
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

// Run runs every registered check on s and returns the findings in check ID
// order, each stamped with the unit and check ID.
func Run(s *site.Snapshot, env Env) []Finding {
	env.memo = &memo{snap: s}
	var out []Finding
	for _, c := range All() {
		for _, f := range c.Run(s, env) {
			f.Unit = env.Unit.ID
			if f.Check == "" || !strings.HasPrefix(f.Check, c.ID) {
				f.Check = c.ID
			}
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
	return Evidence{URL: u, FetchedAt: p.FetchedAt, HTTPStatus: p.Status, SHA256: p.SHA256, Excerpt: page.Clip(excerpt, 200),
		ErrorRaw: p.Err}
}
