package score_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"gkaudit/checks"
	"gkaudit/config"
	"gkaudit/score"
)

func mustDefault(t *testing.T) *config.Config {
	t.Helper()
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// fd builds a finding of unit u.
func fd(u, check, subject string, st checks.Status) checks.Finding {
	return checks.Finding{Unit: u, Check: check, Subject: subject, Status: st, URL: "http://x.gov.cn/" + subject, Detail: check + " " + string(st)}
}

// allPass returns a passing finding of unit u for every check the default
// rubric's auto and mixed items name, with the given key areas.
func allPass(u string, areas ...string) []checks.Finding {
	var fs []checks.Finding
	for _, id := range []string{"org.info", "guide.present", "guide.elements", "catalog.present", "catalog.metadata",
		"report.annual", "report.sections", "decision.consultation", "policy.validity", "carrier.column",
		"site.reachable", "link.broken", "column.empty", "newmedia.links", "interpretation.linked",
		"interpretation.sync", "channel.apply"} {
		fs = append(fs, fd(u, id, "", checks.Pass))
	}
	for _, a := range areas {
		fs = append(fs, fd(u, "keyarea."+a, a, checks.Pass))
	}
	return fs
}

func item(t *testing.T, c score.Card, id string) score.ItemScore {
	t.Helper()
	for _, it := range c.Items {
		if it.ID == id {
			return it
		}
	}
	t.Fatalf("card %s has no item %s", c.Unit, id)
	return score.ItemScore{}
}

func deduction(t *testing.T, c score.Card, id string) score.DeductionScore {
	t.Helper()
	for _, d := range c.Deductions {
		if d.ID == id {
			return d
		}
	}
	t.Fatalf("card %s has no deduction %s", c.Unit, id)
	return score.DeductionScore{}
}

var xinqi = config.Unit{ID: "xinqi", Name: "新碶街道", Kind: config.KindStreet}

// Ensure that a unit passing every check gets every auto point, and that the
// manual items, manual deductions and bonuses are pending.
func TestCompute_AllPass(t *testing.T) {
	cfg := mustDefault(t)
	cards := score.Compute(cfg, []config.Unit{xinqi}, allPass("xinqi", "budget", "public_welfare", "major_projects"))
	if len(cards) != 1 {
		t.Fatalf("Compute returned %d cards, want 1", len(cards))
	}
	c := cards[0]
	if c.Unit != "xinqi" || c.Name != "新碶街道" || c.Kind != config.KindStreet || c.Rank != 1 {
		t.Errorf("card header = %s %s %s rank %d", c.Unit, c.Name, c.Kind, c.Rank)
	}
	if c.AutoMax != 65 || c.Objective != 65 || c.AutoPoints != 65 || c.Deducted != 0 {
		t.Errorf("objective %v of %v (auto %v, deducted %v), want 65 of 65", c.Objective, c.AutoMax, c.AutoPoints, c.Deducted)
	}
	// 7 manual items, 2 manual deductions, 2 bonuses.
	if len(c.Pending) != 11 {
		t.Errorf("pending = %d lines, want 11: %+v", len(c.Pending), c.Pending)
	}
	if it := item(t, c, "press"); it.Source != score.Pending || it.Points != 0 {
		t.Errorf("manual item press = %v %v, want pending 0", it.Points, it.Source)
	}
	if it := item(t, c, "decision"); it.Source != score.Auto || it.Mode != "mixed" || it.Note == "" {
		t.Errorf("mixed item decision = %s mode %s note %q, want auto, mixed, a note", it.Source, it.Mode, it.Note)
	}
	if it := item(t, c, "key_areas"); it.Passed != 3 || it.Judged != 3 || len(it.Findings) != 3 {
		t.Errorf("key_areas: %d/%d checks, %d findings, want 3/3 and 3", it.Passed, it.Judged, len(it.Findings))
	}
}

// Ensure that item points follow the share of judged checks that pass,
// rounded to 0.5, and that an item whose checks could not judge is pending.
func TestCompute_Items(t *testing.T) {
	tests := []struct {
		name     string
		findings []checks.Finding
		item     string
		points   float64
		source   score.Source
		why      string // in Note
	}{
		{"one of one passes", []checks.Finding{fd("xinqi", "org.info", "", checks.Pass)}, "org", 5, score.Auto, ""},
		{"one of one fails", []checks.Finding{fd("xinqi", "org.info", "", checks.Fail)}, "org", 0, score.Auto, ""},
		{"fail wins over pass in one check", []checks.Finding{
			fd("xinqi", "org.info", "a", checks.Pass), fd("xinqi", "org.info", "b", checks.Fail)}, "org", 0, score.Auto, ""},
		{"three of four: 3.75 rounds to 4", []checks.Finding{
			fd("xinqi", "guide.present", "", checks.Pass), fd("xinqi", "guide.elements", "", checks.Fail),
			fd("xinqi", "catalog.present", "", checks.Pass), fd("xinqi", "catalog.metadata", "", checks.Pass)}, "guide_catalog", 4, score.Auto, ""},
		{"one of three judged: 1.67 rounds to 1.5, na ignored", []checks.Finding{
			fd("xinqi", "guide.present", "", checks.Pass), fd("xinqi", "guide.elements", "", checks.Fail),
			fd("xinqi", "catalog.present", "", checks.NA), fd("xinqi", "catalog.metadata", "", checks.Fail)}, "guide_catalog", 1.5, score.Auto, ""},
		{"all na: site unreachable", []checks.Finding{
			fd("xinqi", "site.reachable", "", checks.Fail),
			{Unit: "xinqi", Check: "org.info", Status: checks.NA, Detail: "入口页面无法访问"}}, "org", 0, score.Pending, "org.info 无法判断（入口页面无法访问）"},
		{"error does not count", []checks.Finding{fd("xinqi", "report.annual", "", checks.Error)}, "annual_report", 0, score.Pending, "report.sections 没有结果"},
		{"no findings", nil, "interpretation", 0, score.Pending, "interpretation.linked 没有结果"},
		{"unreachable site still scores the website item", []checks.Finding{
			fd("xinqi", "site.reachable", "", checks.Fail), fd("xinqi", "link.broken", "", checks.NA)}, "website", 0, score.Auto, ""},
		{"keyarea.* two of three areas", []checks.Finding{
			fd("xinqi", "keyarea.budget", "budget", checks.Pass), fd("xinqi", "keyarea.public_welfare", "public_welfare", checks.Fail),
			fd("xinqi", "keyarea.major_projects", "major_projects", checks.Pass)}, "key_areas", 13.5, score.Auto, ""},
		{"keyarea.* na area ignored", []checks.Finding{
			fd("xinqi", "keyarea.budget", "budget", checks.Pass), fd("xinqi", "keyarea.public_welfare", "public_welfare", checks.NA)}, "key_areas", 20, score.Auto, ""},
		{"other units' findings ignored", []checks.Finding{
			fd("daqi", "org.info", "", checks.Fail), fd("xinqi", "org.info", "", checks.Pass)}, "org", 5, score.Auto, ""},
		{"manual item", allPass("xinqi"), "leadership", 0, score.Pending, "待审核人评分"},
	}
	cfg := mustDefault(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := score.Compute(cfg, []config.Unit{xinqi}, tt.findings)[0]
			it := item(t, c, tt.item)
			if it.Points != tt.points || it.Source != tt.source || !strings.Contains(it.Note, tt.why) {
				t.Errorf("item %s = %v %s (%q), want %v %s (%q)", tt.item, it.Points, it.Source, it.Note, tt.points, tt.source, tt.why)
			}
			pending := false
			for _, p := range c.Pending {
				if p.Kind == "item" && p.ID == tt.item {
					pending = true
				}
			}
			if pending != (tt.source == score.Pending) {
				t.Errorf("item %s listed as pending: %v, want %v", tt.item, pending, tt.source == score.Pending)
			}
		})
	}
}

