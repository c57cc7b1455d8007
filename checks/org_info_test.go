package checks

import (
	"strings"
	"testing"

	"gkaudit/site"
)

const testEntry = "http://gov.example/xxgk/index.html"

func orgSnapshot(pages ...*site.Page) *site.Snapshot {
	s := &site.Snapshot{UnitID: "u1", Entry: testEntry}
	var links []site.Link
	for _, p := range pages {
		links = append(links, site.Link{URL: p.URL, Text: "机构信息"})
		s.Columns = append(s.Columns, site.Column{Kind: "org_info", Name: "机构信息", URL: p.URL, Source: "link", From: testEntry})
	}
	s.Pages = append([]*site.Page{entryPage(testEntry, links...)}, pages...)
	return s
}

// orgMissing names, per failing fixture, the element its detail must report.
var orgMissing = map[string]string{
	"fail_no_hours":             "缺少：办公时间",
	"fail_footer_only_contact":  "缺少：办公地址、办公时间、联系方式",
	"fail_rank_not_structure":   "缺少：机构设置（",
	"fail_duty_words_no_leader": "缺少：负责人姓名（",
}

func TestOrgInfo_Fixtures(t *testing.T) {
	for _, fx := range fixtures(t, "org.info") {
		t.Run(fx.name, func(t *testing.T) {
			p := loadPage(t, fx.path, "http://gov.example/xxgk/jgxx/index.html")
			f := onlyStatus(t, OrgInfo(orgSnapshot(p), testEnv()))
			if f.Status != fx.want {
				t.Errorf("OrgInfo(%s) = %v (%s), want %v", fx.name, f.Status, f.Detail, fx.want)
			}
			if want, ok := orgMissing[fx.name]; ok && !strings.Contains(f.Detail, want) {
				t.Errorf("OrgInfo(%s) detail = %q, want it to contain %q", fx.name, f.Detail, want)
			}
			if f.Evidence.SHA256 != p.SHA256 || f.Evidence.URL != p.URL {
				t.Errorf("OrgInfo(%s) evidence = %+v, want the org page", fx.name, f.Evidence)
			}
		})
	}
}

// Ensure that the elements may be spread over the column's sub-pages.
func TestOrgInfo_SubPages(t *testing.T) {
	col := &site.Page{URL: "http://gov.example/xxgk/jgxx/index.html", Status: 200,
		Body:  []byte(`<html><body><ul><li><a href="/xxgk/jgxx/zz.html">主要职责</a></li><li><a href="/xxgk/jgxx/ld.html">领导信息</a></li></ul></body></html>`),
		Links: []site.Link{{URL: "http://gov.example/xxgk/jgxx/zz.html", Text: "主要职责"}, {URL: "http://gov.example/xxgk/jgxx/ld.html", Text: "领导信息"}}}
	zz := &site.Page{URL: "http://gov.example/xxgk/jgxx/zz.html", Status: 200,
		Body: []byte(`<html><body><p>主要职责：负责全区教育工作。</p><p>内设机构：办公室、基础教育科。</p><p>办公地址：明州路1号</p><p>办公时间：8:30-17:00</p><p>联系电话：0574-86780001</p></body></html>`)}
	ld := &site.Page{URL: "http://gov.example/xxgk/jgxx/ld.html", Status: 200,
		Body: []byte(`<html><body><p>局长：张文军</p></body></html>`)}
	s := orgSnapshot(col)
	s.Pages = append(s.Pages, zz, ld)
	f := onlyStatus(t, OrgInfo(s, testEnv()))
	if f.Status != Pass {
		t.Errorf("OrgInfo(sub-pages) = %v (%s), want pass", f.Status, f.Detail)
	}
	if len(f.Looked) != 3 {
		t.Errorf("OrgInfo(sub-pages) looked at %v, want the column and its two sub-pages", f.Looked)
	}
}

func TestOrgInfo_NoColumn(t *testing.T) {
	s := &site.Snapshot{UnitID: "u1", Entry: testEntry, Pages: []*site.Page{entryPage(testEntry)}}
	f := onlyStatus(t, OrgInfo(s, testEnv()))
	if f.Status != Fail || !strings.Contains(f.Detail, "未找到机构信息栏目") {
		t.Errorf("OrgInfo(no column) = %v (%s), want fail naming the missing column", f.Status, f.Detail)
	}
}

func TestOrgInfo_BrokenColumn(t *testing.T) {
	p := &site.Page{URL: "http://gov.example/xxgk/jgxx/index.html", Status: 404}
	f := onlyStatus(t, OrgInfo(orgSnapshot(p), testEnv()))
	if f.Status != Fail || !strings.Contains(f.Detail, "404") {
		t.Errorf("OrgInfo(404 column) = %v (%s), want fail with the status", f.Status, f.Detail)
	}
}

