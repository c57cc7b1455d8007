package checks

import (
	"strings"
	"testing"
	"time"

	"gkaudit/config"
	"gkaudit/site"
)

// columnSnapshot is a unit whose entry page links to one column of kind,
// named name, at colURL; pages are the further pages the crawl fetched.
func columnSnapshot(kind, name, colURL string, pages ...*site.Page) *site.Snapshot {
	s := &site.Snapshot{UnitID: "u1", Entry: testEntry}
	link := site.Link{URL: colURL, Text: name}
	s.Pages = append([]*site.Page{entryPage(testEntry, link)}, pages...)
	s.Columns = []site.Column{{Kind: kind, Name: name, URL: colURL, Source: "link", From: testEntry}}
	return s
}

// annualColumnURL is where each report.annual fixture is served.
var annualColumnURL = map[string]string{
	"pass_table_trs_han_year": "http://gov.example/xxgk/xxgknb/index.html",
	"fail_only_older_years":   "http://gov.example/xxgk/xxgknb/index.html",
}

// annualDetail names, per fixture, what its detail must say.
var annualDetail = map[string]string{
	"pass_ul_hanweb":          "发布于2020-01-20",
	"pass_table_trs_han_year": "二〇一九年",
	"pass_gbk_cards":          "2020-01-21",
	"fail_only_older_years":   "已找到：2018、2017、2016年度",
	"fail_late":               "晚于条例第四十九条规定的2020年1月31日",
	"fail_notice_not_report":  "未找到2019年度",
}

func TestReportAnnual_Fixtures(t *testing.T) {
	for _, fx := range fixtures(t, "report.annual") {
		t.Run(fx.name, func(t *testing.T) {
			u := annualColumnURL[fx.name]
			if u == "" {
				u = "http://gov.example/col/col1229105/index.html"
			}
			p := withLinks(loadPage(t, fx.path, u))
			f := onlyStatus(t, ReportAnnual(columnSnapshot("annual_report", "政府信息公开年报", u, p), testEnv()))
			if f.Status != fx.want {
				t.Errorf("ReportAnnual(%s) = %v (%s), want %v", fx.name, f.Status, f.Detail, fx.want)
			}
			if want := annualDetail[fx.name]; !strings.Contains(f.Detail, want) {
				t.Errorf("ReportAnnual(%s) detail = %q, want it to contain %q", fx.name, f.Detail, want)
			}
			if f.Subject != "annual_report:2019" {
				t.Errorf("ReportAnnual(%s) subject = %q, want annual_report:2019", fx.name, f.Subject)
			}
			if f.Status == Fail && f.Evidence.SHA256 != p.SHA256 {
				t.Errorf("ReportAnnual(%s) evidence = %+v, want the column page", fx.name, f.Evidence)
			}
			if f.Status == Fail && fx.name != "fail_late" && f.URL != u {
				t.Errorf("ReportAnnual(%s) url = %s, want the column %s", fx.name, f.URL, u)
			}
		})
	}
}

// A report listed under a per-year sub-column (年报 > 2019) without the year
// in its own title is the 2019 report.
func TestReportAnnual_YearSubColumn(t *testing.T) {
	col := htmlPage("http://gov.example/xxgk/xxgknb/index.html",
		`<html><body><div class="list"><a href="/xxgk/xxgknb/2019/index.html">2019年度</a> <a href="/xxgk/xxgknb/2018/index.html">2018年度</a></div></body></html>`)
	sub := htmlPage("http://gov.example/xxgk/xxgknb/2019/index.html",
		`<html><body><ul><li><a href="/xxgk/xxgknb/2019/t20200117_1.html">北仑区教育局政府信息公开工作年度报告</a><span>2020-01-17</span></li></ul></body></html>`)
	f := onlyStatus(t, ReportAnnual(columnSnapshot("annual_report", "政府信息公开年报", col.URL, col, sub), testEnv()))
	if f.Status != Pass || !strings.Contains(f.Detail, "2020-01-17") {
		t.Errorf("ReportAnnual(year sub-column) = %v (%s), want pass dated 2020-01-17", f.Status, f.Detail)
	}
}

