package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"gkaudit/checks"
	"gkaudit/internal/testutil"
	"gkaudit/store"
)

// reportDB writes a store with three runs of two units of the built-in
// district: run 1 complete (2020-02-01), after which finance's org.info is
// notified with a deadline of 2020-02-20; run 2 interrupted; run 3
// complete (2020-03-01), in which org.info still fails (overdue) and
// xinqi's stale column is fixed.
func reportDB(t *testing.T) string {
	t.Helper()
	units := []string{"xinqi", "finance"}
	f := testutil.Finding
	return testutil.MustWriteStore(t, func(db *store.DB) {
		r1 := testutil.MustAddRun(t, db, store.Run{AsOf: "2020-02-01", Units: units},
			f("xinqi", "org.info", "", checks.Pass),
			f("xinqi", "column.stale", "http://x.gov.cn/xinqi/tzgg/", checks.Fail),
			f("finance", "org.info", "http://x.gov.cn/finance/jgxx/", checks.Fail),
			f("finance", "link.broken", "http://x.gov.cn/finance/404.html", checks.Fail))
		key := store.FindingKey(f("finance", "org.info", "http://x.gov.cn/finance/jgxx/", checks.Fail))
		id := store.FindingID(key)
		deadline := time.Date(2020, 2, 20, 0, 0, 0, 0, time.UTC)
		_, err := db.IssueNotice(store.Issue{Kind: store.NoticeRectification, Unit: "finance", Run: r1.ID, By: "office",
			Date: time.Date(2020, 2, 3, 0, 0, 0, 0, time.UTC), Findings: []string{id},
			Deadlines: map[string]time.Time{id: deadline},
			Number:    func(y, seq int) string { return fmt.Sprintf("仑政务公开〔%d〕%d号", y, seq) }})
		if err != nil {
			t.Fatal(err)
		}
		testutil.MustBeginRun(t, db, store.Run{AsOf: "2020-02-15", Units: units})
		testutil.MustAddRun(t, db, store.Run{AsOf: "2020-03-01", Units: units},
			f("xinqi", "org.info", "", checks.Pass),
			f("xinqi", "column.stale", "http://x.gov.cn/xinqi/tzgg/", checks.Pass),
			f("finance", "org.info", "http://x.gov.cn/finance/jgxx/", checks.Fail),
			f("finance", "link.broken", "http://x.gov.cn/finance/404.html", checks.Fail),
			f("finance", "link.broken", "http://x.gov.cn/finance/500.html", checks.Fail))
	})
}

var chartRE = regexp.MustCompile(`(?s)<svg [^>]*class="chart".*?</svg>`)

// Ensure that report writes the 通报 of the latest run with the trend
// over the complete runs, the overdue finding and the figures since the
// previous complete run.
func TestRun_Report(t *testing.T) {
	db := reportDB(t)
	out := filepath.Join(t.TempDir(), "report.html")
	code, stdout, stderr := gk(t, "report", "--db", db, "--out", out)
	if code != exitOK {
		t.Fatalf("report = %d: %s", code, stderr)
	}
	if want := "已写出 " + out + "：运行 000003 的监测报告（2 个单位，趋势含 2 次运行）"; !strings.Contains(stdout, want) {
		t.Errorf("report printed %q, want %q", stdout, want)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	html := string(raw)
	for _, want := range []string{
		"关于2019年度第二次政府网站政务公开监测情况的通报（草稿）",
		"新碶街道", "财政局",
		"本次监测共发现问题3个，涉及1家单位",
		"新增逾期未整改问题1个，已整改问题1个",
		"仑政务公开〔2020〕", "2020-02-20", "逾期未整改",
		"链接无法正常访问",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	chart := chartRE.FindString(html)
	if got := strings.Count(chart, `class="pt"`); got != 2 {
		t.Errorf("trend chart has %d points, want one per complete run (2)", got)
	}

	// One run of trend; the report of run 1 is the first.
	code, _, stderr = gk(t, "report", "--db", db, "--out", out, "--runs", "1")
	if code != exitOK {
		t.Fatalf("report --runs 1 = %d: %s", code, stderr)
	}
	raw, _ = os.ReadFile(out)
	if got := strings.Count(chartRE.FindString(string(raw)), `class="pt"`); got != 1 {
		t.Errorf("--runs 1: trend chart has %d points, want 1", got)
	}
	code, stdout, _ = gk(t, "report", "--db", db, "--out", out, "--run", "1")
	raw, _ = os.ReadFile(out)
	if code != exitOK || !strings.Contains(stdout, "趋势含 1 次运行") || !strings.Contains(string(raw), "第一次") {
		t.Errorf("report --run 1 = %d, %q; want the first report with one run of trend", code, stdout)
	}

	// The interrupted run can be reported on, with a note.
	code, _, stderr = gk(t, "report", "--db", db, "--out", out, "--run", "2")
	if code != exitOK || !strings.Contains(stderr, "运行 000002 未完成") {
		t.Errorf("report --run 2 = %d, stderr %q; want 0 and a note", code, stderr)
	}
}

// Ensure that report rejects bad usage and never creates a database.
func TestRun_ReportUsage(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.db")
	tests := []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"report"}, exitUsage, "需要 --db"},
		{[]string{"report", "--db", "x.db"}, exitUsage, "需要 --out"},
		{[]string{"report", "--db", "x.db", "--out", "r.html", "--runs", "0"}, exitUsage, "至少为 1"},
		{[]string{"report", "--db", "x.db", "--out", "r.html", "extra"}, exitUsage, `多余的参数 "extra"`},
		{[]string{"report", "--db", missing, "--out", filepath.Join(dir, "r.html")}, exitError, "不存在；请检查 --db 路径"},
		{[]string{"report", "--db", reportDB(t), "--out", filepath.Join(dir, "r.html"), "--run", "9"}, exitError, "not found"},
		{[]string{"report", "--db", reportDB(t), "--out", filepath.Join(dir, "nodir", "r.html")}, exitError, "nodir"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, _, stderr := gk(t, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.err) || strings.Count(stderr, "\n") != 1 {
				t.Errorf("run(%q) = %d, stderr %q; want %d and one line with %q", tt.args, code, stderr, tt.code, tt.err)
			}
		})
	}
	if _, err := os.Stat(missing); err == nil {
		t.Errorf("report created %s", missing)
	}
	code, _, stderr := gk(t, "report", "-h")
	if code != exitOK || !strings.Contains(stderr, "-runs") {
		t.Errorf("report -h = %d, %q; want 0 and the flags", code, stderr)
	}
	code, out, _ := gk(t, "help")
	if code != exitOK || !strings.Contains(out, "gkaudit report --db FILE --out FILE.html") {
		t.Errorf("usage lacks the report command:\n%s", out)
	}
}
