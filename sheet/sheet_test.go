package sheet_test

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"gkaudit/checks"
	"gkaudit/config"
	"gkaudit/score"
	"gkaudit/sheet"
	"gkaudit/store"
)

var cst = time.FixedZone("CST", 8*3600)

// fixture is a run of three units with every kind of line the sheet shows:
// auto, manual and pending points, a stale-column and an overdue deduction,
// a veto risk, and findings open, notified, overdue, fixed and dismissed.
func fixture(t testing.TB) sheet.Data {
	t.Helper()
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	run := store.Run{ID: "000002", AsOf: "2020-03-01", Complete: true, Units: []string{"xinqi", "finance", "elsewhere"},
		Started: time.Date(2020, 3, 1, 2, 0, 0, 0, cst)}
	f := func(unit, check, subject string, st checks.Status) checks.Finding {
		fd := checks.Finding{Unit: unit, Check: check, Subject: subject, Status: st,
			URL:    "http://www.bl.gov.cn/" + unit + "/" + strings.ReplaceAll(subject, ".", "/") + "/index.html",
			Detail: check + " 未通过：" + subject, Rule: "《政府信息公开条例》第二十条"}
		fd.ID = store.FindingID(store.FindingKey(fd))
		return fd
	}
	fs := []checks.Finding{
		f("xinqi", "org.info", "org", checks.Pass),
		f("xinqi", "keyarea.budget", "budget", checks.Pass),
		f("xinqi", "keyarea.public_welfare", "public_welfare", checks.Pass),
		f("xinqi", "keyarea.major_projects", "major_projects", checks.Fail),
		f("xinqi", "column.stale", "news", checks.Fail),
		f("xinqi", "column.stale", "notice", checks.Fail),
		f("finance", "org.info", "org", checks.Fail),
		f("finance", "site.reachable", "entry", checks.Pass),
		f("finance", "newmedia.links", "weibo", checks.Fail),
		f("elsewhere", "site.reachable", "entry", checks.Fail),
		f("elsewhere", "org.info", "org", checks.NA),
	}
	for i := range 5 {
		fs = append(fs, f("finance", "column.empty", fmt.Sprintf("col%d", i), checks.Fail))
	}
	first := store.RunAt{Run: "000001", At: time.Date(2020, 2, 1, 2, 0, 0, 0, cst)}
	entry := func(fd checks.Finding, st store.State) store.HistoryEntry {
		return store.HistoryEntry{Key: store.FindingKey(fd), ID: fd.ID, Unit: fd.Unit, Check: fd.Check, Subject: fd.Subject,
			URL: fd.URL, Detail: fd.Detail, Rule: fd.Rule, FirstSeen: first, LastSeen: store.RunAt{Run: run.ID, At: run.Started},
			State: st}
	}
	var es []store.HistoryEntry
	for _, fd := range fs {
		if fd.Status == checks.Fail {
			es = append(es, entry(fd, store.StateOpen))
		}
	}
	deadline := time.Date(2020, 2, 20, 0, 0, 0, 0, cst)
	for i := range es {
		switch es[i].Check + "/" + es[i].Subject {
		case "keyarea.major_projects/major_projects": // overdue: −1
			es[i].State, es[i].Deadline, es[i].Notice = store.StateOverdue, deadline, "仑政公开〔2020〕1号"
			es[i].NotifiedAt = time.Date(2020, 2, 6, 0, 0, 0, 0, cst)
			es[i].Overdue = store.RunAt{Run: run.ID, At: run.Started}
			es[i].FollowUp = "仑政公开催〔2020〕1号"
		case "org.info/org": // finance: notified
			es[i].State, es[i].Deadline, es[i].Notice = store.StateNotified, time.Date(2020, 3, 16, 0, 0, 0, 0, cst), "仑政公开〔2020〕2号"
		case "newmedia.links/weibo": // finance: dismissed
			es[i].State = store.StateDismissed
			es[i].Dismissed = &store.Decision{By: "李四", At: run.Started.Add(time.Hour), Why: "微博链接在页脚图片中"}
		}
	}
	// A finding fixed in this run: its entry stays, its finding passes.
	fixed := f("xinqi", "guide.present", "guide", checks.Pass)
	fs = append(fs, fixed)
	fe := entry(fixed, store.StateFixed)
	fe.Fixed = store.RunAt{Run: run.ID, At: run.Started}
	es = append(es, fe)

	at := run.Started.Add(10 * time.Minute)
	evs := []store.Event{
		{Seq: 1, Finding: es[0].ID, Unit: es[0].Unit, Check: es[0].Check, Subject: es[0].Subject, Action: store.ActionDetect,
			By: store.SystemUser, At: first.At, Run: first.Run, From: "", To: store.StateOpen, Why: "首次发现"},
		{Seq: 2, Finding: es[0].ID, Unit: es[0].Unit, Check: es[0].Check, Subject: es[0].Subject, Action: store.ActionNotify,
			By: "张三", At: time.Date(2020, 2, 6, 9, 30, 0, 0, cst), Run: first.Run, From: store.StateOpen, To: store.StateNotified,
			Why: "整改通知 仑政公开〔2020〕1号，整改期限 2020-02-20"},
		{Seq: 3, Finding: es[0].ID, Unit: es[0].Unit, Check: es[0].Check, Subject: es[0].Subject, Action: store.ActionOverdue,
			By: store.SystemUser, At: at, Run: run.ID, From: store.StateNotified, To: store.StateOverdue, Why: "整改期限 2020-02-20 已过，问题仍然存在"},
		{Seq: 4, Finding: fe.ID, Unit: fe.Unit, Check: fe.Check, Subject: fe.Subject, Action: store.ActionFix,
			By: store.SystemUser, At: at, Run: run.ID, From: store.StateOpen, To: store.StateFixed, Why: "本次监测未再发现该问题"},
		{Seq: 5, Finding: fs[8].ID, Unit: "finance", Check: "newmedia.links", Subject: "weibo", Action: store.ActionDismiss,
			By: "李四", At: run.Started.Add(time.Hour), From: store.StateOpen, To: store.StateDismissed, Why: "微博链接在页脚图片中"},
	}
	units := []config.Unit{mustUnit(t, cfg, "xinqi"), mustUnit(t, cfg, "finance"), {ID: "elsewhere", Name: "elsewhere"}}
	review := score.Review{Unit: "xinqi", Item: "leadership", Points: 4, By: "张三", At: run.Started, Why: "材料齐全"}
	cards := score.ComputeWith(cfg, units, fs, score.FromHistory(es, run.ID), review)
	return sheet.Data{District: cfg.District, Year: cfg.Year, Rubric: cfg.Rubric, Units: cfg.Units, Run: run,
		Cards: cards, Findings: fs, Entries: es, Events: evs}
}

