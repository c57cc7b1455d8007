package config

import (
	"errors"
	"fmt"
	"net/netip"
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
	v.veto()
	v.rubric()
	v.calendar()
	v.rectification()
	v.notice()
	v.service()
	v.leaders()
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
		v.errorf(path{"district"}, "不能为空：请填写被考核的区县名称")
	}
	if c.Year < minYear || c.Year > maxYear {
		v.errorf(path{"year"}, "%d 超出范围 %d..%d：请填写考核年度，例如 2019", c.Year, minYear, maxYear)
	}
	if strings.TrimSpace(c.Schedule) == "" {
		v.errorf(path{"schedule"}, "不能为空：请填写定时检查的 cron 表达式，例如 \"0 2 * * *\"（每天 2:00）")
	} else if err := checkCron(c.Schedule); err != nil {
		v.errorf(path{"schedule"}, "%q 不是有效的 cron 表达式（%s）：请写 5 个字段“分 时 日 月 周”，例如 \"0 2 * * *\"", c.Schedule, cronCause(err))
	}
}

// checkCron parses spec as cron.ParseStandard does. robfig/cron v3.0.1
// panics on a time zone with nothing after it ("CRON_TZ=UTC"); that is
// reported as an error here.
func checkCron(spec string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errors.New("时区后面缺少时间，例如 CRON_TZ=Asia/Shanghai 0 2 * * *")
		}
	}()
	if strings.HasPrefix(spec, "TZ=") || strings.HasPrefix(spec, "CRON_TZ=") {
		if !strings.Contains(strings.TrimSpace(spec), " ") {
			return errors.New("时区后面缺少时间，例如 CRON_TZ=Asia/Shanghai 0 2 * * *")
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
			v.errorf(p.key(f.key), "必须大于 0：请填写一个正数")
		}
	}
	if cr.Delay < 0 {
		v.errorf(p.key("delay"), "不能为负数：请填写 0 或更长的时长，例如 \"1s\"")
	}
	if cr.Retries < 0 {
		v.errorf(p.key("retries"), "不能为负数：请填写 0 或正整数")
	}
	if strings.TrimSpace(cr.UserAgent) == "" {
		v.errorf(p.key("user_agent"), "不能为空：请填写抓取时发送的 User-Agent")
	}
	for i, n := range cr.AllowNetworks {
		if !validNetwork(n) {
			v.errorf(p.key("allow_networks").index(i), "%q 不是网段：请写成 CIDR，例如 127.0.0.0/8 或 ::1/128", n)
		}
	}
	if cr.RecheckAfter < 0 {
		v.errorf(p.key("recheck_after"), "不能为负数：请填写 0（在单位抓取结束时立即再试）或更长的时长，例如 \"30s\"")
	}
	for j, s := range cr.LinkIgnore {
		if msg := patternProblem(s); msg != "" {
			v.errorf(p.key("link_ignore").index(j), "%q %s", s, msg)
		}
	}
	if cr.MaxRetryAfter < 0 {
		v.errorf(p.key("max_retry_after"), "不能为负数：请填写 0 或更长的时长，例如 \"60s\"")
	}
	if cr.MaxRefusals < 0 {
		v.errorf(p.key("max_refusals"), "不能为负数：请填写 0（用默认值）或正整数")
	}
	if cr.OutboundSample < 0 {
		v.errorf(p.key("outbound_sample"), "不能为负数：请填写 0（用默认值）或正整数，例如 2000")
	}
	if cr.MaxAttachments < 0 {
		v.errorf(p.key("max_attachments"), "不能为负数：请填写 0（不读附件）或正整数")
	}
	if cr.MaxAttachments > 0 && cr.MaxAttachmentBytes <= 0 {
		v.errorf(p.key("max_attachment_bytes"), "必须大于 0：请填写读取附件的大小上限（字节），例如 5242880")
	}
	if v.c.Revisit.Articles < 0 {
		v.errorf(path{"revisit"}.key("articles"), "不能为负数：0 表示每次运行都抓取全部文章，例如 \"7d\"")
	}
}

