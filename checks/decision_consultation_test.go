package checks

import (
	"strings"
	"testing"

	"gkaudit/site"
)

// consultDetail names, per fixture, what its detail must say.
var consultDetail = map[string]string{
	"pass_ul_hanweb":            "2019年发布征求意见类信息2条",
	"pass_table_gbk":            "2019-11-20",
	"pass_cards_dates_in_spans": "2019-08-12",
	"fail_only_other_years":     "最新一条《关于《白峰街道河道保洁管理办法（征求意见稿）》公开征求意见的公告》发布于2020-02-10",
	"fail_empty_column":         "征求意见栏目无内容",
}

func TestDecisionConsultation_Fixtures(t *testing.T) {
	for _, fx := range fixtures(t, "decision.consultation") {
		t.Run(fx.name, func(t *testing.T) {
			u := "http://gov.example/xxgk/zjyj/index.html"
			p := withLinks(loadPage(t, fx.path, u))
			f := onlyStatus(t, DecisionConsultation(columnSnapshot("consultation", "征求意见", u, p), testEnv()))
			if f.Status != fx.want {
				t.Errorf("DecisionConsultation(%s) = %v (%s), want %v", fx.name, f.Status, f.Detail, fx.want)
			}
			if want := consultDetail[fx.name]; !strings.Contains(f.Detail, want) {
				t.Errorf("DecisionConsultation(%s) detail = %q, want it to contain %q", fx.name, f.Detail, want)
			}
			if f.Status == Fail && (f.URL != u || f.Evidence.SHA256 != p.SHA256) {
				t.Errorf("DecisionConsultation(%s) = url %s evidence %+v, want the column page", fx.name, f.URL, f.Evidence)
			}
		})
	}
}

// A 征求意见 notice under 通知公告 counts when the unit has no consultation
// column; the 意见征集 menu link to the district platform does not.
func TestDecisionConsultation_ItemElsewhere(t *testing.T) {
	notice := htmlPage("http://gov.example/xxgk/tzgg/index.html", `<html><body><ul>`+
		`<li><a href="/xxgk/tzgg/201910/t20191009_5.html">关于公开征求《北仑区住宅小区物业管理实施办法（征求意见稿）》意见的通知</a><span>2019-10-09</span></li>`+
		`<li><a href="/xxgk/tzgg/201909/t20190901_4.html">关于国庆节期间值班安排的通知</a><span>2019-09-01</span></li></ul></body></html>`)
	s := columnSnapshot("notice", "通知公告", notice.URL, notice)
	s.Pages[0].Links = append(s.Pages[0].Links, site.Link{URL: "http://www.example.gov.cn/hdjl/yjzj/", Text: "意见征集"})
	f := onlyStatus(t, DecisionConsultation(s, testEnv()))
	if f.Status != Pass || !strings.Contains(f.Detail, "2019-10-09") {
		t.Errorf("DecisionConsultation(item under 通知公告) = %v (%s), want pass", f.Status, f.Detail)
	}
	s = columnSnapshot("notice", "通知公告", notice.URL, htmlPage(notice.URL, `<html><body><ul><li><a href="/xxgk/tzgg/201909/t20190901_4.html">关于国庆节期间值班安排的通知</a><span>2019-09-01</span></li></ul></body></html>`))
	s.Pages[0].Links = append(s.Pages[0].Links, site.Link{URL: "http://www.example.gov.cn/hdjl/yjzj/", Text: "意见征集"})
	f = onlyStatus(t, DecisionConsultation(s, testEnv()))
	if f.Status != Fail || !strings.Contains(f.Detail, "未找到征求意见") {
		t.Errorf("DecisionConsultation(no column, no item) = %v (%s), want fail", f.Status, f.Detail)
	}
}

// The 2019 item on the column's second page counts; undated items are na.
func TestDecisionConsultation_PagesAndDates(t *testing.T) {
	u := "http://gov.example/xxgk/zjyj/index.html"
	first := htmlPage(u, `<html><body><ul><li><a href="/xxgk/zjyj/202002/t20200201_9.html">关于《北仑区河长制管理办法》修订草案公开征求意见的公告</a><span>2020-02-01</span></li></ul>`+
		`<div class="page"><a href="index_1.html">下一页</a></div></body></html>`)
	second := htmlPage("http://gov.example/xxgk/zjyj/index_1.html", `<html><body><ul><li><a href="/xxgk/zjyj/201905/t20190507_3.html">关于公开征求北仑区公共文化服务设施布局规划意见的公告</a><span>2019-05-07</span></li></ul></body></html>`)
	f := onlyStatus(t, DecisionConsultation(columnSnapshot("consultation", "征求意见", u, first, second), testEnv()))
	if f.Status != Pass || !strings.Contains(f.Detail, "2019-05-07") {
		t.Errorf("DecisionConsultation(second page) = %v (%s), want pass on the 2019 item", f.Status, f.Detail)
	}
	undated := htmlPage(u, `<html><body><ul><li><a href="/xxgk/zjyj/show.aspx?id=12">关于公开征求北仑区公共文化服务设施布局规划意见的公告</a></li></ul></body></html>`)
	f = onlyStatus(t, DecisionConsultation(columnSnapshot("consultation", "征求意见", u, undated), testEnv()))
	if f.Status != NA || !strings.Contains(f.Detail, "无法确定发布日期") {
		t.Errorf("DecisionConsultation(undated) = %v (%s), want na", f.Status, f.Detail)
	}
	// The item's own page gives its date.
	art := htmlPage("http://gov.example/xxgk/zjyj/show.aspx?id=12", `<html><body><h1>关于公开征求北仑区公共文化服务设施布局规划意见的公告</h1><p>发布时间：2019-05-07 09:00</p></body></html>`)
	f = onlyStatus(t, DecisionConsultation(columnSnapshot("consultation", "征求意见", u, undated, art), testEnv()))
	if f.Status != Pass {
		t.Errorf("DecisionConsultation(dated by page) = %v (%s), want pass", f.Status, f.Detail)
	}
}

func TestDecisionConsultation_NotApplicable(t *testing.T) {
	for name, s := range map[string]*site.Snapshot{
		"unreachable": {UnitID: "u1", Entry: testEntry, Pages: []*site.Page{{URL: testEntry, Status: 503}}},
		"not fetched": columnSnapshot("consultation", "征求意见", "http://gov.example/xxgk/zjyj/index.html"),
	} {
		t.Run(name, func(t *testing.T) {
			f := onlyStatus(t, DecisionConsultation(s, testEnv()))
			if f.Status != NA || f.Detail == "" {
				t.Errorf("DecisionConsultation(%s) = %v (%q), want na with a reason", name, f.Status, f.Detail)
			}
		})
	}
}

func TestDecisionConsultation_BrokenColumn(t *testing.T) {
	u := "http://gov.example/xxgk/zjyj/index.html"
	f := onlyStatus(t, DecisionConsultation(columnSnapshot("consultation", "征求意见", u, &site.Page{URL: u, Status: 500}), testEnv()))
	if f.Status != Fail || !strings.Contains(f.Detail, "500") {
		t.Errorf("DecisionConsultation(500 column) = %v (%s), want fail with the status", f.Status, f.Detail)
	}
}
