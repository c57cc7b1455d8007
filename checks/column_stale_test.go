package checks

import (
	"strings"
	"testing"

	"gkaudit/config"
	"gkaudit/site"
)

const staleColumnURL = "http://gov.example/xxgk/lm/index.html"

// staleKinds gives the column kind of each fixture, by the word in its name.
var staleKinds = map[string]string{"notice": "notice", "empty_list": "notice", "news": "news", "plan": "plan", "personnel": "personnel", "policy": "policy"}

// staleNewest is the newest date the detail of each failing fixture names.
var staleNewest = map[string]string{
	"fail_notice_table":        "2019-07-30",
	"fail_news_cards":          "2020-01-20",
	"fail_plan_dl":             "2018-12-20",
	"fail_personnel_datastore": "2018-10-12",
}

func staleSnapshot(kind string, col *site.Page, more ...*site.Page) *site.Snapshot {
	entry := htmlPage(testEntry, `<html><body><ul><li><a href="`+col.URL+`">栏目</a></li></ul></body></html>`)
	return &site.Snapshot{UnitID: "u1", Entry: testEntry, Pages: append([]*site.Page{entry, withLinks(col)}, more...),
		Columns: []site.Column{{Kind: kind, Name: "栏目", URL: col.URL, Source: "link", From: testEntry}}}
}

func TestColumnStale_Fixtures(t *testing.T) {
	for _, fx := range fixtures(t, "column.stale") {
		t.Run(fx.name, func(t *testing.T) {
			kind := ""
			for word, k := range staleKinds {
				if strings.Contains(fx.name, word) {
					kind = k
				}
			}
			if kind == "" {
				t.Fatalf("fixture %s names no column kind", fx.name)
			}
			p := loadPage(t, fx.path, staleColumnURL)
			f := onlyStatus(t, ColumnStale(staleSnapshot(kind, p), testEnv()))
			if f.Status != fx.want {
				t.Errorf("ColumnStale(%s) = %v (%s), want %v", fx.name, f.Status, f.Detail, fx.want)
			}
			if want, ok := staleNewest[fx.name]; ok && !strings.Contains(f.Detail, want) {
				t.Errorf("ColumnStale(%s) detail = %q, want it to name the newest date %s", fx.name, f.Detail, want)
			}
			if f.Subject != staleColumnURL || (fx.want != NA && f.Evidence.SHA256 != p.SHA256) {
				t.Errorf("ColumnStale(%s) subject, evidence = %s, %+v; want the column page", fx.name, f.Subject, f.Evidence)
			}
		})
	}
}

// Ensure that the limits come from the config: a 7-day news limit fails a
// column whose newest item is 10 days old, the default 14 days passes it.
func TestColumnStale_ConfigLimit(t *testing.T) {
	col := htmlPage(staleColumnURL, `<html><body><ul><li><a href="/a/1.html">示范局召开党风廉政建设工作会议</a><span>2020-02-20</span></li></ul></body></html>`)
	if f := onlyStatus(t, ColumnStale(staleSnapshot("news", col), testEnv())); f.Status != Pass {
		t.Errorf("ColumnStale(10 days, default 14) = %v (%s), want pass", f.Status, f.Detail)
	}
	env := testEnv()
	env.Config = &config.Config{Thresholds: config.Thresholds{StaleDays: map[string]int{"news": 7}}}
	if f := onlyStatus(t, ColumnStale(staleSnapshot("news", col), env)); f.Status != Fail || !strings.Contains(f.Detail, "7 天") {
		t.Errorf("ColumnStale(10 days, limit 7) = %v (%s), want fail naming the limit", f.Status, f.Detail)
	}
	env.Config.Thresholds.StaleDays = map[string]int{"notice": 180}
	if f := onlyStatus(t, ColumnStale(staleSnapshot("news", col), env)); f.Status != NA {
		t.Errorf("ColumnStale(news not limited) = %v (%s), want na: no column to judge", f.Status, f.Detail)
	}
}

// Ensure that a list without dates falls back to the 发布日期 of the item
// pages, and that items that show no date anywhere count as not updated.
func TestColumnStale_DatesOnItemPages(t *testing.T) {
	col := htmlPage(staleColumnURL, `<html><body><ul class="list">
<li><a href="/xxgk/tzgg/a1.html">关于开展2020年度消防安全检查工作的通知</a></li>
<li><a href="/xxgk/tzgg/a2.html">关于做好2019年度档案整理工作的通知</a></li></ul></body></html>`)
	article := func(u, meta string) *site.Page {
		return htmlPage(u, `<html><body><h1>通知</h1><div class="info">`+meta+`</div><div class="TRS_Editor"><p>各科室：现将有关事项通知如下。</p></div></body></html>`)
	}
	fresh := []*site.Page{article("http://gov.example/xxgk/tzgg/a1.html", "发布日期：2020-01-06　来源：办公室"), article("http://gov.example/xxgk/tzgg/a2.html", "发布时间：2019年11月02日")}
	f := onlyStatus(t, ColumnStale(staleSnapshot("notice", col, fresh...), testEnv()))
	if f.Status != Pass || !strings.Contains(f.Detail, "2020-01-06") || f.Evidence.URL != fresh[0].URL {
		t.Errorf("ColumnStale(dates on item pages) = %v (%s, evidence %s), want pass by 2020-01-06 with the item page as evidence", f.Status, f.Detail, f.Evidence.URL)
	}
	undated := []*site.Page{article("http://gov.example/xxgk/tzgg/a1.html", "来源：办公室"), article("http://gov.example/xxgk/tzgg/a2.html", "")}
	f = onlyStatus(t, ColumnStale(staleSnapshot("notice", col, undated...), testEnv()))
	if f.Status != Fail || !strings.Contains(f.Detail, "未显示发布日期") {
		t.Errorf("ColumnStale(no dates anywhere) = %v (%s), want fail: no date counts as not updated", f.Status, f.Detail)
	}
	f = onlyStatus(t, ColumnStale(staleSnapshot("notice", col), testEnv()))
	if f.Status != NA {
		t.Errorf("ColumnStale(no dates, item pages not fetched) = %v (%s), want na", f.Status, f.Detail)
	}
}

func TestColumnStale_NotApplicable(t *testing.T) {
	for name, s := range map[string]*site.Snapshot{
		"unreachable": {UnitID: "u1", Entry: testEntry, Pages: []*site.Page{{URL: testEntry, Status: 503, Attempts: 3}}},
		"no columns":  {UnitID: "u1", Entry: testEntry, Pages: []*site.Page{entryPage(testEntry)}},
		"not fetched": {UnitID: "u1", Entry: testEntry, Pages: []*site.Page{entryPage(testEntry)},
			Columns: []site.Column{{Kind: "notice", Name: "通知公告", URL: "http://gov.example/xxgk/tzgg/index.html"}}},
		"broken": {UnitID: "u1", Entry: testEntry, Pages: []*site.Page{entryPage(testEntry), {URL: "http://gov.example/xxgk/tzgg/index.html", Status: 404}},
			Columns: []site.Column{{Kind: "notice", Name: "通知公告", URL: "http://gov.example/xxgk/tzgg/index.html"}}},
	} {
		t.Run(name, func(t *testing.T) {
			f := onlyStatus(t, ColumnStale(s, testEnv()))
			if f.Status != NA || f.Detail == "" {
				t.Errorf("ColumnStale(%s) = %v (%q), want na with a reason", name, f.Status, f.Detail)
			}
		})
	}
}