// validNetwork reports whether s is a CIDR prefix or a single IP address
// (crawl.allow_networks; the crawler parses it the same way).
func validNetwork(s string) bool {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		_, err := netip.ParsePrefix(s)
		return err == nil
	}
	_, err := netip.ParseAddr(s)
	return err == nil
}

func (v *validator) columns() {
	for _, k := range sortedKeys(v.c.Columns) {
		p := path{"columns", k}
		if !columnKindRE.MatchString(k) {
			v.errorf(p, "栏目类型 %q 不符合 %s：只用小写字母、数字和下划线，小写字母开头，至多一个点（如 keyarea.budget）", k, columnKindRE)
		}
		texts := v.c.Columns[k]
		if len(texts) == 0 {
			v.errorf(p, "没有栏目名称：请至少列出一个栏目名称")
		}
		for i, s := range texts {
			if strings.TrimSpace(s) == "" {
				v.errorf(p.index(i), "不能为空：请填写栏目名称，或删去这一项")
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
			v.errorf(p.index(i), "没有重点领域 %q：请改正拼写，或先在 columns 中定义 keyarea.%s（已有：%s）", id, id, strings.Join(known, "、"))
		case seen[id]:
			v.errorf(p.index(i), "重点领域 %q 列了两次：请删去重复的一项", id)
		}
		seen[id] = true
	}
}

func (v *validator) keyAreas() {
	for _, kind := range sortedKeys(v.c.KeyAreas) {
		p := path{"key_areas", kind}
		if !slices.Contains(unitKinds, kind) {
			v.errorf(p, "%q 不是单位类型：只能是 %s", kind, strings.Join(unitKinds, " 或 "))
		}
		v.keyAreaList(p, v.c.KeyAreas[kind])
	}
}

func (v *validator) units() {
	if len(v.c.Units) == 0 {
		v.errorf(path{"units"}, "没有任何单位：请至少列出一个单位（id、name、kind、url）")
		return
	}
	first := map[string]int{}
	firstURL := map[string]int{}
	for i, u := range v.c.Units {
		p := path{"units"}.index(i)
		switch {
		case u.ID == "":
			v.errorf(p.key("id"), "不能为空：请填写单位 id（小写字母开头，只含小写字母、数字和下划线）")
		case !idRE.MatchString(u.ID):
			v.errorf(p.key("id"), "%q 不符合 %s：id 须以小写字母开头，只含小写字母、数字和下划线", u.ID, idRE)
		default:
			if j, dup := first[u.ID]; dup {
				v.errorf(p.key("id"), "id %q 重复，units[%d] 已使用：每个单位的 id 必须不同，请换一个", u.ID, j)
			} else {
				first[u.ID] = i
			}
		}
		if strings.TrimSpace(u.Name) == "" {
			v.errorf(p.key("name"), "不能为空：请填写单位名称")
		}
		if !slices.Contains(unitKinds, u.Kind) {
			v.errorf(p.key("kind"), "%q 不是单位类型：只能是 %s", u.Kind, strings.Join(unitKinds, " 或 "))
		}
		if u.URL != "" && !isHTTPURL(u.URL) {
			v.errorf(p.key("url"), "%q 不是完整的 http(s) 网址：请写成以 http:// 或 https:// 开头、带域名的网址", u.URL)
		} else if u.URL != "" {
			key := entryKey(u.URL)
			if j, dup := firstURL[key]; dup {
				o := v.c.Units[j]
				file, line := v.c.locate(path{"units"}.index(j).key("url"))
				where := fmt.Sprintf("units[%d]", j)
				if line > 0 {
					where = fmt.Sprintf("%s:%d %s", file, line, where)
				}
				v.errorf(p.key("url"), "单位 %s（%s）的网址 %q 与 %s 单位 %s（%s）的 %q 是同一个入口：每个单位要有自己的入口网址（同一门户上的单位填各自栏目的网址）",
					u.ID, u.Name, u.URL, where, o.ID, o.Name, o.URL)
			} else {
				firstURL[key] = i
			}
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
		for j, s := range u.LinkIgnore {
			if msg := patternProblem(s); msg != "" {
				v.errorf(p.key("link_ignore").index(j), "%q %s", s, msg)
			}
		}
	}
}

// entryKey is a unit's entry URL normalised for spotting two units with one
// entry: scheme and host lower-cased, default port, fragment, a trailing
// slash and a directory index page (index.html, default.htm, ...) dropped.
func entryKey(s string) string {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil {
		return s
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	if h, port, ok := strings.Cut(u.Host, ":"); ok && (u.Scheme == "http" && port == "80" || u.Scheme == "https" && port == "443") {
		u.Host = h
	}
	u.Fragment, u.RawFragment = "", ""
	p := u.EscapedPath()
	if i := strings.LastIndex(p, "/"); i >= 0 && indexPages[strings.ToLower(p[i+1:])] {
		p = p[:i+1]
	}
	p = strings.TrimRight(p, "/")
	key := u.Scheme + "://" + u.Host + p
	if u.RawQuery != "" {
		key += "?" + u.RawQuery
	}
	return key
}

// indexPages are the file names servers answer a directory with.
var indexPages = map[string]bool{
	"index.html": true, "index.htm": true, "index.shtml": true, "index.jsp": true, "index.php": true, "index.asp": true, "index.aspx": true,
	"default.html": true, "default.htm": true, "default.asp": true, "default.aspx": true,
}

// CheckURLs reports every unit of units without a url, each naming the file
// and line of the unit: audit and serve crawl from a unit's entry URL, and
// config check asks the same of every unit, so that a file it passes is one
// audit accepts. The built-in district has no URLs (it scores runs only).
func (c *Config) CheckURLs(units []Unit) error {
	// A file copied from config show lacks every url: name a few, count the rest.
	const listed = 5
	var errs []error
	missing := 0
	for _, u := range units {
		if u.URL != "" {
			continue
		}
		if missing++; missing > listed {
			continue
		}
		i := slices.IndexFunc(c.Units, func(x Unit) bool { return x.ID == u.ID })
		p := path{"units"}.index(max(i, 0))
		file, line := c.locate(p)
		errs = append(errs, &fieldError{file: file, line: line, key: p.String(),
			msg: fmt.Sprintf("单位 %s（%s）没有 url：gkaudit audit 和 serve 从每个单位的入口网址开始检查，请填写它的 url", u.ID, u.Name)})
	}
	if missing > listed {
		errs = append(errs, fmt.Errorf("另有 %d 个单位也没有 url：请一并填写", missing-listed))
	}
	return errors.Join(errs...)
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
		return "为空：请填写网址前缀或带 * 通配符的模式，或删去这一项"
	case strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f }):
		return "含有空格或控制字符：请删去它们（网址中的空格写作 %20）"
	case strings.Contains(s, "***"):
		return "有两个以上连续的 *：* 匹配一段路径，** 匹配任意多段，请至多连写两个"
	case !strings.Contains(s, "*"):
		if !isHTTPURL(s) {
			return "既不是完整的 http(s) 网址前缀，也不是带 * 通配符的模式：请写成如 https://www.example.gov.cn/col/ 或 /art/**/art_1_*.html"
		}
	case strings.Contains(s, "://"):
		scheme, rest, _ := strings.Cut(s, "://")
		if scheme != "http" && scheme != "https" && scheme != "*" {
			return "的协议不是 http 或 https：请改用 http://、https:// 或 *://"
		}
		if rest == "" || strings.HasPrefix(rest, "/") {
			return "缺少域名：请在 :// 后写上域名"
		}
	}
	return ""
}