func mustUnit(t testing.TB, cfg *config.Config, id string) config.Unit {
	t.Helper()
	u, ok := cfg.UnitByID(id)
	if !ok {
		t.Fatalf("no unit %s in the default config", id)
	}
	return u
}

// open writes d and opens the result as a reader would.
func open(t *testing.T, d sheet.Data) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := sheet.Write(&buf, d); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("open the workbook: %v", err)
	}
	t.Cleanup(func() { x.Close() })
	return x
}

// Ensure that the workbook has the three sheets in order, 得分汇总 active.
func TestWrite_Sheets(t *testing.T) {
	x := open(t, fixture(t))
	want := []string{sheet.SummarySheet, sheet.ProblemsSheet, sheet.TrackingSheet}
	if got := x.GetSheetList(); !slices.Equal(got, want) {
		t.Errorf("sheets = %v, want %v", got, want)
	}
	if got := x.GetActiveSheetIndex(); got != 0 {
		t.Errorf("active sheet = %d, want 0", got)
	}
}

// Ensure that each unit's row of 得分汇总 equals its scorecard: rank order,
// rank, item points by source, deductions, subtotals, total and veto risks.
func TestWrite_Summary(t *testing.T) {
	d := fixture(t)
	x := open(t, d)
	sh := sheet.SummarySheet
	if got := cellText(t, x, sh, "A1"); got != "北仑区2019年度政务公开考核得分汇总表" {
		t.Errorf("title = %q", got)
	}
	if got := cellText(t, x, sh, "A2"); !strings.Contains(got, "运行 000002") || !strings.Contains(got, "2020-03-01") {
		t.Errorf("run line = %q, want the run id and as-of date", got)
	}
	head := header(t, x, sh, 4)
	for _, h := range []string{"排名", "单位", "类型", "组织机构(5)", "重点领域信息公开(20)", "组织领导(5)",
		"栏目未及时更新\n(-1/次)", "逾期未整改\n(-1/次)", "数量偏低\n(-2)", "客观分小计", "客观分满分", "人工评分", "总分", "单项否决风险"} {
		if _, ok := head[h]; !ok {
			t.Errorf("得分汇总 lacks header %q; headers %v", h, head)
		}
	}
	if got := cellText(t, x, sh, ref(head["组织机构(5)"], 3)); got != "主动公开(45)" {
		t.Errorf("group header over 组织机构 = %q, want 主动公开(45)", got)
	}
	cols, err := x.GetCols(sh)
	if err != nil {
		t.Fatal(err)
	}
	// 排名 单位 类型, the items, the automatic deductions, 客观分小计 客观分满分 人工评分 总分 单项否决风险.
	if want := 3 + len(d.Rubric.Items) + len(autoDeductions) + 5; len(cols) != want {
		t.Errorf("得分汇总 has %d columns, want %d", len(cols), want)
	}

	byName := map[string]score.Card{}
	for _, c := range d.Cards {
		byName[c.Name] = c
	}
	prevRank := 0
	for r := 5; r < 5+len(d.Cards); r++ {
		name := cellText(t, x, sh, ref(head["单位"], r))
		c, ok := byName[name]
		if !ok {
			t.Fatalf("row %d names %q, not a unit of the run", r, name)
		}
		checkNum(t, x, sh, ref(head["排名"], r), float64(c.Rank))
		checkNum(t, x, sh, ref(head["客观分小计"], r), c.Objective)
		checkNum(t, x, sh, ref(head["客观分满分"], r), c.AutoMax)
		checkNum(t, x, sh, ref(head["人工评分"], r), c.Reviewed)
		checkNum(t, x, sh, ref(head["总分"], r), c.Total)
		if c.Rank < prevRank {
			t.Errorf("row %d: rank %d after %d, want rank order", r, c.Rank, prevRank)
		}
		prevRank = c.Rank
		for _, it := range c.Items {
			at := ref(head[it.Name+"("+strconv.FormatFloat(it.Max, 'f', -1, 64)+")"], r)
			switch it.Source {
			case score.Pending:
				if got := cellText(t, x, sh, at); got != "待评" {
					t.Errorf("%s %s (pending) = %q, want 待评", c.Unit, it.ID, got)
				}
			default:
				checkNum(t, x, sh, at, it.Points)
			}
			checkFill(t, x, sh, at, map[score.Source]string{score.Pending: "D9D9D9", score.Manual: "FFF2CC", score.Auto: ""}[it.Source])
		}
		for _, ded := range c.Deductions {
			if h, ok := autoDeductions[ded.ID]; ok {
				checkNum(t, x, sh, ref(head[h], r), -ded.Deducted)
			}
		}
		veto := cellText(t, x, sh, ref(head["单项否决风险"], r))
		for _, v := range c.Veto {
			if !strings.Contains(veto, v.Summary()) {
				t.Errorf("%s 单项否决风险 = %q, want %q", c.Unit, veto, v.Summary())
			}
		}
		if len(c.Veto) == 0 && veto != "无" {
			t.Errorf("%s 单项否决风险 = %q, want 无", c.Unit, veto)
		}
		if st := style(t, x, sh, ref(head["总分"], r)); len(c.Pending) > 0 && (st.CustomNumFmt == nil || !strings.HasSuffix(*st.CustomNumFmt, `"*"`)) {
			t.Errorf("%s 总分 format %v with %d pending lines, want a * mark", c.Unit, deref(st.CustomNumFmt), len(c.Pending))
		}
	}
	// The fixture's own expectations, so that a wrong card cannot pass.
	xinqi := byName["新碶街道"]
	// org 5 + guide_catalog 5 + key areas 13.5 − 2 stale − 1 overdue.
	if xinqi.Objective != 20.5 || xinqi.Rank != 1 || xinqi.Reviewed != 4 || xinqi.Deductions[1].Deducted != 1 {
		t.Errorf("fixture card xinqi = objective %v rank %d reviewed %v overdue −%v; want 20.5, 1, 4, −1",
			xinqi.Objective, xinqi.Rank, xinqi.Reviewed, xinqi.Deductions[1].Deducted)
	}
	if len(byName["财政局"].Veto) == 0 {
		t.Error("fixture card finance has no veto risk")
	}
	if got := cellFormatted(t, x, sh, ref(head["重点领域信息公开(20)"], 5)); got != "13.5" {
		t.Errorf("xinqi 重点领域 shows %q, want 13.5", got)
	}
	if got := legendRow(t, x, sh, 5+len(d.Cards)); got == "" {
		t.Error("no legend under the table")
	}
}

