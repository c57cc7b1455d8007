package notice_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gkaudit/checks"
	"gkaudit/config"
	"gkaudit/notice"
	"gkaudit/store"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func mustDefault(t *testing.T) *config.Config {
	t.Helper()
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

var (
	cst  = time.FixedZone("CST", 8*3600)
	xq   = config.Unit{ID: "xinqi", Name: "新碶街道", Kind: config.KindStreet, URL: "http://www.bl.gov.cn/col/col1229001/index.html"}
	day  = func(s string) time.Time { d, _ := time.ParseInLocation(time.DateOnly, s, cst); return d }
	fail = func(check, subject, detail string) checks.Finding {
		f := checks.Finding{Unit: "xinqi", Check: check, Subject: subject, Status: checks.Fail, URL: subject,
			Detail: detail, Rule: "《政府信息公开条例》第二十条", Evidence: checks.Evidence{SHA256: strings.Repeat("ab", 32)}}
		f.ID = store.FindingID(store.FindingKey(f))
		return f
	}
)

// input builds a notice input over findings fs whose entries have the
// given states.
func input(t *testing.T, fs []checks.Finding, states ...store.State) notice.Input {
	entries := map[string]store.HistoryEntry{}
	for i, f := range fs {
		entries[f.ID] = store.HistoryEntry{ID: f.ID, Unit: f.Unit, Check: f.Check, State: states[i],
			FirstSeen: store.RunAt{Run: "000001"}, Notice: "仑政公办〔2020〕1号", NotifiedAt: day("2020-03-02"), Deadline: day("2020-03-16")}
	}
	return notice.Input{Config: mustDefault(t), Run: store.Run{ID: "000002", AsOf: "2020-03-20"}, Units: []config.Unit{xq},
		Findings: fs, Entries: entries, Date: day("2020-09-25"), AsOf: map[string]string{"000001": "2020-03-01"}}
}

// Ensure that a rectification notice lists the open findings in rubric
// order with deadlines counted on the working-day calendar, and a follow-up
// the overdue ones; notified, fixed and dismissed findings are left out.
func TestPlan(t *testing.T) {
	fs := []checks.Finding{
		fail("guide.elements", "http://x/zn/", "公开指南缺少传真号码"),
		fail("org.info", "http://x/jg/", "机构信息缺少办公时间"),
		fail("link.broken", "http://x/a.htm", "链接返回404"),
		fail("column.stale", "http://x/dt/", "栏目“工作动态”超过14天未更新"),
		fail("policy.validity", "http://x/zc/1.htm", "未标注有效性"),
	}
	docs := notice.Plan(input(t, fs, store.StateOpen, store.StateOpen, store.StateOverdue, store.StateNotified, store.StateDismissed))
	if len(docs) != 2 {
		t.Fatalf("Plan = %d docs, want a rectification and a follow-up", len(docs))
	}
	rect, fu := docs[0], docs[1]
	if rect.Kind != notice.Rectification || fu.Kind != notice.FollowUp || !rect.Draft {
		t.Fatalf("kinds %s %s draft %v", rect.Kind, fu.Kind, rect.Draft)
	}
	if got := []string{rect.Problems[0].Check, rect.Problems[1].Check}; got[0] != "org.info" || got[1] != "guide.elements" {
		t.Errorf("rectification lists %v, want org.info then guide.elements (rubric order)", got)
	}
	// 10 working days from Friday 2020-09-25: 国庆中秋 2020-10-01..08 are
	// off, Sunday 2020-09-27 and Saturday 2020-10-10 are worked
	// (国办发明电〔2019〕16号).
	want := day("2020-10-15")
	if !rect.Problems[0].Deadline.Equal(want) || !rect.Deadline.Equal(want) {
		t.Errorf("deadline %v, want %v", rect.Problems[0].Deadline, want)
	}
	if rect.Problems[0].FirstSeen.Format(time.DateOnly) != "2020-03-01" {
		t.Errorf("first seen %v, want the first run's as-of 2020-03-01", rect.Problems[0].FirstSeen)
	}
	if len(fu.Problems) != 1 || fu.Problems[0].Check != "link.broken" || fu.Problems[0].Notice != "仑政公办〔2020〕1号" {
		t.Errorf("follow-up lists %+v, want the overdue link.broken with its notice", fu.Problems)
	}
}

// Ensure that the notice's HTML matches the golden file: the office's
// layout, the problems with their evidence ids, the deadline, the veto
// warning, and markup from crawled pages escaped.
func TestRender_Golden(t *testing.T) {
	var fs []checks.Finding
	var states []store.State
	for i, name := range []string{"工作动态", "通知公告", "政策文件", "部门文件", "政策解读"} {
		f := fail("column.empty", "http://x/col"+string(rune('a'+i))+"/", "栏目“"+name+"”无任何信息")
		fs = append(fs, f)
		states = append(states, store.StateOpen)
	}
	fs = append(fs, fail("org.info", "http://x/jg/", `机构信息缺少办公时间 <script>alert("x")</script>`))
	states = append(states, store.StateOpen)
	docs := notice.Plan(input(t, fs, states...))
	if len(docs) != 1 {
		t.Fatalf("Plan = %d docs, want 1", len(docs))
	}
	doc := docs[0]
	doc.Draft, doc.Number = false, "仑政公办〔2020〕7号"
	var buf bytes.Buffer
	if err := notice.Render(&buf, doc); err != nil {
		t.Fatal(err)
	}
	got := buf.Bytes()
	if bytes.Contains(got, []byte("<script>alert")) {
		t.Errorf("crawled markup is not escaped")
	}
	golden := filepath.Join("testdata", "notice.golden.html")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./notice -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("Render differs from %s (go test ./notice -update rewrites it after review):\n%s", golden, got)
	}
	for _, want := range []string{"仑政公办〔2020〕7号", "关于新碶街道网站政务公开问题的整改通知", "新碶街道：", "经监测",
		"单项否决", "空白栏目 5 个", fs[5].ID, "2020年10月15日", "北仑区政务公开工作领导小组办公室"} {
		if !strings.Contains(string(got), want) {
			t.Errorf("notice lacks %q", want)
		}
	}
}
