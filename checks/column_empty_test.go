package checks

import (
	"strings"
	"testing"

	"gkaudit/config"
	"gkaudit/site"
)

const emptyColumnURL = "http://gov.example/xxgk/czyjs/index.html"

// emptyEntry is a 信息公开 entry page whose column menu the fixtures' sidebars
// repeat.
const emptyEntry = `<html><body><h1>政府信息公开</h1><div class="menu-box"><ul>
<li><a href="/xxgk/jgzn/index.html">机构职能</a></li><li><a href="/xxgk/zcwj/index.html">政策文件</a></li>
<li><a href="/xxgk/tzgg/index.html">通知公告</a></li><li><a href="/xxgk/czyjs/index.html">预决算公开</a></li></ul></div>
<div class="footer">主办：北仑区示范局</div></body></html>`

// siblingPage is another column page carrying the same sidebar.
const siblingPage = `<html><body><div class="lm_left"><ul><li><a href="/xxgk/jgzn/index.html">机构职能</a></li>
<li><a href="/xxgk/zcwj/index.html">政策文件</a></li><li><a href="/xxgk/tzgg/index.html">通知公告</a></li>
<li><a href="/xxgk/czyjs/index.html">预决算公开</a></li></ul></div>
<ul class="list"><li><a href="/xxgk/zcwj/202001/t20200110_1.html">关于印发北仑区示范局2020年工作要点的通知</a><span>2020-01-10</span></li></ul></body></html>`

// emptySnapshot is a unit whose entry maps one column, col, of the given
// kind; more pages may be added.
func emptySnapshot(col *site.Page, kind string, more ...*site.Page) *site.Snapshot {
	entry := htmlPage(testEntry, emptyEntry)
	s := &site.Snapshot{UnitID: "u1", Entry: testEntry,
		Pages:   append([]*site.Page{entry, withLinks(col), htmlPage("http://gov.example/xxgk/zcwj/index.html", siblingPage)}, more...),
		Columns: []site.Column{{Kind: kind, Name: "预决算公开", URL: col.URL, Source: "link", From: testEntry}}}
	return s
}

func TestColumnEmpty_Fixtures(t *testing.T) {
	for _, fx := range fixtures(t, "column.empty") {
		t.Run(fx.name, func(t *testing.T) {
			p := loadPage(t, fx.path, emptyColumnURL)
			f := onlyStatus(t, ColumnEmpty(emptySnapshot(p, "keyarea.budget"), testEnv()))
			if f.Status != fx.want {
				t.Errorf("ColumnEmpty(%s) = %v (%s), want %v", fx.name, f.Status, f.Detail, fx.want)
			}
			if fx.want == Fail && (f.Subject != emptyColumnURL || f.Evidence.SHA256 != p.SHA256 || !strings.Contains(f.Detail, "预决算公开")) {
				t.Errorf("ColumnEmpty(%s) = %+v, want the column as subject and evidence, named in the detail", fx.name, f)
			}
		})
	}
}

// Ensure that a column listed on later pages only is not empty, and that an
// empty list page with an empty next page still is.
func TestColumnEmpty_Pagination(t *testing.T) {
	first := htmlPage(emptyColumnURL, `<html><body><div class="lm_right"><h2>预决算公开</h2><ul></ul>
<div class="page"><a href="index_1.html">下一页</a><a href="index_1.html">尾页</a></div></div></body></html>`)
	second := htmlPage("http://gov.example/xxgk/czyjs/index_1.html", `<html><body><ul>
<li><a href="./201912/t20191220_9.html">北仑区示范局2018年度部门决算公开说明</a><span>2019-12-20</span></li></ul></body></html>`)
	f := onlyStatus(t, ColumnEmpty(emptySnapshot(first, "keyarea.budget", second), testEnv()))
	if f.Status != Pass {
		t.Errorf("ColumnEmpty(items on page 2) = %v (%s), want pass", f.Status, f.Detail)
	}
	blank := htmlPage("http://gov.example/xxgk/czyjs/index_1.html", `<html><body><ul></ul><p>暂无数据</p></body></html>`)
	f = onlyStatus(t, ColumnEmpty(emptySnapshot(first, "keyarea.budget", blank), testEnv()))
	if f.Status != Fail || !strings.Contains(f.Detail, "暂无数据") || len(f.Looked) != 2 {
		t.Errorf("ColumnEmpty(both pages empty) = %v (%s, looked %v), want fail naming the marker, both pages looked at", f.Status, f.Detail, f.Looked)
	}
}