// Ensure that the keyarea.* prefix reports one result per area, sorted.
func TestCompute_KeyAreaChecks(t *testing.T) {
	c := score.Compute(mustDefault(t), []config.Unit{xinqi}, []checks.Finding{
		fd("xinqi", "keyarea.public_welfare", "", checks.Fail),
		fd("xinqi", "keyarea.budget", "", checks.Pass),
		fd("xinqi", "keyarea.budget", "x", checks.Pass),
	})[0]
	it := item(t, c, "key_areas")
	var got []string
	for _, cr := range it.Checks {
		got = append(got, cr.ID+"="+cr.Status)
	}
	if want := "keyarea.budget=pass keyarea.public_welfare=fail"; strings.Join(got, " ") != want {
		t.Errorf("key_areas checks = %v, want %s", got, want)
	}
	if it.Points != 10 || len(it.Findings) != 3 {
		t.Errorf("key_areas = %v points, %d findings; want 10, 3", it.Points, len(it.Findings))
	}
}

// Ensure that deductions count failing findings per subject, once at most
// once, capped at max; and that lines without findings or checks apply 0.
func TestCompute_Deductions(t *testing.T) {
	stale := func(n int) []checks.Finding {
		var fs []checks.Finding
		for i := range n {
			fs = append(fs, fd("xinqi", "column.stale", string(rune('a'+i)), checks.Fail))
		}
		return append(fs, fd("xinqi", "column.stale", "fresh", checks.Pass))
	}
	capped := mustDefault(t)
	capped.Rubric.Deductions[0].Max = 2 // stale_column
	tests := []struct {
		name      string
		cfg       *config.Config
		findings  []checks.Finding
		id        string
		count     int
		deducted  float64
		objective float64 // with org.info passing: 5 - deductions
	}{
		{"three stale columns", mustDefault(t), stale(3), "stale_column", 3, 3, 2},
		{"a subject counts once", mustDefault(t), append(stale(2), fd("xinqi", "column.stale", "a", checks.Fail)), "stale_column", 2, 2, 3},
		{"capped by max", capped, stale(4), "stale_column", 4, 2, 3},
		{"no stale column", mustDefault(t), stale(0), "stale_column", 0, 0, 5},
		{"low volume once", mustDefault(t), []checks.Finding{
			fd("xinqi", "volume.low", "2019", checks.Fail), fd("xinqi", "volume.low", "2018", checks.Fail)}, "low_volume", 2, 2, 3},
		{"low volume not reported", mustDefault(t), nil, "low_volume", 0, 0, 5},
		{"overdue rectification has no checks", mustDefault(t), stale(1), "overdue_rectification", 0, 0, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := append([]checks.Finding{fd("xinqi", "org.info", "", checks.Pass)}, tt.findings...)
			c := score.Compute(tt.cfg, []config.Unit{xinqi}, fs)[0]
			d := deduction(t, c, tt.id)
			if d.Count != tt.count || d.Deducted != tt.deducted || d.Source != score.Auto {
				t.Errorf("%s = count %d, -%v, %s; want %d, -%v, auto", tt.id, d.Count, d.Deducted, d.Source, tt.count, tt.deducted)
			}
			if tt.deducted == 0 && d.Note == "" {
				t.Errorf("%s applies 0 without a note", tt.id)
			}
			if c.Objective != tt.objective {
				t.Errorf("objective = %v, want %v", c.Objective, tt.objective)
			}
		})
	}
	c := score.Compute(mustDefault(t), []config.Unit{xinqi}, nil)[0]
	if d := deduction(t, c, "major_error"); d.Source != score.Pending || d.Deducted != 0 {
		t.Errorf("manual deduction major_error = %s -%v, want pending 0", d.Source, d.Deducted)
	}
}

