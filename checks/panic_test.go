package checks

import (
	"errors"
	"strings"
	"testing"

	"gkaudit/config"
	"gkaudit/page"
	"gkaudit/site"
)

// Ensure that a rule that panics on one page yields one error finding that
// names the rule and that page, and that the run's other checks go on.
func TestRunUnitCheck_PanicNamesRuleAndPage(t *testing.T) {
	s := &site.Snapshot{UnitID: "u1", Entry: "http://g.example/", Pages: []*site.Page{
		{URL: "http://g.example/", Status: 200, Body: []byte("<a href='/a.html'>甲</a>")},
		{URL: "http://g.example/a.html", Status: 200, Body: []byte("<p>甲</p>")},
		{URL: "http://g.example/bad.html", Status: 200, Body: []byte("<p>坏</p>")},
		{URL: "http://g.example/c.html", Status: 200, Body: []byte("<p>丙</p>")},
	}}
	bad := Check{ID: "test.panics", Rule: "测试规则", Run: func(s *site.Snapshot, env Env) []Finding {
		for _, p := range s.Pages {
			if strings.Contains(viewOf(p).Main, "坏") {
				var m map[string]int
				m["x"]++ // nil map write: a bug in the rule
			}
		}
		return []Finding{{Subject: "ok", Status: Pass}}
	}}
	fs := stamp(bad, "u1", runUnitCheck(bad, s, Env{}))
	if len(fs) != 1 {
		t.Fatalf("findings = %+v, want one error finding", fs)
	}
	f := fs[0]
	if f.Status != Error || f.Check != "test.panics" || f.Unit != "u1" || f.URL != "http://g.example/bad.html" {
		t.Errorf("finding = %+v, want error on bad.html of test.panics", f)
	}
	if !strings.Contains(f.Detail, "test.panics") || !strings.Contains(f.Detail, "bad.html") || !strings.Contains(f.Evidence.ErrorRaw, "panic") {
		t.Errorf("detail %q / raw %q should name the rule, the page and the panic", f.Detail, f.Evidence.ErrorRaw)
	}

	// A rule that panics whatever the pages names the snapshot, not a page.
	always := Check{ID: "test.always", Run: func(*site.Snapshot, Env) []Finding { panic("boom") }}
	if fs := runUnitCheck(always, s, Env{}); len(fs) != 1 || fs[0].Status != Error || fs[0].URL != s.Entry {
		t.Errorf("always-panicking rule: %+v", fs)
	}

	// The run goes on: the checks after the panicking ones give their findings.
	good := Check{ID: "test.good", Run: func(*site.Snapshot, Env) []Finding { return []Finding{{Subject: "x", Status: Pass}} }}
	fs = runChecks([]Check{always, bad, good}, s, Env{Unit: testEnv().Unit})
	if len(fs) != 3 || fs[2].Check != "test.good" || fs[2].Status != Pass || fs[0].Status != Error || fs[1].Status != Error {
		t.Errorf("run over a panicking rule: %+v", fs)
	}
}

// Ensure that a panicking district rule yields an error finding per unit,
// and that the district checks after it still run.
func TestRunDistrict_Panic(t *testing.T) {
	counts := []UnitCount{{Unit: config.Unit{ID: "a", URL: "http://a.example/"}}, {Unit: config.Unit{ID: "b", URL: "http://b.example/"}}}
	bad := Check{ID: "test.district", District: func([]UnitCount, Env) []Finding { panic("boom") }}
	good := Check{ID: "test.after", District: func(cs []UnitCount, _ Env) []Finding {
		return []Finding{{Unit: cs[0].Unit.ID, Subject: "x", Status: Pass}}
	}}
	fs := runDistrict([]Check{bad, good}, counts, Env{})
	if len(fs) != 3 || fs[0].Unit != "a" || fs[1].Unit != "b" || fs[0].Status != Error || fs[0].Check != "test.district" ||
		!strings.Contains(fs[0].Detail, "test.district") || fs[2].Check != "test.after" {
		t.Errorf("findings = %+v", fs)
	}
}