func TestOrgInfo_NotApplicable(t *testing.T) {
	for name, s := range map[string]*site.Snapshot{
		"unreachable": {UnitID: "u1", Entry: testEntry, Pages: []*site.Page{{URL: testEntry, Err: "dial tcp: connection refused"}}},
		"not fetched": func() *site.Snapshot {
			s := orgSnapshot()
			s.Columns = []site.Column{{Kind: "org_info", URL: "http://gov.example/xxgk/jgxx/index.html"}}
			return s
		}(),
	} {
		t.Run(name, func(t *testing.T) {
			f := onlyStatus(t, OrgInfo(s, testEnv()))
			if f.Status != NA || f.Detail == "" {
				t.Errorf("OrgInfo(%s) = %v (%q), want na with a reason", name, f.Status, f.Detail)
			}
		})
	}
}

// Ensure that each element is found by what the page says about it, not by
// a word inside another phrase (issue 10: 机构规格为正厅级 is not 机构设置,
// 负责人事管理 is no 负责人).
func TestOrgInfo_ElementsByLabel(t *testing.T) {
	elem := func(key string) orgElement {
		for _, e := range orgElements {
			if e.key == key {
				return e
			}
		}
		t.Fatalf("no element %s", key)
		return orgElement{}
	}
	for _, c := range []struct {
		key   string
		lines []string
		want  bool
	}{
		{"org.info.structure", []string{"机构设置", "市发展和改革委员会是市政府组成部门，机构规格为正厅级。"}, false},
		{"org.info.structure", []string{"内设机构", "办公室", "政策法规科", "计划财务科"}, true},
		{"org.info.structure", []string{"局机关设6个内设机构：办公室、综合科、审批科。"}, true},
		{"org.info.structure", []string{"（二）负责本系统内设机构调整和人员编制管理。"}, false},
		{"org.info.structure", []string{"第四条市市场监督管理局设下列内设机构：", "（一）办公室。负责机关日常运转。", "（二）登记注册股。"}, true},
		{"org.info.leader", []string{"（一）负责人事管理和人才引进，协助局长做好机关考核。"}, false},
		{"org.info.leader", []string{"局长：张文军主持全面工作"}, true},
		{"org.info.leader", []string{"局长", "王建国"}, true},
		{"org.info.leader", []string{"李红梅党组书记、局长主持局全面工作"}, true},
		{"org.info.leader", []string{"负责人：许文涛"}, true},
		{"org.info.leader", []string{"领导信息", "张晓明", "李建国"}, true},
		{"org.info.leader", []string{"领导信息", "机构职能", "内设机构"}, false},
		{"org.info.leader", []string{"领导之窗", "更多信息"}, false},
		{"org.info.structure", []string{"内设机构", "科室名称", "职责", "电话", "办公室", "负责文电会务", "86780001", "政策法规科", "负责法制工作"}, true},
		{"org.info.hours", []string{"请在工作时间内到窗口办理。"}, false},
		{"org.info.hours", []string{"办公时间：工作日上午8:30-12:00"}, true},
		{"org.info.functions", []string{"转变政府职能，优化营商环境。"}, false},
		{"org.info.functions", []string{"主要职责", "（一）贯彻执行国家审计法律法规，负责区级预算执行审计。"}, true},
		{"org.info.address", []string{"地址", "县城人民路56号行政中心4楼"}, true},
		{"org.info.address", []string{"网站地址：http://tjj.example.gov.cn"}, false},
		{"org.info.contact", []string{"编号20190301"}, false},
		{"org.info.address", []string{"单位地址：北仑新区管委会大院东侧"}, true},
		{"org.info.hours", []string{"办公时间：按国家法定工作时间"}, true},
		{"org.info.leader", []string{"主要领导：陈海"}, true},
		{"org.info.contact", []string{"咨询电话：86885678"}, true},
	} {
		if _, got := findOrgElement(c.lines, elem(c.key)); got != c.want {
			t.Errorf("findOrgElement(%s, %q) = %v, want %v", c.key, c.lines, got, c.want)
		}
	}
}

func FuzzOrgInfo(f *testing.F) {
	addFixtureSeeds(f, "org.info")
	f.Fuzz(func(t *testing.T, body []byte) {
		p := &site.Page{URL: "http://gov.example/xxgk/jgxx/index.html", Status: 200, Body: body}
		if fs := OrgInfo(orgSnapshot(p), testEnv()); len(fs) != 1 {
			t.Errorf("OrgInfo gave %d findings, want 1", len(fs))
		}
	})
}

// Ensure that an empty address cell does not take the next label's line as
// its value.
func TestOrgInfo_EmptyAddressCell(t *testing.T) {
	var addr orgElement
	for _, e := range orgElements {
		if e.key == "org.info.address" {
			addr = e
		}
	}
	if _, ok := findOrgElement([]string{"办公地址：", "办公时间：工作日8:30-17:00"}, addr); ok {
		t.Errorf("findOrgElement(empty address, then hours) = found, want missing")
	}
}
