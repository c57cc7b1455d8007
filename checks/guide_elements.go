package checks

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"gkaudit/cndate"
	"gkaudit/page"
	"gkaudit/site"
)

// GuideElementsRule is the source of guide.elements.
const GuideElementsRule = "《政府信息公开条例》（2019，国务院令第711号）第十二条：政府信息公开指南包括政府信息的分类、编排体系、获取方式和政府信息公开工作机构的名称、办公地址、办公时间、联系电话、传真号码、互联网联系方式等内容，并应当及时更新；北仑区考核指标“公开指南、公开目录（5分）”"

// guideElement is one item Art. 12 requires of a guide, with the words real
// guides use for it. When value is set, a label counts only when a value of
// that shape follows it (联系电话：0574-86780799, not 联系电话： left blank).
type guideElement struct {
	key   string
	name  string
	words []string
	// value builds, from the words, the pattern a present element matches in
	// the compacted text; nil means any of the words suffices.
	value func(words []string) *regexp.Regexp
}

// Value patterns. The text they run on is compacted (no white space) and
// normalised (full-width digits and colons to ASCII).
const (
	phonePattern   = `(\(?0\d{2,3}\)?[-—–]?\d{7,8}|[1-9]\d{6,7}(?:\D|$)|1[3-9]\d{9}|12345)`
	addressPattern = `[^\p{Han}\d]{0,4}[\p{Han}\d\-A-Za-z()]{0,28}?(路|街|道|号|楼|室|区|镇|乡|村|巷|弄|厦|中心|广场|院|园|大楼)`
	hoursPattern   = `.{0,30}?(\d{1,2}:\d{2}|\d{1,2}(点|时)|工作日|周[一二三四五]|星期[一二三四五]|上午|下午|夏季|冬季|夏令|冬令)`
	urlPattern     = `(?i).{0,16}?(https?://|www\.)[a-z0-9-]+`
)

func labelled(pattern string) func([]string) *regexp.Regexp {
	return func(words []string) *regexp.Regexp {
		var alts []string
		for _, w := range words {
			if w = page.Compact(w); w != "" {
				alts = append(alts, regexp.QuoteMeta(w))
			}
		}
		if len(alts) == 0 {
			return regexp.MustCompile(`$^`)
		}
		return regexp.MustCompile(`(?:` + strings.Join(alts, "|") + `)` + pattern)
	}
}

// guideElements are the Art. 12 items in the order the detail lists them.
// Real variants: the office is headed 工作机构 / 受理机构 / 政府信息公开工作机构;
// hours 办公时间 / 工作时间 / 咨询时间 / 受理时间, often split 夏季/冬季; e-mail
// 电子邮箱 / 电子邮件, or a 网址; the element most often missing is 传真号码.
var guideElements = []guideElement{
	{key: "guide.elements.classification", name: "政府信息的分类", words: []string{"分类", "类别", "公开范围", "公开内容", "主动公开的内容"}},
	{key: "guide.elements.arrangement", name: "编排体系", words: []string{"编排", "排列", "目录", "索引"}},
	{key: "guide.elements.access", name: "获取方式", words: []string{"获取方式", "获取途径", "获取政府信息", "获取信息", "获取相关", "获取", "公开方式", "公开形式", "公开途径", "公开渠道", "查阅"}},
	{key: "guide.elements.office", name: "工作机构名称", words: []string{"工作机构", "受理机构", "受理单位", "受理部门", "承办机构", "承办部门", "负责机构", "工作部门", "公开机构", "机构名称", "受理窗口"}},
	{key: "guide.elements.address", name: "办公地址", words: []string{"办公地址", "通讯地址", "通信地址", "联系地址", "邮寄地址", "办公地点", "受理地点", "受理地址", "地址"},
		value: labelled(addressPattern)},
	{key: "guide.elements.hours", name: "办公时间", words: []string{"办公时间", "工作时间", "咨询时间", "受理时间", "接待时间", "上班时间", "服务时间", "办理时间"},
		value: labelled(hoursPattern)},
	{key: "guide.elements.phone", name: "联系电话", words: []string{"联系电话", "咨询电话", "办公电话", "受理电话", "服务电话", "电话"},
		value: labelled(`[^\d]{0,6}?` + phonePattern)},
	{key: "guide.elements.fax", name: "传真号码", words: []string{"传真号码", "传真电话", "传真", "FAX", "Fax", "fax"},
		value: labelled(`[^\d]{0,6}?` + phonePattern)},
	{key: "guide.elements.online", name: "互联网联系方式", words: []string{"电子邮箱", "电子邮件", "邮箱", "E-mail", "Email", "email", "网址", "网站", "互联网", "网上", "平台"},
		value: labelled(urlPattern)},
}

// guideElementsTerms are the default word lists, by term key.
var guideElementsTerms = func() map[string][]string {
	m := map[string][]string{}
	for _, e := range guideElements {
		m[e.key] = e.words
	}
	return m
}()

