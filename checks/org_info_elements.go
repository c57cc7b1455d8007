package checks

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"gkaudit/page"
	"gkaudit/site"
)

// This file holds how org.info reads the six elements of 条例第二十条（二）
// from the lines of the 机构信息 pages: by their labels and what follows them.

// orgElement is one of the six elements Art. 20(2) requires, with the words
// real 机构信息 pages use for it and what must follow them.
type orgElement struct {
	key   string // term key in config, e.g. org.info.address
	name  string
	words []string // labels and headings that introduce the element
	// value reports whether the text after a label (the rest of its line
	// and the lines after it) is the element itself, not a word inside
	// another phrase: 内设机构 followed by the list of offices is 机构设置,
	// 机构规格为正厅级 is not.
	value func(after string) bool
	// bare, when set, finds the element without a label: a phone number
	// with its area code is a 联系方式.
	bare *regexp.Regexp
}

// orgElements are looked for line by line in the content of the org pages
// (chrome removed). A label counts where the page says it as a label: at the
// start of a line or after a separator (一、主要职责, 办公地址：), before a colon,
// or ending a short heading (北仑区教育局主要职责, 机构设置和职能). What follows
// must be what the element is. Real variants seen: 主要职责/职能职责/工作职责;
// 内设机构/内设科室/科室设置/下属单位 with the offices listed; 办公地址/单位地址/
// 联系地址; 办公时间/工作时间 (often split 夏季/冬季) with the hours; 联系电话/
// 办公电话/咨询电话 with a number, or a number with its area code; 负责人：name,
// a title before a name (局长：张三) or a name before its titles (张三 党组书记、局长).
var orgElements = []orgElement{
	{key: "org.info.functions", name: "机关职能", words: []string{"主要职责", "主要职能", "机构职能", "机关职能", "职能职责", "工作职责", "部门职责", "单位职责", "职能配置", "职责", "职能"},
		value: orgFunctionsValue},
	{key: "org.info.structure", name: "机构设置", words: []string{"机构设置", "内设机构", "内设科室", "科室设置", "内设处室", "处室设置", "下属单位", "直属单位", "所属单位", "派出机构", "机构组成", "部门设置", "组织架构", "内设部门"},
		value: orgStructureValue},
	{key: "org.info.address", name: "办公地址", words: []string{"办公地址", "单位地址", "联系地址", "通讯地址", "通信地址", "办公地点", "地址"},
		value: orgAddressValue},
	{key: "org.info.hours", name: "办公时间", words: []string{"办公时间", "工作时间", "上班时间", "接待时间", "受理时间", "对外办公时间"},
		value: orgHoursValue},
	{key: "org.info.contact", name: "联系方式", words: []string{"联系电话", "联系方式", "办公电话", "咨询电话", "值班电话", "服务电话", "电话", "传真", "电子邮箱", "邮箱"},
		value: orgContactValue, bare: regexp.MustCompile(`(^|[^\d])(0\d{2,3}[-－—]\d{7,8}|[(（]0\d{2,3}[)）]\d{7,8}|1[3-9]\d{9})([^\d]|$)`)},
	{key: "org.info.leader", name: "负责人姓名", words: []string{"主要负责人", "单位负责人", "负责人", "主要领导", "领导姓名", "姓名"},
		value: orgLeaderValue},
}

