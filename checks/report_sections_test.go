package checks

import (
	"strings"
	"testing"

	"gkaudit/config"
	"gkaudit/site"
)

const reportColumnURL = "http://gov.example/col/col1229105/index.html"

// reportSnapshot is a unit whose 年报 column lists one report, titled title,
// at rep.URL (fetched when rep has a body).
func reportSnapshot(title string, rep *site.Page) *site.Snapshot {
	col := htmlPage(reportColumnURL, `<html><body><ul class="list"><li><a href="`+rep.URL+`">`+title+`</a><span>2020-01-20</span></li></ul></body></html>`)
	pages := []*site.Page{col}
	if rep.Status != 0 || len(rep.Body) > 0 {
		pages = append(pages, rep)
	}
	return columnSnapshot("annual_report", "政府信息公开年报", reportColumnURL, pages...)
}

// sectionsMissing names, per failing fixture, what its detail must report.
var sectionsMissing = map[string]string{
	"fail_preamble_promises_parts": "缺少条例（2019）第五十条要求的内容：行政复议、行政诉讼情况、存在的主要问题及改进情况",
	"fail_no_other_matters_menu":   "内容：其他需要报告的事项",
	"na_attachment_only":           "附件",
	"pass_template_hanweb":         "国办模板六部分标题见到6个",
}

func TestReportSections_Fixtures(t *testing.T) {
	for _, fx := range fixtures(t, "report.sections") {
		t.Run(fx.name, func(t *testing.T) {
			u := "http://gov.example/art/2020/1/20/art_1229105_41234.html"
			p := withLinksFixture(t, fx.path, u)
			f := onlyStatus(t, ReportSections(reportSnapshot("北仑区某局2019年度政府信息公开工作年度报告", p), testEnv()))
			if f.Status != fx.want {
				t.Errorf("ReportSections(%s) = %v (%s), want %v", fx.name, f.Status, f.Detail, fx.want)
			}
			if want := sectionsMissing[fx.name]; !strings.Contains(f.Detail, want) {
				t.Errorf("ReportSections(%s) detail = %q, want it to contain %q", fx.name, f.Detail, want)
			}
			if f.URL != u || f.Subject != u {
				t.Errorf("ReportSections(%s) url, subject = %s, %s, want the report %s", fx.name, f.URL, f.Subject, u)
			}
			if fx.want != NA && f.Evidence.SHA256 != p.SHA256 {
				t.Errorf("ReportSections(%s) evidence = %+v, want the report page", fx.name, f.Evidence)
			}
		})
	}
}

func withLinksFixture(t *testing.T, path, u string) *site.Page {
	t.Helper()
	return withLinks(loadPage(t, path, u))
}

// The 2018 report (older format) must also cover 收费及减免; the assessment
// year comes from the config.
func TestReportSections_OlderFormat(t *testing.T) {
	u := "http://gov.example/art/2019/1/20/art_1229105_3.html"
	body := `<html><body><p>一、概述</p><p>2018年我局按照原条例开展政府信息公开工作。</p><p>二、主动公开政府信息的情况</p><p>全年公开信息80条。</p>` +
		`<p>三、依申请公开政府信息和不予公开政府信息的情况</p><p>收到申请1件。</p>` +
		`<p>四、因政府信息公开申请行政复议、提起行政诉讼的情况</p><p>无。</p><p>五、政府信息公开工作存在的主要问题及改进情况</p><p>培训不足。</p><p>六、其他需要报告的事项</p><p>无。</p></body></html>`
	env := testEnv()
	env.Config = &config.Config{Year: 2018}
	f := onlyStatus(t, ReportSections(reportSnapshot("北仑区某局2018年度政府信息公开工作年度报告", htmlPage(u, body)), env))
	if f.Status != Fail || !strings.Contains(f.Detail, "收费及减免") || !strings.Contains(f.Detail, "原条例（2008）") {
		t.Errorf("ReportSections(2018 without fees) = %v (%s), want fail naming 收费及减免", f.Status, f.Detail)
	}
	withFees := strings.Replace(body, "<p>六、", "<p>政府信息公开的收费及减免情况：本年度未收取费用。</p><p>六、", 1)
	f = onlyStatus(t, ReportSections(reportSnapshot("北仑区某局2018年度政府信息公开工作年度报告", htmlPage(u, withFees)), env))
	if f.Status != Pass {
		t.Errorf("ReportSections(2018 with fees) = %v (%s), want pass", f.Status, f.Detail)
	}
}

func TestReportSections_NotApplicable(t *testing.T) {
	u := "http://gov.example/art/2020/1/20/art_1229105_41234.html"
	for name, c := range map[string]struct {
		s    *site.Snapshot
		want string
	}{
		"unreachable": {&site.Snapshot{UnitID: "u1", Entry: testEntry, Pages: []*site.Page{{URL: testEntry, Err: "timeout"}}}, "入口页无法访问"},
		"no report":   {&site.Snapshot{UnitID: "u1", Entry: testEntry, Pages: []*site.Page{entryPage(testEntry)}}, "未找到2019年度"},
		"not fetched": {reportSnapshot("2019年度政府信息公开工作年度报告", &site.Page{URL: u}), "未抓取"},
		"pdf link":    {reportSnapshot("2019年度政府信息公开工作年度报告", &site.Page{URL: "http://gov.example/uploadfile/2020/nb2019.pdf"}), "附件"},
	} {
		t.Run(name, func(t *testing.T) {
			f := onlyStatus(t, ReportSections(c.s, testEnv()))
			if f.Status != NA || !strings.Contains(f.Detail, c.want) {
				t.Errorf("ReportSections(%s) = %v (%q), want na saying %q", name, f.Status, f.Detail, c.want)
			}
		})
	}
}

// A report page that does not open is not readable: na, with the status.
func TestReportSections_BrokenReport(t *testing.T) {
	u := "http://gov.example/art/2020/1/20/art_1229105_41234.html"
	f := onlyStatus(t, ReportSections(reportSnapshot("2019年度政府信息公开工作年度报告", &site.Page{URL: u, Status: 404}), testEnv()))
	if f.Status != NA || !strings.Contains(f.Detail, "404") {
		t.Errorf("ReportSections(404 report) = %v (%s), want na with the status", f.Status, f.Detail)
	}
}

func FuzzReportBody(f *testing.F) {
	f.Add(`<p>本报告包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况等部分。</p><p>二、主动公开</p>`)
	f.Add(`<div>公开方式：主动公开<br>四、行政复议</div>`)
	f.Fuzz(func(t *testing.T, body string) {
		p := &site.Page{URL: "http://gov.example/a.html", Status: 200, Body: []byte(body)}
		judgeReport(p, annualReport{URL: p.URL, Title: body}, 2019, testEnv(), nil)
		readableReport(&site.Snapshot{Pages: []*site.Page{p}}, annualReport{URL: p.URL})
	})
}
