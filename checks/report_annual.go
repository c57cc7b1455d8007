package checks

import (
	"fmt"
	"strings"
	"time"

	"gkaudit/site"
)

// ReportAnnualRule is the source of report.annual.
const ReportAnnualRule = "《政府信息公开条例》（2019）第四十九条：县级以上人民政府部门应当在每年1月31日前向本级政府信息公开工作主管部门提交本行政机关上一年度政府信息公开工作年度报告并向社会公布；北仑区考核指标“年度报告（5分）”：按第四十九条、第五十条规定，全面、及时、准确发布本单位年度报告"

// reportAnnualTerms are the words that make a title an annual report (see
// reportTitleTerms).
var reportAnnualTerms = reportTitleTerms

// ReportAnnual (report.annual) checks that the unit published its
// 政府信息公开工作年度报告 for the year before the as-of date, by the deadline of
// 条例第四十九条 (thresholds.annual_report_deadline, "01-31": 部门 report by
// 31 January; the district applies it to every unit).
//
// The year judged is the latest whose deadline has passed: audited on
// 2020-03-01 it is 2019; audited on 2020-01-20, before the 2019 report is
// due, it is 2018 (the detail says so).
//
// Reports are found in the 年报 columns (政府信息公开年报/年度报告, including
// per-year sub-columns 2019/2018), linked anywhere on the site, or as crawled
// pages whose title names one. A title names a report with a year (2019年度,
// 2019年, 二〇一九年, （2019）) and 信息公开/政务公开 with 年度报告/年报/工作报告;
// 通知/解读/图解 titles are not reports. A report published as an attachment
// (.pdf/.doc) counts. The publication date is the list's, else the article's
// 发布日期/成文日期, else the date in its URL.
//
// pass: the report is there, on time or with no date to judge (said in the
// detail). fail: no report for the year (the detail lists the years found);
// a report published after the deadline — the rubric asks for 及时 and the
// 条例 sets the day, so a late report fails with its date; no 年报 column and
// no report anywhere; the 年报 column does not open. na: the site is
// unreachable, or the 年报 column (or a page it links its years or reports
// on, such as the portal's year column on another host) was never fetched
// and no report was found elsewhere.
func ReportAnnual(s *site.Snapshot, env Env) []Finding {
	if !s.EntryPage().OK() {
		return []Finding{entryUnreachable(s, "annual_report", "政府信息公开工作年度报告")}
	}
	year, due, note := reportYearDue(env)
	subject := fmt.Sprintf("annual_report:%d", year)
	r := findReports(s, env)
	colURL := ""
	if len(r.columns) > 0 {
		colURL = r.columns[0].URL
	}
	looked := r.looked
	if len(looked) == 0 {
		looked = []string{s.Entry}
	}
	reps, broken := openReports(s, r.forYear(year))
	if len(reps) == 0 && broken != nil {
		p := s.Page(broken.URL)
		return []Finding{{Subject: subject, Status: Fail, URL: broken.URL, Looked: append(looked, broken.URL), Evidence: evidence(p, ""),
			Detail: fmt.Sprintf("%d年度政府信息公开工作年度报告《%s》的页面无法打开（HTTP %d %s）%s", year, titleClip(broken.Title), p.Status, p.ErrCause(), note)}}
	}
	if len(reps) > 0 {
		rep := reps[0]
		f := Finding{Subject: subject, URL: rep.URL, Looked: append(looked, rep.URL)}
		f.Evidence = reportEvidence(s, rep, r)
		when := "发布日期未知，未判断是否及时"
		if !rep.Date.IsZero() {
			when = "发布于" + rep.Date.Format("2006-01-02") + "（据" + rep.From + "）"
		}
		late := !rep.Date.IsZero() && shanghaiDay(rep.Date).After(due)
		if late {
			f.Status = Fail
			f.Detail = fmt.Sprintf("%d年度政府信息公开工作年度报告《%s》%s，晚于条例第四十九条规定的%s%s", year, titleClip(rep.Title), when, due.Format("2006年1月2日"), note)
			return []Finding{f}
		}
		f.Status = Pass
		f.Detail = fmt.Sprintf("已发布%d年度政府信息公开工作年度报告《%s》，%s%s", year, titleClip(rep.Title), when, note)
		return []Finding{f}
	}
	found := "未找到任何年度报告"
	if ys := r.years(); len(ys) > 0 {
		var names []string
		for _, y := range ys {
			names = append(names, fmt.Sprintf("%d", y))
		}
		found = "已找到：" + strings.Join(names, "、") + "年度"
	}
	f := Finding{Subject: subject, URL: orURL(colURL, s.Entry), Looked: looked, Status: Fail}
	switch {
	case len(r.columns) == 0:
		f.Detail = fmt.Sprintf("未找到政府信息公开年报栏目，也未找到%d年度政府信息公开工作年度报告（%s）%s", year, found, note)
		f.Evidence = evidence(s.EntryPage(), "")
	case len(r.pages) == 0 && r.broken != nil:
		f.URL = r.broken.URL
		f.Detail = fmt.Sprintf("政府信息公开年报栏目无法打开（HTTP %d %s），未找到%d年度报告（%s）%s", r.broken.Status, r.broken.ErrCause(), year, found, note)
		f.Evidence = evidence(r.broken, "")
	case len(r.pages) == 0:
		f.Status = NA
		f.Detail = fmt.Sprintf("政府信息公开年报栏目页面未抓取，无法判断是否发布%d年度报告（%s）", year, found)
	case len(r.unfetched) > 0:
		// The column links its years (or reports) on pages the crawl did not
		// reach (another host, the page budget): the report may be there.
		f.Status = NA
		f.Looked = append(f.Looked, r.unfetched...)
		f.Detail = fmt.Sprintf("年报栏目链接的%d个页面未抓取（如 %s，可能在其他网站或超出抓取范围），未能判断是否发布%d年度报告（%s）；请人工核查这些页面", len(r.unfetched), r.unfetched[0], year, found)
		f.Evidence = evidence(r.pages[0], "")
	default:
		f.Detail = fmt.Sprintf("未找到%d年度政府信息公开工作年度报告（截止%s；%s）%s", year, due.Format("2006年1月2日"), found, note)
		f.Evidence = evidence(r.pages[0], pageText(r.pages[0]))
	}
	return []Finding{f}
}