var (
	// orgLeadIn is what may stand between a label and its value: colon,
	// 是/为/如下, a count (设有6个：).
	orgLeadIn = regexp.MustCompile(`^[\s:：]*(是|为|有|设有|设|包括|如下|共有|共|分别是|分别为)?[\s\d一二三四五六七八九十]*(个|家)?(科室|处室|机构|部门|单位)?[\s:：，,]*([（(]?[一二三四五六七八九十\d]{1,2}[)）、.．]\s*)?`)
	// orgOffice matches the name of an office or subordinate unit, ended by
	// a list separator: 政策法规科、 防雷减灾中心。 (机构规格正科级 is not one).
	orgOffice = regexp.MustCompile(`\p{Han}{1,14}?(办公室|科|处|室|股|中心|大队|中队|支队|站|所|队|组|台|馆|院|分局|局|委员会)([、，,；;。\s（(]|$)`)
	orgDuty   = regexp.MustCompile(`负责|贯彻|拟订|拟定|承担|组织|指导|制定|管理|监督|协调|执行|落实|研究`)
	orgPlace  = regexp.MustCompile(`\p{Han}.*(路|街|号|楼|道|巷|大厦|广场|村|镇|室|层|院|中心)`)
	orgTime   = regexp.MustCompile(`\d{1,2}\s*[:：点时]\s*\d{0,2}|上午|下午|工作日|周[一二三四五六日]|星期[一二三四五六日]|法定节假日|法定工作时间|夏季|冬季|夏令|冬令`)
	orgPhone  = regexp.MustCompile(`\d[\d\-－—()（） ]{6,}\d|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+`)
	// orgTitles are leaders' titles; a name stands after one (局长：张三) or
	// before them (张三 党组书记、局长).
	orgTitles    = `(?:副?(?:局长|主任|书记|处长|站长|馆长|院长|所长|队长|大队长|主席|理事长|镇长|乡长|区长|市长|县长|行长|社长|校长|厅长|部长|主任委员)|党组书记|党委书记|党工委书记|党组成员|调研员)`
	orgNameAfter = regexp.MustCompile(orgTitles + `[:：](\p{Han}{2,4})|(?:^|[、，,；;])` + orgTitles + `(\p{Han}{2,3})(?:[，,；;。（(]|$)`)
	orgTitleOnly = regexp.MustCompile(`^(` + orgTitles + `[、，,]?)+[:：]?$|^(主要负责人|单位负责人|负责人|领导姓名)[:：]?$`)
	orgNameOnly  = regexp.MustCompile(`^\p{Han}{2,4}$`)
	orgNameFirst = regexp.MustCompile(`^(\p{Han}{2,4})[\s　]*[，,、（(]?[\s　]*(?:\p{Han}{0,12}[、，,])?` + orgTitles)
	// orgLeaderHeading is a heading over the leaders' names.
	orgLeaderHeading = regexp.MustCompile(`^(\p{Han}{0,10})?(领导信息|领导之窗|领导简介|领导班子|班子成员|领导分工|现任领导|单位领导|局领导|委领导)[:：]?$`)
	// orgNotNameWord are words no personal name holds: menu entries and
	// section names that may follow a leaders' heading.
	orgNotNameWord = regexp.MustCompile(`信息|公开|机构|职能|职责|设置|动态|通知|公告|文件|规划|计划|简介|领导|概况|指南|目录|年报|制度|首页|地址|电话|时间|联系|工作|更多|查看|详情|科室|单位|部门`)
	orgNotName     = regexp.MustCompile(`^(主持|负责|分管|协助|全面|领导|工作|职责|联系|简历|姓名|职务|党组|党委|成员|副职|主要|办公|其他)`)
)

func orgFunctionsValue(after string) bool {
	v := firstRunes(after, 200)
	return utf8.RuneCountInString(page.Compact(v)) >= 15 && orgDuty.MatchString(v)
}

func orgStructureValue(after string) bool {
	// The rest of a label cell (内设机构或下属单位名称) and a table's header
	// cells (科室名称 | 职责 | 电话) before the list.
	for n := 0; n < 4; n++ {
		i := strings.IndexByte(after, '\n')
		if i < 0 || utf8.RuneCountInString(after[:i]) > 12 || orgOffice.MatchString(after[:i]) {
			break
		}
		after = after[i+1:]
	}
	v := orgLeadIn.ReplaceAllString(after, "")
	ms := orgOffice.FindAllStringIndex(firstRunes(v, 160), -1)
	// The list starts at once (内设机构：办公室、…), with at least two names.
	return len(ms) >= 2 && ms[0][0] == 0
}

func orgAddressValue(after string) bool {
	v := firstRunes(strings.TrimLeft(after, " :：\n"), 40)
	if i := strings.IndexByte(v, '\n'); i >= 0 && i > 0 {
		v = v[:i]
	}
	// A place in words (网站地址：http://… is no office address).
	if orgPlace.MatchString(v) {
		return true
	}
	han := 0
	for _, r := range v {
		if unicode.Is(unicode.Han, r) {
			han++
		}
	}
	// Not the next label (办公时间：… after an empty address cell).
	if i := strings.IndexAny(v, ":："); i >= 0 && utf8.RuneCountInString(v[:i]) <= 6 {
		return false
	}
	return han >= 4
}

func orgHoursValue(after string) bool {
	v := strings.TrimLeft(after, " :：为是\n")
	return orgTime.MatchString(firstRunes(v, 12)) && orgTime.FindStringIndex(v)[0] < 30
}

func orgContactValue(after string) bool {
	v := strings.TrimLeft(after, " :：为是\n")
	loc := orgPhone.FindStringIndex(firstRunes(v, 40))
	return loc != nil && loc[0] < 12
}

func orgLeaderValue(after string) bool {
	v := strings.TrimLeft(after, " \n")
	if !strings.HasPrefix(v, "：") && !strings.HasPrefix(v, ":") {
		return false // 负责人事管理 is no label
	}
	v = strings.TrimLeft(v, " :：")
	name := []rune(v)
	n := 0
	for n < len(name) && n < 5 && unicode.Is(unicode.Han, name[n]) {
		n++
	}
	return n >= 2 && n <= 4 && !orgNotName.MatchString(v)
}

// orgLeaderLine reports whether a line names a leader by title: 局长：张三,
// 党组书记、局长 李四, 王五 党组书记、局长 主持全面工作.
func orgLeaderLine(line string) bool {
	for _, m := range orgNameAfter.FindAllStringSubmatch(line, -1) {
		name := m[1] + m[2]
		if !orgNotName.MatchString(name) {
			return true
		}
	}
	if m := orgNameFirst.FindStringSubmatch(line); m != nil && !orgNotName.MatchString(m[1]) {
		return true
	}
	return false
}