// Ensure that equal subtotals share a rank and that cards keep unit order.
func TestCompute_RankTies(t *testing.T) {
	units := []config.Unit{{ID: "a", Name: "甲"}, {ID: "b", Name: "乙"}, {ID: "c", Name: "丙"}, {ID: "d", Name: "丁"}, {ID: "e", Name: "戊"}}
	fs := []checks.Finding{
		fd("a", "org.info", "", checks.Pass),                                            // 5
		fd("b", "org.info", "", checks.Pass), fd("b", "channel.apply", "", checks.Pass), // 10
		fd("c", "org.info", "", checks.Pass), fd("c", "newmedia.links", "", checks.Pass), // 10
		fd("d", "org.info", "", checks.Fail), // 0
		fd("e", "org.info", "", checks.Pass), // 5
	}
	cards := score.Compute(mustDefault(t), units, fs)
	var got []string
	for _, c := range cards {
		got = append(got, fmt.Sprintf("%s:%d", c.Unit, c.Rank))
	}
	if want := "a:3 b:1 c:1 d:5 e:3"; strings.Join(got, " ") != want {
		t.Errorf("ranks = %v, want %s", got, want)
	}
}

// Ensure that a district's own rubric (weights, mappings) changes the scores
// without a code change.
func TestCompute_CustomRubric(t *testing.T) {
	yaml := `rubric:
  year: 2019
  items:
    - {id: org, category: 主动公开, name: 组织机构, points: 10, mode: auto, checks: [org.info, guide.present]}
    - {id: areas, category: 主动公开, name: 重点领域, points: 30, mode: auto, checks: ["keyarea.*"]}
    - {id: leaders, category: 基础工作, name: 组织领导, points: 5, mode: manual}
  deductions:
    - {id: stale, text: 栏目未及时更新, points: 0.5, max: 1, mode: auto, checks: [column.stale]}
  bonuses: []
`
	custom, err := config.Parse("custom.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	fs := []checks.Finding{
		fd("xinqi", "org.info", "", checks.Pass), fd("xinqi", "guide.present", "", checks.Fail),
		fd("xinqi", "keyarea.budget", "", checks.Pass), fd("xinqi", "keyarea.public_welfare", "", checks.Pass),
		fd("xinqi", "keyarea.major_projects", "", checks.Fail),
		fd("xinqi", "column.stale", "news", checks.Fail), fd("xinqi", "column.stale", "notice", checks.Fail), fd("xinqi", "column.stale", "plan", checks.Fail),
	}
	def := score.Compute(mustDefault(t), []config.Unit{xinqi}, fs)[0]
	got := score.Compute(custom, []config.Unit{xinqi}, fs)[0]
	// Default: org 5 + guide_catalog 0 + key_areas 13.5 - 3 stale.
	if def.Objective != 15.5 {
		t.Errorf("default objective = %v, want 15.5", def.Objective)
	}
	// Custom: org 10×1/2 + areas 30×2/3 - min(3×0.5, 1).
	if got.Objective != 24 || got.AutoMax != 40 || len(got.Items) != 3 || len(got.Pending) != 1 {
		t.Errorf("custom objective = %v of %v, %d items, %d pending; want 24 of 40, 3, 1", got.Objective, got.AutoMax, len(got.Items), len(got.Pending))
	}
}