// Ensure that checks given a crawl's view skeletons say they could not
// judge instead of judging what the skeletons leave out.
func TestRun_SkeletonViewsAreAnError(t *testing.T) {
	p := &site.Page{URL: "http://g.example/", Status: 200, Body: []byte("<title>甲</title><p>乙</p>")}
	p.View = viewOf(p).Skeleton()
	s := &site.Snapshot{Entry: p.URL, Pages: []*site.Page{p}}
	fs := Run(s, testEnv())
	if len(fs) == 0 {
		t.Fatal("no findings")
	}
	for _, f := range fs {
		if f.Status != Error || f.Subject != "views" {
			t.Errorf("%s: %s %q, want an error on the views", f.Check, f.Status, f.Detail)
		}
	}
}

// Ensure that checks given skeleton views with a reader read whole views
// back only where they need them: the nightly checks a re-run judges again
// (link.broken, site.reachable) read back only the short page (a soft 404
// is short) and the one that did not answer 2xx, and their findings are
// those on whole views. A failed read makes the check's findings one error.
func TestRun_SkeletonsReadBackOnDemand(t *testing.T) {
	long := "<p>" + strings.Repeat("本站政务公开栏目内容。", 40) + "</p>"
	entry := &site.Page{URL: "http://g.example/", Status: 200, Body: []byte("<title>首页</title><a href='/a.html'>甲</a><a href='/gone.html'>乙</a>" + long)}
	article := &site.Page{URL: "http://g.example/a.html", Status: 200, Body: []byte("<title>甲</title>" + long)}
	gone := &site.Page{URL: "http://g.example/gone.html", Status: 200, Body: []byte("<title>乙</title><p>对不起，您访问的页面不存在！</p>")}
	forbidden := &site.Page{URL: "http://g.example/f.html", Status: 403, Body: []byte("<title>403</title><p>您的访问被网站防火墙拦截</p>")}
	env := testEnv()
	s := &site.Snapshot{Entry: entry.URL, Pages: []*site.Page{entry, article, gone, forbidden}}
	for _, p := range s.Pages {
		p.Links = viewOf(p).Links
	}
	ids := []string{"link.broken", "site.reachable"}
	want := RunOnly(s, env, ids)

	whole := map[*site.Page]*page.View{}
	var read []string
	for _, p := range s.Pages {
		whole[p] = p.View
		p.View = p.View.Skeleton()
	}
	s.ReadViewsWith(func(p *site.Page) (*page.View, error) {
		read = append(read, p.URL)
		return whole[p], nil
	}, 4)
	got := RunOnly(s, env, ids)
	if len(got) != len(want) {
		t.Fatalf("on skeletons: %d findings, on whole views %d\n%+v\n%+v", len(got), len(want), got, want)
	}
	broken := false
	for i := range got {
		if got[i].Check != want[i].Check || got[i].Status != want[i].Status || got[i].Detail != want[i].Detail {
			t.Errorf("finding %d on skeletons = %s %s %q, on whole views %s %s %q", i, got[i].Check, got[i].Status, got[i].Detail, want[i].Check, want[i].Status, want[i].Detail)
		}
		broken = broken || got[i].Check == "link.broken" && got[i].Status == Fail && strings.Contains(got[i].Detail, "软 404")
	}
	if !broken {
		t.Errorf("the soft 404 was not found: %+v", got)
	}
	if strings.Join(read, " ") != gone.URL+" "+forbidden.URL {
		t.Errorf("whole views read back: %q, want only the short page's and the 403's", read)
	}

	// Without a reader the checks say they could not judge.
	s.DropViewReader()
	if fs := RunOnly(s, env, ids); len(fs) == 0 || fs[0].Subject != "views" || fs[0].Status != Error {
		t.Errorf("on skeletons without a reader: %+v", fs)
	}
	// A read that fails makes the check that read an error, not a judgement
	// of an empty page.
	s.ReadViewsWith(func(p *site.Page) (*page.View, error) { return nil, errors.New("数据库损坏") }, 4)
	fs := RunOnly(s, env, ids)
	for _, f := range fs {
		if f.Check == "link.broken" && (f.Status != Error || !strings.Contains(f.Detail, "数据库损坏")) {
			t.Errorf("link.broken on a failed read: %s %q", f.Status, f.Detail)
		}
		if f.Check == "site.reachable" && f.Status == Error {
			t.Errorf("site.reachable reads no view but failed: %q", f.Detail)
		}
	}
}
