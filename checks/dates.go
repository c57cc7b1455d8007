package checks

import (
	"slices"
	"time"

	"gkaudit/cndate"
	"gkaudit/site"
)

// This file holds the dates of articles: the labels a page puts before its
// dates, the date an article page states, and day counts between dates.

// dateLabels are the labels an article page puts before its dates, in the
// order trusted: those of its publication (发布时间：2019-03-05 09:30
// 来源：区教育局, 发布日期：2019年3月5日, a metadata table's 发布日期 cell),
// those of its writing (成文日期), then the bare 日期 and 时间 (时间：2019-03-05
// 来源：XX局). The checks read subsets of it, in its order.
var dateLabels = []string{"发布日期", "发布时间", "公开日期", "公开时间", "发表时间", "发文日期", "发文时间",
	"成文日期", "生成日期", "印发日期", "日期", "时间"}

// pubLabels are the dateLabels of the publication only: interpretation.sync
// compares when a 解读 and its document were published, not written.
var pubLabels = slices.Clip(dateLabels[:7])

// itemDateLabels are the dateLabels column.stale and volume.low date an
// unlisted item by: all but 公开时间, 发表时间 and 发文时间, which they have
// never read (such a page is dated by its 成文日期, else its bare 时间).
var itemDateLabels = slices.DeleteFunc(slices.Clone(dateLabels), func(l string) bool {
	return l == "公开时间" || l == "发表时间" || l == "发文时间"
})

// statedDate returns the date an article page states after one of labels
// (the first label found wins) in its text.
func statedDate(p *site.Page, labels []string) (time.Time, bool) {
	return cndate.AfterLabel(pageText(p), labels...)
}

// metaDate returns the date of a metadata field (published, written).
func metaDate(m Metadata, field string) (time.Time, bool) {
	return cndate.First(m.Fields[field])
}

// pubDate returns when an article was published: its metadata 发布日期, else
// a date after one of labels in its text, else the date its list showed, else its
// 成文日期. It says which source it used.
func pubDate(p *site.Page, m Metadata, listed time.Time, labels []string) (time.Time, string) {
	if t, ok := metaDate(m, "published"); ok {
		return t, m.Labels["published"]
	}
	if t, ok := statedDate(p, labels); ok {
		return t, "页面发布时间"
	}
	if !listed.IsZero() {
		return listed, "列表日期"
	}
	if t, ok := metaDate(m, "written"); ok {
		return t, m.Labels["written"]
	}
	return time.Time{}, ""
}

// itemDate returns the date of a listed item: the one the list shows, else
// the date its own page states when the crawl fetched it. fromPage says
// which; ok is false when neither shows a date.
func itemDate(s *site.Snapshot, it Item, labels []string) (d time.Time, fromPage, ok bool) {
	if !it.Date.IsZero() {
		return it.Date, false, true
	}
	p := s.Page(it.URL)
	if !p.OK() || !hasBody(p) {
		return time.Time{}, false, false
	}
	if d, ok := statedDate(p, labels); ok {
		return d, true, true
	}
	return time.Time{}, true, false
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
