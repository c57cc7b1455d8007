package checks

import (
	"strings"
	"testing"

	"gkaudit/config"
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
