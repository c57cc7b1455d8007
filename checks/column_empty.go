package checks

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"gkaudit/page"
	"gkaudit/site"
)

// ColumnEmptyRule is the source of column.empty.
const ColumnEmptyRule = "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》单项否决指标“栏目不更新”：空白栏目数量超过（含）5个；第一次全国政府网站普查：没有内容的栏目（即空白栏目）是指自栏目开设之日起就没有提供过任何信息资源；北仑区考核指标“政府网站”：保证要素齐全，栏目日常更新维护及时、有效"

// columnEmptyTerms are the texts real CMSs show in a list with nothing in it.
var columnEmptyTerms = map[string][]string{
	"column.empty.markers": {"暂无信息", "暂无数据", "暂无内容", "暂无记录", "暂无文章", "暂无相关信息", "暂无相关内容", "暂无相关数据",
		"没有相关信息", "没有相关内容", "没有相关记录", "没有找到相关", "没有信息", "没有记录", "无相关信息", "无相关记录",
		"暂未发布", "暂未公开信息", "信息正在完善", "栏目正在建设", "栏目建设中", "正在建设中", "内容建设中"},
}

// zeroCount matches a pager's or a search list's record count of zero:
// 共0条, 共 0 条记录, 总记录数：0, 记录总数:0.
var zeroCount = regexp.MustCompile(`(共|总计|合计)\s*0\s*(条|篇|项|个|页)|(总记录数|记录总数|总条数|信息总数)\s*[:：]?\s*0(\D|$)`)

const (
	// menuTextRunes bounds the link texts of a column menu: column names are
	// short, item titles long.
	menuTextRunes = 16
	// markerRunes bounds the text block an empty-list marker may sit in: a
	// sentence of a guide that says 没有相关信息 is not a marker.
	markerRunes = 30
	// ownLinkPages: a link found on at most this many pages of the crawl is the
	// page's own (an item, an attachment, a sub-column); one found on more is
	// navigation that the site's template repeats.
	ownLinkPages = 2
)

// ColumnEmpty (column.empty) finds 空白栏目: columns of the unit whose pages,
// pagination included, list no items and carry no content.
//
// The columns judged are those the crawler mapped (every kind, each URL once)
// and their unmapped siblings in the entry page's column menu (a list or table
// whose short links include three or more mapped columns: 统计信息, 建议提案办理
// sit there beside 政策文件 and 通知公告 without a kind of their own). A page
// that some column lists as a dated item is a document, not a column, and is
// left out (the crawler maps article titles that contain a column word).
//
// A column page is empty when it lists no items (links with dates or titles in
// lists, tables or card divs, and the records Hanweb-style CMSs ship in a
// script datastore) and either shows an empty-list marker (暂无信息, 暂无数据,
// 没有相关信息, 共0条, <totalrecord>0</totalrecord> ...) in a short text block,
// or has no content: less than contentRunes of text of its own (beyond the
// site's template: the entry page's texts and those repeated on three or more
// column pages), no form (an application form is a service, not a blank), and
// no link of its own (an attachment, an item with a short title, a sub-column
// under it). So a column that is itself a content page (机构职能, a short
// 领导信息, 指南 text), a list of attachments and a sub-column hub are not empty.
//
// A column whose list the crawl could not read whole (a Hanweb datastore
// with more records than its page and the fetched dataproxy.jsp answers
// hold, a TRS pager naming pages not fetched, a page that loads its list by
// an ajax script; see unreadList) is not judged empty on what was read.
//
// fail: one finding per empty column (Subject the column URL), with an na
// finding for each unreadable one. pass: one finding saying how many columns
// were checked. na: the site could not be reached, no column page was
// fetched, or, with no empty column found, some column's list could not be
// read (one finding naming them). Not judged here: the entry page
// itself, columns whose page answers an error (link.broken), columns the crawl
// did not fetch (listed in the detail).
func ColumnEmpty(s *site.Snapshot, env Env) []Finding {
	entry := s.EntryPage()
	if !entry.OK() {
		return []Finding{{Subject: "columns", Status: NA, URL: s.Entry, Detail: "入口页无法访问，无法检查空白栏目"}}
	}
	markers := env.Terms("column.empty.markers", columnEmptyTerms["column.empty.markers"])
	entryBlocks := contentBlocksOf(entry)
	var cols []listedColumn
	var colPages []*site.Page
	var unfetched, broken []string
	for _, c := range unitColumns(s, env, menuColumns(s, env, entry, entryBlocks)...) {
		p := s.Page(c.URL)
		switch {
		case p == nil:
			unfetched = append(unfetched, columnName(c.Column))
		case !p.OK():
			broken = append(broken, columnName(c.Column))
		default:
			cols = append(cols, c)
			colPages = append(colPages, p)
		}
	}
	if len(cols) == 0 {
		detail := "未找到已抓取的栏目页面，无法判断是否存在空白栏目"
		if len(unfetched)+len(broken) > 0 {
			detail += "（未抓取：" + strings.Join(unfetched, "、") + "；无法打开：" + strings.Join(broken, "、") + "）"
		}
		return []Finding{{Subject: "columns", Status: NA, URL: s.Entry, Looked: []string{s.Entry}, Detail: detail}}
	}

	template := textSet(entryBlocks.all)
	onPages := map[string]int{}
	blocks := make([]contentBlocks, len(colPages))
	for i, p := range colPages {
		blocks[i] = contentBlocksOf(p)
		for b := range textSet(blocks[i].all) {
			onPages[b]++
		}
	}
	for b, n := range onPages {
		if n >= 3 {
			template[b] = true
		}
	}
	j := emptyJudge{s: s, template: template, entryText: textSet(entryBlocks.all), linkFreq: linkPageCount(s), markers: markers,
		contentRunes: env.params().EmptyColumnContentRunes}

	var out, unread []Finding
	var looked []string
	for i, c := range cols {
		pages := ColumnPages(s, c.URL)
		var pl []string
		for _, lp := range pages {
			pl = append(pl, pageURL(lp))
		}
		looked = append(looked, pl...)
		if len(c.Items) > 0 {
			continue
		}
		why := j.empty(c.Column, pages, blocks[i])
		if why == "" {
			continue
		}
		if c.Unread != "" {
			// A list its page's script builds: what we read of it is no
			// evidence of a blank column.
			unread = append(unread, Finding{Subject: c.URL, Status: NA, URL: c.URL, Looked: pl,
				Evidence: evidence(colPages[i], ""),
				Detail:   fmt.Sprintf("栏目“%s”未能判断是否为空白栏目：%s", columnName(c.Column), c.Unread)})
			continue
		}
		out = append(out, Finding{Subject: c.URL, Status: Fail, URL: c.URL, Looked: pl,
			Evidence: evidence(colPages[i], strings.Join(blocks[i].text, " ")),
			Detail:   fmt.Sprintf("栏目“%s”为空白栏目：%s", columnName(c.Column), why)})
	}
	if len(out) > 0 {
		return append(out, unread...)
	}
	if len(unread) == 1 {
		return unread
	}
	if len(unread) > 1 {
		var names []string
		for _, f := range unread {
			names = append(names, f.Subject)
		}
		return []Finding{{Subject: "columns", Status: NA, URL: s.Entry, Looked: looked, Evidence: evidence(entry, ""),
			Detail: fmt.Sprintf("已检查 %d 个栏目，其中 %d 个栏目列表由页面脚本加载、无法读取全部条目，未能判断是否为空白栏目，请人工核查：%s",
				len(cols), len(unread), strings.Join(names, "、"))}}
	}
	detail := fmt.Sprintf("已检查 %d 个栏目，均列有信息或正文内容", len(cols))
	if len(unfetched) > 0 {
		detail += "；未抓取、未判断：" + strings.Join(unfetched, "、")
	}
	if len(broken) > 0 {
		detail += "；无法打开（见链接可用性）：" + strings.Join(broken, "、")
	}
	return []Finding{{Subject: "columns", Status: Pass, URL: s.Entry, Looked: looked, Evidence: evidence(entry, ""), Detail: detail}}
}