// A report linked from the 信息公开 home, with no 年报 column, counts; its
// date comes from its own page.
func TestReportAnnual_ReportElsewhere(t *testing.T) {
	rep := htmlPage("http://gov.example/art/2020/1/10/art_5_1.html",
		`<html><body><table><tr><td>发布日期：</td><td>2020-01-10</td></tr></table><h1>北仑区科技局2019年度政府信息公开工作年度报告</h1><p>一、总体情况</p></body></html>`)
	s := &site.Snapshot{UnitID: "u1", Entry: testEntry, Pages: []*site.Page{
		entryPage(testEntry, site.Link{URL: rep.URL, Text: "北仑区科技局2019年度政府信息公开工作年度报告"}), rep}}
	f := onlyStatus(t, ReportAnnual(s, testEnv()))
	if f.Status != Pass || f.URL != rep.URL || !strings.Contains(f.Detail, "2020-01-10（据页面）") {
		t.Errorf("ReportAnnual(report elsewhere) = %v %s (%s), want pass with the page's date", f.Status, f.URL, f.Detail)
	}
	if f.Evidence.URL != rep.URL {
		t.Errorf("ReportAnnual(report elsewhere) evidence = %s, want the report page", f.Evidence.URL)
	}
}

// A report link the crawler mapped as a 年报 column (its text is short) is a
// report, and its date may come from its URL.
func TestReportAnnual_ReportMappedAsColumn(t *testing.T) {
	u := "http://gov.example/art/2020/1/22/art_9_2.html"
	s := columnSnapshot("annual_report", "2019年政府信息公开工作年度报告", u)
	f := onlyStatus(t, ReportAnnual(s, testEnv()))
	if f.Status != Pass || !strings.Contains(f.Detail, "2020-01-22（据网址）") {
		t.Errorf("ReportAnnual(report as column) = %v (%s), want pass dated by URL", f.Status, f.Detail)
	}
}

func TestReportAnnual_NoColumnNoReport(t *testing.T) {
	s := &site.Snapshot{UnitID: "u1", Entry: testEntry, Pages: []*site.Page{entryPage(testEntry)}}
	f := onlyStatus(t, ReportAnnual(s, testEnv()))
	if f.Status != Fail || !strings.Contains(f.Detail, "未找到政府信息公开年报栏目") || len(f.Looked) == 0 {
		t.Errorf("ReportAnnual(nothing) = %v (%s, looked %v), want fail naming the column and the URLs looked at", f.Status, f.Detail, f.Looked)
	}
}

func TestReportAnnual_BrokenColumn(t *testing.T) {
	u := "http://gov.example/col/col1/index.html"
	s := columnSnapshot("annual_report", "政府信息公开年报", u, &site.Page{URL: u, Status: 404})
	f := onlyStatus(t, ReportAnnual(s, testEnv()))
	if f.Status != Fail || !strings.Contains(f.Detail, "404") {
		t.Errorf("ReportAnnual(404 column) = %v (%s), want fail with the status", f.Status, f.Detail)
	}
}

// Before the 2019 report is due (31 January 2020) the 2018 report is judged.
func TestReportAnnual_BeforeDeadline(t *testing.T) {
	u := "http://gov.example/col/col1229105/index.html"
	p := withLinks(loadPage(t, "testdata/report.annual/fail_only_older_years.html", u))
	env := testEnv()
	env.AsOf = time.Date(2020, 1, 31, 10, 0, 0, 0, time.UTC)
	f := onlyStatus(t, ReportAnnual(columnSnapshot("annual_report", "政府信息公开年报", u, p), env))
	if f.Status != Pass || f.Subject != "annual_report:2018" || !strings.Contains(f.Detail, "尚未到期") {
		t.Errorf("ReportAnnual(as of 2020-01-31) = %v %s (%s), want pass on the 2018 report", f.Status, f.Subject, f.Detail)
	}
	// A config deadline of 03-31 (the county government's own report) makes a
	// report of 26 February on time.
	cfg := &config.Config{Thresholds: config.Thresholds{AnnualReportDeadline: "03-31"}}
	p = withLinks(loadPage(t, "testdata/report.annual/fail_late.html", u))
	env = testEnv()
	env.AsOf = time.Date(2020, 4, 2, 0, 0, 0, 0, time.UTC)
	env.Config = cfg
	f = onlyStatus(t, ReportAnnual(columnSnapshot("annual_report", "政府信息公开年报", u, p), env))
	if f.Status != Pass {
		t.Errorf("ReportAnnual(deadline 03-31) = %v (%s), want pass", f.Status, f.Detail)
	}
}

func TestReportAnnual_NotApplicable(t *testing.T) {
	for name, s := range map[string]*site.Snapshot{
		"unreachable": {UnitID: "u1", Entry: testEntry, Pages: []*site.Page{{URL: testEntry, Err: "dial tcp: connection refused"}}},
		"not fetched": columnSnapshot("annual_report", "政府信息公开年报", "http://gov.example/col/col7/index.html"),
	} {
		t.Run(name, func(t *testing.T) {
			f := onlyStatus(t, ReportAnnual(s, testEnv()))
			if f.Status != NA || f.Detail == "" {
				t.Errorf("ReportAnnual(%s) = %v (%q), want na with a reason", name, f.Status, f.Detail)
			}
		})
	}
}

