// Package score turns a run's findings into one scorecard per unit under the
// rubric of the config (appendix 2 of the seed). Which checks feed which
// rubric line is rubric data (config.Item.Checks, config.Deduction.Checks: a
// check ID, or a prefix such as "keyarea.*"), never code, so a district that
// changes weights or mappings needs no rebuild.
//
// The rule:
//
//   - A check's status for a unit folds its findings for that unit: fail if
//     any finding fails, else pass if any passes; a check with only na or
//     error findings, or none, has not judged the unit and does not count.
//   - An auto or mixed item awards Max × passing checks / judged checks,
//     rounded to the nearest 0.5. An item none of whose checks judged the unit
//     (the site was unreachable and every check said na; its checks are not
//     implemented yet) is pending: 0 points, listed with why. A mixed item
//     is scored like an auto one and keeps mode "mixed", which tells a
//     reviewer the points may be adjusted.
//   - A manual item is pending until a reviewer scores it (a Review).
//   - An auto deduction counts its checks' failing findings, one occurrence
//     per distinct (check, subject): column.stale takes 1 point per stale
//     column. A once deduction counts at most one occurrence (volume.low
//     −2); max caps the total. A deduction whose checks report nothing
//     applies 0 with a note; one with no checks (overdue_rectification, to be
//     fed by finding history) applies 0 with a note.
//   - Manual deductions and bonuses are pending until reviewed.
//   - A Review scores a manual line, or overrules an automatic one; the line's
//     source becomes manual. The latest review of a (unit, line) wins.
//   - The objective subtotal is the points of the items scored automatically
//     minus the automatic deductions. Units are ranked by it, highest first;
//     equal subtotals share a rank (1, 2, 2, 4), in unit order.
//
// Compute is pure and deterministic: the CLI reads the findings from the
// store and passes them in.
package score

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"gkaudit/checks"
	"gkaudit/config"
	"gkaudit/store"
)

// Modes of rubric lines (config.Item.Mode, Deduction.Mode, Bonus.Mode).
const (
	modeAuto   = "auto"
	modeManual = "manual"
	modeMixed  = "mixed"
)

// Compute scores every unit under cfg's rubric from the findings, applying
// the optional reviews on top. Cards come back in the order of units, each
// with its Rank; findings of units not listed are ignored, and so are reviews
// that name no listed unit or no rubric line.
func Compute(cfg *config.Config, units []config.Unit, findings []checks.Finding, reviews ...Review) []Card {
	return ComputeWith(cfg, units, findings, Lifecycle{}, reviews...)
}

// Lifecycle is what the finding history adds to one run's findings.
type Lifecycle struct {
	// Overdue lists, per unit id, the findings that missed their
	// rectification deadline: one occurrence each of a deduction fed from
	// "overdue" (config.Deduction.From).
	Overdue map[string][]FindingRef
	// Dismissed holds the ids of findings a reviewer dismissed, each with
	// the reason: they count as passing.
	Dismissed map[string]string
}

// ComputeWith is Compute with the finding lifecycle: dismissed findings
// pass, and overdue findings feed the deductions that count them.
func ComputeWith(cfg *config.Config, units []config.Unit, findings []checks.Finding, lc Lifecycle, reviews ...Review) []Card {
	byUnit := map[string][]checks.Finding{}
	for _, f := range findings {
		if why, ok := lc.Dismissed[f.ID]; ok && f.ID != "" && f.Status == checks.Fail {
			f.Status, f.Detail = checks.Pass, "审核人员已驳回（"+why+"）："+f.Detail
		}
		byUnit[f.Unit] = append(byUnit[f.Unit], f)
	}
	revs := latestReviews(reviews)
	vetoes := VetoRulesOf(cfg)
	cards := make([]Card, len(units))
	for i, u := range units {
		cards[i] = unitCard(&cfg.Rubric, u, byUnit[u.ID], lc.Overdue[u.ID], revs)
		cards[i].Veto = VetoRisks(vetoes, u.ID, byUnit[u.ID])
		if cards[i].Veto == nil {
			cards[i].Veto = []VetoRisk{}
		}
	}
	rank(cards)
	return cards
}