// Ensure that 问题清单 lists every failing finding, dismissed ones
// included, with its id, unit, indicator, page hyperlink, state, deadline
// and notice number.
func TestWrite_Problems(t *testing.T) {
	d := fixture(t)
	x := open(t, d)
	sh := sheet.ProblemsSheet
	head := header(t, x, sh, 3)
	for _, h := range []string{"问题编号", "单位", "检查项", "考核指标", "问题描述", "页面", "规则依据", "首次发现", "状态", "整改期限", "通知文号"} {
		if _, ok := head[h]; !ok {
			t.Errorf("问题清单 lacks header %q", h)
		}
	}
	rows := map[string]int{}
	for r := 4; ; r++ {
		id := cellText(t, x, sh, ref(head["问题编号"], r))
		if id == "" {
			break
		}
		rows[id] = r
	}
	states := map[string]store.HistoryEntry{}
	for _, e := range d.Entries {
		states[e.ID] = e
	}
	fails := 0
	for _, f := range d.Findings {
		r, listed := rows[f.ID]
		if f.Status != checks.Fail {
			if listed {
				t.Errorf("%s %s (%s) listed", f.Unit, f.Check, f.Status)
			}
			continue
		}
		fails++
		if !listed {
			t.Errorf("failing finding %s %s %s (%s) not listed", f.Unit, f.Check, f.Subject, f.ID)
			continue
		}
		if got := cellText(t, x, sh, ref(head["检查项"], r)); got != f.Check {
			t.Errorf("%s 检查项 = %q, want %q", f.ID, got, f.Check)
		}
		ok, target, err := x.GetCellHyperLink(sh, ref(head["页面"], r))
		if err != nil || !ok || target != f.URL {
			t.Errorf("%s 页面 links to %q (%v, %v), want %q", f.ID, target, ok, err, f.URL)
		}
		if got := cellText(t, x, sh, ref(head["问题描述"], r)); !strings.HasPrefix(got, f.Detail) {
			t.Errorf("%s 问题描述 = %q, want %q", f.ID, got, f.Detail)
		}
		if got := cellFormatted(t, x, sh, ref(head["首次发现"], r)); got != "2020-02-01" {
			t.Errorf("%s 首次发现 = %q, want 2020-02-01", f.ID, got)
		}
	}
	if len(rows) != fails {
		t.Errorf("%d rows, want %d failing findings", len(rows), fails)
	}
	find := func(unit, check string) int {
		for _, f := range d.Findings {
			if f.Unit == unit && f.Check == check && f.Status == checks.Fail {
				return rows[f.ID]
			}
		}
		t.Fatalf("no failing %s %s", unit, check)
		return 0
	}
	tests := []struct {
		unit, check          string
		col, want, formatted string
	}{
		{"xinqi", "keyarea.major_projects", "考核指标", "主动公开/重点领域信息公开", ""},
		{"xinqi", "column.stale", "考核指标", "减分/栏目未及时更新", ""},
		{"xinqi", "keyarea.major_projects", "状态", "已逾期", ""},
		{"xinqi", "keyarea.major_projects", "通知文号", "仑政公开〔2020〕1号\n催办 仑政公开催〔2020〕1号", ""},
		{"xinqi", "keyarea.major_projects", "整改期限", "", "2020-02-20"},
		{"finance", "org.info", "状态", "已通知", ""},
		{"finance", "org.info", "整改期限", "", "2020-03-16"},
		{"finance", "newmedia.links", "状态", "已驳回", ""},
		{"xinqi", "column.stale", "状态", "待整改", ""},
		{"xinqi", "column.stale", "单位", "新碶街道", ""},
		{"elsewhere", "site.reachable", "考核指标", "载体建设/政府网站", ""},
	}
	for _, tt := range tests {
		at := ref(head[tt.col], find(tt.unit, tt.check))
		if tt.want != "" {
			if got := cellText(t, x, sh, at); got != tt.want {
				t.Errorf("%s %s %s = %q, want %q", tt.unit, tt.check, tt.col, got, tt.want)
			}
		}
		if tt.formatted != "" {
			if got := cellFormatted(t, x, sh, at); got != tt.formatted {
				t.Errorf("%s %s %s shows %q, want %q", tt.unit, tt.check, tt.col, got, tt.formatted)
			}
		}
	}
	// A dismissed finding is muted: grey text, its reason in the description.
	r := find("finance", "newmedia.links")
	if got := fontColor(t, x, sh, ref(head["问题描述"], r)); got != "808080" {
		t.Errorf("dismissed finding's text colour = %q, want grey 808080", got)
	}
	if got := cellText(t, x, sh, ref(head["问题描述"], r)); !strings.Contains(got, "驳回理由：微博链接在页脚图片中") {
		t.Errorf("dismissed finding's description = %q, want the reason", got)
	}
}

