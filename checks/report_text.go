package checks

import (
	"net/url"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"gkaudit/cndate"
	"gkaudit/page"
	"gkaudit/site"
)

// This file holds what report.annual, report.sections and
// decision.consultation share: the assessment year, the publication date of
// an article, and the search for the unit's 政府信息公开工作年度报告.

// assessYear is the year under assessment: the config's, else the year
// before the as-of date (an audit early in 2020 assesses 2019).
func assessYear(env Env) int {
	if env.Config != nil && env.Config.Year > 0 {
		return env.Config.Year
	}
	return env.AsOf.Year() - 1
}

// articleDateLabels are the labels an article page puts before its
// publication date, the publication date first: 发布日期：2020-01-20,
// 发布时间：2020年1月20日 10:20, 时间：2020-01-20 来源：XX局.
var articleDateLabels = []string{"发布日期", "发布时间", "公开日期", "公开时间", "成文日期", "生成日期", "发文日期", "日期", "时间"}

// urlDateRE matches the dates publishing systems put in article URLs:
// Hanweb /art/2020/1/20/art_..., TRS /202001/t20200120_123.html,
// /2020-01/20/content_..., /2020/0120/.
var urlDateRE = regexp.MustCompile(`/art/(20\d{2})/(\d{1,2})/(\d{1,2})/|/t(20\d{2})(\d{2})(\d{2})_\d+|/(20\d{2})-(\d{2})/(\d{2})/|/(20\d{2})/(\d{2})(\d{2})/`)

// articleURLDate returns the date an article URL carries, if any.
func articleURLDate(u string) (time.Time, bool) {
	m := urlDateRE.FindStringSubmatch(u)
	if m == nil {
		return time.Time{}, false
	}
	for i := 1; i+2 < len(m); i += 3 {
		if m[i] != "" {
			return cndate.First(m[i] + "-" + m[i+1] + "-" + m[i+2])
		}
	}
	return time.Time{}, false
}

// articleDate returns the publication date of a fetched article: its
// metadata block's 发布日期 (else 成文日期), a labelled date in its text, or the
// date in its URL. from says which ("页面" or "网址"); ok is false when none.
func articleDate(p *site.Page, u string) (d time.Time, from string, ok bool) {
	if p.OK() && hasBody(p) {
		m := viewOf(p).Meta
		for _, f := range []string{"published", "written"} {
			if d, ok := cndate.First(m.Fields[f]); ok {
				return d, "页面", true
			}
		}
		if d, ok := cndate.AfterLabel(pageText(p), articleDateLabels...); ok {
			return d, "页面", true
		}
	}
	if d, ok := articleURLDate(u); ok {
		return d, "网址", true
	}
	return time.Time{}, "", false
}

// itemWhen returns a listed item's date: the list's, else its page's or URL's.
func itemWhen(s *site.Snapshot, it Item) (time.Time, string, bool) {
	if !it.Date.IsZero() {
		return it.Date, "列表", true
	}
	return articleDate(s.Page(it.URL), it.URL)
}

// reportFileExt matches links to files the crawler probes but does not read.
var reportFileExt = regexp.MustCompile(`(?i)\.(pdf|docx?|wps|xlsx?|et|ofd|rar|zip|7z|ceb|tif)($|[?#&])|(?i)[?&](file(name)?|fn)=[^&]*\.(pdf|docx?|wps|xlsx?|ofd)`)

// isDocumentFile reports whether u is a document file rather than a page.
func isDocumentFile(u string) bool {
	if pu, err := url.Parse(u); err == nil {
		if reportFileExt.MatchString(pu.Path) {
			return true
		}
		if q, err := url.QueryUnescape(pu.RawQuery); err == nil && reportFileExt.MatchString("?"+q) {
			return true
		}
	}
	return false
}

// reportTitleTerms: a title names an annual report when it holds one of
// report.annual.subject and one of report.annual.kind (北仑区财政局2019年度
// 政府信息公开工作年度报告, 2019年政务公开工作年报, 信息公开年度工作报告), and none
// of report.annual.exclude (a 通知 on how to compile reports, a 解读 or 图解
// of one). Inside a 年报 column a year and 报告/年报 suffice.
var reportTitleTerms = map[string][]string{
	"report.annual.subject": {"信息公开", "政务公开"},
	"report.annual.kind":    {"年度报告", "年报", "工作报告", "年度工作报告", "工作情况报告", "工作情况的报告"},
	"report.annual.exclude": {"通知", "解读", "图解", "编制", "要点", "考核", "评估报告", "测评", "统计年报", "统计年鉴", "统计公报"},
}

