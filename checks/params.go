package checks

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"gkaudit/cndate"
	"gkaudit/config"
)

// Params are the thresholds the checks judge by, resolved once per run from
// the config's thresholds: section (default.yaml holds every default, with
// its source). Checks read them from Env.Params, never from constants of
// their own. Params of one config share its maps: read them, do not change
// them.
type Params struct {
	// StaleDays is the update limit in days by column kind (column.stale).
	StaleDays map[string]int
	// InterpretationDelayWorkdays is how many working days a 解读 may follow
	// its document (interpretation.sync).
	InterpretationDelayWorkdays int
	// VolumeLowRatio and VolumeLowMinPeers: below ratio × the average of the
	// reachable units of its kind is 明显低于, the average needing that many
	// units (volume.low).
	VolumeLowRatio    float64
	VolumeLowMinPeers int
	// ReportDeadlineMonth and ReportDeadlineDay are the day, in the year
	// after the report's year, by which the annual report is due
	// (report.annual).
	ReportDeadlineMonth time.Month
	ReportDeadlineDay   int
	// AvailabilityVetoPercent and AvailabilityMinProbes are the 单项否决
	// line of the probes (site.reachable).
	AvailabilityVetoPercent int
	AvailabilityMinProbes   int
	// SoftNotFoundMaxRunes bounds the main text of a soft 404 (link.broken).
	SoftNotFoundMaxRunes int
	// PrivacyMinListMobiles is how many mobiles make a list of people's
	// numbers (privacy.personal_info).
	PrivacyMinListMobiles int
	// EmptyColumnContentRunes is the own text that makes a column page a
	// content page (column.empty).
	EmptyColumnContentRunes int

	resolved bool // set by ParamsOf: the zero Params means "not resolved"
}

// ParamsOf resolves the thresholds of cfg. A config loaded from YAML has
// every value (the embedded default fills what a user's file leaves out); in
// one built in code a value whose zero is invalid (a zero ratio, no stale
// limits) keeps the embedded default, while interpretation_delay_workdays,
// whose 0 means "the same day", is taken as it is. A nil cfg gives the
// embedded default.
func ParamsOf(cfg *config.Config) (Params, error) {
	def, err := defaultParams()
	if err != nil || cfg == nil {
		return def, err
	}
	p := def
	if err := p.overlay(cfg.Thresholds); err != nil {
		return def, err
	}
	return p, nil
}

// overlay sets p's values from t: each value t has (a positive number, a
// deadline, stale limits), and the 解读 delay as it is.
func (p *Params) overlay(t config.Thresholds) error {
	if len(t.StaleDays) > 0 {
		p.StaleDays = maps.Clone(t.StaleDays)
	}
	p.InterpretationDelayWorkdays = t.InterpretationDelayWorkdays
	if t.VolumeLowRatio > 0 {
		p.VolumeLowRatio = t.VolumeLowRatio
	}
	if t.AnnualReportDeadline != "" {
		md, err := time.Parse("01-02", t.AnnualReportDeadline)
		if err != nil {
			return fmt.Errorf("thresholds.annual_report_deadline %q 不是 MM-DD 格式的日期：请写成如 \"01-31\"（月-日）", t.AnnualReportDeadline)
		}
		p.ReportDeadlineMonth, p.ReportDeadlineDay = md.Month(), md.Day()
	}
	positive := func(dst *int, v int) {
		if v > 0 {
			*dst = v
		}
	}
	positive(&p.VolumeLowMinPeers, t.VolumeLowMinPeers)
	positive(&p.AvailabilityVetoPercent, t.AvailabilityVetoPercent)
	positive(&p.AvailabilityMinProbes, t.AvailabilityMinProbes)
	positive(&p.SoftNotFoundMaxRunes, t.SoftNotFoundMaxRunes)
	positive(&p.PrivacyMinListMobiles, t.PrivacyMinListMobiles)
	positive(&p.EmptyColumnContentRunes, t.EmptyColumnContentRunes)
	return nil
}

// defaultParams are the embedded default's thresholds, resolved once: the
// default is immutable, so every Env without a config shares them.
var defaultParams = sync.OnceValues(func() (Params, error) {
	cfg, err := config.Default()
	if err != nil {
		return Params{}, err
	}
	p := Params{resolved: true}
	if err := p.overlay(cfg.Thresholds); err != nil {
		return Params{}, fmt.Errorf("内置配置 default.yaml 有误（程序缺陷，请报告）：%w", err)
	}
	return p, nil
})

// paramsFor is ParamsOf for a config Load or Parse validated, on which it
// cannot fail; on one changed in code that no longer resolves, the embedded
// default's values stand. Only a defect of the embedded default itself,
// which the config tests catch, leaves no thresholds to judge by: judging by
// zero limits would send false notices, so that panics (Run turns a
// panicking rule into an error finding).
func paramsFor(cfg *config.Config) Params {
	p, err := ParamsOf(cfg)
	if err != nil && !p.resolved {
		panic(err)
	}
	return p
}