// Ensure that 整改跟踪 lists every event with Chinese action and state names.
func TestWrite_Tracking(t *testing.T) {
	d := fixture(t)
	x := open(t, d)
	sh := sheet.TrackingSheet
	head := header(t, x, sh, 3)
	for _, h := range []string{"时间", "问题编号", "单位", "检查项", "操作", "原状态", "新状态", "操作人", "运行", "原因/说明"} {
		if _, ok := head[h]; !ok {
			t.Errorf("整改跟踪 lacks header %q", h)
		}
	}
	want := [][]string{
		{"发现", "—", "待整改", "系统", "000001"},
		{"发出整改通知", "待整改", "已通知", "张三", "000001"},
		{"逾期", "已通知", "已逾期", "系统", "000002"},
		{"已整改", "待整改", "已整改", "系统", "000002"},
		{"审核驳回", "待整改", "已驳回", "李四", ""},
	}
	for i, w := range want {
		r := 4 + i
		got := []string{}
		for _, h := range []string{"操作", "原状态", "新状态", "操作人", "运行"} {
			got = append(got, cellText(t, x, sh, ref(head[h], r)))
		}
		if !slices.Equal(got, w) {
			t.Errorf("event %d = %q, want %q", i+1, got, w)
		}
		if got := cellText(t, x, sh, ref(head["问题编号"], r)); got != d.Events[i].Finding {
			t.Errorf("event %d 问题编号 = %q, want %q", i+1, got, d.Events[i].Finding)
		}
	}
	if got := cellFormatted(t, x, sh, ref(head["时间"], 5)); got != "2020-02-06 09:30" {
		t.Errorf("event 2 时间 = %q, want 2020-02-06 09:30 (Asia/Shanghai)", got)
	}
	if got := cellText(t, x, sh, ref(head["操作"], 4+len(d.Events))); got != "" {
		t.Errorf("a row after the last event: %q", got)
	}
}