// Ensure that reviews score manual lines and overrule auto ones, the latest
// review winning, points clamped to the line's range.
func TestCompute_Reviews(t *testing.T) {
	t0 := time.Date(2020, 3, 2, 9, 0, 0, 0, time.UTC)
	reviews := []score.Review{
		{Unit: "xinqi", Item: "leadership", Points: 4, By: "王", At: t0, Why: "材料齐全"},
		{Unit: "xinqi", Item: "leadership", Points: 3, By: "李", At: t0.Add(-time.Hour)}, // older: loses
		{Unit: "xinqi", Item: "org", Points: 9, By: "王", At: t0, Why: "误报"},             // clamped to 5
		{Unit: "xinqi", Item: "major_error", Points: 3, By: "王", At: t0},
		{Unit: "xinqi", Item: "press_conference", Points: 5, By: "王", At: t0},
		{Unit: "nosuch", Item: "org", Points: 5, By: "王", At: t0},
	}
	fs := []checks.Finding{fd("xinqi", "org.info", "", checks.Fail), fd("xinqi", "channel.apply", "", checks.Pass)}
	c := score.Compute(mustDefault(t), []config.Unit{xinqi}, fs, reviews...)[0]
	if it := item(t, c, "leadership"); it.Points != 4 || it.Source != score.Manual || it.Review == nil || it.Review.By != "王" {
		t.Errorf("leadership = %v %s %+v, want 4 manual by 王", it.Points, it.Source, it.Review)
	}
	if it := item(t, c, "org"); it.Points != 5 || it.Source != score.Manual || !strings.Contains(it.Note, "取代自动检查") {
		t.Errorf("org = %v %s %q, want 5 manual overruling the checks", it.Points, it.Source, it.Note)
	}
	if d := deduction(t, c, "major_error"); d.Deducted != 3 || d.Source != score.Manual {
		t.Errorf("major_error = -%v %s, want -3 manual", d.Deducted, d.Source)
	}
	// Objective: apply_channel 5 only (org was overruled: manual now).
	// Reviewed: leadership 4 + org 5 + bonus 5 - 3.
	if c.Objective != 5 || c.Reviewed != 11 || c.Total != 16 {
		t.Errorf("objective %v, reviewed %v, total %v; want 5, 11, 16", c.Objective, c.Reviewed, c.Total)
	}
	// 8 auto items without findings, 6 unreviewed manual items, 1 manual
	// deduction, 1 bonus.
	if len(c.Pending) != 16 {
		t.Errorf("pending = %d, want 16: %+v", len(c.Pending), c.Pending)
	}
}

// Ensure that Compute is deterministic and returns empty lists, not nil.
func TestCompute_Deterministic(t *testing.T) {
	cfg := mustDefault(t)
	fs := allPass("xinqi", "budget")
	a := score.Compute(cfg, []config.Unit{xinqi}, fs)
	b := score.Compute(cfg, []config.Unit{xinqi}, fs)
	if len(a) != 1 || len(b) != 1 || a[0].Objective != b[0].Objective || len(a[0].Items) != len(b[0].Items) {
		t.Fatal("Compute differs between calls")
	}
	c := score.Compute(cfg, []config.Unit{{ID: "empty"}}, nil)[0]
	if c.Items == nil || c.Deductions == nil || c.Bonuses == nil || c.Pending == nil {
		t.Errorf("card lists are nil: %+v", c)
	}
}
