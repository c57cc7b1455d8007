package checks

import (
	"strings"
	"testing"

	"gkaudit/config"
	"gkaudit/site"
)

// keyAreaFixture says which area each keyarea fixture is the column of.
var keyAreaFixture = map[string]struct{ area, name, detail string }{
	"pass_ul_budget_hanweb": {"budget", "财政预决算", "共列出3条信息"},
	"pass_table_law_gbk":    {"law_enforcement", "行政执法公示", "共列出2条信息"},
	"pass_cards_welfare":    {"public_welfare", "社会公益事业建设", "共列出2条信息"},
	"fail_empty_notice":     {"budget", "预决算公开", "重点领域“财政预决算”栏目（预决算公开）无内容"},
	"fail_empty_datastore":  {"major_projects", "重大建设项目批准和实施", "重点领域“重大建设项目”栏目（重大建设项目批准和实施）无内容"},
	"na_hanweb_proxy_only":  {"budget", "预决算公开", "未能判断：栏目列表由页面脚本分页加载"},
}

func areaEnv(areas ...string) Env {
	env := testEnv()
	env.Unit.KeyAreas = areas
	return env
}

func TestKeyArea_Fixtures(t *testing.T) {
	for _, fx := range fixtures(t, "keyarea") {
		t.Run(fx.name, func(t *testing.T) {
			a, ok := keyAreaFixture[fx.name]
			if !ok {
				t.Fatalf("fixture %s has no area", fx.name)
			}
			u := "http://gov.example/xxgk/area/index.html"
			p := withLinks(loadPage(t, fx.path, u))
			f := onlyStatus(t, KeyArea(columnSnapshot(KeyAreaPrefix+a.area, a.name, u, p), areaEnv(a.area)))
			if f.Status != fx.want {
				t.Errorf("KeyArea(%s) = %v (%s), want %v", fx.name, f.Status, f.Detail, fx.want)
			}
			if !strings.Contains(f.Detail, a.detail) {
				t.Errorf("KeyArea(%s) detail = %q, want it to contain %q", fx.name, f.Detail, a.detail)
			}
			if f.Check != KeyAreaPrefix+a.area || f.Subject != a.area || f.URL != u {
				t.Errorf("KeyArea(%s) = check %s subject %s url %s, want keyarea.%s, %s, %s", fx.name, f.Check, f.Subject, f.URL, a.area, a.area, u)
			}
			if f.Evidence.SHA256 != p.SHA256 {
				t.Errorf("KeyArea(%s) evidence = %+v, want the column page", fx.name, f.Evidence)
			}
		})
	}
}

// One finding per required area, from the config's key_areas by kind; a
// missing area names itself and the texts looked for.
func TestKeyArea_PerArea(t *testing.T) {
	u := "http://gov.example/xxgk/czyjs/index.html"
	p := withLinks(loadPage(t, "testdata/keyarea/pass_ul_budget_hanweb.html", u))
	s := columnSnapshot("keyarea.budget", "财政预决算", u, p)
	env := testEnv()
	env.Unit.Kind = config.KindStreet
	env.Config = &config.Config{
		KeyAreas: map[string][]string{config.KindStreet: {"budget", "public_welfare", "law_enforcement"}},
		Columns:  map[string][]string{"keyarea.public_welfare": {"社会公益事业", "公益事业"}},
	}
	fs := KeyArea(s, env)
	got := map[string]Finding{}
	for _, f := range fs {
		got[f.Check] = f
	}
	if len(fs) != 3 || got["keyarea.budget"].Status != Pass || got["keyarea.public_welfare"].Status != Fail || got["keyarea.law_enforcement"].Status != Fail {
		t.Fatalf("KeyArea(3 areas) = %+v, want budget pass, public_welfare and law_enforcement fail", fs)
	}
	if d := got["keyarea.public_welfare"].Detail; !strings.Contains(d, "社会公益事业") || !strings.Contains(d, "公益事业") {
		t.Errorf("KeyArea(public_welfare) detail = %q, want the area and its synonyms", d)
	}
	if got["keyarea.law_enforcement"].Subject != "law_enforcement" {
		t.Errorf("KeyArea(law_enforcement) subject = %q, want law_enforcement", got["keyarea.law_enforcement"].Subject)
	}
}