// Ensure that every sheet prints as is: frozen header rows, an autofilter,
// A4 landscape fitted to one page wide, the header rows on every page and
// page numbers in the footer.
func TestWrite_PageSetup(t *testing.T) {
	x := open(t, fixture(t))
	for _, tt := range []struct {
		sheet  string
		head   int
		titles string
	}{
		{sheet.SummarySheet, 4, "$3:$4"},
		{sheet.ProblemsSheet, 3, "$3:$3"},
		{sheet.TrackingSheet, 3, "$3:$3"},
	} {
		t.Run(tt.sheet, func(t *testing.T) {
			panes, err := x.GetPanes(tt.sheet)
			if err != nil || !panes.Freeze || panes.YSplit != tt.head {
				t.Errorf("panes = %+v (%v), want frozen below row %d", panes, err, tt.head)
			}
			pl, err := x.GetPageLayout(tt.sheet)
			if err != nil {
				t.Fatal(err)
			}
			if pl.Orientation == nil || *pl.Orientation != "landscape" || pl.Size == nil || *pl.Size != 9 {
				t.Errorf("page layout = orientation %v size %v, want landscape A4 (9)", deref(pl.Orientation), deref(pl.Size))
			}
			if pl.FitToWidth == nil || *pl.FitToWidth != 1 || pl.FitToHeight == nil || *pl.FitToHeight != 0 {
				t.Errorf("fit to %v wide × %v tall, want 1 × 0 (any)", deref(pl.FitToWidth), deref(pl.FitToHeight))
			}
			props, err := x.GetSheetProps(tt.sheet)
			if err != nil || props.FitToPage == nil || !*props.FitToPage {
				t.Errorf("sheet props FitToPage = %v (%v), want true", deref(props.FitToPage), err)
			}
			hf, err := x.GetHeaderFooter(tt.sheet)
			if err != nil || hf == nil || !strings.Contains(hf.OddFooter, "第 &P 页 共 &N 页") {
				t.Errorf("footer = %+v (%v), want page numbers", hf, err)
			}
			var titles, filter bool
			for _, dn := range x.GetDefinedName() {
				if dn.Scope != tt.sheet {
					continue
				}
				switch dn.Name {
				case "_xlnm.Print_Titles":
					titles = strings.HasSuffix(dn.RefersTo, "!"+tt.titles)
					if !titles {
						t.Errorf("print titles = %q, want rows %s", dn.RefersTo, tt.titles)
					}
				case "_xlnm._FilterDatabase":
					filter = strings.Contains(dn.RefersTo, "$A$"+strconv.Itoa(tt.head)+":")
				}
			}
			if !titles || !filter {
				t.Errorf("print titles %v, autofilter on row %d %v; want both", titles, tt.head, filter)
			}
		})
	}
}