func (v *validator) thresholds() {
	t := v.c.Thresholds
	p := path{"thresholds"}
	for _, k := range sortedKeys(t.StaleDays) {
		if _, ok := v.c.Columns[k]; !ok {
			v.errorf(p.key(staleColumn).key(k), "%q 不是 columns 中的栏目类型：请改正拼写，或先在 columns 中定义它", k)
		}
		if t.StaleDays[k] <= 0 {
			v.errorf(p.key(staleColumn).key(k), "必须大于 0：请填写天数")
		}
	}
	if t.InterpretationDelayWorkdays < 0 {
		v.errorf(p.key("interpretation_delay_workdays"), "不能为负数：请填写 0 或正整数（工作日数）")
	}
	if !(t.VolumeLowRatio > 0 && t.VolumeLowRatio <= 1) {
		v.errorf(p.key("volume_low_ratio"), "%v 不在 (0, 1] 之内：请填写大于 0、不超过 1 的比例，例如 0.5", t.VolumeLowRatio)
	}
	if _, err := time.Parse("01-02", t.AnnualReportDeadline); err != nil {
		v.errorf(p.key("annual_report_deadline"), "%q 不是 MM-DD 格式的日期：请写成如 \"01-31\"（月-日）", t.AnnualReportDeadline)
	}
	positive := []struct {
		key, example string
		n            int
	}{
		{"volume_low_min_peers", "3", t.VolumeLowMinPeers},
		{"availability_min_probes", "20", t.AvailabilityMinProbes},
		{"soft_not_found_max_runes", "150", t.SoftNotFoundMaxRunes},
		{"privacy_min_list_mobiles", "2", t.PrivacyMinListMobiles},
		{"empty_column_content_runes", "20", t.EmptyColumnContentRunes},
	}
	for _, f := range positive {
		if f.n <= 0 {
			v.errorf(p.key(f.key), "必须大于 0：请填写一个正整数，例如 %s", f.example)
		}
	}
	if t.AvailabilityVetoPercent <= 0 || t.AvailabilityVetoPercent > 100 {
		v.errorf(p.key("availability_veto_percent"), "%d 不在 1..100 之内：请填写单项否决的失败百分比，例如 5", t.AvailabilityVetoPercent)
	}
}