// A 财政预决算 column that only links its sub-columns (部门预算, 部门决算, a
// year) is not empty when they list items; when they are empty it is.
func TestKeyArea_SubColumns(t *testing.T) {
	u := "http://gov.example/col/col100/index.html"
	col := htmlPage(u, `<html><body><div class="sub"><a href="/col/col101/index.html">部门预算</a> <a href="/col/col102/index.html">部门决算</a> <a href="/col/col103/index.html">2019年</a></div></body></html>`)
	empty := func(u string) *site.Page { return htmlPage(u, `<html><body><p>暂无信息</p></body></html>`) }
	withItem := htmlPage("http://gov.example/col/col103/index.html", `<html><body><ul><li><a href="/art/2019/2/1/art_103_1.html">2019年区教育局部门预算</a><span>2019-02-01</span></li></ul></body></html>`)
	s := columnSnapshot("keyarea.budget", "财政预决算", u, col, empty("http://gov.example/col/col101/index.html"), empty("http://gov.example/col/col102/index.html"), withItem)
	f := onlyStatus(t, KeyArea(s, areaEnv("budget")))
	if f.Status != Pass || len(f.Looked) != 4 {
		t.Errorf("KeyArea(sub-columns with an item) = %v (%s, looked %v), want pass after the column and 3 sub-columns", f.Status, f.Detail, f.Looked)
	}
	s = columnSnapshot("keyarea.budget", "财政预决算", u, col, empty("http://gov.example/col/col101/index.html"), empty("http://gov.example/col/col102/index.html"), empty("http://gov.example/col/col103/index.html"))
	f = onlyStatus(t, KeyArea(s, areaEnv("budget")))
	if f.Status != Fail {
		t.Errorf("KeyArea(empty sub-columns) = %v (%s), want fail", f.Status, f.Detail)
	}
}

// Budget items none of which is of the assessment year pass, with a note.
func TestKeyArea_BudgetYearNote(t *testing.T) {
	u := "http://gov.example/col/col100/index.html"
	col := htmlPage(u, `<html><body><ul><li><a href="/art/2017/2/1/art_100_1.html">区教育局2017年部门预算</a><span>2017-02-01</span></li></ul></body></html>`)
	f := onlyStatus(t, KeyArea(columnSnapshot("keyarea.budget", "财政预决算", u, col), areaEnv("budget")))
	if f.Status != Pass || !strings.Contains(f.Detail, "未见2019年发布的预决算信息") {
		t.Errorf("KeyArea(old budget) = %v (%s), want pass with a note", f.Status, f.Detail)
	}
}

func TestKeyArea_NotApplicable(t *testing.T) {
	u := "http://gov.example/col/col100/index.html"
	for name, c := range map[string]struct {
		s    *site.Snapshot
		want Status
	}{
		"unreachable": {&site.Snapshot{UnitID: "u1", Entry: testEntry, Pages: []*site.Page{{URL: testEntry, Err: "no such host"}}}, NA},
		"not fetched": {columnSnapshot("keyarea.budget", "财政预决算", u), NA},
		"404":         {columnSnapshot("keyarea.budget", "财政预决算", u, &site.Page{URL: u, Status: 404}), Fail},
	} {
		t.Run(name, func(t *testing.T) {
			f := onlyStatus(t, KeyArea(c.s, areaEnv("budget")))
			if f.Status != c.want || f.Detail == "" || f.Check != "keyarea.budget" {
				t.Errorf("KeyArea(%s) = %v %s (%q), want %v with a reason", name, f.Status, f.Check, f.Detail, c.want)
			}
		})
	}
	if fs := KeyArea(columnSnapshot("keyarea.budget", "财政预决算", u), areaEnv()); len(fs) != 0 {
		t.Errorf("KeyArea(no areas required) = %+v, want no findings", fs)
	}
}

// A menu link of the site (chrome) is not a sub-column, even when its text
// holds an area word and its page lists items; the same link in the
// column's content is.
func TestKeyArea_MenuLinkNotSubColumn(t *testing.T) {
	u := "http://gov.example/col/col100/index.html"
	other := htmlPage("http://gov.example/col/col900/index.html", `<html><body><ul><li><a href="/art/2019/5/1/art_900_1.html">2019年全区一般公共预算执行情况</a><span>2019-05-01</span></li></ul></body></html>`)
	inMenu := htmlPage(u, `<html><body><div class="menu"><a href="/col/col900/index.html">预算执行</a></div><div class="list"><p>暂无信息</p></div></body></html>`)
	f := onlyStatus(t, KeyArea(columnSnapshot("keyarea.budget", "财政预决算", u, inMenu, other), areaEnv("budget")))
	if f.Status != Fail {
		t.Errorf("KeyArea(menu link) = %v (%s), want fail", f.Status, f.Detail)
	}
	inContent := htmlPage(u, `<html><body><div class="list"><a href="/col/col900/index.html">预算执行</a></div></body></html>`)
	f = onlyStatus(t, KeyArea(columnSnapshot("keyarea.budget", "财政预决算", u, inContent, other), areaEnv("budget")))
	if f.Status != Pass {
		t.Errorf("KeyArea(content link) = %v (%s), want pass", f.Status, f.Detail)
	}
}
