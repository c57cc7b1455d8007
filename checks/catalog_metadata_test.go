package checks

import (
	"strings"
	"testing"

	"gkaudit/site"
)

const docURL = "http://gov.example/xxgk/gkml/201911/t20191120_5600.html"

// listing is a column page that lists the given pages under their titles.
func listing(url string, docs ...*site.Page) *site.Page {
	var b strings.Builder
	b.WriteString(`<div class="list"><ul>`)
	for _, d := range docs {
		b.WriteString(`<li><a href="` + d.URL + `">` + articleTitle(d) + `</a></li>`)
	}
	b.WriteString(`</ul></div>`)
	return fixturePage(url, b.String())
}

// catalogMissing names, per failing fixture, what its detail must report.
var catalogMissing = map[string]string{
	"fail_empty_doc_no_table":      "文号（空）",
	"fail_no_index_no":             "缺少：索引号",
	"fail_empty_publisher_ul":      "发布机构（空）",
	"fail_normative_doc_no_wu":     "文号（“无”）",
	"fail_bullets_empty_publisher": "发布机构（空）",
	"na_guide_no_index":            "指南、制度或年报",
	"na_annual_report_trs":         "指南、制度或年报",
}

func TestCatalogMetadata_Fixtures(t *testing.T) {
	for _, fx := range fixtures(t, "catalog.metadata") {
		t.Run(fx.name, func(t *testing.T) {
			p := loadPage(t, fx.path, docURL)
			s := catalogSnapshot(listing(catalogURL, p), p)
			f := onlyStatus(t, CatalogMetadata(s, testEnv()))
			if f.Status != fx.want {
				t.Errorf("CatalogMetadata(%s) = %v (%s), want %v", fx.name, f.Status, f.Detail, fx.want)
			}
			if want, ok := catalogMissing[fx.name]; ok && !strings.Contains(f.Detail, want) {
				t.Errorf("CatalogMetadata(%s) detail = %q, want it to contain %q", fx.name, f.Detail, want)
			}
			if fx.want != NA && (f.Subject != docURL || f.Evidence.SHA256 != p.SHA256) {
				t.Errorf("CatalogMetadata(%s) subject %s evidence %+v, want the document page", fx.name, f.Subject, f.Evidence)
			}
		})
	}
}

// Ensure that items of the policy columns are judged with the catalogue's,
// one finding each, and that an item of a policy column needs its 文号
// whatever its title.
func TestCatalogMetadata_PolicyColumn(t *testing.T) {
	listed := fixturePage(docURL, `<table><tr><td>索引号：</td><td>A/2019-1</td><td>发布机构：</td><td>区民政局</td></tr><tr><td>成文日期：</td><td>2019-11-20</td><td>文号：</td><td>仑民〔2019〕36号</td></tr></table><h1>北仑区民政局2019年工作要点</h1>`)
	policy := fixturePage("http://gov.example/xxgk/zcwj/201903/t1.html", `<p>索引号：A/2019-2 发布机构：区民政局 成文日期：2019-03-01</p><h1>北仑区民政局2019年工作要点</h1>`)
	zcwj := listing("http://gov.example/xxgk/zcwj/index.html", policy)
	s := catalogSnapshot(listing(catalogURL, listed), listed, zcwj, policy)
	s.Columns = append(s.Columns, site.Column{Kind: "policy", Name: "政策文件", URL: zcwj.URL})
	fs := CatalogMetadata(s, testEnv())
	if len(fs) != 2 {
		t.Fatalf("CatalogMetadata(catalogue + policy column) = %d findings, want 2: %+v", len(fs), fs)
	}
	if fs[0].Status != Pass || fs[1].Status != Fail || !strings.Contains(fs[1].Detail, "文号") {
		t.Errorf("CatalogMetadata(catalogue + policy column) = %v (%s), %v (%s); want pass, then fail for 文号", fs[0].Status, fs[0].Detail, fs[1].Status, fs[1].Detail)
	}
}

