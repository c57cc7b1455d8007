package checks

import (
	"strings"
	"testing"

	"gkaudit/config"
	"gkaudit/site"
)

// gdPage is a fetched page with the given body and its links.
func gdPage(u, body string) *site.Page {
	return withLinks(&site.Page{URL: u, FinalURL: u, Status: 200, ContentType: "text/html", Body: []byte(body), SHA256: "sha-" + u, Attempts: 1})
}

// gdFixture loads a fixture as the page at u, with its links.
func gdFixture(t *testing.T, path, u string) *site.Page {
	t.Helper()
	return withLinks(loadPage(t, path, u))
}

const guideURL = "http://gov.example/xxgk/xxgkzn/index.html"

// guideSnapshot is a unit whose entry page links to the guide column at
// guideURL, plus the given pages.
func guideSnapshot(pages ...*site.Page) *site.Snapshot {
	entry := gdPage(testEntry, `<html><body><h1>信息公开</h1><div class="xxgk"><a href="/xxgk/jgxx/index.html">机构信息</a> <a href="/xxgk/xxgkzn/index.html">政府信息公开指南</a> <a href="/xxgk/ysqgk/index.html">依申请公开</a></div></body></html>`)
	s := &site.Snapshot{UnitID: "u1", UnitName: "测试单位", Entry: testEntry,
		Columns: []site.Column{{Kind: "guide", Name: "政府信息公开指南", URL: guideURL, Source: "link", From: testEntry}}}
	s.Pages = append([]*site.Page{entry}, pages...)
	return s
}

func TestGuidePresent_Fixtures(t *testing.T) {
	for _, fx := range fixtures(t, "guide.present") {
		t.Run(fx.name, func(t *testing.T) {
			p := gdFixture(t, fx.path, guideURL)
			f := onlyStatus(t, GuidePresent(guideSnapshot(p), testEnv()))
			if f.Status != fx.want {
				t.Errorf("GuidePresent(%s) = %v (%s), want %v", fx.name, f.Status, f.Detail, fx.want)
			}
			if f.Status != NA && (f.Evidence.URL != guideURL || f.Evidence.SHA256 != p.SHA256) {
				t.Errorf("GuidePresent(%s) evidence = %+v, want the guide column page", fx.name, f.Evidence)
			}
		})
	}
}

// Ensure that a guide column listing one article leads to that article, and
// that the finding's URL is the article's.
func TestGuidePresent_SingleArticle(t *testing.T) {
	col := gdPage(guideURL, `<html><body><div class="sidebar"><a href="/xxgk/xxgkzn/index.html">信息公开指南</a><a href="/xxgk/zcwj/index.html">政策文件</a><a href="/xxgk/ysqgk/index.html">依申请公开</a></div>
<div class="list"><table><tr><td><a href="./201911/t20191115_1.html">测试单位政府信息公开指南</a></td><td>2019-11-15</td></tr></table></div></body></html>`)
	art := gdPage("http://gov.example/xxgk/xxgkzn/201911/t20191115_1.html", `<html><body><div class="TRS_Editor"><p>测试单位政府信息公开指南</p>
<p>一、主动公开的政府信息按主题分类，按目录编排，通过本单位网站获取。</p><p>二、依申请公开。申请人可以提出申请。</p>
<p>三、受理机构：测试单位办公室。办公地址：测试路1号。办公时间：工作日8:30-17:00。联系电话：0574-86000001。传真：0574-86000002。电子邮箱：test@example.gov.cn。</p>
<p>四、监督方式：公民、法人或者其他组织认为本单位未依法履行政府信息公开义务的，可以向上一级主管部门投诉、举报，也可以依法申请行政复议或者提起行政诉讼。</p></div></body></html>`)
	s := guideSnapshot(col, art)
	f := onlyStatus(t, GuidePresent(s, testEnv()))
	if f.Status != Pass || f.URL != art.URL {
		t.Errorf("GuidePresent(single article) = %v at %s (%s), want pass at %s", f.Status, f.URL, f.Detail, art.URL)
	}
	if p, looked := findGuide(s, testEnv()); p != art || len(looked) < 2 {
		t.Errorf("findGuide = %v, %v; want the article after the column", p, looked)
	}
}

// Ensure that of two listed guides the newest is judged.
func TestGuidePresent_NewestOfTwo(t *testing.T) {
	body := func(year string) string {
		return `<html><body><div class="article"><h1>测试单位政府信息公开指南（` + year + `年版）</h1><p>一、主动公开信息按类别分类，按目录编排，通过网站获取。二、依申请公开：可以提出申请。</p><p>三、受理机构：办公室；办公地址：测试路1号；办公时间：8:30-17:00；联系电话：0574-86000001；传真：0574-86000002。</p><p>监督方式：可以向主管部门投诉、举报，也可以依法申请行政复议或者提起行政诉讼，本指南由本单位负责解释，自发布之日起施行。</p></div></body></html>`
	}
	col := gdPage(guideURL, `<html><body><ul class="list"><li><a href="/art/2015/1/5/art_1.html">测试单位政府信息公开指南（2015年版）</a><span>2015-01-05</span></li><li><a href="/art/2019/12/1/art_2.html">测试单位政府信息公开指南（2019年版）</a><span>2019-12-01</span></li></ul></body></html>`)
	old := gdPage("http://gov.example/art/2015/1/5/art_1.html", body("2015"))
	cur := gdPage("http://gov.example/art/2019/12/1/art_2.html", body("2019"))
	f := onlyStatus(t, GuidePresent(guideSnapshot(col, old, cur), testEnv()))
	if f.URL != cur.URL {
		t.Errorf("GuidePresent(two guides) URL = %s, want the 2019 one %s", f.URL, cur.URL)
	}
}