// reportYearRE matches a year in a report title: 2019年度, 2019年, （2019）,
// 二〇一九年度. Dates (2020年1月20日) are blanked out before matching.
var reportYearRE = regexp.MustCompile(`((?:19|20)\d{2}|[〇零○Ｏ一二][〇零○Ｏ一二三四五六七八九]{3})\s*(年度|年|[)）]|[^\d]|$)`)

// reportYear returns the year a report title is about.
func reportYear(title string) (int, bool) {
	t := cndate.Normalize(title)
	for _, d := range cndate.Find(t) {
		t = t[:d.Start] + strings.Repeat(" ", d.End-d.Start) + t[d.End:]
	}
	for _, loc := range reportYearRE.FindAllStringSubmatchIndex(t, -1) {
		if loc[0] > 0 && t[loc[0]-1] >= '0' && t[loc[0]-1] <= '9' {
			continue // part of a longer number: 索引号 12019…
		}
		y := 0
		for _, r := range t[loc[2]:loc[3]] {
			y = y*10 + yearDigit(r)
		}
		if y >= 2000 && y <= 2100 {
			return y, true
		}
	}
	return 0, false
}

// yearDigit is the value of a digit of a year: 2, 二, 〇, 零.
func yearDigit(r rune) int {
	if r >= '0' && r <= '9' {
		return int(r - '0')
	}
	if i := strings.IndexRune("一二三四五六七八九", r); i >= 0 {
		return i/utf8.RuneLen(r) + 1
	}
	return 0 // 〇 零 ○ Ｏ
}

// isReportTitle reports whether title names an annual report; inColumn
// relaxes the test for titles listed in a 年报 column.
func isReportTitle(env Env, title string, inColumn bool) bool {
	t := page.Compact(title)
	if t == "" || containsAny(t, env.Terms("report.annual.exclude", reportTitleTerms["report.annual.exclude"])) {
		return false
	}
	kind := containsAny(t, env.Terms("report.annual.kind", reportTitleTerms["report.annual.kind"]))
	if inColumn {
		_, hasYear := reportYear(t)
		return kind || hasYear && strings.Contains(t, "报告")
	}
	return kind && containsAny(t, env.Terms("report.annual.subject", reportTitleTerms["report.annual.subject"]))
}

// yearColumnText matches the year links of a 年报 column: per-year
// sub-columns (2019, 2019年, 2019年度) and short report links (2019年度报告).
var yearColumnText = regexp.MustCompile(`^((?:19|20)\d{2})\s*年?度?\s*(年报|年度报告|报告)?$`)

// annualReport is one annual report found on the site.
type annualReport struct {
	Title string
	URL   string
	Year  int
	Date  time.Time // publication date; zero when unknown
	From  string    // where the date came from: 列表, 页面, 网址
	// Column is the 年报 column that lists it, "" when found elsewhere.
	Column string
}

// reportSearch is what findReports saw.
type reportSearch struct {
	reports   []annualReport
	columns   []site.Column // distinct 年报 columns (report links the crawler mapped as columns left out)
	pages     []*site.Page  // fetched column pages, sub-columns included
	broken    *site.Page    // first column page that answered 4xx/5xx
	unfetched []string      // column pages never fetched
	looked    []string
}

// maxReportColumns bounds the 年报 columns and year sub-columns read.
const maxReportColumns = 40

