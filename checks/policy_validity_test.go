package checks

import (
	"strings"
	"testing"

	"gkaudit/site"
)

const policyURL = "http://gov.example/xxgk/zcwj/index.html"

// policySnapshot is a unit whose 政策文件 column is the given list page.
func policySnapshot(list *site.Page, others ...*site.Page) *site.Snapshot {
	s := &site.Snapshot{UnitID: "u1", Entry: testEntry}
	link := site.Link{URL: list.URL, Text: "政策文件"}
	s.Columns = append(s.Columns, site.Column{Kind: "policy", Name: link.Text, URL: list.URL, Source: "link", From: testEntry})
	s.Pages = append([]*site.Page{entryPage(testEntry, link), list}, others...)
	return s
}

func TestPolicyValidity_Fixtures(t *testing.T) {
	for _, fx := range fixtures(t, "policy.validity") {
		t.Run(fx.name, func(t *testing.T) {
			p := loadPage(t, fx.path, docURL)
			f := onlyStatus(t, PolicyValidity(policySnapshot(listing(policyURL, p), p), testEnv()))
			if f.Status != fx.want {
				t.Errorf("PolicyValidity(%s) = %v (%s), want %v", fx.name, f.Status, f.Detail, fx.want)
			}
			if f.Subject != docURL || f.Evidence.SHA256 != p.SHA256 {
				t.Errorf("PolicyValidity(%s) subject %s evidence %+v, want the document page", fx.name, f.Subject, f.Evidence)
			}
		})
	}
}

// Ensure that a label in the list counts: a 【有效】 tag beside the title, or
// a status column of the list table.
func TestPolicyValidity_ListLabel(t *testing.T) {
	a := fixturePage("http://gov.example/xxgk/zcwj/1.html", `<h1>北仑区养老服务补贴管理办法</h1><p>索引号：A 发布机构：区民政局</p>`)
	b := fixturePage("http://gov.example/xxgk/zcwj/2.html", `<h1>北仑区社会救助家庭经济状况核对办法</h1><p>索引号：B 发布机构：区民政局</p>`)
	c := fixturePage("http://gov.example/xxgk/zcwj/3.html", `<h1>北仑区临时救助实施细则</h1><p>索引号：C 发布机构：区民政局</p>`)
	for name, list := range map[string]*site.Page{
		"tag": fixturePage(policyURL, `<ul>
			<li><a href="/xxgk/zcwj/1.html">北仑区养老服务补贴管理办法</a> <span class="yx">【有效】</span> <span>2019-03-05</span></li>
			<li><a href="/xxgk/zcwj/2.html">北仑区社会救助家庭经济状况核对办法</a> <span class="yx">【失效】</span> <span>2016-03-05</span></li>
			<li><a href="/xxgk/zcwj/3.html">北仑区临时救助实施细则</a> <span>2019-08-01</span></li></ul>`),
		"table": fixturePage(policyURL, `<table><tr><th>文件名称</th><th>文号</th><th>有效性</th><th>发布日期</th></tr>
			<tr><td><a href="/xxgk/zcwj/1.html">北仑区养老服务补贴管理办法</a></td><td>仑民〔2019〕3号</td><td>现行有效</td><td>2019-03-05</td></tr>
			<tr><td><a href="/xxgk/zcwj/2.html">北仑区社会救助家庭经济状况核对办法</a></td><td>仑民〔2016〕9号</td><td>已废止</td><td>2016-03-05</td></tr>
			<tr><td><a href="/xxgk/zcwj/3.html">北仑区临时救助实施细则</a></td><td>仑民〔2019〕12号</td><td></td><td>2019-08-01</td></tr></table>`),
	} {
		t.Run(name, func(t *testing.T) {
			fs := PolicyValidity(policySnapshot(list, a, b, c), testEnv())
			got := map[string]Status{}
			for _, f := range fs {
				got[f.Subject] = f.Status
			}
			want := map[string]Status{a.URL: Pass, b.URL: Pass, c.URL: Fail}
			for u, w := range want {
				if got[u] != w {
					t.Errorf("PolicyValidity(%s)[%s] = %v, want %v (%+v)", name, u, got[u], w, fs)
				}
			}
		})
	}
}

// Ensure that a 解读 listed in the policy column is not judged as a document.
func TestPolicyValidity_SkipsInterpretation(t *testing.T) {
	j := fixturePage("http://gov.example/xxgk/zcwj/jd1.html", `<h1>《北仑区养老服务补贴管理办法》政策解读</h1>`)
	f := onlyStatus(t, PolicyValidity(policySnapshot(listing(policyURL, j), j), testEnv()))
	if f.Status != NA {
		t.Errorf("PolicyValidity(only a 解读) = %v (%s), want na", f.Status, f.Detail)
	}
}

func TestPolicyValidity_NotApplicable(t *testing.T) {
	for name, s := range map[string]*site.Snapshot{
		"unreachable": {UnitID: "u1", Entry: testEntry, Pages: []*site.Page{{URL: testEntry, Err: "timeout"}}},
		"no column":   {UnitID: "u1", Entry: testEntry, Pages: []*site.Page{entryPage(testEntry)}},
		"empty list":  policySnapshot(fixturePage(policyURL, `<p>暂无信息</p>`)),
	} {
		t.Run(name, func(t *testing.T) {
			f := onlyStatus(t, PolicyValidity(s, testEnv()))
			if f.Status != NA || f.Detail == "" {
				t.Errorf("PolicyValidity(%s) = %v (%q), want na with a reason", name, f.Status, f.Detail)
			}
		})
	}
}

func FuzzListValidity(f *testing.F) {
	f.Add(`<ul><li><a href="/1.html">某办法</a>【有效】</li></ul>`)
	f.Add(`<table><tr><td><a href="x">a</a></td><td>失效</td></tr></table>`)
	f.Fuzz(func(t *testing.T, body string) {
		for u, w := range listValidity(fixturePage(policyURL, body), policyValidityTerms["policy.validity.labels"]) {
			if u == "" || !strings.Contains(strings.Join(policyValidityTerms["policy.validity.labels"], " "), w) {
				t.Errorf("listValidity = %q: %q, want a URL and a known label", u, w)
			}
		}
	})
}