// Ensure that a unit without any guide link fails, and that 依申请公开指南
// (the application procedure) is not taken for the guide.
func TestGuidePresent_Missing(t *testing.T) {
	entry := gdPage(testEntry, `<html><body><ul><li><a href="/xxgk/jgxx/">机构信息</a></li><li><a href="/xxgk/ysqzn/">依申请公开指南</a></li><li><a href="/xxgk/zcwj/">政策文件</a></li></ul></body></html>`)
	apply := gdPage("http://gov.example/xxgk/ysqzn/", `<html><body><div class="content"><h1>依申请公开指南</h1><p>申请人可以通过信函、当面方式向受理机构提出申请，受理机构：办公室，办公地址：测试路1号，联系电话：0574-86000001，办公时间：工作日。申请人应当填写申请表并提供身份证明，本机关收到申请后依法答复，依申请公开的政府信息公开会损害第三方合法权益的，应当书面征求第三方的意见。</p></div></body></html>`)
	s := &site.Snapshot{UnitID: "u1", Entry: testEntry, Pages: []*site.Page{entry, apply},
		Columns: []site.Column{{Kind: "guide", Name: "依申请公开指南", URL: apply.URL, Source: "link", From: testEntry}}}
	f := onlyStatus(t, GuidePresent(s, testEnv()))
	if f.Status != Fail || !strings.Contains(f.Detail, "未找到") || f.Evidence.URL != testEntry {
		t.Errorf("GuidePresent(no guide) = %v (%s, evidence %s), want fail at the entry page", f.Status, f.Detail, f.Evidence.URL)
	}
}

func TestGuidePresent_Broken(t *testing.T) {
	p := &site.Page{URL: guideURL, FinalURL: guideURL, Status: 404, SHA256: "x"}
	f := onlyStatus(t, GuidePresent(guideSnapshot(p), testEnv()))
	if f.Status != Fail || !strings.Contains(f.Detail, "404") {
		t.Errorf("GuidePresent(404) = %v (%s), want fail naming the status", f.Status, f.Detail)
	}
}

// Ensure that a guide published as an attachment counts as present, and
// that guide.elements then says it cannot read it.
func TestGuidePresent_Attachment(t *testing.T) {
	col := gdPage(guideURL, `<html><body><ul class="list"><li><a href="/xxgk/xxgkzn/P020191115.doc">测试单位政府信息公开指南（2019年修订）</a> 2019-11-15</li></ul></body></html>`)
	s := guideSnapshot(col)
	s.Probes = []site.Probe{{URL: "http://gov.example/xxgk/xxgkzn/P020191115.doc", Status: 200, Method: "HEAD"}}
	f := onlyStatus(t, GuidePresent(s, testEnv()))
	if f.Status != Pass || !strings.Contains(f.Detail, "附件") {
		t.Errorf("GuidePresent(attachment) = %v (%s), want pass as an attachment", f.Status, f.Detail)
	}
	e := onlyStatus(t, GuideElements(s, testEnv()))
	if e.Status != NA || !strings.Contains(e.Detail, "附件") {
		t.Errorf("GuideElements(attachment) = %v (%s), want na: cannot read it", e.Status, e.Detail)
	}
}

// Ensure that, of two guides, the one naming the unit wins over a district
// guide linked from the portal template.
func TestGuidePresent_PrefersUnitsOwn(t *testing.T) {
	district := gdPage("http://gov.example/col/col1/index.html", `<html><body><div class="article"><h1>北仑区人民政府政府信息公开指南</h1><p>一、主动公开信息分类、编排体系、获取方式。二、依申请公开。三、受理机构：区政府办公室；办公地址：明州路1号；办公时间：8:30-17:00；联系电话：0574-86000000；传真：0574-86000009。</p><p>四、监督方式：可以向上一级主管部门投诉、举报，也可以依法申请行政复议或者提起行政诉讼。</p></div></body></html>`)
	own := gdPage(guideURL, `<html><body><div class="article"><h1>测试单位政府信息公开指南</h1><p>一、主动公开信息分类、编排体系、获取方式。二、依申请公开。三、受理机构：测试单位办公室；办公地址：测试路1号；办公时间：8:30-17:00；联系电话：0574-86000001；传真：0574-86000002。</p><p>四、监督方式：可以向上一级主管部门投诉、举报，也可以依法申请行政复议或者提起行政诉讼。</p></div></body></html>`)
	s := guideSnapshot(district, own)
	s.Pages[0] = gdPage(testEntry, `<html><body><div class="top"><a href="/col/col1/index.html">政府信息公开指南</a></div><div class="xxgk"><a href="/xxgk/xxgkzn/index.html">信息公开指南</a></div></body></html>`)
	f := onlyStatus(t, GuidePresent(s, testEnv()))
	if f.URL != own.URL {
		t.Errorf("GuidePresent(district and own) URL = %s, want the unit's own %s", f.URL, own.URL)
	}
}