// findReports collects the unit's annual reports: the items of every
// annual_report column (and of its per-year sub-columns 2019/2018 ...), then
// report titles linked from any crawled page, then crawled pages whose own
// title names a report. A link the crawler mapped as a 年报 column whose text
// carries a year (2019年政府信息公开工作年度报告) is a report, not a column.
func findReports(s *site.Snapshot, env Env) reportSearch {
	var r reportSearch
	byURL := map[string]int{}
	add := func(rep annualReport) {
		if i, ok := byURL[rep.URL]; ok {
			if r.reports[i].Date.IsZero() && !rep.Date.IsZero() {
				r.reports[i].Date, r.reports[i].From = rep.Date, rep.From
			}
			return
		}
		if rep.Date.IsZero() {
			rep.Date, rep.From, _ = articleDate(s.Page(rep.URL), rep.URL)
		}
		byURL[rep.URL] = len(r.reports)
		r.reports = append(r.reports, rep)
	}
	seenCol := map[string]bool{}
	type colRef struct {
		url, name, parent string
		year              int
	}
	var queue []colRef
	for _, c := range s.ColumnsOf("annual_report") {
		if seenCol[c.URL] {
			continue
		}
		if y, ok := reportYear(c.Name); ok && !yearColumnText.MatchString(page.Compact(c.Name)) && isReportTitle(env, c.Name, true) {
			add(annualReport{Title: c.Name, URL: c.URL, Year: y})
			continue
		}
		seenCol[c.URL] = true
		r.columns = append(r.columns, c)
		queue = append(queue, colRef{url: c.URL, name: c.Name})
	}
	for i := 0; i < len(queue) && i < maxReportColumns; i++ {
		c := queue[i]
		r.looked = append(r.looked, c.url)
		p := s.Page(c.url)
		switch {
		case p == nil:
			r.unfetched = append(r.unfetched, c.url)
			continue
		case !p.OK():
			if r.broken == nil && p.Status >= 400 {
				r.broken = p
			}
			continue
		}
		pages := ColumnPages(s, c.url)
		r.pages = append(r.pages, pages...)
		items := columnList(s, c.url)
		if c.year > 0 && len(items) == 0 && isReportText(pageText(p)) {
			// The "2019年度" link leads to the report itself, not to a list.
			title := c.name
			if isReportTitle(env, p.Title, false) {
				title = p.Title
			}
			add(annualReport{Title: title, URL: c.url, Year: c.year, Column: c.parent})
			continue
		}
		for _, it := range items {
			y, ok := reportYear(it.Title)
			if !ok {
				y, ok = c.year, c.year > 0 // 年度报告 listed under 2019
			}
			if ok && isReportTitle(env, it.Title, true) {
				add(annualReport{Title: it.Title, URL: it.URL, Year: y, Date: it.Date, From: fromList(it), Column: c.url})
			}
		}
		// Per-year sub-columns: 2019 / 2018年度 links on the column page.
		for _, cp := range pages {
			for _, l := range cp.Links {
				m := yearColumnText.FindStringSubmatch(page.Compact(l.Text))
				if m == nil || seenCol[l.URL] {
					continue
				}
				if _, isItem := byURL[l.URL]; isItem {
					continue
				}
				y, _ := reportYear(m[1] + "年")
				if m[2] != "" || isDocumentFile(l.URL) {
					// "2019年度报告", or a year linking to the report's file.
					add(annualReport{Title: l.Text, URL: l.URL, Year: y, Column: c.url})
					continue
				}
				seenCol[l.URL] = true
				queue = append(queue, colRef{url: l.URL, name: l.Text, parent: c.url, year: y})
			}
		}
	}
	// Report titles linked from anywhere on the site (a 年报 item under 法定
	// 主动公开内容, a link on the 信息公开 home), and crawled report pages.
	for _, p := range s.Pages {
		for _, l := range p.Links {
			if _, ok := byURL[l.URL]; ok || seenCol[l.URL] || !strings.Contains(l.Text, "报") {
				continue
			}
			if y, ok := reportYear(l.Text); ok && isReportTitle(env, l.Text, false) {
				add(annualReport{Title: l.Text, URL: l.URL, Year: y})
			}
		}
	}
	for _, p := range s.Pages {
		if !p.OK() || seenCol[p.URL] {
			continue
		}
		if _, ok := byURL[p.URL]; ok {
			continue
		}
		if y, ok := reportYear(p.Title); ok && isReportTitle(env, p.Title, false) {
			add(annualReport{Title: p.Title, URL: p.URL, Year: y})
		}
	}
	return r
}

// isReportText reports whether a page's text reads as a report: long, and
// about 政府信息公开.
func isReportText(text string) bool {
	t := page.Compact(text)
	return utf8.RuneCountInString(t) >= minReportText && strings.Count(t, "信息公开") >= 2
}

func fromList(it Item) string {
	if it.Date.IsZero() {
		return ""
	}
	return "列表"
}

// forYear returns the reports on year, the ones with a known date first,
// earliest first.
func (r reportSearch) forYear(year int) []annualReport {
	var out []annualReport
	for _, rep := range r.reports {
		if rep.Year == year {
			out = append(out, rep)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Date.IsZero() != b.Date.IsZero() {
			return !a.Date.IsZero()
		}
		return a.Date.Before(b.Date)
	})
	return out
}

// years returns the distinct years of the reports found, newest first.
func (r reportSearch) years() []int {
	seen := map[int]bool{}
	var out []int
	for _, rep := range r.reports {
		if !seen[rep.Year] {
			seen[rep.Year] = true
			out = append(out, rep.Year)
		}
	}
	sort.Sort(sort.Reverse(sort.IntSlice(out)))
	return out
}

// titleClip clips a title for a finding's detail.
func titleClip(t string) string {
	if utf8.RuneCountInString(t) > 40 {
		return page.Clip(t, 40)
	}
	return t
}

// orURL returns u, or def when u is empty.
func orURL(u, def string) string {
	if u != "" {
		return u
	}
	return def
}

// shanghaiDay returns t's calendar date at midnight in Shanghai, the zone
// cndate dates are in, so that a clock time does not move a deadline.
func shanghaiDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, cndate.Shanghai)
}
