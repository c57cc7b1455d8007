package config

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// Year bounds: the 条例 came into force in 2008.
const (
	minYear = 2008
	maxYear = 2100
)

var (
	idRE         = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	columnKindRE = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?$`)
)

var (
	unitKinds   = []string{KindStreet, KindDepartment}
	itemModes   = []string{"auto", "manual", "mixed"}
	staleColumn = "stale_days"
)

// Validate checks the whole configuration and returns every problem found,
// joined (errors.Join), each naming the file, line and key when the config
// came from YAML. Lines are looked up in the documents the config was parsed
// from, so after changing a parsed config in code they may be approximate.
func (c *Config) Validate() error {
	v := &validator{c: c}
	v.top()
	v.crawl()
	v.columns()
	v.keyAreas()
	v.units()
	v.thresholds()
	v.rubric()
	v.calendar()
	v.rectification()
	v.notice()
	v.service()
	return errors.Join(v.errs...)
}

type validator struct {
	c    *Config
	errs []error
}

func (v *validator) errorf(p path, format string, args ...any) {
	file, line := v.c.locate(p)
	v.errs = append(v.errs, &fieldError{file: file, line: line, key: p.String(), msg: fmt.Sprintf(format, args...)})
}

func (v *validator) top() {
	c := v.c
	if strings.TrimSpace(c.District) == "" {
		v.errorf(path{"district"}, "must not be empty")
	}
	if c.Year < minYear || c.Year > maxYear {
		v.errorf(path{"year"}, "%d is out of range %d..%d", c.Year, minYear, maxYear)
	}
	if strings.TrimSpace(c.Schedule) == "" {
		v.errorf(path{"schedule"}, "must not be empty")
	} else if err := checkCron(c.Schedule); err != nil {
		v.errorf(path{"schedule"}, "%q is not a valid cron spec: %v", c.Schedule, err)
	}
}

// checkCron parses spec as cron.ParseStandard does. robfig/cron v3.0.1
// panics on a time zone with nothing after it ("CRON_TZ=UTC"); that is
// reported as an error here.
func checkCron(spec string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errors.New("a time zone needs a schedule after it")
		}
	}()
	if strings.HasPrefix(spec, "TZ=") || strings.HasPrefix(spec, "CRON_TZ=") {
		if !strings.Contains(strings.TrimSpace(spec), " ") {
			return errors.New("a time zone needs a schedule after it")
		}
	}
	_, err = cron.ParseStandard(spec)
	return err
}

func (v *validator) crawl() {
	cr := v.c.Crawl
	p := path{"crawl"}
	positive := []struct {
		key string
		n   int64
	}{
		{"max_pages_per_unit", int64(cr.MaxPagesPerUnit)},
		{"max_depth", int64(cr.MaxDepth)},
		{"parallel_per_host", int64(cr.ParallelPerHost)},
		{"parallel_units", int64(cr.ParallelUnits)},
		{"max_body_bytes", cr.MaxBodyBytes},
		{"timeout", int64(cr.Timeout)},
		{"unit_budget", int64(cr.UnitBudget)},
	}
	for _, f := range positive {
		if f.n <= 0 {
			v.errorf(p.key(f.key), "must be positive")
		}
	}
	if cr.Delay < 0 {
		v.errorf(p.key("delay"), "must not be negative")
	}
	if cr.Retries < 0 {
		v.errorf(p.key("retries"), "must not be negative")
	}
	if strings.TrimSpace(cr.UserAgent) == "" {
		v.errorf(p.key("user_agent"), "must not be empty")
	}
	if cr.MaxRetryAfter < 0 || cr.MaxRefusals < 0 {
		v.errorf(p.key("max_retry_after"), "max_retry_after and max_refusals must not be negative")
	}
	if v.c.Revisit.Articles < 0 {
		v.errorf(path{"revisit"}.key("articles"), "must not be negative (0 fetches every article every run)")
	}
}

func (v *validator) columns() {
	for _, k := range sortedKeys(v.c.Columns) {
		p := path{"columns", k}
		if !columnKindRE.MatchString(k) {
			v.errorf(p, "column kind %q must match %s", k, columnKindRE)
		}
		texts := v.c.Columns[k]
		if len(texts) == 0 {
			v.errorf(p, "must list at least one text")
		}
		for i, s := range texts {
			if strings.TrimSpace(s) == "" {
				v.errorf(p.index(i), "must not be empty")
			}
		}
	}
}

// keyAreaList checks a list of key-area ids.
func (v *validator) keyAreaList(p path, ids []string) {
	known := v.c.KeyAreaIDs()
	seen := map[string]bool{}
	for i, id := range ids {
		switch {
		case !slices.Contains(known, id):
			v.errorf(p.index(i), "unknown key area %q (known: %s)", id, strings.Join(known, ", "))
		case seen[id]:
			v.errorf(p.index(i), "key area %q listed twice", id)
		}
		seen[id] = true
	}
}

func (v *validator) keyAreas() {
	for _, kind := range sortedKeys(v.c.KeyAreas) {
		p := path{"key_areas", kind}
		if !slices.Contains(unitKinds, kind) {
			v.errorf(p, "%q is not a unit kind (%s)", kind, strings.Join(unitKinds, ", "))
		}
		v.keyAreaList(p, v.c.KeyAreas[kind])
	}
}

func (v *validator) units() {
	if len(v.c.Units) == 0 {
		v.errorf(path{"units"}, "no units")
		return
	}
	first := map[string]int{}
	for i, u := range v.c.Units {
		p := path{"units"}.index(i)
		switch {
		case u.ID == "":
			v.errorf(p.key("id"), "must not be empty")
		case !idRE.MatchString(u.ID):
			v.errorf(p.key("id"), "%q must match %s", u.ID, idRE)
		default:
			if j, dup := first[u.ID]; dup {
				v.errorf(p.key("id"), "duplicate id %q, first used by units[%d]", u.ID, j)
			} else {
				first[u.ID] = i
			}
		}
		if strings.TrimSpace(u.Name) == "" {
			v.errorf(p.key("name"), "must not be empty")
		}
		if !slices.Contains(unitKinds, u.Kind) {
			v.errorf(p.key("kind"), "%q is not a unit kind (%s)", u.Kind, strings.Join(unitKinds, ", "))
		}
		if u.URL != "" && !isHTTPURL(u.URL) {
			v.errorf(p.key("url"), "%q is not an absolute http(s) URL", u.URL)
		}
		v.keyAreaList(p.key("key_areas"), u.KeyAreas)
		for j, s := range u.Scope {
			if msg := patternProblem(s); msg != "" {
				v.errorf(p.key("scope").index(j), "%q %s", s, msg)
			}
		}
		for j, s := range u.Exclude {
			if msg := patternProblem(s); msg != "" {
				v.errorf(p.key("exclude").index(j), "%q %s", s, msg)
			}
		}
	}
}

// isHTTPURL reports whether s is an absolute http or https URL with a host.
func isHTTPURL(s string) bool {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return false
	}
	return u.Scheme == "http" || u.Scheme == "https"
}

// patternProblem says what is wrong with a scope or exclude pattern, or "":
// it must be an absolute http(s) URL prefix, or a pattern with * (one path
// segment) or ** (any) wildcards.
func patternProblem(s string) string {
	switch {
	case s == "":
		return "is empty"
	case strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f }):
		return "contains spaces or control characters"
	case strings.Contains(s, "***"):
		return "has more than two * in a row"
	case !strings.Contains(s, "*"):
		if !isHTTPURL(s) {
			return "is neither an absolute http(s) URL prefix nor a pattern with * wildcards"
		}
	case strings.Contains(s, "://"):
		scheme, rest, _ := strings.Cut(s, "://")
		if scheme != "http" && scheme != "https" && scheme != "*" {
			return "has a scheme other than http or https"
		}
		if rest == "" || strings.HasPrefix(rest, "/") {
			return "has no host"
		}
	}
	return ""
}

func (v *validator) thresholds() {
	t := v.c.Thresholds
	p := path{"thresholds"}
	for _, k := range sortedKeys(t.StaleDays) {
		if _, ok := v.c.Columns[k]; !ok {
			v.errorf(p.key(staleColumn).key(k), "%q is not a column kind of columns", k)
		}
		if t.StaleDays[k] <= 0 {
			v.errorf(p.key(staleColumn).key(k), "must be positive")
		}
	}
	if t.InterpretationDelayWorkdays < 0 {
		v.errorf(p.key("interpretation_delay_workdays"), "must not be negative")
	}
	if !(t.VolumeLowRatio > 0 && t.VolumeLowRatio <= 1) {
		v.errorf(p.key("volume_low_ratio"), "%v is not in (0, 1]", t.VolumeLowRatio)
	}
	if _, err := time.Parse("01-02", t.AnnualReportDeadline); err != nil {
		v.errorf(p.key("annual_report_deadline"), "%q is not a date MM-DD", t.AnnualReportDeadline)
	}
}

func (v *validator) rubric() {
	r := v.c.Rubric
	p := path{"rubric"}
	if r.Year < minYear || r.Year > maxYear {
		v.errorf(p.key("year"), "%d is out of range %d..%d", r.Year, minYear, maxYear)
	}
	known := v.c.CheckIDs()
	if len(r.Items) == 0 {
		v.errorf(p.key("items"), "no items")
	}
	ids := map[string]bool{}
	for i, it := range r.Items {
		ip := p.key("items").index(i)
		v.rubricID(ip, it.ID, ids)
		if strings.TrimSpace(it.Category) == "" {
			v.errorf(ip.key("category"), "must not be empty")
		}
		if strings.TrimSpace(it.Name) == "" {
			v.errorf(ip.key("name"), "must not be empty")
		}
		if !(it.Points > 0) {
			v.errorf(ip.key("points"), "must be positive")
		}
		v.mode(ip, it.Mode)
		if it.Mode != "manual" && len(it.Checks) == 0 {
			v.errorf(ip.key("checks"), "a %s item needs at least one check", it.Mode)
		}
		v.checks(ip.key("checks"), it.Checks, known)
	}
	ids = map[string]bool{}
	for i, d := range r.Deductions {
		dp := p.key("deductions").index(i)
		v.rubricID(dp, d.ID, ids)
		if strings.TrimSpace(d.Text) == "" {
			v.errorf(dp.key("text"), "must not be empty")
		}
		v.points(dp, d.Points, d.Max)
		v.mode(dp, d.Mode)
		v.checks(dp.key("checks"), d.Checks, known)
		if d.From != "" && d.From != FromOverdue {
			v.errorf(dp.key("from"), "%q is not a deduction source (want %s)", d.From, FromOverdue)
		}
	}
	ids = map[string]bool{}
	for i, b := range r.Bonuses {
		bp := p.key("bonuses").index(i)
		v.rubricID(bp, b.ID, ids)
		if strings.TrimSpace(b.Text) == "" {
			v.errorf(bp.key("text"), "must not be empty")
		}
		v.points(bp, b.Points, b.Max)
		v.mode(bp, b.Mode)
	}
}

func (v *validator) rubricID(p path, id string, seen map[string]bool) {
	switch {
	case !idRE.MatchString(id):
		v.errorf(p.key("id"), "%q must match %s", id, idRE)
	case seen[id]:
		v.errorf(p.key("id"), "duplicate id %q", id)
	}
	seen[id] = true
}

func (v *validator) points(p path, points, max float64) {
	if !(points > 0) {
		v.errorf(p.key("points"), "must be positive")
	}
	if max != 0 && !(max >= points) {
		v.errorf(p.key("max"), "%v is less than points %v", max, points)
	}
}

func (v *validator) mode(p path, mode string) {
	if !slices.Contains(itemModes, mode) {
		v.errorf(p.key("mode"), "%q is not a mode (%s)", mode, strings.Join(itemModes, ", "))
	}
}

// checks validates check references: known check IDs, or a prefix ending in
// ".*" that some known ID starts with.
func (v *validator) checks(p path, refs, known []string) {
	for i, ref := range refs {
		if msg := checkRefProblem(ref, known); msg != "" {
			v.errorf(p.index(i), "%s", msg)
		}
	}
}

// checkRefProblem says what is wrong with a check reference, or "".
func checkRefProblem(ref string, known []string) string {
	if prefix, ok := checkPrefix(ref); ok {
		if !slices.ContainsFunc(known, func(id string) bool { return strings.HasPrefix(id, prefix) }) {
			return fmt.Sprintf("no check ID matches %q", ref)
		}
		return ""
	}
	if !slices.Contains(known, ref) {
		return fmt.Sprintf("unknown check ID %q", ref)
	}
	return ""
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
