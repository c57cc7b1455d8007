package checks

import (
	"regexp"
	"strings"

	"gkaudit/page"
	"gkaudit/site"
)

// CatalogMetadataRule is the source of catalog.metadata.
const CatalogMetadataRule = "《政府信息公开条例》（2019）第十二条：政府信息公开目录应当包括政府信息的索引、名称、内容概述、生成日期等内容；目录条目载明索引号、发布机构、成文（发布）日期，政策文件载明文号；北仑区考核指标“公开指南、公开目录（5分）”"

// catalogMetadataTerms: a title is that of a 文件 (which must carry a 文号)
// when it covers another document (关于印发…的通知), ends in a document form
// (…办法, …规定, …实施意见), or has the 公文 title structure of GB/T 9704
// 《党政机关公文格式》, 关于 + 事由 + 文种 (关于开展…的通知, 关于…的公告). A
// 规范性文件 is named so by its column or its metadata (主题分类/体裁).
var catalogMetadataTerms = map[string][]string{
	"catalog.metadata.doc_kinds":  {"通知", "通告", "公告", "决定", "意见", "批复", "通报", "决议", "命令", "函", "规定", "办法"},
	"catalog.metadata.doc_prefix": {"关于印发", "关于转发", "印发", "转发", "关于公布", "关于颁布", "关于废止", "关于修订", "关于修改"},
	"catalog.metadata.doc_suffix": {"办法", "规定", "意见", "实施意见", "细则", "实施细则", "规则", "决定", "条例", "规范", "实施方案", "若干措施", "若干政策", "暂行规定", "通告"},
	"catalog.metadata.normative":  {"规范性文件"},
	// Titles of the column's other elements (国办公开办函〔2019〕61号: 指南,
	// 制度, 法定主动公开内容, 年报 are four elements): a guide, a disclosure
	// rule or an annual report listed in the catalogue is not an entry.
	"catalog.metadata.not_entry": {"政府信息公开指南", "信息公开指南", "政务公开指南", "公开指南", "依申请公开指南", "政府信息公开工作年度报告", "政府信息公开年度报告", "信息公开工作年度报告", "信息公开年度报告", "政府信息公开年报", "信息公开年报", "政务公开工作年度报告"},
	// Title endings of a disclosure rule (…政府信息公开保密审查制度) when the
	// title is about 信息公开/政务公开.
	"catalog.metadata.rule_suffix": {"制度"},
}

// notEntryKinds are the column kinds whose pages are the column's other
// elements, never catalogue entries, even when the catalogue lists them.
var notEntryKinds = map[string]bool{"guide": true, "rules": true, "annual_report": true, "apply": true, "newmedia": true}

// requiredMeta are the fields every catalogued item must carry, with the
// name a finding uses for each. A date is satisfied by 成文日期 or 发布日期.
var requiredMeta = []struct{ field, name string }{
	{"index_no", "索引号"},
	{"publisher", "发布机构"},
	{"date", "成文/发布日期"},
	{"doc_no", "文号"},
}