// Ensure that an empty run (no cards, findings or events) still makes a
// valid workbook with its headers.
func TestWrite_Empty(t *testing.T) {
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	x := open(t, sheet.Data{Rubric: cfg.Rubric, Run: store.Run{ID: "000001", AsOf: "2020-03-01"}})
	if got := cellText(t, x, sheet.ProblemsSheet, "A3"); got != "问题编号" {
		t.Errorf("问题清单 A3 = %q, want 问题编号", got)
	}
	if got := cellText(t, x, sheet.SummarySheet, "A2"); !strings.Contains(got, "未完成") {
		t.Errorf("run line of an incomplete run = %q, want it said", got)
	}
}

// header maps the texts of row r to their column numbers.
func header(t *testing.T, x *excelize.File, sh string, r int) map[string]int {
	t.Helper()
	rows, err := x.GetRows(sh)
	if err != nil || len(rows) < r {
		t.Fatalf("%s: %d rows (%v)", sh, len(rows), err)
	}
	m := map[string]int{}
	for i, v := range rows[r-1] {
		if v != "" {
			m[v] = i + 1
		}
	}
	// Headers over two rows are merged: their text is in the row above.
	if r > 1 {
		for i, v := range rows[r-2] {
			if _, ok := m[v]; v != "" && !ok && (i >= len(rows[r-1]) || rows[r-1][i] == "") {
				m[v] = i + 1
			}
		}
	}
	return m
}

