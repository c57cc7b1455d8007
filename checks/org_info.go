package checks

import (
	"fmt"
	"regexp"
	"strings"

	"gkaudit/site"
)

// OrgInfoRule is the source of org.info.
const OrgInfoRule = "《政府信息公开条例》（2019）第二十条（二）：机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名；北仑区考核指标“组织机构（5分）”"

// orgInfoTerms are the default word lists, by term key.
var orgInfoTerms = func() map[string][]string {
	m := map[string][]string{}
	for _, e := range orgElements {
		m[e.key] = e.words
	}
	return m
}()

// maxOrgPages bounds how many pages one unit's 机构信息 may span.
const maxOrgPages = 30

// OrgInfo (org.info) checks that the unit's 机构信息 discloses the six elements
// of 条例第二十条（二）: 机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名.
//
// It reads every column the crawler mapped to org_info (机构信息, 机构职能,
// 领导信息 ...) and the pages those columns link to, since real sites spread the
// elements over sub-pages (主要职责 / 内设机构 / 领导简介). Page chrome (nav bars,
// footers) is ignored: a footer address is not the 机构信息. Each element is
// found by what the page says about it (org_info_elements.go): its label where the
// page uses it as a label, followed by the element itself — 内设机构 by the
// offices, 办公时间 by hours, 局长 by a name — never by a word inside another
// phrase (机构规格为正厅级 is no 机构设置, 负责人事管理 no 负责人).
//
// pass: all six found. fail: no org column at all, its page answers 4xx/5xx, or
// an element is missing (the detail names it). na: the site could not be
// reached, or the column's pages were never fetched (budget).
func OrgInfo(s *site.Snapshot, env Env) []Finding {
	if !s.EntryPage().OK() {
		return []Finding{entryUnreachable(s, "org_info", "机构信息")}
	}
	cols := s.ColumnsOf("org_info")
	if len(cols) == 0 {
		return []Finding{{Subject: "org_info", Status: Fail, URL: s.Entry, Looked: []string{s.Entry},
			Detail: "未找到机构信息栏目（机构信息/机构职能/领导信息等）", Evidence: evidence(s.EntryPage(), "")}}
	}
	pages, broken, looked := orgPages(s, cols)
	if len(pages) == 0 {
		if broken != nil {
			return []Finding{{Subject: "org_info", Status: Fail, URL: broken.URL, Looked: looked,
				Detail: fmt.Sprintf("机构信息栏目无法打开（HTTP %d %s）", broken.Status, broken.ErrCause()), Evidence: evidence(broken, "")}}
		}
		return []Finding{{Subject: "org_info", Status: NA, URL: cols[0].URL, Looked: looked,
			Detail: "机构信息栏目页面未抓取，无法判断"}}
	}
	var texts []string
	var lines []string
	for _, p := range pages {
		texts = append(texts, pageText(p))
		lines = append(lines, orgLines(p)...)
	}
	all := strings.Join(texts, " ")
	var missing, found []string
	for _, e := range orgElements {
		e.words = env.Terms(e.key, e.words)
		if _, ok := findOrgElement(lines, e); ok {
			found = append(found, e.name)
		} else {
			missing = append(missing, e.name)
		}
	}
	f := Finding{Subject: "org_info", URL: cols[0].URL, Looked: looked, Evidence: evidence(pages[0], all)}
	if len(missing) > 0 {
		f.Status = Fail
		f.Detail = "机构信息缺少：" + strings.Join(missing, "、") + "（已找到：" + strings.Join(found, "、") + "）"
		return []Finding{f}
	}
	f.Status = Pass
	f.Detail = "机构信息包含职能、机构设置、办公地址、办公时间、联系方式、负责人姓名"
	return []Finding{f}
}

// orgPages returns the fetched pages of the org columns and the pages they
// link to on the same site, the first column page that answered with an
// error, and every URL looked at.
func orgPages(s *site.Snapshot, cols []site.Column) (pages []*site.Page, broken *site.Page, looked []string) {
	seen := map[string]bool{}
	add := func(u string) *site.Page {
		if seen[u] || len(seen) >= maxOrgPages {
			return nil
		}
		seen[u] = true
		looked = append(looked, u)
		p := s.Page(u)
		if p == nil {
			return nil
		}
		if !p.OK() {
			if broken == nil && p.Status >= 400 {
				broken = p
			}
			return nil
		}
		pages = append(pages, p)
		return p
	}
	for _, c := range cols {
		p := add(c.URL)
		if p == nil {
			continue
		}
		// Sub-pages of the column (主要职责, 内设机构, 领导简介): links that the
		// crawler followed and that lie under the column's own path or are
		// articles listed on it. Nav links to other columns are skipped.
		for _, l := range p.Links {
			if isOtherColumn(s, l.URL) || !(underColumn(c.URL, l.URL) || orgLinkText.MatchString(l.Text)) {
				continue
			}
			add(l.URL)
		}
	}
	return pages, broken, looked
}

// orgLinkText matches link texts of 机构信息 sub-pages that live outside the
// column's directory (showinfo.aspx?id=12 style CMSs).
var orgLinkText = regexp.MustCompile(`职能|职责|内设机构|机构设置|领导|联系我们|联系方式`)

// isOtherColumn reports whether u is a column page of a kind other than org_info.
func isOtherColumn(s *site.Snapshot, u string) bool {
	for _, c := range s.Columns {
		if c.URL == u && c.Kind != "org_info" {
			return true
		}
	}
	return false
}

// underColumn reports whether link lies in the directory of the column page,
// or is an article of a portal-style CMS (/art/...) linked from it.
func underColumn(column, link string) bool {
	dir := column
	if i := strings.LastIndex(dir, "/"); i >= 0 {
		dir = dir[:i+1]
	}
	return strings.HasPrefix(link, dir) || strings.Contains(link, "/art/")
}