// reviewKey identifies a review's target.
type reviewKey struct{ unit, line string }

// latestReviews keeps the latest review of each (unit, line); of two at the
// same time the later in the slice wins.
func latestReviews(reviews []Review) map[reviewKey]Review {
	m := map[reviewKey]Review{}
	for _, r := range reviews {
		k := reviewKey{r.Unit, r.Item}
		if cur, ok := m[k]; ok && r.At.Before(cur.At) {
			continue
		}
		m[k] = r
	}
	return m
}

func unitCard(r *config.Rubric, u config.Unit, fs []checks.Finding, overdue []FindingRef, revs map[reviewKey]Review) Card {
	c := Card{Unit: u.ID, Name: u.Name, Kind: u.Kind,
		Items: []ItemScore{}, Deductions: []DeductionScore{}, Bonuses: []BonusScore{}, Pending: []PendingLine{}}
	// A review applies to the first line with its id: items, deductions,
	// bonuses.
	applied := map[string]bool{}
	review := func(id string) (*Review, bool) {
		rv, ok := revs[reviewKey{u.ID, id}]
		if !ok || applied[id] {
			return nil, false
		}
		applied[id] = true
		return &rv, true
	}
	for _, it := range r.Items {
		s := scoreItem(it, fs)
		if rv, ok := review(it.ID); ok {
			auto := s.Source
			s.Points = clamp(rv.Points, 0, it.Points)
			s.Source, s.Review = Manual, rv
			s.Note = "审核人 " + rv.By + " 评定"
			if auto == Auto {
				s.Note += "（取代自动检查得出的 " + fmtPoints(roundHalf(it.Points*float64(s.Passed)/float64(s.Judged))) + " 分）"
			}
		}
		switch s.Source {
		case Auto:
			c.AutoPoints += s.Points
		case Manual:
			c.Reviewed += s.Points
		case Pending:
			c.Pending = append(c.Pending, PendingLine{Kind: "item", ID: it.ID, Name: it.Name, Points: it.Points, Why: s.Note})
		}
		if it.Mode != modeManual {
			c.AutoMax += it.Points
		}
		c.Items = append(c.Items, s)
	}
	for _, d := range r.Deductions {
		s := scoreDeduction(d, fs, overdue)
		if rv, ok := review(d.ID); ok {
			hi := math.Inf(1)
			switch {
			case d.Max > 0:
				hi = d.Max
			case d.Once:
				hi = d.Points
			}
			s.Deducted = clamp(rv.Points, 0, hi)
			s.Source, s.Review = Manual, rv
			s.Note = "审核人 " + rv.By + " 评定"
		}
		switch s.Source {
		case Auto:
			c.Deducted += s.Deducted
		case Manual:
			c.Reviewed -= s.Deducted
		case Pending:
			c.Pending = append(c.Pending, PendingLine{Kind: "deduction", ID: d.ID, Name: d.Text, Points: deductionCap(d), Why: s.Note})
		}
		c.Deductions = append(c.Deductions, s)
	}
	for _, b := range r.Bonuses {
		hi := b.Max
		if hi == 0 {
			hi = b.Points
		}
		s := BonusScore{ID: b.ID, Text: b.Text, Max: hi, Source: Pending, Note: "待审核人评分"}
		if rv, ok := review(b.ID); ok {
			s.Awarded = clamp(rv.Points, 0, hi)
			s.Source, s.Review = Manual, rv
			s.Note = "审核人 " + rv.By + " 评定"
			c.Reviewed += s.Awarded
		} else {
			c.Pending = append(c.Pending, PendingLine{Kind: "bonus", ID: b.ID, Name: b.Text, Points: hi, Why: s.Note})
		}
		c.Bonuses = append(c.Bonuses, s)
	}
	c.Objective = c.AutoPoints - c.Deducted
	c.Total = c.Objective + c.Reviewed
	return c
}