// orgNumbering matches what may open a line before a label: 一、 （一） 1. •
var orgNumbering = regexp.MustCompile(`^[\s` + page.MetaBullets + `]*([（(]?[一二三四五六七八九十\d]{1,3}[)）、.．]?)?[\s、.．]*`)

// findOrgElement reports whether the lines show the element, with the line
// where it was seen.
func findOrgElement(lines []string, e orgElement) (string, bool) {
	for i, line := range lines {
		for _, w := range e.words {
			if w == "" {
				continue
			}
			for from := 0; ; {
				j := strings.Index(line[from:], w)
				if j < 0 {
					break
				}
				j += from
				from = j + len(w)
				if !orgLabelAt(line, j, len(w)) {
					continue
				}
				// The offices' list may be a table whose header cells
				// (科室名称 | 职责) look like other elements' headings.
				if e.value(orgAfter(lines, i, j+len(w), e.key != "org.info.structure")) {
					return line, true
				}
			}
		}
		if e.bare != nil && e.bare.MatchString(line) {
			return line, true
		}
		if e.key == "org.info.leader" {
			if orgLeaderLine(line) {
				return line, true
			}
			// Names listed under a 领导信息 heading (links to their pages).
			if orgLeaderHeading.MatchString(line) {
				for k := i + 1; k < len(lines) && k <= i+3; k++ {
					if orgNameOnly.MatchString(lines[k]) && !orgNotName.MatchString(lines[k]) && !orgNotNameWord.MatchString(lines[k]) && !isOrgHeading(lines[k]) {
						return line + " " + lines[k], true
					}
				}
			}
			// A table row: 局　　长 | 王建国, or 王建国 | 党组书记、局长.
			if i+1 < len(lines) {
				next := lines[i+1]
				if orgTitleOnly.MatchString(line) && orgNameOnly.MatchString(next) && !orgNotName.MatchString(next) ||
					orgNameOnly.MatchString(line) && !orgNotName.MatchString(line) && orgNameFirst.MatchString(line+next) {
					return line + " " + next, true
				}
			}
		}
	}
	return "", false
}

// orgLabelAt reports whether the word at line[j:j+n] stands as a label: at
// the line's start (after numbering) or after a separator, before a colon,
// or ending a short heading.
func orgLabelAt(line string, j, n int) bool {
	before := line[:j]
	rest := strings.TrimLeft(line[j+n:], " ")
	if orgNumbering.ReplaceAllString(before, "") == "" {
		return true
	}
	if r, _ := utf8.DecodeLastRuneInString(before); strings.ContainsRune(" :：;；,，。、|｜（(【[“\""+page.MetaBullets, r) {
		return true
	}
	if strings.HasPrefix(rest, "：") || strings.HasPrefix(rest, ":") || strings.HasPrefix(rest, "是：") || strings.HasPrefix(rest, "为：") {
		return true
	}
	return rest == "" && utf8.RuneCountInString(line) <= 40
}

// orgAfter is the text after a label: the rest of its line and the next
// lines, up to about 240 runes and, when stopAtHeading, to another
// element's heading.
func orgAfter(lines []string, i, at int, stopAtHeading bool) string {
	var b strings.Builder
	b.WriteString(lines[i][at:])
	for k := i + 1; k < len(lines) && k < i+8 && utf8.RuneCountInString(b.String()) < 240; k++ {
		if stopAtHeading && isOrgHeading(lines[k]) {
			break
		}
		b.WriteString("\n")
		b.WriteString(lines[k])
	}
	return b.String()
}

// isOrgHeading reports whether a line is just another element's label
// (领导信息, 内设机构：): a menu or the next section, not a value.
func isOrgHeading(line string) bool {
	t := strings.Trim(page.Compact(orgNumbering.ReplaceAllString(line, "")), ":：")
	if utf8.RuneCountInString(t) > 8 {
		return false
	}
	for _, e := range orgElements {
		for _, w := range e.words {
			if strings.HasSuffix(t, w) {
				return true
			}
		}
	}
	return strings.HasSuffix(t, "领导信息") || strings.HasSuffix(t, "领导简介") || strings.HasSuffix(t, "联系我们")
}

// orgLines returns the lines of a page's content, chrome removed (or of
// the whole page when its content sits in a block classed like chrome).
func orgLines(p *site.Page) []string {
	return compactLines(viewOf(p).Lines)
}

// compactLines drops empty lines and the white space inside the others:
// labels are often spaced (办 公 地 址, 局　　长).
func compactLines(segs []string) []string {
	var out []string
	for _, seg := range segs {
		if seg = page.Compact(seg); seg != "" {
			out = append(out, seg)
		}
	}
	return out
}
