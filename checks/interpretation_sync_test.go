package checks

import (
	"strings"
	"testing"

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

const (
	guoqingInterpURL = "http://gov.example/xxgk/zcjd/201910/t20191010_2.html"
	guoqingDocURL    = "http://gov.example/xxgk/zcwj/201909/t20190930_4.html"
)

// guoqingDoc is a policy document of Monday 2019-09-30, the last working day
// before 国庆 2019 (1 to 7 October off, Sunday 29 September and Saturday 12
// October worked: 国办发明电〔2018〕15号), linking to its 解读.
func guoqingDoc() *site.Page {
	return fixturePage(guoqingDocURL, `<table><tr><td>索引号：</td><td>11330206MB1234567X/2019-00108</td><td>发布机构：</td><td>北仑区民政局</td></tr>
		<tr><td>文号：</td><td>仑民〔2019〕41号</td><td>发布日期：</td><td>2019-09-30</td></tr><tr><td>有效性：</td><td>有效</td></tr></table>
		<h1>关于印发《北仑区困难群众临时救助实施办法》的通知</h1><div class="con"><p>各街道：现将《北仑区困难群众临时救助实施办法》印发给你们，请认真贯彻执行。</p></div>
		<p class="related">相关解读：<a href="/xxgk/zcjd/201910/t20191010_2.html">《北仑区困难群众临时救助实施办法》政策解读</a></p>`)
}

func defaultConfig(t *testing.T) *config.Config {
	t.Helper()
	c, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Ensure that the days of 国庆 are not counted as delay and its 调休 Saturday
// is: a 解读 of Thursday 10 October after a document of Monday 30 September
// is 3 working days late (8 counting weekends only), one of Saturday 12
// October, a 调休 working day, 5 (9 counting weekends only).
func TestInterpretationSync_Guoqing(t *testing.T) {
	cal := defaultConfig(t).Calendar()
	delay := map[string]string{
		"pass_three_workdays_after_guoqing":       "发布后第 3 个工作日发布",
		"fail_five_workdays_with_makeup_saturday": "晚于文件“关于印发《北仑区困难群众临时救助实施办法》的通知” 5 个工作日发布",
	}
	for _, fx := range fixtures(t, "interpretation.sync/guoqing2019") {
		t.Run(fx.name, func(t *testing.T) {
			p := loadPage(t, fx.path, guoqingInterpURL)
			env := testEnv()
			env.Calendar = cal
			f := onlyStatus(t, InterpretationSync(interpSnapshot(p, guoqingDoc()), env))
			if f.Status != fx.want {
				t.Errorf("InterpretationSync(%s) = %v (%s), want %v", fx.name, f.Status, f.Detail, fx.want)
			}
			if !strings.Contains(f.Detail, delay[fx.name]) || delay[fx.name] == "" {
				t.Errorf("InterpretationSync(%s) detail = %q, want it to contain %q", fx.name, f.Detail, delay[fx.name])
			}
			if strings.Contains(f.Detail, "无节假日数据") {
				t.Errorf("InterpretationSync(%s) detail = %q, want no note of missing calendar data", fx.name, f.Detail)
			}
		})
	}
}

// Ensure that without calendar data the delay counts Monday to Friday and
// the detail says which year had none; and that a config's calendar is used
// when Env has none of its own.
func TestInterpretationSync_CalendarFallback(t *testing.T) {
	p := loadPage(t, "testdata/interpretation.sync/guoqing2019/pass_three_workdays_after_guoqing.html", guoqingInterpURL)
	withDefault := testEnv()
	withDefault.Config = defaultConfig(t)
	noData := testEnv()
	noData.Config = &config.Config{Thresholds: config.Thresholds{InterpretationDelayWorkdays: 3}}
	tests := []struct {
		name   string
		env    Env
		want   Status
		detail string
	}{
		{"no_config", testEnv(), Fail, "晚于文件“关于印发《北仑区困难群众临时救助实施办法》的通知” 8 个工作日发布，超过 3 个工作日（文件发布日期 2019-09-30，解读发布日期 2019-10-10）（2019年无节假日数据，按周末计算）"},
		{"config_without_calendar", noData, Fail, "（2019年无节假日数据，按周末计算）"},
		{"config_calendar", withDefault, Pass, "发布后第 3 个工作日发布，未超过 3 个工作日（文件发布日期 2019-09-30，解读发布日期 2019-10-10）"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := onlyStatus(t, InterpretationSync(interpSnapshot(p, guoqingDoc()), tt.env))
			if f.Status != tt.want || !strings.HasSuffix(f.Detail, tt.detail) {
				t.Errorf("InterpretationSync(%s) = %v (%s), want %v ending %q", tt.name, f.Status, f.Detail, tt.want, tt.detail)
			}
		})
	}
}
