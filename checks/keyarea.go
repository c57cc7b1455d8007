package checks

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"gkaudit/page"
	"gkaudit/site"
)

// KeyAreaRule is the source of keyarea.<area>.
const KeyAreaRule = "《政府信息公开条例》（2019）第二十条（七）财政预算、决算信息，（十）重大建设项目的批准和实施情况，（十一）扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况，（十三）环境保护……的监督检查情况；北仑区考核指标“重点领域信息公开（20分）”"

// keyAreaNames are the Chinese names of the key areas, for findings.
var keyAreaNames = map[string]string{
	"budget":              "财政预决算",
	"major_projects":      "重大建设项目",
	"public_resources":    "公共资源配置",
	"public_welfare":      "社会公益事业",
	"law_enforcement":     "行政执法公示",
	"gov_debt":            "政府债务",
	"poverty_alleviation": "精准扶贫",
	"environment":         "生态环境",
	"services":            "办事服务",
}

// KeyAreaName is the Chinese name of a key area id (budget: 财政预决算), or
// the id when it has none.
func KeyAreaName(area string) string {
	if n, ok := keyAreaNames[area]; ok {
		return n
	}
	return area
}

// keyAreaTerms are, per area (term key keyarea.<area>.sub), the link texts of
// the sub-columns real sites put under a key-area column: 财政预决算 →
// 部门预算/部门决算/“三公”经费; 行政执法公示 → 执法主体/执法依据/执法结果/双随机
// 一公开; 社会公益事业 → 社会救助/养老服务/教育/医疗卫生. A link on the area's
// column page with one of these texts (or a year, 2019年) is a sub-column
// whose items count for the area.
var keyAreaTerms = map[string][]string{
	"keyarea.budget.sub": {"预算", "决算", "三公", "预决算", "财政资金", "专项资金"},
	// keyarea.<area>.items (when set; else .sub) are the words an item's
	// title must hold for a column of a generic name (财政信息) to count:
	// 预算执行分析会 is a meeting, 部门预算 a disclosure.
	"keyarea.budget.items": {"部门预算", "部门决算", "单位预算", "单位决算", "预算公开", "决算公开", "三公", "预决算", "预算报告", "决算报告",
		"预算草案", "预算执行情况", "财政预算", "财政决算", "收支预算", "收支决算", "预算表", "决算表", "预算说明", "决算说明"},
	"keyarea.major_projects.sub":      {"项目", "批准", "审批", "核准", "备案", "招标", "建设", "进展", "竣工"},
	"keyarea.public_resources.sub":    {"交易", "采购", "招标", "出让", "产权", "配置", "工程建设"},
	"keyarea.public_welfare.sub":      {"救助", "养老", "教育", "医疗", "卫生", "社会保障", "社保", "就业", "扶贫", "慈善", "文化", "体育", "公益"},
	"keyarea.law_enforcement.sub":     {"执法", "处罚", "许可", "检查", "双随机", "抽查", "强制", "权责", "权力清单", "监督"},
	"keyarea.gov_debt.sub":            {"债务", "限额", "余额", "债券", "还本付息"},
	"keyarea.poverty_alleviation.sub": {"扶贫", "脱贫", "帮扶", "低收入"},
	"keyarea.environment.sub":         {"环境", "环保", "环评", "监测", "排污", "生态", "污染"},
	"keyarea.services.sub":            {"办事", "服务", "指南", "事项", "审批"},
}

// yearSubColumn matches per-year sub-column texts: 2019, 2019年, 2019年度.
var yearSubColumn = regexp.MustCompile(`^(19|20)\d{2}年?度?$`)

// maxAreaColumns bounds the columns and sub-columns read for one area.
const maxAreaColumns = 40

// maxSubColumnText is the longest link text (runes) taken as a sub-column.
const maxSubColumnText = 15