// veto checks the 单项否决 rules: ids, names, an exact check ID each (a
// rule counts the findings of one check) and a count of at least 1.
func (v *validator) veto() {
	known := v.c.CheckIDs()
	ids := map[string]bool{}
	for i, r := range v.c.Thresholds.Veto {
		rp := path{"thresholds", "veto"}.index(i)
		v.rubricID(rp, r.ID, ids)
		if strings.TrimSpace(r.Name) == "" {
			v.errorf(rp.key("name"), "不能为空：请填写该单项否决指标的名称")
		}
		switch {
		case r.Check == "":
			v.errorf(rp.key("check"), "不能为空：请填写该指标计数的检查项 ID（gkaudit checks 列出全部检查项）")
		case strings.HasSuffix(r.Check, "*"):
			v.errorf(rp.key("check"), "%q 是前缀：单项否决指标只计一个检查项，请写完整的检查项 ID（gkaudit checks 列出全部检查项）", r.Check)
		default:
			if msg := checkRefProblem(r.Check, known); msg != "" {
				v.errorf(rp.key("check"), "%s", msg)
			}
		}
		for _, list := range []struct {
			key   string
			kinds []string
		}{{"kinds", r.Kinds}, {"exclude", r.Exclude}} {
			for j, k := range list.kinds {
				if strings.TrimSpace(k) == "" {
					v.errorf(rp.key(list.key).index(j), "不能为空：请填写类别（如 news），或删去这一项")
				}
			}
		}
		if r.Min < 1 {
			v.errorf(rp.key("min"), "必须至少为 1：请填写达到单项否决的个数，例如 5")
		}
	}
}