func ref(col, row int) string {
	s, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		panic(err)
	}
	return s
}

func cellText(t *testing.T, x *excelize.File, sh, at string) string {
	t.Helper()
	v, err := x.GetCellValue(sh, at, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func cellFormatted(t *testing.T, x *excelize.File, sh, at string) string {
	t.Helper()
	v, err := x.GetCellValue(sh, at)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func checkNum(t *testing.T, x *excelize.File, sh, at string, want float64) {
	t.Helper()
	raw := cellText(t, x, sh, at)
	got, err := strconv.ParseFloat(raw, 64)
	if err != nil || got != want {
		t.Errorf("%s!%s = %q, want %v", sh, at, raw, want)
	}
}

func style(t *testing.T, x *excelize.File, sh, at string) *excelize.Style {
	t.Helper()
	id, err := x.GetCellStyle(sh, at)
	if err != nil {
		t.Fatal(err)
	}
	st, err := x.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func checkFill(t *testing.T, x *excelize.File, sh, at, want string) {
	t.Helper()
	got := ""
	if st := style(t, x, sh, at); len(st.Fill.Color) > 0 {
		got = strings.TrimPrefix(strings.ToUpper(st.Fill.Color[0]), "#")
	}
	if got != want {
		t.Errorf("%s!%s fill = %q, want %q", sh, at, got, want)
	}
}

func fontColor(t *testing.T, x *excelize.File, sh, at string) string {
	t.Helper()
	st := style(t, x, sh, at)
	if st.Font == nil {
		return ""
	}
	return strings.TrimPrefix(strings.ToUpper(st.Font.Color), "#")
}

// legendRow returns the text beside the first legend sample under the
// table, which ends at row last.
func legendRow(t *testing.T, x *excelize.File, sh string, last int) string {
	t.Helper()
	for r := last + 1; r <= last+3; r++ {
		if v := cellText(t, x, sh, ref(3, r)); v != "" {
			return v
		}
	}
	return ""
}

// autoDeductions are the headers of the built-in rubric's automatic
// deductions.
var autoDeductions = map[string]string{
	"stale_column":          "栏目未及时更新\n(-1/次)",
	"overdue_rectification": "逾期未整改\n(-1/次)",
	"low_volume":            "数量偏低\n(-2)",
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// BenchmarkWrite measures a year of nightly runs of a district: 48 units'
// cards, 2000 failing findings and 20000 events.
func BenchmarkWrite(b *testing.B) {
	d := fixture(b)
	cfg, err := config.Default()
	if err != nil {
		b.Fatal(err)
	}
	units := cfg.Units
	var fs []checks.Finding
	var evs []store.Event
	for i := range 2000 {
		u := units[i%len(units)]
		f := checks.Finding{Unit: u.ID, Check: "link.broken", Subject: fmt.Sprintf("http://www.bl.gov.cn/%s/%d.html", u.ID, i),
			Status: checks.Fail, URL: fmt.Sprintf("http://www.bl.gov.cn/%s/%d.html", u.ID, i),
			Detail: "链接“政务公开目录”无法正常访问：返回 HTTP 404 Not Found，所在页面：http://www.bl.gov.cn/col/col1229652/index.html", Rule: d.Findings[0].Rule}
		f.ID = store.FindingID(store.FindingKey(f))
		fs = append(fs, f)
		for j := range 10 {
			evs = append(evs, store.Event{Seq: uint64(len(evs) + 1), Finding: f.ID, Unit: f.Unit, Check: f.Check, Subject: f.Subject,
				Action: store.ActionDetect, By: store.SystemUser, At: d.Run.Started, Run: fmt.Sprintf("%06d", j+1), To: store.StateOpen, Why: "首次发现"})
		}
	}
	d.Units, d.Findings, d.Events = units, fs, evs
	d.Cards = score.Compute(cfg, units, fs)
	b.ResetTimer()
	for b.Loop() {
		var buf bytes.Buffer
		if err := sheet.Write(&buf, d); err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(buf.Len()))
	}
}
