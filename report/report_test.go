package report_test

import (
	"bytes"
	"encoding/xml"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"gkaudit/checks"
	"gkaudit/config"
	"gkaudit/report"
	"gkaudit/score"
	"gkaudit/store"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

var fixtureUnits = []config.Unit{
	{ID: "xinqi", Name: "新碶街道", Kind: config.KindStreet},
	{ID: "finance", Name: "财政局", Kind: config.KindDepartment},
	{ID: "evil", Name: "<script>alert('x')</script>局", Kind: config.KindDepartment},
	{ID: "guoju", Name: "郭巨街道", Kind: config.KindStreet},
}

// finding is a finding with its stable id, as the store reads it.
func finding(unit, check, subject string, st checks.Status, detail string) checks.Finding {
	f := checks.Finding{Unit: unit, Check: check, Subject: subject, Status: st, URL: "http://www.bl.gov.cn/" + unit + "/", Detail: detail}
	if strings.HasPrefix(check, "column.") {
		f.Kind = "notice"
	}
	f.ID = store.FindingID(store.FindingKey(f))
	return f
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// runFindings are the findings of run 1 (first) and run 3 (the reported
// one): xinqi fixed its guide, finance has five empty columns (a veto
// risk) and a hostile link text, evil's broken link was dismissed, guoju is
// unreachable.
func runFindings(first bool) []checks.Finding {
	fs := []checks.Finding{
		finding("xinqi", "org.info", "org_info", checks.Pass, ""),
		finding("xinqi", "keyarea.budget", "budget", checks.Fail, "重点领域“财政预决算”栏目（预决算公开）无内容"),
		finding("xinqi", "column.stale", "http://www.bl.gov.cn/xinqi/tzgg/", checks.Fail, "栏目“通知公告”最新信息发布于 2019-07-05，超过 180 天的更新时限"),
		finding("xinqi", "link.broken", "http://www.bl.gov.cn/xinqi/404.html", checks.Fail, "链接“区领导调研”无法正常访问：返回 HTTP 404 Not Found"),
		finding("finance", "org.info", "org_info", checks.Fail, "机构信息缺少：负责人姓名（已找到：机关职能、机构设置、办公地址、办公时间、联系方式）"),
		finding("finance", "link.broken", "http://www.bl.gov.cn/finance/x.pdf", checks.Fail, `链接“</td></tr>”无法正常访问：返回 HTTP 500`),
		finding("evil", "guide.present", "guide", checks.Fail, "未找到政府信息公开指南“</td></tr><tr><td>”"),
		finding("evil", "link.broken", "http://www.bl.gov.cn/evil/a.html", checks.Fail, "链接“通知”无法正常访问：返回 HTTP 404 Not Found"),
		finding("guoju", "site.reachable", "http://www.bl.gov.cn/guoju/", checks.Fail, "入口页无法访问：连接超时（共尝试 2 次）"),
		finding("guoju", "org.info", "org_info", checks.NA, "入口页面无法访问"),
	}
	if first {
		return append(fs, finding("xinqi", "guide.elements", "guide", checks.Fail, "指南缺少第十二条规定的内容：传真号码"))
	}
	for _, col := range []string{"<img src=x onerror=alert(1)>", "政策文件", "规划计划", "人事信息", "财政资金", "重大项目"} {
		fs = append(fs, finding("finance", "column.empty", "http://www.bl.gov.cn/finance/"+col+"/", checks.Fail,
			"栏目“"+col+"”为空白栏目：栏目页显示“暂无信息”"))
	}
	return fs
}

func entry(f checks.Finding, state store.State) store.HistoryEntry {
	return store.HistoryEntry{Key: store.FindingKey(f), ID: f.ID, Unit: f.Unit, Check: f.Check, Subject: f.Subject,
		URL: f.URL, Detail: f.Detail, State: state, FirstSeen: store.RunAt{Run: "000001"}, LastSeen: store.RunAt{Run: "000003"}}
}

func fixture(t *testing.T) report.Data {
	t.Helper()
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	runs := []store.Run{
		{ID: "000001", AsOf: "2020-02-01", Complete: true, Pages: 1180, Units: []string{"xinqi", "finance", "evil", "guoju"}},
		{ID: "000002", AsOf: "2020-02-15", Complete: false, Pages: 310, Units: []string{"xinqi", "finance", "evil", "guoju"}},
		{ID: "000003", AsOf: "2020-03-01", Complete: true, Pages: 1234, Units: []string{"xinqi", "finance", "evil", "guoju"}},
	}
	fs1, fs3 := runFindings(true), runFindings(false)

	orgFinance := entry(fs3[4], store.StateOverdue)
	orgFinance.NotifiedAt, orgFinance.Deadline, orgFinance.Notice = day("2020-02-03"), day("2020-02-20"), "仑政务公开〔2020〕1号"
	orgFinance.Overdue = store.RunAt{Run: "000003"}
	guideXinqi := entry(fs1[len(fs1)-1], store.StateFixed)
	guideXinqi.Deadline, guideXinqi.Notice = day("2020-01-20"), "仑政务公开〔2020〕2号"
	guideXinqi.Overdue, guideXinqi.Fixed = store.RunAt{Run: "000001"}, store.RunAt{Run: "000003"}
	linkEvil := entry(fs3[7], store.StateDismissed)
	linkEvil.Dismissed = &store.Decision{By: "reviewer", Why: "人工核实可以访问"}
	entries := []store.HistoryEntry{entry(fs3[1], store.StateNotified), orgFinance, guideXinqi, linkEvil}
	notices := []store.Notice{
		{ID: "000001", Kind: store.NoticeRectification, Unit: "finance", Run: "000001", Findings: []string{orgFinance.ID}},
		{ID: "000002", Kind: store.NoticeRectification, Unit: "xinqi", Run: "000003", Findings: []string{fs3[1].ID, fs3[2].ID}},
		{ID: "000003", Kind: store.NoticeFollowUp, Unit: "finance", Run: "000003", Findings: []string{orgFinance.ID}},
	}

	lc1, lc3 := score.FromHistory(entries, "000001"), score.FromHistory(entries, "000003")
	cards1 := score.ComputeWith(cfg, fixtureUnits, fs1, lc1)
	cards3 := score.ComputeWith(cfg, fixtureUnits, fs3, lc3)
	return report.Data{District: "北仑区", Year: 2019, Run: runs[2], Runs: runs, Cards: cards3, Findings: fs3,
		Entries: entries, Notices: notices,
		Trend: []report.TrendRun{report.NewTrendRun(runs[0], cards1, fs1, lc1), report.NewTrendRun(runs[2], cards3, fs3, lc3)}}
}

func render(t *testing.T, d report.Data) string {
	t.Helper()
	var buf bytes.Buffer
	if err := report.Render(&buf, d); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// Ensure that the report of the fixture district matches its golden file
// (go test ./report -update rewrites it).
func TestRender_Golden(t *testing.T) {
	got := render(t, fixture(t))
	path := filepath.Join("testdata", "report.golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./report -update)", err)
	}
	if got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				t.Fatalf("report differs from %s at line %d:\ngot:  %s\nwant: %s\n(go test ./report -update rewrites it)", path, i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("report has %d lines, %s %d (go test ./report -update rewrites it)", len(gl), path, len(wl))
	}
}

// Ensure that the report says what the fixture holds: the figures since
// the previous complete run, the veto risk, the overdue items, and that
// hostile text from units and pages stays text.
func TestRender_Contents(t *testing.T) {
	out := render(t, fixture(t))
	for _, want := range []string{
		"关于2019年度第二次政府网站政务公开监测情况的通报（草稿）", // run 2 was interrupted: run 3 is the second complete one
		"自上次监测（运行 000001，2020年2月1日）以来",
		"下发整改通知涉及问题2个，新增逾期未整改问题1个，已整改问题1个",
		"空白栏目", "≥5",
		"仑政务公开〔2020〕", "2020-02-20", "逾期未整改", "已整改",
		"&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;局",
		"&lt;img src=x onerror=alert(1)&gt;",
		"“&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;”",
		"@page", "counter(pages)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	for _, bad := range []string{"<script>", "<img src=x", "“</td></tr><tr><td>”"} {
		if strings.Contains(out, bad) {
			t.Errorf("report carries %q unescaped", bad)
		}
	}
	// xinqi 3, finance 8 (6 empty columns), evil 1 (its broken link was
	// dismissed), guoju 1.
	if !strings.Contains(out, "本次监测共发现问题13个，涉及4家单位") {
		t.Errorf("report does not count 13 failing findings in 4 units (the dismissed one left out)")
	}
}

var svgRE = regexp.MustCompile(`(?s)<svg .*?</svg>`)

// svgPoints parses one SVG with encoding/xml and counts its elements of
// class pt.
func svgPoints(t *testing.T, svg string) int {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(svg))
	dec.Strict = true
	n, depth := 0, 0
	for {
		tok, err := dec.Token()
		if err != nil {
			if err == io.EOF {
				break
			}
			t.Fatalf("SVG is not well-formed: %v\n%s", err, svg)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			depth++
			if depth == 1 && (el.Name.Local != "svg" || el.Name.Space != "http://www.w3.org/2000/svg") {
				t.Errorf("root element %v, want svg in the SVG namespace", el.Name)
			}
			for _, a := range el.Attr {
				if a.Name.Local == "class" && a.Value == "pt" {
					n++
				}
			}
		case xml.EndElement:
			depth--
		}
	}
	if depth != 0 {
		t.Errorf("SVG ends at depth %d", depth)
	}
	return n
}

// Ensure that every chart is well-formed XML, the district chart has one
// point per run of the trend and each unit's sparkline one per run that
// audited it.
func TestRender_SVG(t *testing.T) {
	d := fixture(t)
	orig := d.Trend
	for _, n := range []int{1, 2, 12, 30} {
		trend := make([]report.TrendRun, n)
		for i := range trend {
			trend[i] = orig[i%len(orig)]
			trend[i].Scores = maps.Clone(trend[i].Scores)
			trend[i].Run = fmt.Sprintf("%06d", i+1)
			trend[i].AsOf = "2020-03-01"
		}
		// The unit guoju was not audited in the first run.
		delete(trend[0].Scores, "guoju")
		d.Trend = trend
		svgs := svgRE.FindAllString(render(t, d), -1)
		if len(svgs) != 1+len(fixtureUnits) {
			t.Fatalf("%d runs: %d SVGs, want a chart and %d sparklines", n, len(svgs), len(fixtureUnits))
		}
		if got := svgPoints(t, svgs[0]); got != n {
			t.Errorf("%d runs: chart has %d points, want %d", n, got, n)
		}
		missing := 0
		for _, s := range svgs[1:] {
			got := svgPoints(t, s)
			switch got {
			case n:
			case n - 1:
				missing++
			default:
				t.Errorf("%d runs: a sparkline has %d points, want %d\n%s", n, got, n, s)
			}
		}
		if missing != 1 {
			t.Errorf("%d runs: %d sparklines with a run missing, want 1 (guoju)", n, missing)
		}
	}
}

// Ensure that a report with no trend and no findings renders with the
// sections saying so.
func TestRender_Empty(t *testing.T) {
	out := render(t, report.Data{District: "北仑区", Year: 2019, Run: store.Run{ID: "000001", AsOf: "2020-03-01"}})
	for _, want := range []string{"第一次", "本次监测未发现问题", "未发现达到单项否决标准的单位", "未发现逾期未整改的问题", "暂无完整监测数据", "运行中断", "截至本次监测"} {
		if !strings.Contains(out, want) {
			t.Errorf("empty report lacks %q", want)
		}
	}
	if strings.Contains(out, "<svg") {
		t.Error("empty report draws a chart")
	}
	// The district also lands in the CSS of the page footer.
	out = render(t, report.Data{District: `区"; } </style><script>x()</script>`, Year: 2019, Run: store.Run{ID: "000001"}})
	if strings.Contains(out, "<script>") || strings.Count(out, "</style>") != 2 {
		t.Errorf("a hostile district name escapes its context:\n%s", out[:min(len(out), 400)])
	}
}

// Ensure that NewTrendRun counts each failing identity once and leaves out
// dismissed findings.
func TestNewTrendRun(t *testing.T) {
	fs := []checks.Finding{
		finding("a", "link.broken", "u1", checks.Fail, ""),
		finding("a", "link.broken", "u1", checks.Fail, "again"),
		finding("a", "link.broken", "u2", checks.Fail, ""),
		finding("a", "org.info", "", checks.Pass, ""),
		finding("b", "guide.present", "", checks.NA, ""),
	}
	lc := score.Lifecycle{Dismissed: map[string]string{fs[2].ID: "wrong"}}
	cards := []score.Card{{Unit: "a", Objective: 10, AutoMax: 65}, {Unit: "b", Objective: 20, AutoMax: 65, Veto: []score.VetoRisk{{}}}}
	tr := report.NewTrendRun(store.Run{ID: "000004", AsOf: "2020-03-01", Pages: 9}, cards, fs, lc)
	if tr.Failing != 1 || tr.VetoUnits != 1 || tr.Average != 15 || tr.AutoMax != 65 || tr.Scores["b"] != 20 || tr.Pages != 9 {
		t.Errorf("NewTrendRun = %+v, want 1 failing, 1 veto unit, average 15 of 65", tr)
	}
}
