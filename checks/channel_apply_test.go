package checks

import (
	"strings"
	"testing"

	"gkaudit/page"
	"gkaudit/site"
)

const applyURL = "http://gov.example/xxgk/ysqgk/index.html"

// applySnapshot is a unit whose entry page links to the 依申请公开 column at
// applyURL, plus the given pages.
func applySnapshot(pages ...*site.Page) *site.Snapshot {
	entry := gdPage(testEntry, `<html><body><div class="xxgk"><a href="/xxgk/jgxx/index.html">机构信息</a> <a href="/xxgk/ysqgk/index.html">依申请公开</a></div></body></html>`)
	s := &site.Snapshot{UnitID: "u1", Entry: testEntry,
		Columns: []site.Column{{Kind: "apply", Name: "依申请公开", URL: applyURL, Source: "link", From: testEntry}}}
	s.Pages = append([]*site.Page{entry}, pages...)
	return s
}

// applyWant names, per fixture, what its detail must say.
var applyWant = map[string]string{
	"fail_online_form_only":          "未提供纸质申请途径",
	"fail_paper_only":                "未提供网上申请途径",
	"fail_online_disabled":           "未提供网上申请途径",
	"fail_online_word_unrelated_url": "未提供网上申请途径",
	"pass_internet_route_menu":       "互联网申请",
	"pass_gbk_table_email":           "数据电文",
}

func TestChannelApply_Fixtures(t *testing.T) {
	for _, fx := range fixtures(t, "channel.apply") {
		t.Run(fx.name, func(t *testing.T) {
			p := gdFixture(t, fx.path, applyURL)
			f := onlyStatus(t, ChannelApply(applySnapshot(p), testEnv()))
			if f.Status != fx.want {
				t.Errorf("ChannelApply(%s) = %v (%s), want %v", fx.name, f.Status, f.Detail, fx.want)
			}
			if want, ok := applyWant[fx.name]; ok && !strings.Contains(f.Detail, want) {
				t.Errorf("ChannelApply(%s) detail = %q, want it to contain %q", fx.name, f.Detail, want)
			}
			if f.URL != applyURL || f.Evidence.SHA256 != p.SHA256 {
				t.Errorf("ChannelApply(%s) url %s evidence %+v, want the apply page", fx.name, f.URL, f.Evidence)
			}
		})
	}
}

// Ensure that routes described only in the guide count, with an e-mail
// address as the online route (条例第二十九条: 数据电文).
func TestChannelApply_RoutesInGuide(t *testing.T) {
	guide := gdPage(guideURL, `<html><body><div class="article"><h1>测试单位政府信息公开指南</h1>
<p>一、主动公开信息按主题分类，按目录编排，通过网站获取。</p>
<p>二、依申请公开。申请人可以通过电子邮件将申请表发送至受理机构电子邮箱；通过信函提出申请的，请在信封左下角注明“政府信息公开申请”字样。</p>
<p>三、受理机构：测试单位办公室；办公地址：测试路1号；办公时间：8:30-17:00；联系电话：0574-86000001；传真：0574-86000002；电子邮箱：gk@test.gov.cn。</p></div></body></html>`)
	s := guideSnapshot(guide)
	f := onlyStatus(t, ChannelApply(s, testEnv()))
	if f.Status != Pass || !strings.Contains(f.Detail, "gk@test.gov.cn") || !strings.Contains(f.Detail, "数据电文") {
		t.Errorf("ChannelApply(guide only) = %v (%s), want pass with the e-mail as 数据电文", f.Status, f.Detail)
	}
}

// Ensure that an apply column on an outside platform that answers is an
// online route, and that the paper route is then looked for in the guide.
func TestChannelApply_OutsidePlatform(t *testing.T) {
	guide := gdPage(guideURL, `<html><body><div class="article"><h1>测试单位政府信息公开指南</h1><p>一、主动公开信息按主题分类，按目录编排，通过网站获取。</p><p>二、依申请公开。申请人可以到受理机构当面提出申请，也可以通过市级政府信息公开申请平台在线提出申请。</p><p>三、受理机构：测试单位办公室；办公地址：测试路1号；办公时间：8:30-17:00；联系电话：0574-86000001。</p>
<p>四、监督方式：公民、法人或者其他组织认为本单位未依法履行政府信息公开义务的，可以向上一级主管部门投诉、举报，也可以依法申请行政复议或者提起行政诉讼。</p></div></body></html>`)
	s := guideSnapshot(guide)
	platform := "http://ysq.city.example/apply?dept=1"
	s.Pages[0] = gdPage(testEntry, `<html><body><a href="/xxgk/xxgkzn/index.html">政府信息公开指南</a> <a href="`+platform+`">依申请公开</a></body></html>`)
	s.Probes = []site.Probe{{URL: platform, Status: 200, Method: "GET", External: true}}
	f := onlyStatus(t, ChannelApply(s, testEnv()))
	if f.Status != Pass || !strings.Contains(f.Detail, platform) {
		t.Errorf("ChannelApply(outside platform) = %v (%s), want pass naming the platform", f.Status, f.Detail)
	}
	s.Pages = s.Pages[:1]
	s.Columns = nil
	if f := onlyStatus(t, ChannelApply(s, testEnv())); f.Status != Fail || !strings.Contains(f.Detail, "未提供纸质申请途径") {
		t.Errorf("ChannelApply(platform, no guide) = %v (%s), want fail: no paper route", f.Status, f.Detail)
	}
}

