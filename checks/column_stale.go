package checks

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"gkaudit/page"
	"gkaudit/site"
)

// ColumnStaleRule is the source of column.stale.
const ColumnStaleRule = "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》单项否决指标“栏目不更新”：监测时间点前2周内的动态、要闻类栏目，以及监测时间点前6个月内的通知公告、政策文件类一级栏目，累计超过（含）5个未更新；应更新但长期未更新的栏目数量超过（含）10个（人事、规划计划类按1年）；北仑区考核指标减分标准：栏目未及时更新，1次扣1分"

// columnStaleTerms are the labels an article page puts before its
// publication date, read when a list shows no dates.
var columnStaleTerms = map[string][]string{
	"column.stale.date_labels": itemDateLabels,
}

// maxDatePages bounds how many item pages are read for dates when a list
// shows none (lists put the newest first).
const maxDatePages = 20

// ColumnStale (column.stale) judges each column whose kind has an update
// limit (config thresholds.stale_days: news 14 days, notice and policy 180,
// plan and personnel 365) by its newest item, counted back from the as-of
// date: older than the limit fails.
//
// The newest item is the latest date among the items the column lists over
// its fetched pages (pinned old items do not hide newer ones), dates in ul
// lists, tables and card divs alike, in any format cndate reads. A list that
// shows no dates falls back to the 发布日期/发布时间 of the item pages the crawl
// fetched.
//
// One finding per judged column (Subject the column URL). fail: the newest
// item is older than the limit, or no item shows a date anywhere — per the
// indicators a page whose items show no publication date counts as not
// updated (the detail says so). pass: within the limit. na: the site could
// not be reached, the column page was not fetched or does not open (that is
// link.broken's), it lists no items (that is column.empty's), or its items show
// no date on the list and their pages were not fetched, or its list could
// not be read whole (a script-built list, see unreadList) and what was read
// would fail it: the entries not read might be the newer ones. When the unit has no
// column of a judged kind, one na finding says so.
func ColumnStale(s *site.Snapshot, env Env) []Finding {
	if !s.EntryPage().OK() {
		return []Finding{{Subject: "columns", Status: NA, URL: s.Entry, Detail: "入口页无法访问，无法检查栏目更新情况"}}
	}
	limits := env.params().StaleDays
	labels := env.Terms("column.stale.date_labels", itemDateLabels)
	asOf := env.AsOf
	var out []Finding
	for _, c := range unitColumns(s, env) {
		limit, ok := limits[c.Kind]
		if !ok || limit <= 0 {
			continue
		}
		out = append(out, staleColumn(s, c, limit, asOf, labels))
	}
	if len(out) == 0 {
		var kinds []string
		for k := range limits {
			kinds = append(kinds, k)
		}
		sort.Strings(kinds)
		return []Finding{{Subject: "columns", Status: NA, URL: s.Entry, Looked: []string{s.Entry}, Evidence: evidence(s.EntryPage(), ""),
			Detail: "未找到需按时限更新的栏目（" + strings.Join(kinds, "、") + "类），无法判断更新情况"}}
	}
	return out
}

// staleColumn judges one column.
func staleColumn(s *site.Snapshot, c listedColumn, limit int, asOf time.Time, labels []string) Finding {
	name := columnName(c.Column)
	f := Finding{Subject: c.URL, Kind: c.Column.Kind, URL: c.URL, Looked: []string{c.URL}}
	p := s.Page(c.URL)
	switch {
	case p == nil:
		f.Status, f.Detail = NA, fmt.Sprintf("栏目“%s”页面未抓取，无法判断更新情况", name)
		return f
	case !p.OK():
		f.Status, f.Detail = NA, fmt.Sprintf("栏目“%s”页面无法打开（HTTP %d %s），见链接可用性检查", name, p.Status, p.ErrCause())
		f.Evidence = evidence(p, "")
		return f
	}
	f.Evidence = evidence(p, "")
	for _, lp := range ColumnPages(s, c.URL)[1:] {
		f.Looked = append(f.Looked, pageURL(lp))
	}
	items := c.Items
	if len(items) == 0 {
		f.Status, f.Detail = NA, fmt.Sprintf("栏目“%s”未列出信息条目（是否空白栏目由 column.empty 判定）", name)
		if c.Unread != "" {
			f.Detail = fmt.Sprintf("栏目“%s”未能判断更新情况：%s", name, c.Unread)
		}
		return f
	}
	var newest Item
	var newestDate time.Time
	newestFromPage := false
	dated, read := 0, 0
	for _, it := range items {
		if it.Date.IsZero() {
			if read >= maxDatePages {
				continue
			}
			if pg := s.Page(it.URL); pg.OK() {
				read++
				f.Looked = append(f.Looked, it.URL)
			}
		}
		d, fromPage, ok := itemDate(s, it, labels)
		if !ok {
			continue
		}
		dated++
		if d.After(newestDate) {
			newest, newestDate, newestFromPage = it, d, fromPage
		}
	}
	if dated == 0 && c.Unread != "" {
		f.Status, f.Detail = NA, fmt.Sprintf("栏目“%s”已读取的 %d 条信息均未显示发布日期，未能判断更新情况：%s", name, len(items), c.Unread)
		return f
	}
	if dated == 0 {
		if read == 0 {
			f.Status, f.Detail = NA, fmt.Sprintf("栏目“%s”列出 %d 条信息但未显示发布日期，条目页面未抓取，无法判断更新情况", name, len(items))
			return f
		}
		f.Status = Fail
		f.Detail = fmt.Sprintf("栏目“%s”列出的 %d 条信息及已抓取的 %d 个条目页面均未显示发布日期，按检查指标视为未更新（更新时限 %d 天）", name, len(items), read, limit)
		f.Evidence = evidence(p, items[0].Title)
		return f
	}
	age := daysFromTo(newestDate, asOf)
	f.Evidence = evidence(p, newest.Title)
	if newestFromPage {
		ip := s.Page(newest.URL)
		f.Evidence = evidence(ip, excerptAround(pageText(ip), newestDate.Format("2006"), 120))
	}
	if age > limit && c.Unread != "" {
		// The entries not read might be newer (a list not sorted newest first).
		f.Status = NA
		f.Detail = fmt.Sprintf("栏目“%s”已读取条目中最新信息发布于 %s，但%s", name, newestDate.Format("2006-01-02"), c.Unread)
		return f
	}
	if age > limit {
		f.Status = Fail
		f.Detail = fmt.Sprintf("栏目“%s”最新信息发布于 %s（《%s》），距检查日 %d 天，超过 %d 天的更新时限", name, newestDate.Format("2006-01-02"), page.Clip(newest.Title, 60), age, limit)
		return f
	}
	f.Status = Pass
	f.Detail = fmt.Sprintf("栏目“%s”最新信息发布于 %s，距检查日 %d 天，在 %d 天的更新时限内", name, newestDate.Format("2006-01-02"), max(age, 0), limit)
	return f
}