// Ensure that nothing is catalogued without a catalogue, or with an empty one.
func TestCatalogMetadata_NotApplicable(t *testing.T) {
	doc := fixturePage(docURL, `<p>索引号：A 发布机构：B 发布日期：2019-01-01</p><h1>北仑区2019年部门预算</h1>`)
	noCatalog := &site.Snapshot{UnitID: "u1", Entry: testEntry, Pages: []*site.Page{entryPage(testEntry), doc}}
	empty := catalogSnapshot(fixturePage(catalogURL, `<p>暂无信息</p>`))
	zcwj := listing("http://gov.example/xxgk/zcwj/index.html", doc)
	empty.Pages = append(empty.Pages, zcwj, doc)
	empty.Columns = append(empty.Columns, site.Column{Kind: "policy", Name: "政策文件", URL: zcwj.URL})
	unfetched := catalogSnapshot(listing(catalogURL, doc))
	for name, s := range map[string]*site.Snapshot{
		"unreachable":     {UnitID: "u1", Entry: testEntry, Pages: []*site.Page{{URL: testEntry, Status: 503}}},
		"no catalogue":    noCatalog,
		"empty catalogue": empty,
		"not fetched":     unfetched,
	} {
		t.Run(name, func(t *testing.T) {
			f := onlyStatus(t, CatalogMetadata(s, testEnv()))
			if f.Status != NA || f.Detail == "" {
				t.Errorf("CatalogMetadata(%s) = %v (%q), want na with a reason", name, f.Status, f.Detail)
			}
		})
	}
}

func TestIsDocumentTitle(t *testing.T) {
	terms := catalogMetadataTerms
	for title, want := range map[string]bool{
		"关于印发《北仑区养老服务补贴管理办法》的通知":          true,
		"北仑区城市管理违法行为举报奖励办法（试行）":           true,
		"关于进一步加强消防安全工作的实施意见":              true,
		"关于《北仑区人才引进管理办法（征求意见稿）》公开征求意见的公告": true,
		"北仑区审计局2019年工作总结和2020年工作思路":       false,
		"2020年度公益性岗位招聘公告":                 false,
		"一图读懂《北仑区养老服务补贴管理办法》":             true, // the caller drops 解读 titles
		"北仑区民政局2019年部门预算":                 false,
	} {
		if got := isDocumentTitle(title, terms["catalog.metadata.doc_prefix"], terms["catalog.metadata.doc_suffix"], terms["catalog.metadata.doc_kinds"]); got != want {
			t.Errorf("isDocumentTitle(%q) = %v, want %v", title, got, want)
		}
	}
}

func FuzzDocMeta(f *testing.F) {
	f.Add([]byte(`<table><tr><td>有效性</td><td></td></tr></table><h1>关于印发某办法的通知</h1>`))
	f.Add([]byte(`<ul><li>文号：</li><li>无</li></ul>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		p := &site.Page{URL: docURL, Status: 200, Body: body}
		m := docMeta(p)
		for field, v := range m.Fields {
			if limit, ok := maxMetaValue[field]; ok && len([]rune(v)) > limit {
				t.Errorf("docMeta kept %s = %q, longer than %d", field, v, limit)
			}
		}
	})
}

// Ensure that the guide, the rules and the annual report listed in a
// catalogue are not judged as its entries, while the documents beside them
// are (issue 10: a report or guide without 索引号 is no catalogue defect).
func TestCatalogMetadata_OtherElementsNotEntries(t *testing.T) {
	guide := fixturePage("http://gov.example/xxgk/gkml/zn.html", `<h1>北仑区民政局政府信息公开指南</h1><p>发布日期：2020-01-06</p>`)
	report := fixturePage("http://gov.example/xxgk/gkml/nb.html", `<h1>北仑区民政局2019年政府信息公开工作年度报告</h1>`)
	rules := fixturePage("http://gov.example/xxgk/gkml/zd.html", `<h1>北仑区民政局政府信息公开保密审查制度</h1>`)
	doc := fixturePage(docURL, `<p>索引号：A/2020-1 发布机构：区民政局 发布日期：2020-01-10</p><h1>北仑区民政局2020年工作要点</h1>`)
	s := catalogSnapshot(listing(catalogURL, guide, report, rules, doc), guide, report, rules, doc)
	fs := CatalogMetadata(s, testEnv())
	if len(fs) != 1 || fs[0].Subject != docURL || fs[0].Status != Pass {
		t.Errorf("CatalogMetadata(guide, report, rules, doc) = %+v, want one pass on the document", fs)
	}
	s = catalogSnapshot(listing(catalogURL, guide, report), guide, report)
	if f := onlyStatus(t, CatalogMetadata(s, testEnv())); f.Status != NA || !strings.Contains(f.Detail, "不是目录条目") {
		t.Errorf("CatalogMetadata(guide and report only) = %v (%s), want na", f.Status, f.Detail)
	}
}
