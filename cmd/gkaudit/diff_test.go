package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"gkaudit/checks"
	"gkaudit/internal/testutil"
	"gkaudit/store"
)

var diffT0 = time.Date(2025, 6, 30, 1, 0, 0, 0, time.UTC) // 09:00 in Shanghai

// diffStore writes runs 1 (complete), 2 (killed) and 3 (complete): org.info
// of xinqi persists, its guide is fixed, a broken link is new, and
// daqi's org.info cannot be checked in run 3.
func diffStore(t *testing.T) string {
	f := testutil.Finding
	return testutil.MustWriteStore(t, func(db *store.DB) {
		run := func(day int) store.Run {
			return store.Run{Started: diffT0.AddDate(0, 0, day), AsOf: "2025-06-30", Units: []string{"xinqi", "daqi"}}
		}
		testutil.MustAddRun(t, db, run(0),
			f("xinqi", "org.info", "org_info", checks.Fail), f("xinqi", "guide.present", "guide", checks.Fail),
			f("daqi", "org.info", "org_info", checks.Fail))
		testutil.MustBeginRun(t, db, run(1), f("xinqi", "org.info", "org_info", checks.Pass))
		testutil.MustAddRun(t, db, run(2),
			f("xinqi", "org.info", "org_info", checks.Fail), f("xinqi", "guide.present", "guide", checks.Pass),
			f("xinqi", "link.broken", "http://x/404", checks.Fail), f("daqi", "org.info", "org_info", checks.NA))
	})
}

// Ensure that diff compares the two newest complete runs by default and
// prints new, fixed, persisting and unchecked findings with first-seen dates.
func TestDiff_Table(t *testing.T) {
	path := diffStore(t)
	code, out, stderr := gk(t, "diff", "--db", path)
	if code != exitOK {
		t.Fatalf("diff = %d, stderr %q", code, stderr)
	}
	for _, want := range []string{
		"运行 000001（2025-06-30）→ 运行 000003（2025-07-02）：新增 1，已修复 1，仍存在 1，未能检查 1",
		"变化", "首次发现",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("diff output lacks %q:\n%s", want, out)
		}
	}
	rows := map[string][]string{}
	for _, line := range strings.Split(out, "\n") {
		if fs := strings.Fields(line); len(fs) > 1 && fs[0] != "变化" {
			rows[fs[0]] = fs
		}
	}
	for change, want := range map[string]string{
		"新增":   "xinqi link.broken http://x/404 link.broken fail at http://x/404 2025-07-02",
		"已修复":  "xinqi guide.present guide guide.present fail at guide 2025-06-30",
		"仍存在":  "xinqi org.info org_info org.info fail at org_info 2025-06-30",
		"未能检查": "daqi org.info org_info org.info fail at org_info 2025-06-30",
	} {
		if got := strings.Join(rows[change][1:], " "); got != want {
			t.Errorf("diff row %s = %q, want %q", change, got, want)
		}
	}
}

// Ensure that diff --format json prints the runs and the four lists, each
// entry with unit, check, subject, url, detail and first_seen.
func TestDiff_JSON(t *testing.T) {
	path := diffStore(t)
	code, out, stderr := gk(t, "diff", "--db", path, "--from", "1", "--to", "000003", "--format", "json")
	if code != exitOK {
		t.Fatalf("diff --format json = %d, stderr %q", code, stderr)
	}
	type entry struct {
		Unit, Check, Subject, URL, Detail string
		FirstSeen                         *time.Time `json:"first_seen"`
	}
	var got struct {
		From, To                          string
		New, Fixed, Persisting, Unchecked []entry
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("diff json: %v\n%s", err, out)
	}
	if got.From != "000001" || got.To != "000003" || len(got.New) != 1 || len(got.Fixed) != 1 || len(got.Persisting) != 1 || len(got.Unchecked) != 1 {
		t.Fatalf("diff json = %+v, want 000001 -> 000003 with one entry in each list", got)
	}
	p := got.Persisting[0]
	if p.Unit != "xinqi" || p.Check != "org.info" || p.Subject != "org_info" || p.URL != "org_info" ||
		p.Detail != "org.info fail at org_info" || p.FirstSeen == nil || !p.FirstSeen.Equal(diffT0) {
		t.Errorf("persisting entry = %+v, first seen %v; want xinqi org.info first seen %v", p, p.FirstSeen, diffT0)
	}
	if n := got.New[0]; n.Check != "link.broken" || n.FirstSeen == nil || !n.FirstSeen.Equal(diffT0.AddDate(0, 0, 2)) {
		t.Errorf("new entry = %+v", n)
	}
	if !strings.Contains(out, `"new": [`) || !strings.Contains(out, `"first_seen": "2025-06-30T01:00:00Z"`) {
		t.Errorf("diff json lacks the documented keys:\n%s", out)
	}
}

// Ensure that diff names an incomplete run it is asked to compare, and that
// a store without two complete runs is an error, not an empty diff.
func TestDiff_IncompleteAndTooFewRuns(t *testing.T) {
	path := diffStore(t)
	code, out, stderr := gk(t, "diff", "--db", path, "--from", "1", "--to", "2")
	if code != exitOK || !strings.Contains(stderr, "运行 000002 未完成") || !strings.Contains(out, "新增 0，已修复 2") {
		t.Errorf("diff with incomplete --to = %d, %q, stderr %q", code, out, stderr)
	}
	one := testutil.MustWriteStore(t, func(db *store.DB) {
		testutil.MustAddRun(t, db, store.Run{Units: []string{"xinqi"}})
	})
	code, _, stderr = gk(t, "diff", "--db", one)
	if code != exitError || !strings.Contains(stderr, "两次完整的运行") {
		t.Errorf("diff with one run = %d, stderr %q; want %d and a message", code, stderr, exitError)
	}
	for _, args := range [][]string{
		{"diff"},
		{"diff", "--db", path, "--format", "csv"},
	} {
		if code, _, _ := gk(t, args...); code != exitUsage {
			t.Errorf("run(%q) = %d, want %d", args, code, exitUsage)
		}
	}
}