// The 条例 a guide follows. Decree 711 (2019-04-03, in force 2019-05-15)
// replaced Decree 492 (2008-05-01).
var (
	cites711 = regexp.MustCompile(`(国务院令|国令)第?711号|第711号(国务院)?令|国务院第711号令|711号令`)
	cites492 = regexp.MustCompile(`(国务院令|国令)第?492号|第492号(国务院)?令|国务院第492号令|492号令`)
	law2008  = regexp.MustCompile(`2008年5月1日起?(正式)?(施行|实施)`)
	// 2019 wording: the revision named, the 20-working-day answer (Art. 33),
	// the 信息处理费 (Art. 42).
	wording2019 = regexp.MustCompile(`2019年4月3日|2019年5月15日|(新修订|修订后|2019年修订|2019年新修订)的?《?中华人民共和国政府信息公开条例|(20|二十)个工作日内(予以|作出)?答复|信息处理费|数量、频次明显超过合理范围`)
	// 2008 wording: the 三需要 condition, the 15-working-day answer (Art. 24),
	// cost fees (Art. 27) — all gone from the 2019 条例.
	wording2008 = regexp.MustCompile(`生产、生活、科研等特殊需要|(15|十五)个工作日内(予以|作出)?答复|检索、复制、邮寄等(成本)?费用|收取.{0,8}成本费用`)
	// A guide's own date: （2019年11月修订）, 2015年9月更新.
	revisedOn = regexp.MustCompile(`(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?\)?(修订|修改|更新|编制|制定|印发|发布)`)
	// Unfilled template text: 2012年 月 日, （填写单位）, ×××.
	templateText = regexp.MustCompile(`\d{4}年月日|[(（]填写[^)）]{0,12}[)）]|[×Ｘ]{3,}`)
)

// decree2019 is the day the 2019 条例 came into force.
var decree2019 = time.Date(2019, 5, 15, 0, 0, 0, 0, cndate.Shanghai)

// guideVersion says whether a guide follows the 2019 条例.
type guideVersion int

const (
	versionUnknown guideVersion = iota
	versionCurrent
	versionOutdated
)

// GuideElements (guide.elements) checks the guide found by guide.present
// against 条例第十二条: 政府信息的分类、编排体系、获取方式, and the disclosure
// office's 名称、办公地址、办公时间、联系电话、传真号码、互联网联系方式; and that it
// has been updated for the 2019 条例.
//
// Elements are matched on the guide's body (menus and chrome removed, white
// space removed so 办 公 地 址 matches). Address, hours, phone, fax and online
// contact count only with a value of their shape after the label: a label
// left blank (传真：) is missing; 传真 in "信函、传真申请" is not a fax number;
// an e-mail address anywhere, or a URL after 网址/网站, is the online contact.
//
// Version: a guide citing 国务院令第711号 (spaces allowed; also "492号令 …
// 根据第711号令修订") is current. One citing only 492 or "2008年5月1日起施行",
// or worded for the 2008 条例 (三需要, 15个工作日内答复, 成本费用), is out of
// date, unless it names the 2019 revision. A guide with no order number is
// judged by its own date (修订/更新 date in the text, metadata, list date) —
// on or after 2019-05-15 current, before it out of date — then by 2019
// wording (20个工作日内答复, 信息处理费, 新修订的条例) or a date on or after
// 2019-05-15 in its text. With no evidence either way the version is not
// judged: the finding is na when every element is present (a reviewer
// decides), fail when elements are missing. Unfilled template text
// (2012年 月 日) is noted in the detail.
//
// pass: every element present and the guide current. fail: an element
// missing (the detail lists each) or the guide out of date. na: the site
// could not be reached, no guide was found (guide.present fails), the guide
// is an attachment that cannot be read, or its version cannot be told.
func GuideElements(s *site.Snapshot, env Env) []Finding {
	if !s.EntryPage().OK() {
		return []Finding{entryUnreachable(s, "guide", "政府信息公开指南内容")}
	}
	g := locateGuide(s, env)
	if g.page == nil {
		f := Finding{Subject: "guide", Status: NA, URL: s.Entry, Looked: g.looked,
			Detail: "未找到政府信息公开指南，无法检查其内容（见 guide.present）"}
		if g.attachment != "" {
			f.URL = g.attachment
			f.Detail = "政府信息公开指南以附件形式公开（" + g.attachment + "），无法读取其内容，请人工核对第十二条要素"
		}
		return []Finding{f}
	}
	body := bodyText(g.page)
	flat := page.Compact(cndate.Normalize(body))
	var missing, found []string
	for _, e := range guideElements {
		if hasGuideElement(flat, body, g.page, e, env.Terms(e.key, e.words)) {
			found = append(found, e.name)
		} else {
			missing = append(missing, e.name)
		}
	}
	version, why, at := judgeVersion(flat, g)
	f := Finding{Subject: "guide", URL: pageURL(g.page), Looked: g.looked}
	var problems []string
	if len(missing) > 0 {
		problems = append(problems, "指南缺少第十二条规定的内容："+strings.Join(missing, "、"))
	}
	if version == versionOutdated {
		problems = append(problems, "指南未按2019年修订的《条例》（国务院令第711号）更新："+why)
	}
	note := ""
	if m := templateText.FindString(flat); m != "" {
		note = "；指南含未填写的模板文字“" + m + "”"
	}
	excerptAt := "受理机构"
	switch {
	case version == versionOutdated:
		excerptAt = at
	case len(missing) > 0:
		excerptAt = firstWord(body, []string{"受理机构", "工作机构", "联系电话", "办公地址", "依申请公开"})
	}
	f.Evidence = evidence(g.page, excerptAround(body, excerptAt, 160))
	switch {
	case len(problems) > 0:
		f.Status = Fail
		f.Detail = strings.Join(problems, "；") + note
		if version == versionUnknown && len(missing) > 0 {
			f.Detail += "（所依据的条例版本无法判断）"
		}
	case version == versionCurrent:
		f.Status = Pass
		f.Detail = "指南包含第十二条规定的全部内容（" + strings.Join(found, "、") + "），" + why + note
	default:
		f.Status = NA
		f.Detail = "指南包含第十二条规定的全部内容，但未注明所依据的条例（国务院令第711号或第492号）或修订日期，也无2019年修订后的表述，无法判断是否已及时更新，请人工核实" + note
	}
	return []Finding{f}
}

