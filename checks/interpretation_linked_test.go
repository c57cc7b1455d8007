package checks

import (
	"strings"
	"testing"

	"gkaudit/site"
)

const (
	interpURL     = "http://gov.example/xxgk/zcjd/201903/t20190304_1.html"
	interpColumn  = "http://gov.example/xxgk/zcjd/index.html"
	policyDocURL  = "http://gov.example/xxgk/zcwj/201903/t20190301_9.html"
	otherDocURL   = "http://gov.example/xxgk/zcwj/201812/t20181203_7.html"
	policyDocBody = `<table><tr><td>索引号：</td><td>11330206MB1234567X/2019-00030</td><td>发布机构：</td><td>北仑区民政局</td></tr>
		<tr><td>文号：</td><td>仑民〔2019〕6号</td><td>发布日期：</td><td>2019-03-01</td></tr><tr><td>有效性：</td><td>有效</td></tr></table>
		<h1>关于印发《北仑区养老服务补贴管理办法》的通知</h1><div class="con"><p>各街道：现将《北仑区养老服务补贴管理办法》印发给你们。</p></div>`
)

// interpSnapshot is a unit with a 政策解读 column listing interp and a 政策文件
// column listing doc and an unrelated document.
func interpSnapshot(interp, doc *site.Page) *site.Snapshot {
	other := fixturePage(otherDocURL, `<p>发布机构：北仑区民政局 发布日期：2018-12-03</p><h1>北仑区社会救助家庭经济状况核对办法</h1>`)
	docs := []*site.Page{other}
	if doc != nil {
		docs = append([]*site.Page{doc}, docs...)
	}
	policy := listing(policyURL, docs...)
	zcjd := listing(interpColumn, interp)
	s := &site.Snapshot{UnitID: "u1", Entry: testEntry}
	links := []site.Link{{URL: policy.URL, Text: "政策文件"}, {URL: zcjd.URL, Text: "政策解读"}}
	s.Columns = []site.Column{{Kind: "policy", Name: "政策文件", URL: policy.URL, Source: "link", From: testEntry},
		{Kind: "interpretation", Name: "政策解读", URL: zcjd.URL, Source: "link", From: testEntry}}
	s.Pages = append([]*site.Page{entryPage(testEntry, links...), policy, zcjd, interp}, docs...)
	return s
}

// docLinkingBack is the policy document with a 相关解读 link to the 解读.
func docLinkingBack() *site.Page {
	return fixturePage(policyDocURL, policyDocBody+`<p class="related">相关解读：<a href="/xxgk/zcjd/201903/t20190304_1.html">《北仑区养老服务补贴管理办法》政策解读</a></p>`)
}

func TestInterpretationLinked_Fixtures(t *testing.T) {
	for _, fx := range fixtures(t, "interpretation.linked") {
		t.Run(fx.name, func(t *testing.T) {
			p := loadPage(t, fx.path, interpURL)
			f := onlyStatus(t, InterpretationLinked(interpSnapshot(p, docLinkingBack()), testEnv()))
			if f.Status != fx.want {
				t.Errorf("InterpretationLinked(%s) = %v (%s), want %v", fx.name, f.Status, f.Detail, fx.want)
			}
			if f.Subject != interpURL {
				t.Errorf("InterpretationLinked(%s) subject = %s, want the 解读 %s", fx.name, f.Subject, interpURL)
			}
			if fx.want == Fail && !strings.Contains(f.Detail, "未链接政策原文") {
				t.Errorf("InterpretationLinked(%s) detail = %q, want it to name the missing link to the document", fx.name, f.Detail)
			}
		})
	}
}

// Ensure that a document that does not link back fails, pointing at the
// document page.
func TestInterpretationLinked_NoBackLink(t *testing.T) {
	j := loadPage(t, "testdata/interpretation.linked/pass_original_link.html", interpURL)
	doc := fixturePage(policyDocURL, policyDocBody)
	f := onlyStatus(t, InterpretationLinked(interpSnapshot(j, doc), testEnv()))
	if f.Status != Fail || f.URL != policyDocURL || !strings.Contains(f.Detail, "未链接其解读") {
		t.Errorf("InterpretationLinked(no back link) = %v at %s (%s), want fail at the document", f.Status, f.URL, f.Detail)
	}
	if f.Subject != interpURL || f.Evidence.URL != policyDocURL {
		t.Errorf("InterpretationLinked(no back link) subject %s evidence %s, want the 解读 and the document", f.Subject, f.Evidence.URL)
	}
}

// Ensure that a pair matched by titles alone fails in both directions, and a
// 解读 with no document at all fails as not linked.
func TestInterpretationLinked_Unlinked(t *testing.T) {
	j := loadPage(t, "testdata/interpretation.linked/fail_no_link.html", interpURL)
	f := onlyStatus(t, InterpretationLinked(interpSnapshot(j, fixturePage(policyDocURL, policyDocBody)), testEnv()))
	if f.Status != Fail || !strings.Contains(f.Detail, "互未链接") {
		t.Errorf("InterpretationLinked(title match only) = %v (%s), want fail naming both directions", f.Status, f.Detail)
	}
	f = onlyStatus(t, InterpretationLinked(interpSnapshot(j, nil), testEnv()))
	if f.Status != Fail || !strings.Contains(f.Detail, "无法识别对应文件") {
		t.Errorf("InterpretationLinked(no document) = %v (%s), want fail: not linked", f.Status, f.Detail)
	}
}