// emptyJudge holds what judging one column page needs from the whole site.
type emptyJudge struct {
	s         *site.Snapshot
	template  map[string]bool // text blocks the site's template repeats
	entryText map[string]bool // text blocks of the entry page
	linkFreq  map[string]int  // pages carrying each link
	markers   []string
	// contentRunes is how much text of its own (not links, not the site's
	// template) makes a column page a content page (thresholds
	// empty_column_content_runes): a short 领导信息 page ("局长：张三 主持全面
	// 工作") has about 30 runes; an empty list page has a heading and table
	// labels at most.
	contentRunes int
}

// empty says why a column that lists no items is empty, or "" when it has
// content after all.
func (j emptyJudge) empty(c site.Column, pages []*site.Page, first contentBlocks) string {
	blocksOf := func(p *site.Page) contentBlocks {
		if p == pages[0] {
			return first
		}
		return contentBlocksOf(p)
	}
	for _, p := range pages {
		if m := emptyListMarker(blocksOf(p).text, j.entryText, j.markers); m != "" {
			return "栏目页显示“" + m + "”，未列出任何信息"
		}
		if _, total := datastoreItems(p); total == 0 {
			return "栏目页的信息列表记录数为 0"
		}
	}
	own := 0
	for _, t := range first.text {
		if !j.template[t] {
			own += utf8.RuneCountInString(page.Compact(t))
		}
	}
	if own >= j.contentRunes || first.form {
		return ""
	}
	self := map[string]bool{c.URL: true}
	for _, p := range pages {
		self[p.URL], self[pageURL(p)] = true, true
	}
	names := columnAliases(c, pages[0])
	for _, p := range pages {
		for _, l := range blocksOf(p).links {
			if self[l.url] || l.url == j.s.Entry || page.PagerText.MatchString(l.text) {
				continue
			}
			if j.linkFreq[l.url] <= ownLinkPages || isSubPage(j.s, c.URL, names, l.url) {
				return ""
			}
		}
	}
	return "栏目页未列出任何信息条目，也没有正文内容"
}

// emptyListMarker returns the marker found in a short text block of the page that
// the entry page does not also show, or "".
func emptyListMarker(texts []string, entry map[string]bool, markers []string) string {
	for _, t := range texts {
		if entry[t] {
			continue
		}
		ct := page.Compact(t)
		if utf8.RuneCountInString(ct) > markerRunes {
			continue
		}
		for _, m := range markers {
			if strings.Contains(ct, page.Compact(m)) {
				return m
			}
		}
		if m := zeroCount.FindString(ct); m != "" {
			return m
		}
	}
	return ""
}
