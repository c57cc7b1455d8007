package checks

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"gkaudit/page"
	"gkaudit/site"
)

// This file holds what the checks know of a unit's columns: which mapped
// pages are columns and which are articles (columnSet), the items a column
// lists over its pages and script datastores, the lists the crawl could not
// read whole, the columns worth judging (columnTargets, unitColumns) and
// the unmapped columns of the entry page's menus.

// datastoreItems returns the items of the page's script datastore (a
// Hanweb or TRS list; page.Datastore), and the count the datastore declares
// (-1 when it declares none).
func datastoreItems(p *site.Page) ([]Item, int) {
	v := skeletonOf(p)
	if v == nil || v.Datastore == nil {
		return nil, -1
	}
	return v.Datastore.Items, v.Datastore.Total
}

// platformPages returns the pages the crawl fetched for the list script of a
// column's first page: the dataproxy.jsp answers holding the records beyond
// a Hanweb page's datastore, the index_N pages a TRS createPageHTML pager
// names (see package platform; the crawler derives the same URLs).
func platformPages(s *site.Snapshot, first *site.Page) []*site.Page {
	var out []*site.Page
	for _, u := range platformURLs(first) {
		if p := s.Page(u); p.OK() {
			out = append(out, p)
		}
	}
	return out
}

// platformURLs lists the URLs of the further pages a list page's platform
// script leads to: Hanweb dataproxy answers, TRS index_N pages.
func platformURLs(first *site.Page) []string {
	if !first.OK() {
		return nil
	}
	v := skeletonOf(first)
	base, err := url.Parse(pageURL(first))
	if err != nil {
		return nil
	}
	var urls []string
	if h := v.Hanweb; h != nil && h.Readable() {
		for _, r := range h.Remaining(maxListPages) {
			if u, err := h.RequestURL(base, r); err == nil {
				urls = append(urls, u)
			}
		}
	}
	if p := v.TRS; p != nil {
		urls = append(urls, p.PageURLs(base, maxListPages)...)
	}
	return urls
}

// unreadList says why the crawl could not read a column's list whole, or
// "" when it could: a Hanweb datastore declaring more records than its page
// and the fetched dataproxy answers hold, a TRS pager naming pages that were
// not fetched, or a page that lists nothing but loads content by a script
// the crawler does not understand. Checks that need the whole list say na
// with this reason rather than judge part of it.
func unreadList(s *site.Snapshot, columnURL string, items int) string {
	first := s.Page(columnURL)
	if !first.OK() {
		return ""
	}
	v := skeletonOf(first)
	base, _ := url.Parse(pageURL(first))
	if h := v.Hanweb; h != nil && h.Total > h.First {
		read := h.First
		if h.Readable() && base != nil {
			for _, r := range h.Remaining(maxListPages) {
				if u, err := h.RequestURL(base, r); err == nil {
					if p := s.Page(u); p.OK() {
						if ds := skeletonOf(p).Datastore; ds != nil {
							read += ds.Records
						}
					}
				}
			}
		}
		if read < h.Total {
			return fmt.Sprintf("栏目列表由页面脚本分页加载，共 %d 条，仅读取到 %d 条，无法读取全部条目，请人工核查", h.Total, read)
		}
	}
	if p := v.TRS; p != nil && p.Count > 1 && base != nil {
		read := 1
		for _, u := range p.PageURLs(base, maxListPages) {
			if s.Page(u).OK() {
				read++
			}
		}
		if read < p.Count {
			return fmt.Sprintf("栏目列表共 %d 页，仅读取到 %d 页，无法读取全部条目，请人工核查", p.Count, read)
		}
	}
	if items == 0 && v.ScriptLoaded {
		return "栏目列表由脚本生成，无法读取全部条目，请人工核查"
	}
	return ""
}

// unreadAmong returns the first reason one of the pages' lists could not be
// read whole (unreadList, as for a page that listed nothing), or "".
func unreadAmong(s *site.Snapshot, pages []*site.Page) string {
	for _, p := range pages {
		if why := unreadList(s, pageURL(p), 0); why != "" {
			return why
		}
	}
	return ""
}

