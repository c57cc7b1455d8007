package checks

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"gkaudit/cndate"
	"gkaudit/site"
)

// This file holds what the site-health column checks (column.stale,
// column.empty, volume.low) share: the items of a column including those a
// Hanweb-style CMS hides in a script datastore, the date of an item, and the
// columns worth judging.

// datastoreItems returns the items of the page's script datastore (a
// Hanweb or TRS list; page.Datastore), and the count the datastore declares
// (-1 when it declares none).
func datastoreItems(p *site.Page) ([]Item, int) {
	v := viewOf(p)
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
	v := viewOf(first)
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
	v := viewOf(first)
	base, _ := url.Parse(pageURL(first))
	if h := v.Hanweb; h != nil && h.Total > h.First {
		read := h.First
		if h.Readable() && base != nil {
			for _, r := range h.Remaining(maxListPages) {
				if u, err := h.RequestURL(base, r); err == nil {
					if p := s.Page(u); p.OK() {
						if ds := viewOf(p).Datastore; ds != nil {
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

// itemDateLabels are the labels an article page puts before its publication
// date, most specific first: 发布日期：2019-03-05, 发布时间：2019年3月5日 10:20,
// 时间：2019-03-05 来源：XX局.
var itemDateLabels = []string{"发布日期", "发布时间", "公开日期", "发文日期", "成文日期", "生成日期", "印发日期", "日期", "时间"}

// itemDate returns the date of a listed item: the one the list shows, else
// the publication date on the item's own page when the crawl fetched it.
// fromPage says which; ok is false when neither shows a date.
func itemDate(s *site.Snapshot, it Item, labels []string) (d time.Time, fromPage, ok bool) {
	if !it.Date.IsZero() {
		return it.Date, false, true
	}
	p := s.Page(it.URL)
	if !p.OK() || !hasBody(p) {
		return time.Time{}, false, false
	}
	if d, ok := cndate.AfterLabel(pageText(p), labels...); ok {
		return d, true, true
	}
	return time.Time{}, true, false
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
		items := columnList(s, c.URL)
		all[i] = listedColumn{Column: c, Items: items, Unread: unreadList(s, c.URL, len(items))}
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

// calendarDay returns t's calendar date at midnight in Shanghai, the zone cndate
// dates are in, so that day counts do not drift by the clock time of AsOf.
func calendarDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, cndate.Shanghai)
}

// daysFromTo returns the whole days from a to b (dates, not instants).
func daysFromTo(a, b time.Time) int {
	return int(calendarDay(b).Sub(calendarDay(a)).Hours()+12) / 24
}

// columnName returns a column's name for a finding's detail.
func columnName(c site.Column) string {
	if n := strings.TrimSpace(c.Name); n != "" {
		return n
	}
	return c.Kind
}