// Ensure that every check of this family says na with a reason when the
// entry page cannot be fetched, and guide.present when the guide column was
// never fetched.
func TestGuidePresent_NotApplicable(t *testing.T) {
	unreachable := &site.Snapshot{UnitID: "u1", Entry: testEntry, Pages: []*site.Page{{URL: testEntry, Err: "dial tcp: connection refused"}}}
	for name, fn := range map[string]Func{"guide.present": GuidePresent, "guide.elements": GuideElements,
		"carrier.column": CarrierColumn, "channel.apply": ChannelApply, "newmedia.links": NewmediaLinks} {
		f := onlyStatus(t, fn(unreachable, testEnv()))
		if f.Status != NA || f.Detail == "" {
			t.Errorf("%s(unreachable) = %v (%q), want na with a reason", name, f.Status, f.Detail)
		}
	}
	f := onlyStatus(t, GuidePresent(guideSnapshot(), testEnv()))
	if f.Status != NA || f.Detail == "" {
		t.Errorf("GuidePresent(not fetched) = %v (%q), want na with a reason", f.Status, f.Detail)
	}
}

// testEnvShared is testEnv on a district portal that hosts another unit too.
func testEnvShared() Env {
	env := testEnv()
	env.Config = &config.Config{Units: []config.Unit{
		{ID: "u1", Name: "测试单位", URL: testEntry},
		{ID: "u2", Name: "另一单位", URL: "http://gov.example/col/col2/index.html"},
	}}
	return env
}

// Fuzz the guide search and the body reader: any page must neither panic
// nor hang.
func FuzzGuideBody(f *testing.F) {
	f.Add(`<html><body><div class="list"><ul><li><a href="/a">政府信息公开指南</a></li></ul></div></body></html>`)
	f.Add(`<table><tr><td>传真：0574-86000002</td></tr></table><a href="#">x</a>`)
	f.Add(`<div><a>微信</a><img src="ewm.png" alt="微信公众号"></div>`)
	f.Fuzz(func(t *testing.T, body string) {
		p := gdPage(guideURL, body)
		_ = bodyText(p)
		_ = headingOf(p)
		s := guideSnapshot(p)
		for _, fn := range []Func{GuidePresent, GuideElements, CarrierColumn, ChannelApply, NewmediaLinks} {
			if fs := fn(s, testEnv()); len(fs) != 1 {
				t.Fatalf("got %d findings, want 1", len(fs))
			}
		}
	})
}

// Ensure that a Hanweb guide column, whose list ships inside a script
// datastore, leads to its article; and that when the crawl never fetched
// that article the answer is na, not an empty column.
func TestGuidePresent_Datastore(t *testing.T) {
	col := gdPage(guideURL, `<html><body><div id="4401"><script type="text/xml"><datastore><nextgroup><![CDATA[]]></nextgroup><totalrecord>1</totalrecord><recordset>
<record><![CDATA[<li><a href="/art/2019/11/15/art_4401_1.html" title="测试单位政府信息公开指南">测试单位政府信息公开指南</a><span>2019-11-15</span></li>]]></record>
</recordset></datastore></script></div></body></html>`)
	art := gdPage("http://gov.example/art/2019/11/15/art_4401_1.html", `<html><body><div class="article"><h1>测试单位政府信息公开指南</h1><p>一、主动公开信息按主题分类，按目录编排，通过网站获取。</p><p>二、依申请公开：申请人可以提出申请。</p><p>三、受理机构：测试单位办公室；办公地址：测试路1号；办公时间：8:30-17:00；联系电话：0574-86000001；传真：0574-86000002。</p><p>四、监督方式：可以向上一级主管部门投诉、举报，也可以依法申请行政复议或者提起行政诉讼。</p></div></body></html>`)
	if f := onlyStatus(t, GuidePresent(guideSnapshot(col, art), testEnv())); f.Status != Pass || f.URL != art.URL {
		t.Errorf("GuidePresent(datastore) = %v at %s (%s), want pass at the article", f.Status, f.URL, f.Detail)
	}
	if f := onlyStatus(t, GuidePresent(guideSnapshot(col), testEnv())); f.Status != NA {
		t.Errorf("GuidePresent(datastore, article not fetched) = %v (%s), want na", f.Status, f.Detail)
	}
}