// CatalogMetadata (catalog.metadata) checks that every catalogued document
// page carries the catalogue's metadata: 索引号, 发布机构, 成文日期 or 发布日期,
// and, for a 文件 (政策文件/规范性文件), its 文号 (条例第十二条: 目录 contents
// 索引、名称、内容概述、生成日期; the catalogue entries of real 信息公开 platforms).
//
// Catalogued documents are the article pages listed in the 公开目录 tree (the
// catalog and statutory columns and their sub-columns, as catalog.present
// walks them) and, when that catalogue lists anything, the items of the
// policy columns (政策文件 are 法定主动公开内容 whatever list shows them).
// Without a catalogue, or with an empty one, nothing is catalogued: that is
// catalog.present's failure, and this check says na. The column's other
// elements are not catalogue entries (国办公开办函〔2019〕61号: 指南, 制度,
// 法定主动公开内容 and 年报 are four elements): pages of 指南/制度/年报 columns,
// titles naming a guide or an annual report, 信息公开…制度 titles, and pages
// whose own 公开目录/主题分类 files them under 政府信息公开制度 are left out; a
// catalogue that lists only those says na.
//
// Labels are read by ExtractMetadata in any layout (table, dl, ul, inline
// spans) and with their variants: 发布机构/发文机构/发文机关, 成文日期/生成日期/
// 发文日期 (with clock times), 文号/发文字号. A label with an empty value counts
// as missing (RULES.md). 文号 is required of items of policy columns and of
// pages whose title is a 文件 (关于印发…的通知, …办法, …意见, 关于…的公告 ...); a 文号
// of 无/暂无/- is accepted as a declaration that the 文件 has none, except on
// a 规范性文件 (its column or metadata says so), which must be numbered.
//
// One finding per document page: fail lists the missing fields, pass
// otherwise. na: the site could not be reached, there is no catalogue, or no
// catalogued document page was fetched.
func CatalogMetadata(s *site.Snapshot, env Env) []Finding {
	if !s.EntryPage().OK() {
		return []Finding{entryUnreachable(s, "catalog", "目录信息的元数据")}
	}
	cs := env.columnSet(s)
	w := cs.walkCatalog(env.Terms("catalog.present.empty", emptyListWords))
	if len(w.roots) == 0 {
		return []Finding{{Subject: "catalog", Status: NA, URL: s.Entry, Looked: []string{s.Entry},
			Detail: "未找到政府信息公开目录，无编目信息可查（见 catalog.present）"}}
	}
	docs := catalogDocs(cs, w)
	if len(docs) == 0 {
		looked := w.looked
		return []Finding{{Subject: "catalog", Status: NA, URL: w.roots[0].URL, Looked: looked,
			Detail: "政府信息公开目录中没有已抓取的信息页面，无法检查元数据"}}
	}
	prefix := env.Terms("catalog.metadata.doc_prefix", catalogMetadataTerms["catalog.metadata.doc_prefix"])
	suffix := env.Terms("catalog.metadata.doc_suffix", catalogMetadataTerms["catalog.metadata.doc_suffix"])
	kinds := env.Terms("catalog.metadata.doc_kinds", catalogMetadataTerms["catalog.metadata.doc_kinds"])
	normative := env.Terms("catalog.metadata.normative", catalogMetadataTerms["catalog.metadata.normative"])
	notEntry := env.Terms("catalog.metadata.not_entry", catalogMetadataTerms["catalog.metadata.not_entry"])
	ruleSuffix := env.Terms("catalog.metadata.rule_suffix", catalogMetadataTerms["catalog.metadata.rule_suffix"])
	var out []Finding
	var skipped []string
	for _, d := range docs {
		m := docMeta(d.Page)
		if why := notCatalogEntry(cs, d, m, notEntry, ruleSuffix); why != "" {
			skipped = append(skipped, why)
			continue
		}
		isDoc := d.Column.Kind == "policy" || isDocumentTitle(d.Title, prefix, suffix, kinds)
		if interpretationTitle.MatchString(d.Title) {
			isDoc = false
		}
		norm := containsAny(d.Column.Name, normative) || containsAny(m.Fields["topic"], normative)
		var missing, found []string
		for _, r := range requiredMeta {
			if r.field == "doc_no" && !isDoc {
				continue
			}
			label, v, present := metaField(m, r.field)
			ok := v != "" && !isBlank(v)
			if r.field == "doc_no" && v != "" && !norm {
				ok = true // 文号：无 declares an unnumbered 文件
			}
			switch {
			case ok:
				found = append(found, label)
			case present && v != "":
				missing = append(missing, r.name+"（“"+page.Clip(v, 10)+"”）")
			case present:
				missing = append(missing, r.name+"（空）")
			default:
				missing = append(missing, r.name)
			}
		}
		u := pageURL(d.Page)
		f := Finding{Subject: d.URL, URL: u, Looked: []string{d.Column.URL, u}}
		kind := "信息"
		if isDoc {
			kind = "文件"
		}
		if len(missing) > 0 {
			f.Status = Fail
			f.Detail = kind + "“" + page.Clip(d.Title, 60) + "”缺少：" + strings.Join(missing, "、")
			f.Evidence = evidence(d.Page, metaExcerpt(d.Page, m))
		} else {
			f.Status = Pass
			f.Detail = kind + "“" + page.Clip(d.Title, 60) + "”载明：" + strings.Join(found, "、")
			f.Evidence = evidence(d.Page, metaExcerpt(d.Page, m))
		}
		out = append(out, f)
	}
	if len(out) == 0 {
		return []Finding{{Subject: "catalog", Status: NA, URL: w.roots[0].URL, Looked: w.looked,
			Detail: "政府信息公开目录中已抓取的页面均为指南、制度或年报（公开专栏的其他要素，不是目录条目），无目录条目可查：" + page.Clip(strings.Join(skipped, "；"), 120)}}
	}
	return out
}

