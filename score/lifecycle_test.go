package score_test

import (
	"fmt"
	"testing"

	"gkaudit/checks"
	"gkaudit/config"
	"gkaudit/score"
)

// Ensure that overdue findings take the overdue deduction, one point each,
// and that a dismissed finding counts as passing.
func TestComputeWith_OverdueAndDismissed(t *testing.T) {
	cfg := mustDefault(t)
	fs := allPass("xinqi", "budget", "public_welfare", "major_projects")
	org := fd("xinqi", "org.info", "http://x/jgxx/", checks.Fail)
	org.ID = "aaaaaaaaaaaa"
	for i := range fs {
		if fs[i].Check == "org.info" {
			fs[i] = org
		}
	}
	lc := score.Lifecycle{Overdue: map[string][]score.FindingRef{"xinqi": {
		{ID: "b1", Check: "guide.elements", Status: checks.Fail, Subject: "g"},
		{ID: "b2", Check: "link.broken", Status: checks.Fail, Subject: "l"},
	}}}
	c := score.ComputeWith(cfg, []config.Unit{xinqi}, fs, lc)[0]
	if d := deduction(t, c, "overdue_rectification"); d.Count != 2 || d.Deducted != 2 || d.Source != score.Auto {
		t.Errorf("overdue_rectification = %+v, want 2 occurrences, -2", d)
	}
	if it := item(t, c, "org"); it.Points != 0 {
		t.Errorf("org with failing org.info = %v points, want 0", it.Points)
	}

	lc.Dismissed = map[string]string{org.ID: "误判"}
	c = score.ComputeWith(cfg, []config.Unit{xinqi}, fs, lc)[0]
	if it := item(t, c, "org"); it.Points != it.Max {
		t.Errorf("org with dismissed org.info = %v points, want %v", it.Points, it.Max)
	}
}

// Ensure that 5 failing stale news/notice/policy columns, or 5 empty
// columns, put a unit at veto risk, and 4 do not.
func TestVetoRisks(t *testing.T) {
	var fs []checks.Finding
	stale := func(i int, kind string) checks.Finding {
		f := fd("xinqi", "column.stale", fmt.Sprintf("http://x/col%d/", i), checks.Fail)
		f.Kind = kind
		return f
	}
	for i, k := range []string{"news", "news", "notice", "policy"} {
		fs = append(fs, stale(i, k))
	}
	fs = append(fs, stale(10, "plan"), stale(10, "plan")) // one column counted once, under stale_long
	if got := score.VetoRisks(score.DefaultVetoRules(), "xinqi", fs); len(got) != 0 {
		t.Errorf("4 stale columns: risks %+v, want none", got)
	}
	fs = append(fs, stale(5, "policy"))
	got := score.VetoRisks(score.DefaultVetoRules(), "xinqi", fs)
	if len(got) != 1 || got[0].Rule != "stale_frequent" || got[0].Count != 5 {
		t.Errorf("5 stale columns: risks %+v, want stale_frequent with 5", got)
	}
	var empty []checks.Finding
	for i := range 5 {
		empty = append(empty, fd("xinqi", "column.empty", fmt.Sprintf("http://x/e%d/", i), checks.Fail))
	}
	if got := score.VetoRisks(score.DefaultVetoRules(), "xinqi", empty); len(got) != 1 || got[0].Rule != "empty_columns" {
		t.Errorf("5 empty columns: risks %+v, want empty_columns", got)
	}
}

// Ensure that a site.reachable finding failing on the week's probe ratio is
// a 单项否决 risk quoting the ratio, and one failing on this run's fetch alone
// is not.
func TestVetoRisks_Availability(t *testing.T) {
	fetch := fd("xinqi", "site.reachable", "http://x/xxgk/", checks.Fail)
	if got := score.VetoRisks(score.DefaultVetoRules(), "xinqi", []checks.Finding{fetch}); len(got) != 0 {
		t.Errorf("entry fetch failed once: risks %+v, want none", got)
	}
	ratio := fetch
	ratio.Kind = checks.AvailabilityKind
	ratio.Detail = "近7天可用性监测 168 次，失败 12 次（7.1%），达到国办秘函〔2019〕19号单项否决标准（5%）"
	got := score.VetoRisks(score.DefaultVetoRules(), "xinqi", []checks.Finding{ratio})
	if len(got) != 1 || got[0].Rule != "availability" {
		t.Fatalf("12/168 probes failed: risks %+v, want availability", got)
	}
	if want := "站点无法访问：" + ratio.Detail; got[0].Summary() != want {
		t.Errorf("Summary() = %q, want %q", got[0].Summary(), want)
	}
}
