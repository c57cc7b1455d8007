package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"gkaudit/checks"
	"gkaudit/cndate"
	"gkaudit/config"
	"gkaudit/internal/testutil"
	"gkaudit/score"
	"gkaudit/sheet"
	"gkaudit/sim"
	"gkaudit/store"
)

// Ensure that export rejects bad usage in one line, and never creates a
// missing database.
func TestRun_ExportUsage(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.db")
	tests := []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"export"}, exitUsage, "用法：gkaudit export xlsx"},
		{[]string{"export", "pdf"}, exitUsage, `不支持的格式 "pdf"`},
		{[]string{"export", "xlsx"}, exitUsage, "需要 --db"},
		{[]string{"export", "xlsx", "--db", "x.db"}, exitUsage, "需要 --out"},
		{[]string{"export", "xlsx", "--db", "x.db", "--out", "x.xlsx", "extra"}, exitUsage, `多余的参数 "extra"`},
		{[]string{"export", "xlsx", "--bogus"}, exitUsage, "没有参数 -bogus"},
		{[]string{"export", "xlsx", "--db", missing, "--out", filepath.Join(t.TempDir(), "x.xlsx")}, exitError, "不存在；请检查 --db 路径"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, _, stderr := gk(t, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.err) || code == exitError && strings.Count(stderr, "\n") != 1 {
				t.Errorf("run(%q) = %d, stderr %q; want %d and %q", tt.args, code, stderr, tt.code, tt.err)
			}
		})
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Errorf("export created the missing database %s", missing)
	}
	for _, args := range [][]string{{"export", "-h"}, {"export", "xlsx", "-h"}} {
		if code, _, _ := gk(t, args...); code != exitOK {
			t.Errorf("run(%q) = %d, want 0", args, code)
		}
	}
	if code, out, _ := gk(t, "help"); code != exitOK || !strings.Contains(out, "gkaudit export xlsx --db FILE --out FILE.xlsx") {
		t.Errorf("usage lacks the export command:\n%s", out)
	}
}