func TestReportYear(t *testing.T) {
	for title, want := range map[string]int{
		"宁波市北仑区财政局2019年度政府信息公开工作年度报告": 2019,
		"二〇一九年政府信息公开工作年度报告":           2019,
		"政府信息公开工作年度报告（2019年）":         2019,
		"2019政府信息公开年报":                2019,
		"关于2020年1月20日发布2019年度报告的说明":   2019,
		"政府信息公开工作年度报告":                0,
		"索引号12019-0001 年度报告":          0,
	} {
		got, ok := reportYear(title)
		if !ok {
			got = 0
		}
		if got != want {
			t.Errorf("reportYear(%q) = %d, want %d", title, got, want)
		}
	}
}

func FuzzReportYear(f *testing.F) {
	for _, s := range []string{"2019年度报告", "二〇一九年", "（2019）", "2020年1月20日", "12019年"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if y, ok := reportYear(s); ok && (y < 2000 || y > 2100) {
			t.Errorf("reportYear(%q) = %d, out of range", s, y)
		}
		articleURLDate(s)
		isDocumentFile(s)
	})
}

// A report whose page answers 404 is not published.
func TestReportAnnual_BrokenReport(t *testing.T) {
	u := "http://gov.example/art/2020/1/20/art_1229105_41234.html"
	s := reportSnapshot("北仑区某局2019年度政府信息公开工作年度报告", &site.Page{URL: u, Status: 404})
	f := onlyStatus(t, ReportAnnual(s, testEnv()))
	if f.Status != Fail || f.URL != u || !strings.Contains(f.Detail, "404") {
		t.Errorf("ReportAnnual(404 report) = %v %s (%s), want fail on the report page", f.Status, f.URL, f.Detail)
	}
}

// A "2019年度" link in the 年报 column that leads straight to the report is
// the 2019 report; an empty 2019 sub-column is not.
func TestReportAnnual_YearLinkToReport(t *testing.T) {
	u := "http://gov.example/xxgk/xxgknb/index.html"
	col := htmlPage(u, `<html><body><div class="list"><a href="/xxgk/xxgknb/202001/t20200116_3.html">2019年度</a></div></body></html>`)
	body := strings.Repeat("<p>2019年，我局认真贯彻政府信息公开条例，主动公开政府信息，做好依申请公开答复工作，完善政府信息公开指南和目录。</p>", 8)
	rep := htmlPage("http://gov.example/xxgk/xxgknb/202001/t20200116_3.html", `<html><head><title>北仑区人民政府</title></head><body>`+body+`</body></html>`)
	f := onlyStatus(t, ReportAnnual(columnSnapshot("annual_report", "政府信息公开年报", u, col, rep), testEnv()))
	if f.Status != Pass || f.URL != rep.URL || !strings.Contains(f.Detail, "2020-01-16（据网址）") {
		t.Errorf("ReportAnnual(year link to report) = %v %s (%s), want pass on the report", f.Status, f.URL, f.Detail)
	}
	sub := htmlPage("http://gov.example/xxgk/xxgknb/202001/t20200116_3.html", `<html><body><h2>政府信息公开年报 2019年度</h2><p>暂无信息</p></body></html>`)
	f = onlyStatus(t, ReportAnnual(columnSnapshot("annual_report", "政府信息公开年报", u, col, sub), testEnv()))
	if f.Status != Fail {
		t.Errorf("ReportAnnual(empty year sub-column) = %v (%s), want fail", f.Status, f.Detail)
	}
}

// Short year links in the 年报 column: "2019年度报告" to an unfetched page,
// and "2019" to the report's PDF, are reports.
func TestReportAnnual_ShortYearLinks(t *testing.T) {
	u := "http://gov.example/xxgk/xxgknb/index.html"
	for name, link := range map[string]string{
		"2019年度报告": `<a href="/xxgk/xxgknb/202001/t20200116_3.html">2019年度报告</a>`,
		"2019 pdf": `<a href="/xxgk/xxgknb/202001/P020200116.pdf">2019</a>`,
	} {
		col := htmlPage(u, `<html><body><div class="list">`+link+`</div></body></html>`)
		f := onlyStatus(t, ReportAnnual(columnSnapshot("annual_report", "政府信息公开年报", u, col), testEnv()))
		if f.Status != Pass {
			t.Errorf("ReportAnnual(%s) = %v (%s), want pass", name, f.Status, f.Detail)
		}
	}
}
