package checks

import (
	"strings"
	"testing"
	"time"

	"gkaudit/cndate"
	"gkaudit/config"
	"gkaudit/site"
)

// The document of the sync fixtures is published on Friday 2019-03-01, so
// three working days run to Wednesday 2019-03-06.
func TestInterpretationSync_Fixtures(t *testing.T) {
	for _, fx := range fixtures(t, "interpretation.sync") {
		t.Run(fx.name, func(t *testing.T) {
			p := loadPage(t, fx.path, interpURL)
			f := onlyStatus(t, InterpretationSync(interpSnapshot(p, docLinkingBack()), testEnv()))
			if f.Status != fx.want {
				t.Errorf("InterpretationSync(%s) = %v (%s), want %v", fx.name, f.Status, f.Detail, fx.want)
			}
			if f.Subject != interpURL {
				t.Errorf("InterpretationSync(%s) subject = %s, want the 解读", fx.name, f.Subject)
			}
			if f.Status == Fail && !strings.Contains(f.Detail, "超过 3 个工作日") {
				t.Errorf("InterpretationSync(%s) detail = %q, want the delay and the window", fx.name, f.Detail)
			}
		})
	}
}

// Ensure that the window comes from the config.
func TestInterpretationSync_ConfigWindow(t *testing.T) {
	p := loadPage(t, "testdata/interpretation.sync/fail_four_workdays.html", interpURL)
	env := testEnv()
	env.Config = &config.Config{Thresholds: config.Thresholds{InterpretationDelayWorkdays: 5}}
	if f := onlyStatus(t, InterpretationSync(interpSnapshot(p, docLinkingBack()), env)); f.Status != Pass {
		t.Errorf("InterpretationSync(4 days, window 5) = %v (%s), want pass", f.Status, f.Detail)
	}
	env.Config.Thresholds.InterpretationDelayWorkdays = 0
	p = loadPage(t, "testdata/interpretation.sync/pass_three_workdays_gbk.html", interpURL)
	if f := onlyStatus(t, InterpretationSync(interpSnapshot(p, docLinkingBack()), env)); f.Status != Fail {
		t.Errorf("InterpretationSync(3 days, window 0) = %v (%s), want fail", f.Status, f.Detail)
	}
}

// Ensure that a document without a date makes the pair na, and a unit
// whose 解读 have no document says na once.
func TestInterpretationSync_NotApplicable(t *testing.T) {
	j := loadPage(t, "testdata/interpretation.sync/fail_four_workdays.html", interpURL)
	undated := fixturePage(policyDocURL, `<h1>关于印发《北仑区养老服务补贴管理办法》的通知</h1><p>相关解读：<a href="`+interpURL+`">政策解读</a></p>`)
	f := onlyStatus(t, InterpretationSync(interpSnapshot(j, undated), testEnv()))
	if f.Status != NA || !strings.Contains(f.Detail, "未显示发布日期") || f.URL != policyDocURL {
		t.Errorf("InterpretationSync(undated document) = %v at %s (%s), want na at the document", f.Status, f.URL, f.Detail)
	}
	lone := fixturePage(interpURL, `<h1>国务院常务会议精神解读</h1><p>发布时间：2019-03-07</p>`)
	f = onlyStatus(t, InterpretationSync(interpSnapshot(lone, nil), testEnv()))
	if f.Status != NA || f.Subject != "interpretation" {
		t.Errorf("InterpretationSync(no document) = %v %s (%s), want one na", f.Status, f.Subject, f.Detail)
	}
	unreachable := &site.Snapshot{UnitID: "u1", Entry: testEntry, Pages: []*site.Page{{URL: testEntry, Err: "no such host"}}}
	if f := onlyStatus(t, InterpretationSync(unreachable, testEnv())); f.Status != NA {
		t.Errorf("InterpretationSync(unreachable) = %v, want na", f.Status)
	}
}

func TestWorkdaysBetween(t *testing.T) {
	d := func(m, dd int) time.Time { return time.Date(2019, time.Month(m), dd, 0, 0, 0, 0, cndate.Shanghai) }
	for _, tt := range []struct {
		from, to time.Time
		want     int
	}{
		{d(3, 1), d(3, 1), 0},   // same day
		{d(3, 1), d(3, 4), 1},   // Friday to Monday
		{d(3, 1), d(3, 6), 3},   // Friday to Wednesday
		{d(3, 1), d(3, 7), 4},   // Friday to Thursday
		{d(3, 2), d(3, 3), 0},   // a weekend
		{d(3, 6), d(3, 1), 0},   // backwards
		{d(3, 1), d(3, 29), 20}, // four weeks
	} {
		if got := workdaysBetween(tt.from, tt.to); got != tt.want {
			t.Errorf("workdaysBetween(%s, %s) = %d, want %d", tt.from.Format("01-02"), tt.to.Format("01-02"), got, tt.want)
		}
	}
}