// lifecycleDB writes a store with two complete runs: after the first, a
// rectification notice with a deadline before the second's as-of date for
// one of xinqi's findings (overdue in run 2), and a reviewer's dismissal of
// one of finance's.
func lifecycleDB(t *testing.T) string {
	return testutil.MustWriteStore(t, func(db *store.DB) {
		f := func(unit, check, subject string, st checks.Status) checks.Finding {
			fd := testutil.Finding(unit, check, "http://www.bl.gov.cn/"+unit+"/"+subject+".html", st)
			fd.Rule = "《政府信息公开条例》（2019）"
			return fd
		}
		fs := []checks.Finding{
			f("xinqi", "org.info", "org", checks.Pass),
			f("xinqi", "keyarea.budget", "budget", checks.Fail),
			f("xinqi", "column.stale", "news", checks.Fail),
			f("finance", "org.info", "org", checks.Fail),
			f("finance", "newmedia.links", "media", checks.Fail),
		}
		units := []string{"xinqi", "finance"}
		testutil.MustAddRun(t, db, store.Run{AsOf: "2020-03-01", Units: units}, fs...)
		budget, media := store.FindingID(store.FindingKey(fs[1])), store.FindingID(store.FindingKey(fs[4]))
		date := time.Date(2020, 3, 2, 0, 0, 0, 0, cndate.Shanghai)
		if _, err := db.IssueNotice(store.Issue{Kind: store.NoticeRectification, Unit: "xinqi", Date: date, By: "张三", Run: "000001",
			Findings: []string{budget}, Deadlines: map[string]time.Time{budget: date.AddDate(0, 0, 14)},
			Number: func(y, n int) string { return fmt.Sprintf("仑政公开〔%d〕%d号", y, n) }}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Dismiss(media, "李四", "微信公众号二维码在页脚", date); err != nil {
			t.Fatal(err)
		}
		testutil.MustAddRun(t, db, store.Run{AsOf: "2020-04-01", Units: units}, fs...)
	})
}

// Ensure that export xlsx writes the sheet of a run: each unit's row equals
// its scorecard (score --format json), each failing finding is listed with
// its id, hyperlink and lifecycle state, and every event is tracked.
func TestRun_ExportXLSX(t *testing.T) {
	dbPath := lifecycleDB(t)
	out := filepath.Join(t.TempDir(), "score.xlsx")
	code, stdout, stderr := gk(t, "export", "xlsx", "--db", dbPath, "--out", out)
	if code != exitOK {
		t.Fatalf("export = %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "已写出 "+out+"：运行 000002，2 个单位，4 个问题") {
		t.Errorf("export says %q", stdout)
	}
	x := openXLSX(t, out)
	cards := scoreCards(t, dbPath, "latest")
	checkSummary(t, x, cards)

	db, err := store.Open(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	run, _ := db.ResolveRun("latest")
	found, _ := db.Findings(run.ID)
	evs, _ := db.Events(store.EventFilter{})
	db.Close()
	rows := checkProblems(t, x, found)
	for _, f := range found {
		var want string
		switch f.Check {
		case "keyarea.budget":
			want = "已逾期"
		case "newmedia.links":
			want = "已驳回"
		case "column.stale", "org.info":
			want = "待整改"
		}
		if f.Status == checks.Fail {
			if got := cellAt(t, x, sheet.ProblemsSheet, "I", rows[f.ID]); got != want {
				t.Errorf("%s %s 状态 = %q, want %q", f.Unit, f.Check, got, want)
			}
		}
	}
	if got := cellAt(t, x, sheet.ProblemsSheet, "K", rows[findingID(found, "xinqi", "keyarea.budget")]); got != "仑政公开〔2020〕1号" {
		t.Errorf("通知文号 = %q, want 仑政公开〔2020〕1号", got)
	}
	if n := dataRows(t, x, sheet.TrackingSheet, 3); n != len(evs) || n == 0 {
		t.Errorf("整改跟踪 has %d rows, want the %d events", n, len(evs))
	}

	// An earlier run: its own cards, before the deadline was missed.
	code, _, stderr = gk(t, "export", "xlsx", "--db", dbPath, "--out", out, "--run", "000001")
	if code != exitOK {
		t.Fatalf("export --run 000001 = %d: %s", code, stderr)
	}
	checkSummary(t, openXLSX(t, out), scoreCards(t, dbPath, "000001"))
	if code, _, stderr := gk(t, "export", "xlsx", "--db", dbPath, "--out", out, "--run", "000009"); code != exitError || !strings.Contains(stderr, "not found") {
		t.Errorf("export --run 000009 = %d, %q; want 1 and not found", code, stderr)
	}
}

// Ensure that the sheet of a real audit of the simulated district (a few
// of its units) agrees with the scorecards and the findings of the run.
func TestRun_ExportSimAudit(t *testing.T) {
	if testing.Short() {
		t.Skip("crawls part of the simulated district")
	}
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	// Three streets and five departments: enough for volume.low to judge,
	// one of them on its own host.
	var units []config.Unit
	streets, depts := 0, 0
	for _, u := range cfg.Units {
		switch {
		case u.Kind == config.KindStreet && streets < 3:
			streets++
		case u.Kind == config.KindDepartment && depts < 5:
			depts++
		default:
			continue
		}
		units = append(units, u)
	}
	d, err := sim.New(sim.Options{Seed: 1, Size: sim.SizeDemo, Units: units})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Start(); err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	dir := t.TempDir()
	cfg.Units = d.Units()
	cfg.Crawl = loopbackPolicy(cfg.Crawl)
	cfg.Crawl.Timeout = config.Duration(time.Second)
	data, err := cfg.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	cfgPath, dbPath, out := filepath.Join(dir, "sim.yaml"), filepath.Join(dir, "audit.db"), filepath.Join(dir, "sim.xlsx")
	if err := os.WriteFile(cfgPath, data, 0o644); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if code, out, stderr := gk(t, "audit", "--config", cfgPath, "--db", dbPath, "--as-of", d.AsOf().Format("2006-01-02")); code != exitOK {
		t.Fatalf("audit = %d\n%s\n%s", code, out, stderr)
	}
	audited := time.Since(start)
	start = time.Now()
	if code, _, stderr := gk(t, "export", "xlsx", "--db", dbPath, "--out", out, "--config", cfgPath); code != exitOK {
		t.Fatalf("export = %d: %s", code, stderr)
	}
	t.Logf("audit of %d units %v, export %v", len(units), audited.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
	x := openXLSX(t, out)
	cards := scoreCardsWith(t, dbPath, "latest", cfgPath)
	if len(cards) != len(units) {
		t.Fatalf("%d cards, want %d", len(cards), len(units))
	}
	checkSummary(t, x, cards)
	db, err := store.Open(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	found, err := db.Findings("000001")
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	rows := checkProblems(t, x, found)
	if len(rows) == 0 {
		t.Error("no failing finding listed: the sim seeds defects in every unit")
	}
}

// checkSummary compares each unit's row of 得分汇总 with its card.
func checkSummary(t *testing.T, x *excelize.File, cards []score.Card) {
	t.Helper()
	byName := map[string]score.Card{}
	for _, c := range cards {
		byName[c.Name] = c
	}
	head := map[string]string{}
	cols, err := x.GetCols(sheet.SummarySheet)
	if err != nil {
		t.Fatal(err)
	}
	for i, col := range cols {
		for _, r := range []int{2, 3} { // rows 3 and 4
			if r < len(col) && col[r] != "" {
				name, _ := excelize.ColumnNumberToName(i + 1)
				if _, ok := head[col[r]]; !ok || r == 3 {
					head[col[r]] = name
				}
			}
		}
	}
	n := dataRows(t, x, sheet.SummarySheet, 4)
	if n < len(cards) {
		t.Fatalf("得分汇总 has %d rows, want %d units", n, len(cards))
	}
	for r := 5; r < 5+len(cards); r++ {
		name := cellAt(t, x, sheet.SummarySheet, head["单位"], r)
		c, ok := byName[name]
		if !ok {
			t.Errorf("row %d: unit %q has no card", r, name)
			continue
		}
		for h, want := range map[string]float64{"排名": float64(c.Rank), "客观分小计": c.Objective, "客观分满分": c.AutoMax,
			"人工评分": c.Reviewed, "总分": c.Total} {
			raw := cellAt(t, x, sheet.SummarySheet, head[h], r)
			if got, err := strconv.ParseFloat(raw, 64); err != nil || got != want {
				t.Errorf("%s %s = %q, want %v", c.Unit, h, raw, want)
			}
		}
		for _, it := range c.Items {
			raw := cellAt(t, x, sheet.SummarySheet, head[it.Name+"("+fmtPoints(it.Max)+")"], r)
			if it.Source == score.Pending {
				if raw != "待评" {
					t.Errorf("%s %s = %q, want 待评", c.Unit, it.ID, raw)
				}
			} else if got, err := strconv.ParseFloat(raw, 64); err != nil || got != it.Points {
				t.Errorf("%s %s = %q, want %v", c.Unit, it.ID, raw, it.Points)
			}
		}
	}
}

// checkProblems checks that 问题清单 lists exactly the failing findings, by
// id, each linking to its URL; it returns their rows by id.
func checkProblems(t *testing.T, x *excelize.File, found []checks.Finding) map[string]int {
	t.Helper()
	rows := map[string]int{}
	n := dataRows(t, x, sheet.ProblemsSheet, 3)
	for r := 4; r < 4+n; r++ {
		rows[cellAt(t, x, sheet.ProblemsSheet, "A", r)] = r
	}
	fails := 0
	for _, f := range found {
		if f.Status != checks.Fail {
			continue
		}
		fails++
		r, ok := rows[f.ID]
		if !ok || f.ID == "" {
			t.Errorf("finding %q (%s %s %s) not listed", f.ID, f.Unit, f.Check, f.Subject)
			continue
		}
		if got := cellAt(t, x, sheet.ProblemsSheet, "C", r); got != f.Check {
			t.Errorf("%s 检查项 = %q, want %q", f.ID, got, f.Check)
		}
		link, target, err := x.GetCellHyperLink(sheet.ProblemsSheet, "F"+strconv.Itoa(r))
		if f.URL != "" && (err != nil || !link || target != f.URL) {
			t.Errorf("%s 页面 links to %q (%v %v), want %q", f.ID, target, link, err, f.URL)
		}
	}
	if n != fails {
		t.Errorf("问题清单 has %d rows, want %d failing findings", n, fails)
	}
	return rows
}

func openXLSX(t *testing.T, path string) *excelize.File {
	t.Helper()
	x, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	t.Cleanup(func() { x.Close() })
	return x
}

func cellAt(t *testing.T, x *excelize.File, sh, col string, row int) string {
	t.Helper()
	v, err := x.GetCellValue(sh, col+strconv.Itoa(row), excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// dataRows counts the rows under the header row head down to the first
// with an empty column B.
func dataRows(t *testing.T, x *excelize.File, sh string, head int) int {
	t.Helper()
	n := 0
	for cellAt(t, x, sh, "B", head+1+n) != "" {
		n++
	}
	return n
}

func scoreCards(t *testing.T, dbPath, run string) []score.Card {
	return scoreCardsWith(t, dbPath, run, "")
}

func scoreCardsWith(t *testing.T, dbPath, run, cfgPath string) []score.Card {
	t.Helper()
	args := []string{"score", "--db", dbPath, "--run", run, "--format", "json"}
	if cfgPath != "" {
		args = append(args, "--config", cfgPath)
	}
	code, out, stderr := gk(t, args...)
	if code != exitOK {
		t.Fatalf("score = %d: %s", code, stderr)
	}
	var cards []score.Card
	if err := json.Unmarshal([]byte(out), &cards); err != nil {
		t.Fatal(err)
	}
	return cards
}

func findingID(fs []checks.Finding, unit, check string) string {
	for _, f := range fs {
		if f.Unit == unit && f.Check == check {
			return f.ID
		}
	}
	return ""
}
