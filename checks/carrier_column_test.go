package checks

import (
	"strings"
	"testing"

	"gkaudit/site"
)

// carrierWant names, per failing fixture, what its detail must report.
var carrierWant = map[string]string{
	"fail_no_rules":            "缺少标准栏目：政府信息公开制度；",
	"fail_yearbook_not_report": "缺少标准栏目：政府信息公开年报；",
	"fail_apply_guide_only":    "缺少标准栏目：政府信息公开指南；",
}

func TestCarrierColumn_Fixtures(t *testing.T) {
	for _, fx := range fixtures(t, "carrier.column") {
		t.Run(fx.name, func(t *testing.T) {
			p := gdFixture(t, fx.path, testEntry)
			s := &site.Snapshot{UnitID: "u1", Entry: testEntry, Pages: []*site.Page{p}}
			f := onlyStatus(t, CarrierColumn(s, testEnv()))
			if f.Status != fx.want {
				t.Errorf("CarrierColumn(%s) = %v (%s), want %v", fx.name, f.Status, f.Detail, fx.want)
			}
			if want, ok := carrierWant[fx.name]; ok && !strings.Contains(f.Detail, want) {
				t.Errorf("CarrierColumn(%s) detail = %q, want it to contain %q", fx.name, f.Detail, want)
			}
			if f.URL != testEntry || f.Evidence.SHA256 != p.SHA256 {
				t.Errorf("CarrierColumn(%s) url %s evidence %+v, want the entry page", fx.name, f.URL, f.Evidence)
			}
		})
	}
}

// Ensure that the crawler's column map counts: an element reached through a
// sub-page's menu or breadcrumb is present although the entry page does not
// link it.
func TestCarrierColumn_CrawlerColumns(t *testing.T) {
	entry := gdPage(testEntry, `<html><body><ul><li><a href="/xxgk/zn/">政府信息公开指南</a></li><li><a href="/xxgk/zd/">政府信息公开制度</a></li><li><a href="/xxgk/fdzdgknr/">法定主动公开内容</a></li></ul></body></html>`)
	s := &site.Snapshot{UnitID: "u1", Entry: testEntry, Pages: []*site.Page{entry},
		Columns: []site.Column{{Kind: "annual_report", Name: "政府信息公开年报", URL: "http://gov.example/xxgk/nb/", Source: "breadcrumb", From: "http://gov.example/xxgk/nb/t1.html"}}}
	if f := onlyStatus(t, CarrierColumn(s, testEnv())); f.Status != Pass {
		t.Errorf("CarrierColumn(report via breadcrumb) = %v (%s), want pass", f.Status, f.Detail)
	}
}

// Ensure that on a shared district portal a link the portal's home page
// carries too is the district's, and that an element whose links all answer
// 404 is missing.
func TestCarrierColumn_PortalAndBroken(t *testing.T) {
	entry := gdPage(testEntry, `<html><body><div class="top"><a href="/col/col9/index.html">政府信息公开年报</a></div><ul><li><a href="/xxgk/zn/">政府信息公开指南</a></li><li><a href="/xxgk/zd/">政府信息公开制度</a></li><li><a href="/xxgk/fdzdgknr/">法定主动公开内容</a></li></ul></body></html>`)
	home := gdPage("http://gov.example/", `<html><body><a href="/col/col9/index.html">政府信息公开年报</a></body></html>`)
	gone := &site.Page{URL: "http://gov.example/xxgk/zd/", Status: 404}
	s := &site.Snapshot{UnitID: "u1", Entry: testEntry, Pages: []*site.Page{entry, home, gone}}
	f := onlyStatus(t, CarrierColumn(s, testEnvShared()))
	if f.Status != Fail || !strings.Contains(f.Detail, "政府信息公开制度、政府信息公开年报") || !strings.Contains(f.Detail, "无法打开") {
		t.Errorf("CarrierColumn(portal, broken) = %v (%s), want fail missing 制度 (broken) and 年报 (district's)", f.Status, f.Detail)
	}
	// Without a config the host is not known to be shared: the link counts.
	if f := onlyStatus(t, CarrierColumn(s, testEnv())); strings.Contains(f.Detail, "年报") && !strings.Contains(f.Detail, "已有：政府信息公开指南、法定主动公开内容、政府信息公开年报") {
		t.Errorf("CarrierColumn(own host) = %v (%s), want 年报 present", f.Status, f.Detail)
	}
}