// PageItems returns the entries one page lists: ListItems and the records of
// its script datastore, or of a dataproxy answer (a Hanweb page's entries
// are all there), each URL once. For the revisit policy's view of a list.
func PageItems(p *site.Page) []Item {
	out := ListItems(p)
	ds, _ := datastoreItems(p)
	seen := map[string]bool{}
	for _, it := range out {
		seen[it.URL] = true
	}
	for _, it := range ds {
		if !seen[it.URL] {
			seen[it.URL] = true
			out = append(out, it)
		}
	}
	return out
}

// columnList returns the items a column lists over its fetched pages
// (pagination included), those of a script datastore too, each URL once.
func columnList(s *site.Snapshot, columnURL string) []Item {
	out := ColumnItems(s, columnURL)
	seen := map[string]bool{}
	for _, it := range out {
		seen[it.URL] = true
	}
	for _, p := range ColumnPages(s, columnURL) {
		items, _ := datastoreItems(p)
		for _, it := range items {
			if !seen[it.URL] {
				seen[it.URL] = true
				out = append(out, it)
			}
		}
	}
	return out
}

// columnTargets returns the mapped columns with distinct URLs, in the order
// found, leaving out the entry page itself (the 信息公开 home is not one of
// its own columns) and the entries of the other configured units (a portal's
// home links to every department: 退役军人事务局 is a unit, not a 人事 column).
// When a URL is mapped to several kinds the first wins.
func columnTargets(s *site.Snapshot, env Env) []site.Column {
	skip := map[string]bool{s.Entry: true}
	if e := s.EntryPage(); e != nil {
		skip[pageURL(e)] = true
	}
	if env.Config != nil {
		for _, u := range env.Config.Units {
			if u.URL != "" && u.ID != env.Unit.ID && u.URL != s.Entry {
				skip[u.URL] = true
			}
		}
	}
	var out []site.Column
	for _, c := range s.Columns {
		if c.URL == "" || skip[c.URL] {
			continue
		}
		if p := s.Page(c.URL); p != nil && skip[pageURL(p)] {
			continue
		}
		skip[c.URL] = true
		out = append(out, c)
	}
	return out
}

// listedColumn is a column with the items it lists.
type listedColumn struct {
	site.Column
	Items []Item
	// Unread says why the list could not be read whole (unreadList), "" when
	// it was.
	Unread string
}

// columnListing is what a column lists over its pages (columnList) and
// why its list could not be read whole (unreadList).
type columnListing struct {
	items  []Item
	unread string
}

// listingOf returns what the column at u lists, read once per Run (Env's
// memo) for the checks that judge columns (column.stale, column.empty).
func (e Env) listingOf(s *site.Snapshot, u string) columnListing {
	m := e.memo
	if m != nil && m.snap == s {
		if l, ok := m.lists[u]; ok {
			return l
		}
	}
	items := columnList(s, u)
	l := columnListing{items: slices.Clip(items), unread: unreadList(s, u, len(items))}
	if m != nil && m.snap == s {
		if m.lists == nil {
			m.lists = map[string]columnListing{}
		}
		m.lists[u] = l
	}
	return l
}

// unitColumns returns the columns worth judging, each with its items: those
// of columnTargets and extra, less the pages some column lists as a dated
// item. Those are documents, not columns: the crawler maps a link by the
// column word its text contains, so an article titled 北仑区XX局2019年工作计划
// comes back as a 规划计划 column.
func unitColumns(s *site.Snapshot, env Env, extra ...site.Column) []listedColumn {
	cols := append(columnTargets(s, env), extra...)
	all := make([]listedColumn, len(cols))
	documents := map[string]bool{}
	for i, c := range cols {
		l := env.listingOf(s, c.URL)
		all[i] = listedColumn{Column: c, Items: l.items, Unread: l.unread}
		for _, it := range all[i].Items {
			if !it.Date.IsZero() && it.URL != c.URL {
				documents[it.URL] = true
			}
		}
	}
	out := all[:0]
	for _, c := range all {
		if documents[c.URL] {
			continue
		}
		if p := s.Page(c.URL); p != nil && documents[pageURL(p)] {
			continue
		}
		out = append(out, c)
	}
	return out
}

// columnName returns a column's name for a finding's detail.
func columnName(c site.Column) string {
	if n := strings.TrimSpace(c.Name); n != "" {
		return n
	}
	return c.Kind
}