// notCatalogEntry says why a listed page is not a catalogue entry, or "":
// the guide, the disclosure rules and the annual reports are elements of the
// column of their own (国办公开办函〔2019〕61号), whether the catalogue lists
// them, a column of their kind holds them, or their title names them.
func notCatalogEntry(cs *columnSet, d docPage, m Metadata, words, ruleSuffix []string) string {
	if notEntryKinds[d.Column.Kind] || cs.kindOf(d.Column.URL, notEntryKinds) {
		return "“" + page.Clip(d.Title, 30) + "”属" + d.Column.Name
	}
	// The page's own 公开目录/主题分类 may file it under another element
	// (公开目录：政府信息公开制度).
	if topic := normText(m.Fields["topic"]); topic != "" && (containsAny(topic, words) || containsAny(topic, []string{"政府信息公开制度", "信息公开制度", "政务公开制度"})) {
		return "“" + page.Clip(d.Title, 30) + "”（" + m.Labels["topic"] + "：" + page.Clip(m.Fields["topic"], 20) + "）"
	}
	t := normText(d.Title)
	if containsAny(t, words) {
		return "“" + page.Clip(d.Title, 30) + "”"
	}
	if containsAny(t, []string{"信息公开", "政务公开"}) {
		for _, suf := range ruleSuffix {
			if suf != "" && strings.HasSuffix(strings.TrimRight(t, "》”\""), suf) {
				return "“" + page.Clip(d.Title, 30) + "”"
			}
		}
	}
	return ""
}

// metaField returns a required field's label, value and whether its label is
// on the page at all. The date is 成文日期 or else 发布日期, whichever is filled.
func metaField(m Metadata, field string) (label, value string, present bool) {
	if field != "date" {
		return m.Labels[field], m.Fields[field], m.Present(field)
	}
	for _, f := range []string{"written", "published"} {
		if v := m.Fields[f]; v != "" && !isBlank(v) {
			return m.Labels[f], v, true
		}
	}
	for _, f := range []string{"written", "published"} {
		if m.Present(f) {
			return m.Labels[f], m.Fields[f], true
		}
	}
	return "", "", false
}

// trailingParen matches a form note after a document's name: （试行）.
var trailingParen = regexp.MustCompile(`[（(](试行|暂行|修订|修订版|修订稿|征求意见稿|草案|送审稿|\d{4}年?修订|\d{4}年?版)[）)]$`)

// catalogDocs returns the catalogued document pages: the walk's items, then,
// when the catalogue lists anything, the items of the policy columns.
func catalogDocs(cs *columnSet, w catalogWalk) []docPage {
	var out []docPage
	seen := map[string]bool{}
	for _, it := range w.items {
		p := cs.s.Page(it.URL)
		if !p.OK() || seen[pageURL(p)] {
			continue
		}
		seen[pageURL(p)], seen[it.URL] = true, true
		title := it.Title
		if title == "" {
			title = articleTitle(p)
		}
		out = append(out, docPage{Page: p, URL: it.URL, Title: title, Date: it.Date, Column: w.from[it.URL]})
	}
	if len(w.items) == 0 {
		return out // an empty catalogue catalogues nothing
	}
	for _, d := range cs.docsOf(cs.columns("policy")) {
		if seen[pageURL(d.Page)] || seen[d.URL] {
			continue
		}
		seen[pageURL(d.Page)] = true
		out = append(out, d)
	}
	return out
}

// isDocumentTitle reports whether a title names a 文件: a covering notice
// (关于印发…的通知), a document form (…管理办法（试行）), or a 公文 title
// (关于…的通知).
func isDocumentTitle(title string, prefix, suffix, kinds []string) bool {
	t := page.Compact(title)
	for _, p := range prefix {
		if strings.HasPrefix(t, p) || strings.Contains(t, p) && strings.HasSuffix(t, "通知") {
			return true
		}
	}
	t = strings.TrimRight(trailingParen.ReplaceAllString(t, ""), "》”\"")
	for _, s := range suffix {
		if strings.HasSuffix(t, s) {
			return true
		}
	}
	if strings.Contains(t, "关于") {
		for _, k := range kinds {
			if strings.HasSuffix(t, k) {
				return true
			}
		}
	}
	return false
}

// metaExcerpt is the evidence excerpt of a document page: its metadata
// labels and values, else the start of its text.
func metaExcerpt(p *site.Page, m Metadata) string {
	var parts []string
	for _, f := range []string{"index_no", "publisher", "written", "published", "doc_no", "validity", "effective", "expires", "period"} {
		if m.Present(f) {
			parts = append(parts, m.Labels[f]+"："+m.Fields[f])
		}
	}
	if len(parts) == 0 {
		return pageText(p)
	}
	return strings.Join(parts, " ")
}