func (v *validator) rubric() {
	r := v.c.Rubric
	p := path{"rubric"}
	if r.Year < minYear || r.Year > maxYear {
		v.errorf(p.key("year"), "%d 超出范围 %d..%d：请填写评分标准适用的年度，例如 2019", r.Year, minYear, maxYear)
	}
	known := v.c.CheckIDs()
	if len(r.Items) == 0 {
		v.errorf(p.key("items"), "没有考核指标：请至少列出一项")
	}
	ids := map[string]bool{}
	for i, it := range r.Items {
		ip := p.key("items").index(i)
		v.rubricID(ip, it.ID, ids)
		if strings.TrimSpace(it.Category) == "" {
			v.errorf(ip.key("category"), "不能为空：请填写指标类别，例如 主动公开")
		}
		if strings.TrimSpace(it.Name) == "" {
			v.errorf(ip.key("name"), "不能为空：请填写指标名称")
		}
		if !(it.Points > 0) {
			v.errorf(ip.key("points"), "必须大于 0：请填写该项分值")
		}
		v.mode(ip, it.Mode)
		if it.Mode != "manual" && len(it.Checks) == 0 {
			v.errorf(ip.key("checks"), "mode 为 %s 的指标至少要有一个检查项：请在 checks 中列出检查项 ID（gkaudit checks 列出全部），或把 mode 改为 manual", it.Mode)
		}
		v.checks(ip.key("checks"), it.Checks, known)
	}
	ids = map[string]bool{}
	for i, d := range r.Deductions {
		dp := p.key("deductions").index(i)
		v.rubricID(dp, d.ID, ids)
		if strings.TrimSpace(d.Text) == "" {
			v.errorf(dp.key("text"), "不能为空：请填写扣分说明")
		}
		v.points(dp, d.Points, d.Max)
		v.mode(dp, d.Mode)
		v.checks(dp.key("checks"), d.Checks, known)
		if d.From != "" && d.From != FromOverdue {
			v.errorf(dp.key("from"), "%q 不是扣分来源：只能是 %s，或不填", d.From, FromOverdue)
		}
	}
	ids = map[string]bool{}
	for i, b := range r.Bonuses {
		bp := p.key("bonuses").index(i)
		v.rubricID(bp, b.ID, ids)
		if strings.TrimSpace(b.Text) == "" {
			v.errorf(bp.key("text"), "不能为空：请填写加分说明")
		}
		v.points(bp, b.Points, b.Max)
		v.mode(bp, b.Mode)
	}
}

func (v *validator) rubricID(p path, id string, seen map[string]bool) {
	switch {
	case !idRE.MatchString(id):
		v.errorf(p.key("id"), "%q 不符合 %s：id 须以小写字母开头，只含小写字母、数字和下划线", id, idRE)
	case seen[id]:
		v.errorf(p.key("id"), "id %q 重复：同一列表中每项的 id 必须不同，请换一个", id)
	}
	seen[id] = true
}

func (v *validator) points(p path, points, max float64) {
	if !(points > 0) {
		v.errorf(p.key("points"), "必须大于 0：请填写每次的分值")
	}
	if max != 0 && !(max >= points) {
		v.errorf(p.key("max"), "%v 小于 points %v：max 是累计的上限，请填写不小于 points 的数，或不填", max, points)
	}
}

func (v *validator) mode(p path, mode string) {
	if !slices.Contains(itemModes, mode) {
		v.errorf(p.key("mode"), "%q 不是评分方式：只能是 %s 之一", mode, strings.Join(itemModes, "、"))
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
			return fmt.Sprintf("没有检查项 ID 匹配 %q：请改正前缀（gkaudit checks 列出全部检查项）", ref)
		}
		return ""
	}
	if !slices.Contains(known, ref) {
		return fmt.Sprintf("没有检查项 ID %q：请改正拼写（gkaudit checks 列出全部检查项）", ref)
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