// columnSet tells, for one snapshot, column (list) pages from articles.
//
// The crawler maps every link whose text names a column to that column kind,
// so an article's "相关解读" link or a 解读's "政策文件" link makes the linked
// article look like a column. A page that some column page lists as one of
// its items is an article, whatever its link texts say.
type columnSet struct {
	s      *site.Snapshot
	listed map[string]bool     // URLs listed as items by some column
	items  map[string][]Item   // column URL -> its items over its pages
	byURL  map[string][]string // column URL -> the names it is linked under
}

func newColumnSet(s *site.Snapshot) *columnSet {
	c := &columnSet{s: s, listed: map[string]bool{}, items: map[string][]Item{}, byURL: map[string][]string{}}
	deep := map[string]bool{}
	var urls []string
	for _, col := range s.Columns {
		if _, ok := c.byURL[col.URL]; !ok {
			urls = append(urls, col.URL)
		}
		c.byURL[col.URL] = append(c.byURL[col.URL], col.Name)
		if documentKinds[col.Kind] {
			deep[col.URL] = true
		}
	}
	for _, u := range urls {
		p := s.Page(u)
		if !p.OK() {
			continue
		}
		// The columns of documents are read over their pagination (a
		// document on page 2 is still listed); the others' first page is
		// enough to tell their articles, and cheaper.
		var its []Item
		if deep[u] {
			its = c.itemsOf(u)
		} else {
			its = ListItems(p)
			ds, _ := datastoreItems(p)
			its = append(its, ds...)
		}
		for _, it := range its {
			if it.URL != u && it.URL != pageURL(p) {
				c.listed[it.URL] = true
			}
		}
	}
	return c
}

// documentKinds are the column kinds whose items the checks of this file
// read as documents.
var documentKinds = map[string]bool{"catalog": true, "statutory": true, "policy": true, "interpretation": true}

// isColumn reports whether u is a column page: mapped to some column and not
// listed as an item by another column.
func (c *columnSet) isColumn(u string) bool {
	if c.listed[u] {
		return false
	}
	if _, ok := c.byURL[u]; ok {
		return true
	}
	if p := c.s.Page(u); p != nil {
		for _, v := range []string{p.URL, p.FinalURL} {
			if _, ok := c.byURL[v]; ok && !c.listed[v] {
				return true
			}
		}
	}
	return false
}

// columns returns the columns of the given kinds that are column pages (not
// articles), one per URL, in the order found. Columns whose page was not
// fetched are kept, so callers can tell "not fetched" from "missing".
func (c *columnSet) columns(kinds ...string) []site.Column {
	want := map[string]bool{}
	for _, k := range kinds {
		want[k] = true
	}
	var out []site.Column
	seen := map[string]bool{}
	for _, col := range c.s.Columns {
		if !want[col.Kind] || seen[col.URL] || c.listed[col.URL] {
			continue
		}
		seen[col.URL] = true
		out = append(out, col)
	}
	return out
}

// itemsOf returns the items of a column over its pagination, computed once.
// Entries of a side bar (最新文件, 热点信息 lists repeated on every page) are
// left out when the page lists anything else.
func (c *columnSet) itemsOf(u string) []Item {
	if its, ok := c.items[u]; ok {
		return its
	}
	its := columnList(c.s, u) // Hanweb script datastores included
	side, main := map[string]bool{}, map[string]bool{}
	for _, p := range ColumnPages(c.s, u) {
		for _, l := range viewOf(p).Anchors {
			if l.Side {
				side[l.URL] = true
			} else {
				main[l.URL] = true
			}
		}
	}
	var kept []Item
	for _, it := range its {
		if !side[it.URL] || main[it.URL] {
			kept = append(kept, it)
		}
	}
	if len(kept) > 0 {
		its = kept
	}
	c.items[u] = its
	return its
}