// params returns the run's thresholds: Env.Params when Run (or the caller)
// resolved them, else those of Env.Config (the embedded default when nil).
func (e Env) params() Params {
	if e.Params.resolved {
		return e.Params
	}
	return paramsFor(e.Config)
}

// withParams returns env with its Params resolved, so that the checks of one
// Run share them.
func (e Env) withParams() Env {
	e.Params = e.params()
	return e
}

// ReportDue returns the last day on which the annual report on reportYear is
// on time: the deadline in the year after, at 00:00 Beijing time.
func (p Params) ReportDue(reportYear int) time.Time {
	return time.Date(reportYear+1, p.ReportDeadlineMonth, p.ReportDeadlineDay, 0, 0, 0, 0, cndate.Shanghai)
}

// AvailabilityVeto reports whether the probes reach the 单项否决 line:
// enough probes, and failures at the percentage or more (counted in
// integers: 1 of 20 is exactly 5%).
func (p Params) AvailabilityVeto(a Availability) bool {
	return a.Total >= p.AvailabilityMinProbes && a.Failed*100 >= p.AvailabilityVetoPercent*a.Total
}

// ValidateConfig checks cfg as a run will use it, every problem joined
// (errors.Join) and each naming the file, line and key: the config's own
// validation (values, and the check IDs the rubric, rectification.by_check
// and veto name), then what only the checks know — every term key is one a
// check reads, with words in it — and that the check IDs config accepts are
// those of the registered rules. gkaudit's commands call it on every config
// they load.
func ValidateConfig(cfg *config.Config) error {
	if cfg == nil {
		return nil
	}
	errs := []error{cfg.Validate()}
	errs = append(errs, validateTerms(cfg)...)
	errs = append(errs, validateIDs(cfg)...)
	return errors.Join(errs...)
}

// validateTerms checks the terms: section: a key no check reads (a typo
// would silently keep the default), an empty list (it would too) and blank
// words.
func validateTerms(cfg *config.Config) []error {
	known := TermKeys()
	var errs []error
	for _, k := range slices.Sorted(maps.Keys(cfg.Terms)) {
		if !slices.Contains(known, k) {
			msg := fmt.Sprintf("没有词表键 %s：没有检查项读取它，请改正拼写或删去（gkaudit checks --terms 列出全部词表键）", k)
			if near := nearest(k, known); near != "" {
				msg = fmt.Sprintf("没有词表键 %s：没有检查项读取它，是不是 %s？请改正拼写或删去（gkaudit checks --terms 列出全部词表键）", k, near)
			}
			errs = append(errs, cfg.KeyError("terms", msg, "terms", k))
			continue
		}
		words := cfg.Terms[k]
		if len(words) == 0 {
			errs = append(errs, cfg.KeyError("terms."+k, "词表为空：请至少列出一个词语，或删去这个键以使用默认词表（gkaudit checks --terms 列出默认词语）", "terms", k))
		}
		for i, w := range words {
			if strings.TrimSpace(w) == "" {
				errs = append(errs, cfg.KeyError(fmt.Sprintf("terms.%s[%d]", k, i), "不能为空：请填写词语，或删去这一项", "terms", k, i))
			}
		}
	}
	return errs
}

// nearest returns the known key closest to k when it is a likely typo (at
// most 3 edits, fewer than half its length), else "".
func nearest(k string, known []string) string {
	best, bestD := "", 4
	for _, c := range known {
		if d := config.EditDistance(k, c); d < bestD {
			best, bestD = c, d
		}
	}
	if best == "" || 2*bestD >= utf8.RuneCountInString(best) {
		return ""
	}
	return best
}

// validateIDs reports check IDs config accepts that no registered rule
// runs, and rules config does not know: config keeps the stable IDs of
// DESIGN.md to validate the rubric, rectification and veto against, and the
// two lists must not drift apart.
func validateIDs(cfg *config.Config) []error {
	ids := cfg.CheckIDs()
	var errs []error
	for _, id := range ids {
		if _, ok := Lookup(id); !ok {
			errs = append(errs, fmt.Errorf("检查项 %s 在配置的检查项 ID 中，却没有对应的检查规则（程序缺陷，请报告）", id))
		}
	}
	for _, c := range All() {
		if c.ID != strings.TrimSuffix(KeyAreaPrefix, ".") && !slices.Contains(ids, c.ID) {
			errs = append(errs, fmt.Errorf("检查规则 %s 不在配置的检查项 ID 中（程序缺陷，请报告）", c.ID))
		}
	}
	return errs
}