// KeyArea (keyarea.<area>) checks, for every key area the unit must cover
// (config key_areas by unit or kind: budget for every budget unit; streets
// also public_welfare and major_projects ...), that a column for it exists
// and lists items. It returns one finding per area, with Check
// keyarea.<area> and Subject the area.
//
// The columns are those the crawler mapped to keyarea.<area> from link and
// breadcrumb texts (config columns: 财政预决算/预决算公开/部门预算/三公经费 ...);
// items count over all of them, with their pagination, script datastores
// (Hanweb) and their sub-columns: links on the column page to fetched pages
// that the crawler mapped to the same area, whose text is a year (2019年) or
// a sub-column word (keyarea.<area>.sub: 部门预算, 部门决算 ...), whose
// breadcrumb names the column, or that lie under the column's directory.
//
// pass: the area's columns list at least one item (for budget the detail
// notes when none is dated in the assessment year; that is not a fail).
// fail: no column for the area (the detail names the area and the texts
// looked for); the columns list no items; the column does not open. na: the
// site is unreachable, or the column pages were never fetched.
func KeyArea(s *site.Snapshot, env Env) []Finding {
	areas := env.Unit.KeyAreas
	if env.Config != nil {
		areas = env.Config.KeyAreasOf(env.Unit)
	}
	var out []Finding
	for _, area := range areas {
		f := keyArea(s, env, area)
		f.Check = KeyAreaPrefix + area
		f.Subject = area
		out = append(out, f)
	}
	return out
}

// keyAreaSynonyms returns the column texts the crawler maps to the area.
func keyAreaSynonyms(env Env, area string) []string {
	if env.Config != nil {
		if syns := env.Config.Columns[KeyAreaPrefix+area]; len(syns) > 0 {
			return syns
		}
	}
	return append([]string{KeyAreaName(area)}, keyAreaTerms[KeyAreaPrefix+area+".sub"]...)
}

// areaItemWords returns the words of keyarea.<area>.items, or sub.
func areaItemWords(env Env, kind string, sub []string) []string {
	if w := env.Terms(kind+".items", keyAreaTerms[kind+".items"]); len(w) > 0 {
		return w
	}
	return sub
}

// anyTitleHas reports whether some item's title holds one of words.
func anyTitleHas(items []Item, words []string) bool {
	for _, it := range items {
		if containsAny(it.Title, words) {
			return true
		}
	}
	return false
}

func keyArea(s *site.Snapshot, env Env, area string) Finding {
	name := KeyAreaName(area)
	if !s.EntryPage().OK() {
		return entryUnreachable(s, "", "重点领域“"+name+"”栏目")
	}
	kind := KeyAreaPrefix + area
	// The crawler does not map organisation names (综合行政执法局) as columns.
	cols := s.ColumnsOf(kind)
	if len(cols) == 0 {
		return Finding{Status: Fail, URL: s.Entry, Looked: []string{s.Entry}, Evidence: evidence(s.EntryPage(), ""),
			Detail: fmt.Sprintf("未找到重点领域“%s”栏目（查找的栏目名称：%s）", name, strings.Join(keyAreaSynonyms(env, area), "、"))}
	}
	sub := env.Terms(kind+".sub", keyAreaTerms[kind+".sub"])
	otherKind := map[string]bool{}
	sameKind := map[string]bool{}
	for _, c := range s.Columns {
		if c.Kind == kind {
			sameKind[c.URL] = true
		} else {
			otherKind[c.URL] = true
		}
	}
	type colRef struct{ url, name string }
	var queue []colRef
	seen := map[string]bool{}
	for _, c := range cols {
		if !seen[c.URL] {
			seen[c.URL] = true
			queue = append(queue, colRef{c.URL, columnName(c)})
		}
	}
	var looked, unfetched []string
	var fetched []*site.Page
	var broken *site.Page
	var items []Item
	seenItem := map[string]bool{}
	for i := 0; i < len(queue) && i < maxAreaColumns; i++ {
		c := queue[i]
		looked = append(looked, c.url)
		p := s.Page(c.url)
		switch {
		case p == nil:
			unfetched = append(unfetched, c.url)
			continue
		case !p.OK():
			if broken == nil && p.Status >= 400 {
				broken = p
			}
			continue
		}
		fetched = append(fetched, p)
		for _, it := range columnList(s, c.url) {
			if !seenItem[it.URL] {
				seenItem[it.URL] = true
				items = append(items, it)
			}
		}
		for _, cp := range ColumnPages(s, c.url) {
			content := contentLinks(cp)
			for _, l := range cp.Links {
				if seen[l.URL] || otherKind[l.URL] || seenItem[l.URL] || !content[l.URL] && !sameKind[l.URL] {
					continue
				}
				if isSubColumn(s, c.url, c.name, l, sub, sameKind[l.URL]) {
					seen[l.URL] = true
					queue = append(queue, colRef{l.URL, l.Text})
				}
			}
		}
	}
	f := Finding{URL: cols[0].URL, Looked: looked}
	itemWords := areaItemWords(env, kind, sub)
	colName := columnName(cols[0])
	// A column mapped by a generic name (财政信息) that lists only other
	// matters (meetings, training) publishes nothing of the area.
	offTopic := len(items) > 0 && !containsAny(colName, sub) && !anyTitleHas(items, itemWords)
	unread := ""
	if len(items) == 0 || offTopic {
		unread = unreadAmong(s, fetched) // what was not read may be the area's items
	}
	switch {
	case unread != "":
		f.Status = NA
		f.URL = pageURL(fetched[0])
		f.Detail = fmt.Sprintf("重点领域“%s”栏目（%s）已读取%d条信息，未能判断：%s", name, colName, len(items), unread)
		f.Evidence = evidence(fetched[0], "")
	case offTopic:
		f.Status = Fail
		f.Detail = fmt.Sprintf("重点领域“%s”栏目（%s）列出的%d条信息都不是该领域的公开信息（应有如%s；列出的如《%s》），请在该栏目发布%s信息", name, colName,
			len(items), strings.Join(itemWords[:min(len(itemWords), 3)], "、"), titleClip(items[0].Title), name)
		f.Evidence = evidence(fetched[0], items[0].Title)
	case len(items) > 0:
		f.Status = Pass
		f.Detail = fmt.Sprintf("重点领域“%s”栏目（%s）共列出%d条信息", name, columnName(cols[0]), len(items))
		if area == "budget" {
			f.Detail += budgetYearNote(s, items, assessYear(env))
		}
		f.Evidence = evidence(fetched[0], items[0].Title)
	case len(fetched) > 0:
		f.Status = Fail
		f.URL = pageURL(fetched[0])
		f.Detail = fmt.Sprintf("重点领域“%s”栏目（%s）无内容（空白栏目，含分页及子栏目共查看%d页）", name, columnName(cols[0]), len(looked))
		f.Evidence = evidence(fetched[0], pageText(fetched[0]))
	case broken != nil:
		f.Status = Fail
		f.URL = broken.URL
		f.Detail = fmt.Sprintf("重点领域“%s”栏目无法打开（HTTP %d %s）", name, broken.Status, broken.ErrCause())
		f.Evidence = evidence(broken, "")
	default:
		f.Status = NA
		f.Detail = fmt.Sprintf("重点领域“%s”栏目页面未抓取，无法判断：%s", name, strings.Join(unfetched, "、"))
		if outOfScope(s, unfetched) {
			f.Detail = fmt.Sprintf("重点领域“%s”栏目链接指向本单位抓取范围以外，无法检查：%s", name, strings.Join(unfetched, "、"))
		}
	}
	return f
}