// menuColumns returns the unmapped columns of the entry page's column menus:
// the other short in-site links of a list or table whose links include three
// or more mapped columns and are nearly all short (a menu, not a list of
// titles).
func menuColumns(s *site.Snapshot, env Env, entry *site.Page, eb contentBlocks) []site.Column {
	mapped := map[string]bool{s.Entry: true, pageURL(entry): true}
	for _, c := range s.Columns {
		mapped[c.URL] = true
	}
	if env.Config != nil {
		for _, u := range env.Config.Units {
			mapped[u.URL] = true // another unit's entry is not a column
		}
	}
	host := ""
	if u, err := url.Parse(pageURL(entry)); err == nil {
		host = u.Host
	}
	var out []site.Column
	seen := map[string]bool{}
	for _, menu := range eb.menus {
		n, long := 0, 0
		for _, l := range menu {
			if mapped[l.url] {
				n++
			}
			if utf8.RuneCountInString(page.Compact(l.text)) > menuTextRunes {
				long++
			}
		}
		if n < 3 || long*4 > len(menu) {
			continue
		}
		for _, l := range menu {
			u, err := url.Parse(l.url)
			if mapped[l.url] || seen[l.url] || err != nil || u.Host != host || l.text == "" ||
				utf8.RuneCountInString(page.Compact(l.text)) > menuTextRunes || page.PagerText.MatchString(l.text) {
				continue
			}
			seen[l.url] = true
			out = append(out, site.Column{Name: l.text, URL: l.url, Source: "menu", From: pageURL(entry)})
		}
	}
	return out
}

// columnAliases are the names a column goes by: its link text and the last
// segment of its page's breadcrumb.
func columnAliases(c site.Column, p *site.Page) map[string]bool {
	names := map[string]bool{}
	if n := page.Compact(c.Name); n != "" {
		names[n] = true
	}
	if p != nil && len(p.Breadcrumb) > 0 {
		if n := page.Compact(p.Breadcrumb[len(p.Breadcrumb)-1]); n != "" {
			names[n] = true
		}
	}
	return names
}

// isSubPage reports whether u is a page below the column: its breadcrumb passes
// through the column, or it lies in the column's directory when the column
// page is that directory's index.
func isSubPage(s *site.Snapshot, columnURL string, names map[string]bool, u string) bool {
	p := s.Page(u)
	if p != nil && len(p.Breadcrumb) > 1 {
		for _, seg := range p.Breadcrumb[:len(p.Breadcrumb)-1] {
			if names[page.Compact(seg)] {
				return true
			}
		}
	}
	cu, err1 := url.Parse(columnURL)
	lu, err2 := url.Parse(u)
	if err1 != nil || err2 != nil || cu.Host != lu.Host {
		return false
	}
	dir, file := cu.Path, ""
	if i := strings.LastIndex(dir, "/"); i >= 0 {
		dir, file = dir[:i+1], dir[i+1:]
	}
	if file != "" && !indexFileName.MatchString(file) || dir == "/" {
		return false
	}
	return strings.HasPrefix(lu.Path, dir) && lu.Path != cu.Path && !pagerHref.MatchString(u)
}

// indexFileName matches the file names of a directory's index page.
var indexFileName = regexp.MustCompile(`(?i)^(index|default|list|main)(_\d+)?\.(s?html?|jsp|aspx?|php)$`)

// ColumnPages returns the fetched pages of a column: its first page and the
// further list pages reached through its pagination links, as far as the
// crawl fetched them.
func ColumnPages(s *site.Snapshot, columnURL string) []*site.Page {
	first := s.Page(columnURL)
	if first == nil {
		return nil
	}
	pages := []*site.Page{first}
	seen := map[string]bool{columnURL: true, pageURL(first): true}
	// The pages a platform's list script leads to (platformPages).
	for _, p := range platformPages(s, first) {
		if !seen[p.URL] && len(pages) < maxListPages {
			seen[p.URL], seen[pageURL(p)] = true, true
			pages = append(pages, p)
		}
	}
	for i := 0; i < len(pages) && len(pages) < maxListPages; i++ {
		for _, u := range PagerLinks(pages[i]) {
			if seen[u] {
				continue
			}
			seen[u] = true
			if p := s.Page(u); p != nil && p.OK() {
				pages = append(pages, p)
			}
		}
	}
	return pages
}

// ColumnItems returns the items listed over all fetched pages of a column.
func ColumnItems(s *site.Snapshot, columnURL string) []Item {
	var out []Item
	seen := map[string]bool{}
	for _, p := range ColumnPages(s, columnURL) {
		for _, it := range ListItems(p) {
			if !seen[it.URL] {
				seen[it.URL] = true
				out = append(out, it)
			}
		}
	}
	return out
}
