package checks

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"gkaudit/site"
)

// CarrierColumnRule is the source of carrier.column.
const CarrierColumnRule = "国务院办公厅政府信息与政务公开办公室《关于规范政府信息公开平台有关事项的通知》（国办公开办函〔2019〕61号）二、统一规范：政府信息公开平台统一设置“政府信息公开指南”“政府信息公开制度”“法定主动公开内容”“政府信息公开年报”栏目；北仑区考核指标“政府网站（5分）”：开设信息公开专栏，保证要素齐全"

// carrierElement is one standard element of the disclosure column: the
// column kinds the crawler maps to it and the link texts that name it.
type carrierElement struct {
	key   string
	name  string
	kinds []string
	words []string
	not   []string // texts that contain a word but name something else
}

// carrierElements are the four standard elements of 国办公开办函〔2019〕61号.
// Real variants: 信息公开指南 / 公开指南; 信息公开制度 / 政务公开制度;
// 法定主动公开内容 often still 政府信息公开目录 / 主动公开目录 / 公开目录; 年报 as
// 年度报告 / 政府信息公开工作年度报告.
var carrierElements = []carrierElement{
	{key: "carrier.column.guide", name: "政府信息公开指南", kinds: []string{"guide"},
		words: []string{"政府信息公开指南", "信息公开指南", "政务公开指南", "公开指南"}, not: []string{"申请公开指南"}},
	{key: "carrier.column.rules", name: "政府信息公开制度", kinds: []string{"rules"},
		words: []string{"政府信息公开制度", "信息公开制度", "政务公开制度", "公开制度", "公开工作制度"}},
	{key: "carrier.column.statutory", name: "法定主动公开内容", kinds: []string{"statutory", "catalog"},
		words: []string{"法定主动公开内容", "法定主动公开", "主动公开目录", "主动公开内容", "政府信息公开目录", "信息公开目录", "公开目录", "主动公开"},
		not:   []string{"依申请"}},
	{key: "carrier.column.annual_report", name: "政府信息公开年报", kinds: []string{"annual_report"},
		words: []string{"政府信息公开年报", "信息公开年报", "政府信息公开工作年度报告", "年度报告", "年报"},
		not:   []string{"统计年报", "统计年鉴", "政府工作报告"}},
}

// carrierColumnTerms are the default word lists, by term key.
var carrierColumnTerms = func() map[string][]string {
	m := map[string][]string{}
	for _, e := range carrierElements {
		m[e.key] = e.words
	}
	return m
}()

// CarrierColumn (carrier.column) checks that the unit's disclosure column has
// the four standard elements of 国办公开办函〔2019〕61号: 政府信息公开指南,
// 政府信息公开制度, 法定主动公开内容, 政府信息公开年报.
//
// An element is present when a link on the entry page names it (the words
// of each element, above; an image button's alt or title counts as its text), or when the crawler mapped a column of its kind
// (guide; rules; statutory or catalog; annual_report) from a link or
// breadcrumb on the unit's pages. On a district portal shared with other
// units, a link that also appears on the portal's home page is the
// district's, not the unit's, and does not count. An element whose every link
// answers 4xx/5xx is missing (link.broken reports the link too).
//
// pass: all four present. fail: any missing; the detail lists them. na: the
// entry page could not be fetched.
func CarrierColumn(s *site.Snapshot, env Env) []Finding {
	entry := s.EntryPage()
	if !entry.OK() {
		return []Finding{entryUnreachable(s, "disclosure_column", "信息公开专栏的栏目设置")}
	}
	portal := map[string]bool{}
	if home := portalHome(s); home != nil && sharedPortal(s, env) {
		for _, l := range home.Links {
			portal[l.URL] = true
		}
	}
	var missing, found, broken []string
	links := anchorLinks(entry)
	for _, e := range carrierElements {
		words := env.Terms(e.key, e.words)
		urls := carrierLinks(s, links, e, words, portal)
		switch {
		case len(urls) == 0:
			missing = append(missing, e.name)
		case allBroken(s, urls):
			missing = append(missing, e.name)
			broken = append(broken, e.name)
		default:
			found = append(found, e.name)
		}
	}
	f := Finding{Subject: "disclosure_column", URL: s.Entry, Looked: []string{s.Entry}, Evidence: evidence(entry, carrierExcerpt(entry))}
	if len(missing) == 0 {
		f.Status = Pass
		f.Detail = "信息公开专栏设有政府信息公开指南、政府信息公开制度、法定主动公开内容、政府信息公开年报栏目"
		return []Finding{f}
	}
	f.Status = Fail
	f.Detail = "信息公开专栏缺少标准栏目：" + strings.Join(missing, "、")
	if len(broken) > 0 {
		f.Detail += fmt.Sprintf("（其中%s的链接无法打开）", strings.Join(broken, "、"))
	}
	if len(found) > 0 {
		f.Detail += "；已有：" + strings.Join(found, "、")
	}
	return []Finding{f}
}

// carrierLinks returns the URLs that lead to element e: links on the entry
// page whose text names it, and the crawler's columns of its kinds.
func carrierLinks(s *site.Snapshot, links []site.Link, e carrierElement, words []string, portal map[string]bool) []string {
	var out []string
	seen := map[string]bool{}
	add := func(u string) {
		if u != "" && !seen[u] && !portal[u] {
			seen[u] = true
			out = append(out, u)
		}
	}
	for _, l := range links {
		t := normText(l.Text)
		if utf8.RuneCountInString(t) <= 30 && containsAny(t, words) && !containsAny(t, e.not) {
			add(l.URL)
		}
	}
	for _, k := range e.kinds {
		for _, c := range s.ColumnsOf(k) {
			if !containsAny(normText(c.Name), e.not) {
				add(c.URL)
			}
		}
	}
	return out
}

// allBroken reports whether every URL was fetched or probed and answered
// 4xx/5xx.
func allBroken(s *site.Snapshot, urls []string) bool {
	for _, u := range urls {
		if p := s.Page(u); p != nil {
			if p.OK() || p.Status < 400 {
				return false
			}
			continue
		}
		if pr := probeOf(s, u); pr == nil || pr.Status < 400 {
			return false
		}
	}
	return true
}

// carrierExcerpt is the entry page's text around its column links.
func carrierExcerpt(p *site.Page) string {
	var names []string
	for _, l := range p.Links {
		if t := strings.TrimSpace(l.Text); t != "" && utf8.RuneCountInString(t) <= 12 {
			names = append(names, t)
		}
		if len(names) >= 30 {
			break
		}
	}
	return "入口页栏目：" + strings.Join(names, " ")
}
