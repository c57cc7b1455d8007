package main

import (
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"gkaudit/checks"
	"gkaudit/score"
	"gkaudit/store"
)

// scoreDB writes a store with one complete run of three units (two of the
// built-in district, one unknown) and returns its path.
func scoreDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "score.db")
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	run, err := db.BeginRun(store.Run{AsOf: "2020-03-01", Units: []string{"xinqi", "finance", "elsewhere"}})
	if err != nil {
		t.Fatal(err)
	}
	f := func(unit, check, subject string, st checks.Status) checks.Finding {
		return checks.Finding{Unit: unit, Check: check, Subject: subject, Status: st, URL: "http://x.gov.cn/" + unit}
	}
	fs := []checks.Finding{
		// xinqi: org 5, key_areas 20×2/3 = 13.5, two stale columns -2.
		f("xinqi", "org.info", "", checks.Pass),
		f("xinqi", "keyarea.budget", "budget", checks.Pass),
		f("xinqi", "keyarea.public_welfare", "public_welfare", checks.Pass),
		f("xinqi", "keyarea.major_projects", "major_projects", checks.Fail),
		f("xinqi", "column.stale", "news", checks.Fail),
		f("xinqi", "column.stale", "notice", checks.Fail),
		// finance: org 0, website 5, newmedia 5.
		f("finance", "org.info", "", checks.Fail),
		f("finance", "site.reachable", "", checks.Pass),
		f("finance", "newmedia.links", "", checks.Pass),
		// elsewhere: unreachable, all na but website 0.
		f("elsewhere", "site.reachable", "", checks.Fail),
		f("elsewhere", "org.info", "", checks.NA),
	}
	if err := db.SaveFindings(run.ID, fs); err != nil {
		t.Fatal(err)
	}
	if err := db.FinishRun(run.ID); err != nil {
		t.Fatal(err)
	}
	return path
}

// Ensure that score prints one line per unit by rank.
func TestRun_ScoreTable(t *testing.T) {
	path := scoreDB(t)
	code, out, stderr := gk(t, "score", "--db", path)
	if code != exitOK {
		t.Fatalf("score = %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("score printed %d lines, want a header and 3 units:\n%s", len(lines), out)
	}
	want := [][]string{
		{"名次", "单位", "名称", "客观分", "自动满分", "扣分", "待评项"},
		{"1", "xinqi", "新碶街道", "16.5", "65", "-2", "19"},
		{"2", "finance", "财政局", "10", "65", "0", "18"},
		{"3", "elsewhere", "elsewhere", "0", "65", "0", "20"},
	}
	for i, l := range lines {
		if got := strings.Fields(l); strings.Join(got, " ") != strings.Join(want[i], " ") {
			t.Errorf("line %d = %q, want %q", i, got, want[i])
		}
	}
}

// Ensure that score --format json prints the full cards, in unit order.
func TestRun_ScoreJSON(t *testing.T) {
	path := scoreDB(t)
	code, out, stderr := gk(t, "score", "--db", path, "--run", "1", "--format", "json")
	if code != exitOK {
		t.Fatalf("score = %d: %s", code, stderr)
	}
	var cards []score.Card
	if err := json.Unmarshal([]byte(out), &cards); err != nil {
		t.Fatalf("score JSON: %v\n%s", err, out)
	}
	if len(cards) != 3 || cards[0].Unit != "xinqi" || cards[2].Unit != "elsewhere" {
		t.Fatalf("cards = %d, want xinqi, finance, elsewhere", len(cards))
	}
	var org score.ItemScore
	for _, it := range cards[2].Items {
		if it.ID == "org" {
			org = it
		}
	}
	if org.Source != score.Pending || len(org.Findings) != 1 || org.Findings[0].Status != checks.NA {
		t.Errorf("elsewhere org = %s with %v, want pending behind one na finding", org.Source, org.Findings)
	}
	for _, key := range []string{`"mode": "mixed"`, `"source": "pending"`, `"objective": 16.5`, `"rank": 1`} {
		if !strings.Contains(out, key) {
			t.Errorf("score JSON lacks %s", key)
		}
	}
}

// Ensure that score --format csv prints a row per unit and rubric line.
func TestRun_ScoreCSV(t *testing.T) {
	path := scoreDB(t)
	code, out, stderr := gk(t, "score", "--db", path, "--format", "csv")
	if code != exitOK {
		t.Fatalf("score = %d: %s", code, stderr)
	}
	body, ok := strings.CutPrefix(out, "\ufeff")
	if !ok {
		t.Errorf("csv does not start with a UTF-8 BOM: %q", out[:min(len(out), 20)])
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// 17 items, 5 deductions, 2 bonuses of the built-in rubric per unit.
	if len(rows) != 1+3*(17+5+2) {
		t.Fatalf("csv has %d rows, want %d", len(rows), 1+3*24)
	}
	if got := strings.Join(rows[0], ","); got != "unit,kind,item,category,name,max,points,source,checks" {
		t.Errorf("csv header = %s", got)
	}
	want := map[string]string{
		"xinqi key_areas":      "20 13.5 auto keyarea.budget=pass;keyarea.major_projects=fail;keyarea.public_welfare=pass",
		"xinqi stale_column":   " -2 auto column.stale=fail",
		"xinqi low_volume":     "-2 0 auto volume.low=absent",
		"finance org":          "5 0 auto org.info=fail",
		"elsewhere org":        "5 0 pending org.info=na",
		"elsewhere leadership": "5 0 pending ",
	}
	for _, r := range rows[1:] {
		if w, ok := want[r[0]+" "+r[2]]; ok {
			if got := strings.Join(r[5:], " "); got != w {
				t.Errorf("%s %s = %q, want %q", r[0], r[2], got, w)
			}
			delete(want, r[0]+" "+r[2])
		}
	}
	for k := range want {
		t.Errorf("csv has no row %s", k)
	}
}

// Ensure that score rejects bad usage and reports a missing run.
func TestRun_ScoreUsage(t *testing.T) {
	tests := []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"score"}, exitUsage, "需要 --db"},
		{[]string{"score", "--db", "x.db", "--format", "xlsx"}, exitUsage, "只能是 table、json 或 csv"},
		{[]string{"score", "--db", "x.db", "extra"}, exitUsage, `多余的参数 "extra"`},
		{[]string{"score", "--db", filepath.Join(t.TempDir(), "empty.db")}, exitError, "不存在；请检查 --db 路径"}, // a reader creates nothing
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, _, stderr := gk(t, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.err) {
				t.Errorf("run(%q) = %d, stderr %q; want %d and %q", tt.args, code, stderr, tt.code, tt.err)
			}
		})
	}
	code, out, _ := gk(t, "help")
	if code != exitOK || !strings.Contains(out, "gkaudit score --db FILE") {
		t.Errorf("usage lacks the score command:\n%s", out)
	}
}