// scoreItem scores one item from the unit's findings, without reviews.
func scoreItem(it config.Item, fs []checks.Finding) ItemScore {
	s := ItemScore{ID: it.ID, Category: it.Category, Name: it.Name, Mode: it.Mode, Max: it.Points}
	if it.Mode == modeManual {
		s.Source, s.Note = Pending, "人工评分项：待审核人评分"
		return s
	}
	s.Checks, s.Findings = collect(it.Checks, fs)
	for _, cr := range s.Checks {
		switch cr.Status {
		case string(checks.Pass):
			s.Passed++
			s.Judged++
		case string(checks.Fail):
			s.Judged++
		}
	}
	if s.Judged == 0 {
		s.Source, s.Note = Pending, "没有检查项能作出判断："+describe(s.Checks)
		return s
	}
	s.Source = Auto
	s.Points = roundHalf(it.Points * float64(s.Passed) / float64(s.Judged))
	if it.Mode == modeMixed {
		s.Note = "混合评分项：分数来自自动检查，审核人可调整"
	}
	return s
}

// scoreDeduction applies one deduction from the unit's findings, without
// reviews.
func scoreDeduction(d config.Deduction, fs []checks.Finding, overdue []FindingRef) DeductionScore {
	s := DeductionScore{ID: d.ID, Text: d.Text, Mode: d.Mode, Points: d.Points, Max: d.Max, Once: d.Once}
	switch {
	case d.Mode == modeManual:
		s.Source, s.Note = Pending, "人工扣分项：待审核人评定"
		return s
	case d.From == config.FromOverdue:
		s.Source = Auto
		s.Findings = overdue
		s.Count = len(overdue)
		if s.Count == 0 {
			s.Note = "没有逾期未整改的问题"
		}
	case len(d.Checks) == 0:
		s.Source, s.Note = Auto, "没有检查项对应此扣分项：0 分"
		return s
	default:
		s.Source = Auto
		var all []FindingRef
		s.Checks, all = collect(d.Checks, fs)
		seen := map[[2]string]bool{}
		for _, f := range all {
			if f.Status != checks.Fail {
				continue
			}
			s.Findings = append(s.Findings, f)
			if k := [2]string{f.Check, f.Subject}; !seen[k] {
				seen[k] = true
				s.Count++
			}
		}
		if s.Count == 0 {
			s.Note = "没有不合格的问题：" + describe(s.Checks)
		}
	}
	n := s.Count
	if d.Once {
		n = min(n, 1)
	}
	s.Deducted = d.Points * float64(n)
	if d.Max > 0 {
		s.Deducted = min(s.Deducted, d.Max)
	}
	return s
}

// deductionCap is what a pending deduction is listed with: its cap, or its
// points per occurrence when it has none.
func deductionCap(d config.Deduction) float64 {
	if d.Max > 0 {
		return d.Max
	}
	return d.Points
}

// collect folds the findings of the checks refs names (IDs or prefixes like
// "keyarea.*") into one result per check ID, in the order of refs (IDs under
// one prefix sorted), and returns the findings behind them. A ref that
// matches no finding gets one Absent result.
func collect(refs []string, fs []checks.Finding) ([]CheckResult, []FindingRef) {
	var results []CheckResult
	var found []FindingRef
	done := map[string]bool{}
	for _, ref := range refs {
		var ids []string
		matched := false
		for _, f := range fs {
			if !matches(ref, f.Check) {
				continue
			}
			matched = true
			if !done[f.Check] && !slices.Contains(ids, f.Check) {
				ids = append(ids, f.Check)
			}
		}
		if len(ids) == 0 {
			if !matched && !done[ref] {
				done[ref] = true
				results = append(results, CheckResult{ID: ref, Status: Absent})
			}
			continue
		}
		slices.Sort(ids)
		for _, id := range ids {
			done[id] = true
			cr := CheckResult{ID: id}
			for _, f := range fs {
				if f.Check != id {
					continue
				}
				found = append(found, FindingRef{ID: f.ID, Check: f.Check, Status: f.Status, Subject: f.Subject, URL: f.URL, Detail: f.Detail})
				switch {
				case f.Status == checks.Fail:
					cr.Status, cr.Reason = string(checks.Fail), ""
				case f.Status == checks.Pass && cr.Status != string(checks.Fail):
					cr.Status, cr.Reason = string(checks.Pass), ""
				case cr.Status == "":
					cr.Status, cr.Reason = string(f.Status), f.Detail
				}
			}
			results = append(results, cr)
		}
	}
	return results, found
}