// Ensure that an unmapped column of the entry's column menu (统计信息 sits
// there beside the mapped columns with no kind of its own) is judged too.
func TestColumnEmpty_MenuSibling(t *testing.T) {
	entry := htmlPage(testEntry, `<html><body><ul class="tree">
<li><a href="/xxgk/zcwj/index.html">政策文件</a></li><li><a href="/xxgk/tzgg/index.html">通知公告</a></li>
<li><a href="/xxgk/ghjh/index.html">规划计划</a></li><li><a href="/xxgk/tjxx/index.html">统计信息</a></li></ul>
<ul class="news"><li><a href="/xxgk/gzdt/202002/t20200220_1.html">北仑区示范局召开2020年度工作部署会议</a><span>2020-02-20</span></li></ul></body></html>`)
	list := func(u string) *site.Page {
		return htmlPage(u, `<html><body><ul><li><a href="`+u+`t1.html">北仑区示范局关于年度重点工作的通知文件</a><span>2020-01-02</span></li></ul></body></html>`)
	}
	stats := htmlPage("http://gov.example/xxgk/tjxx/index.html", `<html><body><h2>统计信息</h2><ul class="list"></ul><div class="nodata">暂无相关信息</div></body></html>`)
	s := &site.Snapshot{UnitID: "u1", Entry: testEntry, Pages: []*site.Page{entry,
		list("http://gov.example/xxgk/zcwj/index.html"), list("http://gov.example/xxgk/tzgg/index.html"), list("http://gov.example/xxgk/ghjh/index.html"), stats}}
	for _, c := range []struct{ kind, name, path string }{{"policy", "政策文件", "zcwj"}, {"notice", "通知公告", "tzgg"}, {"plan", "规划计划", "ghjh"}} {
		s.Columns = append(s.Columns, site.Column{Kind: c.kind, Name: c.name, URL: "http://gov.example/xxgk/" + c.path + "/index.html", Source: "link", From: testEntry})
	}
	f := onlyStatus(t, ColumnEmpty(s, testEnv()))
	if f.Status != Fail || f.Subject != stats.URL || !strings.Contains(f.Detail, "统计信息") {
		t.Errorf("ColumnEmpty(unmapped menu sibling) = %v %s (%s), want fail on 统计信息", f.Status, f.Subject, f.Detail)
	}
}

// Ensure that what is not a column of the unit is not judged: the entry page,
// a page that answers 404 (link.broken's), an article that the crawler mapped
// by a column word in its title, another unit's entry.
func TestColumnEmpty_NotColumns(t *testing.T) {
	other := "http://gov.example/col/col999/index.html"
	article := htmlPage("http://gov.example/xxgk/ghjh/201906/t20190630_5.html", `<html><body><h1>北仑区示范局2019年工作计划</h1></body></html>`)
	col := htmlPage(emptyColumnURL, `<html><body><ul><li><a href="/xxgk/ghjh/201906/t20190630_5.html">北仑区示范局2019年工作计划</a><span>2019-06-30</span></li></ul></body></html>`)
	broken := &site.Page{URL: "http://gov.example/xxgk/rsxx/index.html", FinalURL: "http://gov.example/xxgk/rsxx/index.html", Status: 404, Attempts: 1}
	s := emptySnapshot(col, "keyarea.budget", article, broken, htmlPage(other, `<html><body><h1>退役军人事务局</h1></body></html>`))
	s.Columns = append(s.Columns,
		site.Column{Kind: "plan", Name: "北仑区示范局2019年工作计划", URL: article.URL, Source: "link", From: col.URL},
		site.Column{Kind: "personnel", Name: "人事信息", URL: broken.URL, Source: "link", From: testEntry},
		site.Column{Kind: "personnel", Name: "退役军人事务局", URL: other, Source: "link", From: testEntry},
		site.Column{Kind: "statutory", Name: "信息公开", URL: testEntry, Source: "breadcrumb", From: testEntry})
	env := testEnv()
	env.Config = &config.Config{Units: []config.Unit{env.Unit, {ID: "veterans", URL: other}}}
	f := onlyStatus(t, ColumnEmpty(s, env))
	if f.Status != Pass || !strings.Contains(f.Detail, "已检查 1 个栏目") || !strings.Contains(f.Detail, "人事信息") {
		t.Errorf("ColumnEmpty(not columns) = %v (%s), want pass over the one real column, naming the broken one", f.Status, f.Detail)
	}
}

func TestColumnEmpty_NotApplicable(t *testing.T) {
	for name, s := range map[string]*site.Snapshot{
		"unreachable": {UnitID: "u1", Entry: testEntry, Pages: []*site.Page{{URL: testEntry, Err: "dial tcp: i/o timeout"}}},
		"no columns":  {UnitID: "u1", Entry: testEntry, Pages: []*site.Page{entryPage(testEntry)}},
		"not fetched": {UnitID: "u1", Entry: testEntry, Pages: []*site.Page{entryPage(testEntry)},
			Columns: []site.Column{{Kind: "notice", Name: "通知公告", URL: "http://gov.example/xxgk/tzgg/index.html"}}},
	} {
		t.Run(name, func(t *testing.T) {
			f := onlyStatus(t, ColumnEmpty(s, testEnv()))
			if f.Status != NA || f.Detail == "" {
				t.Errorf("ColumnEmpty(%s) = %v (%q), want na with a reason", name, f.Status, f.Detail)
			}
		})
	}
}

// Ensure that a column page that mentions 没有相关信息 in a sentence is not a
// marker, and that markers are configurable.
func TestEmptyListMarker(t *testing.T) {
	markers := columnEmptyTerms["column.empty.markers"]
	for _, tt := range []struct {
		texts []string
		want  string
	}{
		{[]string{"预决算公开", "暂无信息！"}, "暂无信息"},
		{[]string{"共 0 条记录 第1/1页"}, "共0条"},
		{[]string{"总记录数：0"}, "总记录数：0"},
		{[]string{"共10条记录"}, ""},
		{[]string{"所申请公开的信息不存在或者本机关经检索没有相关信息的，告知申请人该政府信息不存在"}, ""},
	} {
		if got := emptyListMarker(tt.texts, nil, markers); got != tt.want {
			t.Errorf("emptyListMarker(%q) = %q, want %q", tt.texts, got, tt.want)
		}
	}
	if got := emptyListMarker([]string{"信息待补充"}, nil, []string{"信息待补充"}); got != "信息待补充" {
		t.Errorf("emptyListMarker(custom marker) = %q, want it found", got)
	}
}
