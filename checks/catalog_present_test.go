package checks

import (
	"strings"
	"testing"

	"gkaudit/site"
)

const catalogURL = "http://gov.example/xxgk/gkml/index.html"

// catalogSnapshot is a unit whose entry links to the given pages as its
// 政府信息公开目录, plus any other pages.
func catalogSnapshot(catalog *site.Page, others ...*site.Page) *site.Snapshot {
	s := &site.Snapshot{UnitID: "u1", Entry: testEntry}
	link := site.Link{URL: catalog.URL, Text: "政府信息公开目录"}
	s.Columns = append(s.Columns, site.Column{Kind: "catalog", Name: link.Text, URL: catalog.URL, Source: "link", From: testEntry})
	s.Pages = append([]*site.Page{entryPage(testEntry, link), catalog}, others...)
	return s
}

// fixturePage is a fetched page with the given body.
func fixturePage(url, body string) *site.Page {
	return &site.Page{URL: url, FinalURL: url, Status: 200, ContentType: "text/html", Body: []byte("<html><body>" + body + "</body></html>"), Attempts: 1}
}

func TestCatalogPresent_Fixtures(t *testing.T) {
	for _, fx := range fixtures(t, "catalog.present") {
		t.Run(fx.name, func(t *testing.T) {
			p := loadPage(t, fx.path, catalogURL)
			f := onlyStatus(t, CatalogPresent(catalogSnapshot(p), testEnv()))
			if f.Status != fx.want {
				t.Errorf("CatalogPresent(%s) = %v (%s), want %v", fx.name, f.Status, f.Detail, fx.want)
			}
			if f.Evidence.SHA256 != p.SHA256 {
				t.Errorf("CatalogPresent(%s) evidence = %+v, want the catalogue page", fx.name, f.Evidence)
			}
		})
	}
}

// Ensure that a catalogue that is an index of sub-columns passes when a
// sub-column lists items, and that a side bar is not taken for its tree.
func TestCatalogPresent_SubColumnTree(t *testing.T) {
	tree := fixturePage(catalogURL, `<div class="sidebar"><a href="/xxgk/gzdt/index.html">工作动态</a></div>
		<div class="content"><h2>政府信息公开目录</h2><ul class="tree"><li><a href="/xxgk/gkml/jgxx/index.html">机构信息</a></li><li><a href="/xxgk/gkml/zcwj/index.html">政策文件</a></li></ul></div>`)
	jgxx := fixturePage("http://gov.example/xxgk/gkml/jgxx/index.html", `<div class="content"><p>暂无信息</p></div>`)
	zcwj := fixturePage("http://gov.example/xxgk/gkml/zcwj/index.html", `<div class="content"><ul><li><a href="/xxgk/gkml/zcwj/201905/t1.html">关于印发北仑区养老服务补贴管理办法的通知</a><span>2019-05-06</span></li></ul></div>`)
	gzdt := fixturePage("http://gov.example/xxgk/gzdt/index.html", `<ul><li><a href="/xxgk/gzdt/1.html">区民政局召开养老服务工作推进会</a> 2019-06-01</li></ul>`)
	f := onlyStatus(t, CatalogPresent(catalogSnapshot(tree, jgxx, zcwj, gzdt), testEnv()))
	if f.Status != Pass || !strings.Contains(f.Detail, "政策文件") {
		t.Errorf("CatalogPresent(tree) = %v (%s), want pass through 政策文件", f.Status, f.Detail)
	}
	for _, u := range f.Looked {
		if strings.Contains(u, "gzdt") {
			t.Errorf("CatalogPresent(tree) looked at %s, want the side bar left alone", u)
		}
	}

	// The same tree whose sub-columns list nothing: the side bar's column
	// must not make the catalogue pass.
	empty := fixturePage(zcwj.URL, `<div class="content"><p>暂无数据</p></div>`)
	f = onlyStatus(t, CatalogPresent(catalogSnapshot(tree, jgxx, empty, gzdt), testEnv()))
	if f.Status != Fail {
		t.Errorf("CatalogPresent(empty tree) = %v (%s), want fail", f.Status, f.Detail)
	}
}