// Ensure that a unit with neither an apply column nor a guide fails, and that
// an apply column never fetched says na.
func TestChannelApply_MissingAndUnfetched(t *testing.T) {
	s := &site.Snapshot{UnitID: "u1", Entry: testEntry, Pages: []*site.Page{entryPage(testEntry)}}
	if f := onlyStatus(t, ChannelApply(s, testEnv())); f.Status != Fail || f.Evidence.URL != testEntry {
		t.Errorf("ChannelApply(nothing) = %v (%s), want fail with the entry page as evidence", f.Status, f.Detail)
	}
	if f := onlyStatus(t, ChannelApply(applySnapshot(), testEnv())); f.Status != NA {
		t.Errorf("ChannelApply(unfetched) = %v (%s), want na", f.Status, f.Detail)
	}
}

func TestChannelApply_RouteWords(t *testing.T) {
	negate := channelApplyTerms[applyNegateKey]
	paper := channelApplyTerms[applyPaperKey]
	for _, c := range []struct {
		text string
		want bool
	}{
		{"本机关不受理电话、口头申请，请通过信函提出", true},
		{"信函申请暂不受理", false},
		{"邮政编码：315800", false},
		{"获取信息的方式：邮寄", false},
		{"答复书以邮寄方式送达", false},
		{"申请人可以当面提交申请表", true},
	} {
		if got := routeWord(page.Compact(c.text), paper, negate) != ""; got != c.want {
			t.Errorf("routeWord(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}

// Ensure that a described online route counts only where its sentence says
// where it is reached (issue 10: 网上申请 beside an unrelated address is no
// route; 互联网申请 with the form reached from a menu is).
func TestChannelApply_DescribedOnlineRoute(t *testing.T) {
	words := channelApplyTerms[applyOnlineKey]
	negate := channelApplyTerms[applyNegateKey]
	for _, c := range []struct {
		blocks []string
		want   bool
	}{
		{[]string{"申请方式：网上申请、信函申请、当面申请", "县人民政府门户网站：http://www.example.gov.cn"}, false},
		{[]string{"（3）互联网申请。申请人可选择左侧政府部门填写并提交申请表。"}, true},
		{[]string{"一、网上申请 申请人可登录本网站“依申请公开”栏目在线提交申请。"}, true},
		{[]string{"申请人可通过电子邮件方式将申请表发送至 gk@example.gov.cn。"}, true},
		{[]string{"1．网上申请：网上申请系统升级改造，暂未开通，请通过其他方式提出申请。"}, false},
		{[]string{"本机关不受理电话申请，申请人可通过区政府信息公开平台在线提交申请。"}, true},
	} {
		if w, _ := describedOnlineRoute(c.blocks, words, negate); (w != "") != c.want {
			t.Errorf("describedOnlineRoute(%q) = %q, want found %v", c.blocks, w, c.want)
		}
	}
}

func FuzzChannelApply(f *testing.F) {
	addFixtureSeeds(f, "channel.apply")
	f.Fuzz(func(t *testing.T, body []byte) {
		p := withLinks(&site.Page{URL: applyURL, FinalURL: applyURL, Status: 200, Body: body})
		if fs := ChannelApply(applySnapshot(p), testEnv()); len(fs) != 1 {
			t.Errorf("ChannelApply gave %d findings, want 1", len(fs))
		}
	})
}

// Ensure that a "go there" link on the line of an online route is the route
// (网上申请：点击进入), and that the same link beside a withdrawn route is not.
func TestChannelApply_GoLinkOnRouteLine(t *testing.T) {
	for _, c := range []struct {
		body string
		want Status
	}{
		{`<div class="con"><p>一、网上申请：<a href="/ysqgk/form.html">点击进入</a></p><p>二、信函申请：请在信封左下角注明“政府信息公开申请”。</p></div>`, Pass},
		{`<div class="con"><p>一、网上申请（暂未开通）：<a href="/ysqgk/form.html">点击进入</a></p><p>二、信函申请：请在信封左下角注明“政府信息公开申请”。</p></div>`, Fail},
		{`<div class="con"><p>相关链接：<a href="/news/1.html">点击进入</a></p><p>二、信函申请：请在信封左下角注明“政府信息公开申请”。</p></div>`, Fail},
	} {
		p := gdPage(applyURL, "<html><body>"+c.body+"</body></html>")
		if f := onlyStatus(t, ChannelApply(applySnapshot(p), testEnv())); f.Status != c.want {
			t.Errorf("ChannelApply(%s) = %v (%s), want %v", c.body, f.Status, f.Detail, c.want)
		}
	}
}