// openReports leaves out the reports whose page answered 4xx/5xx, and
// returns the first of them.
func openReports(s *site.Snapshot, reps []annualReport) (open []annualReport, broken *annualReport) {
	for i, rep := range reps {
		if p := s.Page(rep.URL); p != nil && !p.OK() && (p.Status >= 400 || p.Err != "") {
			if broken == nil {
				broken = &reps[i]
			}
			continue
		}
		open = append(open, rep)
	}
	return open, broken
}

// reportYearDue returns the report year to judge at env.AsOf, its deadline
// (the last day on time) and a note for the detail when the year before
// AsOf's is not due yet.
func reportYearDue(env Env) (year int, due time.Time, note string) {
	dueOf := env.params().ReportDue
	asOf := shanghaiDay(env.AsOf)
	year = env.AsOf.Year() - 1
	if d := dueOf(year); !asOf.After(d) {
		note = fmt.Sprintf("（%d年度报告截止%s，尚未到期，故检查%d年度）", year, d.Format("2006年1月2日"), year-1)
		year--
	}
	return year, dueOf(year), note
}

// reportEvidence is the evidence for a found report: its page when fetched,
// else the list page that links to it, with the title as excerpt.
func reportEvidence(s *site.Snapshot, rep annualReport, r reportSearch) Evidence {
	if p := s.Page(rep.URL); p.OK() {
		return evidence(p, rep.Title)
	}
	for _, p := range r.pages {
		for _, l := range p.Links {
			if l.URL == rep.URL {
				return evidence(p, rep.Title)
			}
		}
	}
	for _, p := range s.Pages {
		for _, l := range p.Links {
			if l.URL == rep.URL {
				return evidence(p, rep.Title)
			}
		}
	}
	return Evidence{URL: rep.URL, Excerpt: rep.Title}
}