// Ensure that a 解读 whose 原文 is on another site is not judged.
func TestInterpretationLinked_ExternalDocument(t *testing.T) {
	j := fixturePage(interpURL, `<h1>国务院关于促进养老服务发展的意见解读</h1><p>发布时间：2019-04-16</p><p>原文：<a href="http://www.gov.cn/zhengce/content/2019-04/16/content_5383270.htm">国务院办公厅关于推进养老服务发展的意见</a></p>`)
	s := interpSnapshot(j, fixturePage(policyDocURL, policyDocBody))
	s.Probes = []site.Probe{{URL: "http://www.gov.cn/zhengce/content/2019-04/16/content_5383270.htm", Status: 200, External: true, Referrers: []string{interpURL}}}
	f := onlyStatus(t, InterpretationLinked(s, testEnv()))
	if f.Status != NA || !strings.Contains(f.Detail, "不在本单位网站内") {
		t.Errorf("InterpretationLinked(external 原文) = %v (%s), want na", f.Status, f.Detail)
	}
}

func TestInterpretationLinked_NotApplicable(t *testing.T) {
	for name, s := range map[string]*site.Snapshot{
		"unreachable": {UnitID: "u1", Entry: testEntry, Pages: []*site.Page{{URL: testEntry, Status: 500}}},
		"no column":   policySnapshot(listing(policyURL, docLinkingBack()), docLinkingBack()),
	} {
		t.Run(name, func(t *testing.T) {
			f := onlyStatus(t, InterpretationLinked(s, testEnv()))
			if f.Status != NA || f.Detail == "" {
				t.Errorf("InterpretationLinked(%s) = %v (%q), want na with a reason", name, f.Status, f.Detail)
			}
		})
	}
}

func TestRelatedTitles(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want bool
	}{
		{"关于印发《北仑区养老服务补贴管理办法》的通知", "《北仑区养老服务补贴管理办法》政策解读", true},
		{"关于印发《北仑区养老服务补贴管理办法》的通知", "一图读懂北仑区养老服务补贴管理办法", true},
		{"北仑区戚家山街道关于做好2020年就业创业工作的通知", "一图读懂《北仑区戚家山街道关于做好2020年就业创业工作的通知》", true},
		{"北仑区社会救助家庭经济状况核对办法", "《北仑区养老服务补贴管理办法》政策解读", false},
		{"关于进一步加强消防安全工作的实施意见", "关于进一步加强城市管理工作的实施意见解读", false},
		{"通知", "解读", false},
	} {
		if got := relatedTitles(tt.a, tt.b); got != tt.want {
			t.Errorf("relatedTitles(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func FuzzRelatedTitles(f *testing.F) {
	f.Add("关于印发《某办法》的通知", "《某办法》解读")
	f.Add("", "》《")
	f.Fuzz(func(t *testing.T, a, b string) {
		if relatedTitles(a, b) != relatedTitles(b, a) {
			t.Errorf("relatedTitles(%q, %q) is not symmetric", a, b)
		}
	})
}

func FuzzPageLinks(f *testing.F) {
	f.Add(`<p>相关文件：<a href="../a.html">《某办法》</a></p><div class="nav"><a href="/">首页</a></div>`)
	f.Add(`<a href="javascript:void(0)">x</a><a href="#top">y</a>`)
	f.Fuzz(func(t *testing.T, body string) {
		for _, l := range pageLinks(fixturePage(interpURL, body)) {
			if !strings.HasPrefix(l.URL, "http") && !strings.Contains(l.URL, ":") {
				t.Errorf("pageLinks gave an unresolved URL %q", l.URL)
			}
		}
	})
}

// Ensure that a 政策文件 link to a list page (the column under another URL
// form) is not taken for the 解读's document.
func TestInterpretationLinked_ListPageIsNoDocument(t *testing.T) {
	j := fixturePage(interpURL, `<div class="article"><h1>《北仑区养老服务补贴管理办法》政策解读</h1><p>发布时间：2019-03-01</p>
		<p class="more"><a href="/xxgk/zcwj/">政策文件</a></p></div>`)
	dir := fixturePage("http://gov.example/xxgk/zcwj/", `<ul>
		<li><a href="/xxgk/zcwj/a.html">北仑区社会救助家庭经济状况核对办法</a> 2019-01-02</li>
		<li><a href="/xxgk/zcwj/b.html">北仑区临时救助实施细则</a> 2019-01-03</li>
		<li><a href="/xxgk/zcwj/c.html">北仑区养老机构等级评定办法</a> 2019-01-04</li></ul>`)
	s := interpSnapshot(j, docLinkingBack())
	s.Pages = append(s.Pages, dir)
	f := onlyStatus(t, InterpretationLinked(s, testEnv()))
	if f.Status != Fail || !strings.Contains(f.Detail, "未链接政策原文") || strings.Contains(f.Detail, "核对办法") {
		t.Errorf("InterpretationLinked(link to a list) = %v (%s), want fail: no link to the document", f.Status, f.Detail)
	}
}