// hasGuideElement reports whether the guide shows element e.
func hasGuideElement(flat, body string, p *site.Page, e guideElement, words []string) bool {
	if e.key == "guide.elements.online" && firstEmail(body, p) != "" {
		return true
	}
	if e.value == nil {
		for _, w := range words {
			if w = page.Compact(w); w != "" && strings.Contains(flat, w) {
				return true
			}
		}
		return false
	}
	return e.value(words).MatchString(flat)
}

// judgeVersion tells whether the guide follows the 2019 条例, why, and the
// text the judgement rests on.
func judgeVersion(flat string, g *guideResult) (guideVersion, string, string) {
	if m := cites711.FindString(flat); m != "" {
		return versionCurrent, "引用《条例》（国务院令第711号）", m
	}
	w19 := wording2019.FindString(flat)
	if m := cites492.FindString(flat); m != "" && w19 == "" {
		return versionOutdated, "仍引用2008年《条例》（" + m + "）", m
	}
	if m := law2008.FindString(flat); m != "" && w19 == "" {
		return versionOutdated, "仍依据2008年施行的《条例》（" + m + "）", m
	}
	if m := wording2008.FindString(flat); m != "" && w19 == "" {
		return versionOutdated, "仍沿用2008年《条例》的规定（" + m + "）", m
	}
	if w19 != "" {
		return versionCurrent, "按2019年修订的《条例》表述（" + w19 + "）", w19
	}
	if d, text, ok := guideOwnDate(flat, g); ok {
		if !d.Before(decree2019) {
			return versionCurrent, "指南修订/发布于" + d.Format("2006-01-02") + "，在2019年《条例》施行之后", text
		}
		return versionOutdated, "指南修订/发布于" + d.Format("2006-01-02") + "，早于2019年5月15日新《条例》施行，且未引用国务院令第711号", text
	}
	for _, d := range cndate.Find(flat) {
		if !d.Time.Before(decree2019) {
			return versionCurrent, "指南载有2019年5月15日之后的日期（" + d.Text + "）", d.Text
		}
	}
	return versionUnknown, "", ""
}

// guideOwnDate returns the guide's own latest date: a 修订/更新/印发 date in
// its text, the 发布/成文 date of its metadata, or its date in the column list.
func guideOwnDate(flat string, g *guideResult) (time.Time, string, bool) {
	var best time.Time
	text := ""
	consider := func(d time.Time, t string) {
		if !d.IsZero() && d.After(best) {
			best, text = d, t
		}
	}
	for _, m := range revisedOn.FindAllStringSubmatch(flat, -1) {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		day := 1
		if m[3] != "" {
			day, _ = strconv.Atoi(m[3])
		}
		if y < 1990 || y > 2100 || mo < 1 || mo > 12 || day < 1 || day > 31 {
			continue
		}
		// A month-only date counts as the month's last day: 2019年5月修订
		// may postdate the 15th.
		d := time.Date(y, time.Month(mo), day, 0, 0, 0, 0, cndate.Shanghai)
		if m[3] == "" {
			d = d.AddDate(0, 1, -1)
		}
		consider(d, m[0])
	}
	if g.page != nil {
		md := viewOf(g.page).Meta
		for _, field := range []string{"published", "written"} {
			if d, ok := metaDate(md, field); ok {
				consider(d, md.Labels[field]+"："+md.Fields[field])
			}
		}
	}
	consider(g.listed, "列表日期 "+g.listed.Format("2006-01-02"))
	return best, text, !best.IsZero()
}