// matches reports whether check ID id is named by ref: equal, or under a
// prefix ref ending in "*".
func matches(ref, id string) bool {
	if prefix, ok := strings.CutSuffix(ref, "*"); ok {
		return strings.HasPrefix(id, prefix)
	}
	return id == ref
}

// describe says in one line why checks did not judge: "org.info na (入口页面
// 无法访问); volume.low absent (not implemented)".
func describe(rs []CheckResult) string {
	parts := make([]string, 0, len(rs))
	for _, r := range rs {
		p := r.ID + " " + statusWords[r.Status]
		switch {
		case r.Reason != "":
			p += "（" + r.Reason + "）"
		case r.Status == Absent && !implemented(r.ID):
			p += "（尚未实现）"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "；")
}

// statusWords are the check statuses as the notes a person reads say them
// (the JSON's status fields keep the English values).
var statusWords = map[string]string{
	string(checks.Pass):  "通过",
	string(checks.Fail):  "不合格",
	string(checks.NA):    "无法判断",
	string(checks.Error): "出错",
	Absent:               "没有结果",
}

// implemented reports whether a check ID or prefix names a registered check.
func implemented(ref string) bool {
	_, ok := checks.Lookup(strings.TrimSuffix(ref, "*"))
	return ok
}

// rank sets Rank by Objective, highest first; equal subtotals share a rank.
func rank(cards []Card) {
	order := make([]int, len(cards))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch oa, ob := cards[a].Objective, cards[b].Objective; {
		case oa > ob:
			return -1
		case oa < ob:
			return 1
		}
		return 0
	})
	for pos, i := range order {
		if pos > 0 && cards[i].Objective == cards[order[pos-1]].Objective {
			cards[i].Rank = cards[order[pos-1]].Rank
		} else {
			cards[i].Rank = pos + 1
		}
	}
}

func roundHalf(x float64) float64 { return math.Round(x*2) / 2 }

func clamp(x, lo, hi float64) float64 { return max(lo, min(x, hi)) }

// fmtPoints formats points without trailing zeros: 5, 3.5, -1.
func fmtPoints(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// FromHistory builds the Lifecycle of run runID from the finding history:
// findings that went overdue in or before that run (and are not dismissed),
// and the dismissed ones.
func FromHistory(es []store.HistoryEntry, runID string) Lifecycle {
	lc := Lifecycle{Overdue: map[string][]FindingRef{}, Dismissed: map[string]string{}}
	for _, e := range es {
		switch {
		case e.State == store.StateDismissed && e.Dismissed != nil:
			lc.Dismissed[e.ID] = e.Dismissed.Why
		case !e.Overdue.IsZero() && e.Overdue.Run <= runID:
			lc.Overdue[e.Unit] = append(lc.Overdue[e.Unit], FindingRef{ID: e.ID, Check: e.Check, Status: checks.Fail,
				Subject: e.Subject, URL: e.URL, Detail: "整改期限 " + e.Deadline.Format("2006-01-02") + " 已过仍未整改：" + e.Detail})
		}
	}
	return lc
}

// ItemFor returns the first rubric item whose checks name check (an ID or a
// prefix such as "keyarea.*"), and false when no item does.
func ItemFor(r *config.Rubric, check string) (config.Item, bool) {
	for _, it := range r.Items {
		for _, ref := range it.Checks {
			if matches(ref, check) {
				return it, true
			}
		}
	}
	return config.Item{}, false
}

// ReviewsOf converts stored reviews into the reviews Compute applies.
func ReviewsOf(rs []store.Review) []Review {
	out := make([]Review, len(rs))
	for i, r := range rs {
		out[i] = Review{Unit: r.Unit, Item: r.Item, Points: r.Points, By: r.By, At: r.At, Why: r.Why}
	}
	return out
}