// Ensure that 法定主动公开内容 counts as the catalogue.
func TestCatalogPresent_Statutory(t *testing.T) {
	p := fixturePage(catalogURL, `<ul><li><a href="/a/1.html">北仑区民政局2019年部门预算</a><span>2019-02-01</span></li></ul>`)
	s := catalogSnapshot(p)
	s.Columns[0].Kind, s.Columns[0].Name = "statutory", "法定主动公开内容"
	if f := onlyStatus(t, CatalogPresent(s, testEnv())); f.Status != Pass {
		t.Errorf("CatalogPresent(statutory) = %v (%s), want pass", f.Status, f.Detail)
	}
}

func TestCatalogPresent_Missing(t *testing.T) {
	s := &site.Snapshot{UnitID: "u1", Entry: testEntry, Pages: []*site.Page{entryPage(testEntry)}}
	f := onlyStatus(t, CatalogPresent(s, testEnv()))
	if f.Status != Fail || !strings.Contains(f.Detail, "未找到政府信息公开目录") || f.Evidence.URL == "" {
		t.Errorf("CatalogPresent(no column) = %v (%s), want fail with evidence", f.Status, f.Detail)
	}
}

func TestCatalogPresent_Broken(t *testing.T) {
	p := &site.Page{URL: catalogURL, Status: 404}
	f := onlyStatus(t, CatalogPresent(catalogSnapshot(p), testEnv()))
	if f.Status != Fail || !strings.Contains(f.Detail, "404") {
		t.Errorf("CatalogPresent(404) = %v (%s), want fail with the status", f.Status, f.Detail)
	}
}

func TestCatalogPresent_NotApplicable(t *testing.T) {
	for name, s := range map[string]*site.Snapshot{
		"unreachable": {UnitID: "u1", Entry: testEntry, Pages: []*site.Page{{URL: testEntry, Err: "dial tcp: connection refused"}}},
		"not fetched": {UnitID: "u1", Entry: testEntry, Pages: []*site.Page{entryPage(testEntry)},
			Columns: []site.Column{{Kind: "catalog", Name: "公开目录", URL: catalogURL}}},
	} {
		t.Run(name, func(t *testing.T) {
			f := onlyStatus(t, CatalogPresent(s, testEnv()))
			if f.Status != NA || f.Detail == "" {
				t.Errorf("CatalogPresent(%s) = %v (%q), want na with a reason", name, f.Status, f.Detail)
			}
		})
	}
}

// Ensure that a catalogue whose list a Hanweb page ships in a script
// datastore is read.
func TestCatalogPresent_Datastore(t *testing.T) {
	p := fixturePage(catalogURL, `<div class="right"><h2>政府信息公开目录</h2><div id="7542"><script type="text/xml"><datastore><totalrecord>2</totalrecord><recordset>
		<record><![CDATA[<li><a href="/art/2019/12/3/art_1229049354_101.html" title="北仑区民政局2019年养老服务补贴发放情况">北仑区民政局2019年养老服务补贴发放情况</a><span>2019-12-03</span></li>]]></record>
		<record><![CDATA[<li><a href="/art/2019/11/20/art_1229049354_100.html" title="关于印发《北仑区最低生活保障审核确认办法》的通知">关于印发《北仑区最低生活保障审核确认办法》的通知</a><span>2019-11-20</span></li>]]></record>
		</recordset></datastore></script></div></div>`)
	f := onlyStatus(t, CatalogPresent(catalogSnapshot(p), testEnv()))
	if f.Status != Pass || !strings.Contains(f.Detail, "2 条") {
		t.Errorf("CatalogPresent(datastore) = %v (%s), want pass with 2 items", f.Status, f.Detail)
	}
}