// isSubColumn reports whether link l on the page of column col (named name)
// leads to a sub-column of it.
func isSubColumn(s *site.Snapshot, col, name string, l site.Link, sub []string, sameKind bool) bool {
	text := page.Compact(l.Text)
	if text == "" || l.URL == col || isDocumentFile(l.URL) || page.PagerText.MatchString(text) ||
		utf8.RuneCountInString(text) > maxSubColumnText {
		return false
	}
	p := s.Page(l.URL)
	if !p.OK() {
		return false
	}
	if sameKind || yearSubColumn.MatchString(text) || containsAny(text, sub) {
		return true
	}
	for _, b := range p.Breadcrumb {
		if n := page.Compact(name); n != "" && page.Compact(b) == n {
			return true
		}
	}
	dir := col
	if i := strings.LastIndex(dir, "/"); i >= 0 {
		dir = dir[:i+1]
	}
	return strings.HasPrefix(l.URL, dir) && strings.Count(l.URL[len(dir):], "/") == 1 && strings.HasSuffix(l.URL, "/") ||
		strings.HasPrefix(l.URL, dir) && strings.Contains(l.URL[len(dir):], "/index")
}

// budgetYearNote notes when no budget item is dated in, or titled with, the
// assessment year (预算 of the year or 决算 of the year before are published
// in it).
func budgetYearNote(s *site.Snapshot, items []Item, year int) string {
	dated := 0
	for _, it := range items {
		if when, _, ok := itemWhen(s, it); ok {
			dated++
			if when.Year() == year {
				return ""
			}
		}
		if strings.Contains(it.Title, fmt.Sprint(year)) {
			return ""
		}
	}
	if dated == 0 {
		return ""
	}
	return fmt.Sprintf("；未见%d年发布的预决算信息，请人工核实是否及时公开", year)
}
