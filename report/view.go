package report

import (
	"cmp"
	"html/template"
	"slices"
	"strings"
	"time"

	"gkaudit/checks"
	"gkaudit/config"
	"gkaudit/score"
	"gkaudit/store"
)

// view is what the template reads: every figure computed, every text final.
type view struct {
	CSS        template.CSS
	Title      string
	FooterText string
	District   string
	Year       int
	Seq        int // the run's number among the complete runs: 第X次
	Run        store.Run
	Prev       store.Run // the complete run before Run; zero ID when none
	Office     string    // who issues it

	Units        int
	UnitsFailing int // units with at least one failing finding
	Failing      int
	VetoUnits    int
	Notified     int     // findings on rectification notices since Prev
	NewOverdue   int     // findings that went overdue since Prev
	Fixed        int     // findings fixed since Prev
	Average      float64 // rounded to 0.1
	AutoMax      float64
	Figures      []figure

	Ranking  []rankRow
	HasDelta bool // Trend has the previous run: the ranking shows the change
	Problems []problem
	// TopProblems are the first few problems, named in the overview.
	TopProblems []problem
	SparkSpan   int
	Vetoes      []vetoRow
	Overdue     []overdueRow
	Trend       trendView
}

// figure is one headline number.
type figure struct {
	Label string
	Value string
	Unit  string
	Note  string
	Warn  bool
}

type rankRow struct {
	Rank      int
	Unit      string
	Name      string
	Kind      string
	Objective float64
	AutoMax   float64
	Deducted  float64
	Delta     float64
	HasDelta  bool
	Open      int
	Overdue   int
	Veto      []string
}

type problem struct {
	No          int
	Check       string
	Name        string
	Rule        string // the rubric line it costs points on
	Findings    int
	Units       int
	ExampleUnit string
	Example     string
}

type vetoRow struct {
	Unit  string
	Name  string
	Lines []vetoLine
}

type vetoLine struct {
	Name  string
	Count int
	Min   int
	Items []string // details of the findings counted, the first few
	More  int      // findings not listed
}

type overdueRow struct {
	order   int // the unit's place in the run's units
	Unit    string
	Problem string
	Detail  string
	URL     string
	Notice  string
	// NoticeParts is Notice cut after its year (〔2020〕), where a line
	// may break.
	NoticeParts []string
	Deadline    string
	Days        int
	Fixed       bool
}

// Limits on how much of the findings the report quotes.
const (
	exampleRunes = 90
	vetoItems    = 5
	vetoRunes    = 60
	detailRunes  = 70
	topProblems  = 3
)

func build(d Data) view {
	v := view{CSS: template.CSS(pageCSS), District: d.District, Year: d.Year, Run: d.Run,
		Office: d.District + "人民政府办公室"}
	for _, r := range d.Runs {
		if r.Complete && r.ID < d.Run.ID {
			v.Prev = r
			v.Seq++
		}
	}
	v.Seq++
	v.Title = "关于" + itoa(d.Year) + "年度第" + cnNumber(v.Seq) + "次政府网站政务公开监测情况的通报（草稿）"
	v.FooterText = d.District + itoa(d.Year) + "年度第" + cnNumber(v.Seq) + "次政务公开监测通报（草稿）"

	lc := score.FromHistory(d.Entries, d.Run.ID)
	cur := NewTrendRun(d.Run, d.Cards, d.Findings, lc)
	fails := failing(d.Findings, lc.Dismissed)
	v.Units, v.Failing, v.VetoUnits, v.Average, v.AutoMax = cur.Units, cur.Failing, cur.VetoUnits, round1(cur.Average), cur.AutoMax

	names := map[string]string{}
	for _, c := range d.Cards {
		names[c.Unit] = c.Name
	}
	nameOf := func(unit string) string {
		if n := names[unit]; n != "" {
			return n
		}
		return unit
	}
	ruleOf := ruleNames(d.Cards)
	open := map[string]int{}
	for _, f := range fails {
		open[f.Unit]++
	}
	v.UnitsFailing = len(open)
	v.Notified, v.NewOverdue, v.Fixed = sinceCounts(d, v.Prev.ID)

	// The ranking shows the change since the previous complete run the
	// trend has.
	var prevScores map[string]float64
	for _, t := range d.Trend {
		if t.Run < d.Run.ID {
			prevScores = t.Scores
		}
	}
	v.HasDelta = prevScores != nil
	v.Ranking = ranking(d.Cards, open, lc.Overdue, prevScores)
	v.Problems = problems(d.Cards, fails, nameOf, ruleOf)
	v.TopProblems = v.Problems[:min(len(v.Problems), topProblems)]
	v.SparkSpan = sparkSpan
	v.Vetoes = vetoes(d.Cards)
	v.Overdue = overdue(d, nameOf, ruleOf)
	v.Trend = trend(d.Cards, d.Trend)
	v.Figures = figures(v)
	return v
}

// ruleNames maps each check ID the cards show to the rubric line it feeds:
// an item's name, or a deduction's text up to its first comma.
func ruleNames(cards []score.Card) map[string]string {
	m := map[string]string{}
	for _, c := range cards {
		for _, it := range c.Items {
			for _, cr := range it.Checks {
				if m[cr.ID] == "" {
					m[cr.ID] = it.Name
				}
			}
		}
		for _, dd := range c.Deductions {
			text, _, _ := strings.Cut(dd.Text, "，")
			for _, cr := range dd.Checks {
				if m[cr.ID] == "" {
					m[cr.ID] = "扣分：" + text
				}
			}
		}
	}
	return m
}

// sinceCounts counts, in the runs after prev up to the reported run, the
// findings listed on rectification notices, those that went overdue and
// those fixed. With no previous run every run up to the reported one counts.
func sinceCounts(d Data, prev string) (notified, overdue, fixed int) {
	in := func(run string) bool { return run > prev && run <= d.Run.ID }
	for _, n := range d.Notices {
		if n.Kind == store.NoticeRectification && in(n.Run) {
			notified += len(n.Findings)
		}
	}
	for _, e := range d.Entries {
		if !e.Overdue.IsZero() && in(e.Overdue.Run) {
			overdue++
		}
		if !e.Fixed.IsZero() && in(e.Fixed.Run) {
			fixed++
		}
	}
	return notified, overdue, fixed
}

func ranking(cards []score.Card, open map[string]int, overdue map[string][]score.FindingRef, prev map[string]float64) []rankRow {
	rows := make([]rankRow, 0, len(cards))
	for _, c := range cards {
		r := rankRow{Rank: c.Rank, Unit: c.Unit, Name: c.Name, Kind: config.KindLabel(c.Kind), Objective: c.Objective,
			AutoMax: c.AutoMax, Deducted: c.Deducted, Open: open[c.Unit], Overdue: len(overdue[c.Unit])}
		if p, ok := prev[c.Unit]; ok {
			r.Delta, r.HasDelta = c.Objective-p, true
		}
		for _, vr := range c.Veto {
			r.Veto = append(r.Veto, vr.Name)
		}
		rows = append(rows, r)
	}
	slices.SortStableFunc(rows, func(a, b rankRow) int { return a.Rank - b.Rank })
	return rows
}

// problems groups the failing findings by check, most units first; the
// example is the first finding of the best ranked unit that has one.
func problems(cards []score.Card, fails []checks.Finding, nameOf func(string) string, ruleOf map[string]string) []problem {
	order := map[string]int{}
	for _, c := range cards {
		order[c.Unit] = c.Rank
	}
	byCheck := map[string][]checks.Finding{}
	for _, f := range fails {
		byCheck[f.Check] = append(byCheck[f.Check], f)
	}
	var out []problem
	for id, fs := range byCheck {
		units := map[string]bool{}
		ex := fs[0]
		for _, f := range fs {
			units[f.Unit] = true
			if order[f.Unit] < order[ex.Unit] {
				ex = f
			}
		}
		out = append(out, problem{Check: id, Name: checkName(id, ruleOf), Rule: ruleOf[id], Findings: len(fs),
			Units: len(units), ExampleUnit: nameOf(ex.Unit), Example: clip(ex.Detail, exampleRunes)})
	}
	slices.SortFunc(out, func(a, b problem) int {
		return cmp.Or(b.Units-a.Units, b.Findings-a.Findings, strings.Compare(a.Check, b.Check))
	})
	for i := range out {
		out[i].No = i + 1
	}
	return out
}

func vetoes(cards []score.Card) []vetoRow {
	var out []vetoRow
	for _, c := range cards {
		if len(c.Veto) == 0 {
			continue
		}
		row := vetoRow{Unit: c.Unit, Name: c.Name}
		for _, r := range c.Veto {
			l := vetoLine{Name: r.Name, Count: r.Count, Min: r.Min}
			for i, f := range r.Findings {
				if i == vetoItems {
					l.More = len(r.Findings) - i
					break
				}
				l.Items = append(l.Items, clip(f.Detail, vetoRunes))
			}
			row.Lines = append(row.Lines, l)
		}
		out = append(out, row)
	}
	return out
}

// overdue lists the findings that missed their deadline by the reported
// run (state overdue, or an Overdue run set), dismissed ones left out, the
// longest overdue first, then in the order of the units. Days run from the deadline to the as-of date of
// the reported run, or of the run that found it fixed.
func overdue(d Data, nameOf func(string) string, ruleOf map[string]string) []overdueRow {
	order := map[string]int{}
	for i, c := range d.Cards {
		order[c.Unit] = i
	}
	asOf := map[string]string{}
	for _, r := range d.Runs {
		asOf[r.ID] = r.AsOf
	}
	var out []overdueRow
	for _, e := range d.Entries {
		if e.State == store.StateDismissed {
			continue
		}
		if !(e.State == store.StateOverdue && e.Overdue.IsZero()) && (e.Overdue.IsZero() || e.Overdue.Run > d.Run.ID) {
			continue
		}
		row := overdueRow{order: order[e.Unit], Unit: nameOf(e.Unit), Problem: checkName(e.Check, ruleOf), Detail: clip(e.Detail, detailRunes),
			URL: e.URL, Notice: e.Notice, NoticeParts: cutAfter(e.Notice, "〕")}
		end := d.Run.AsOf
		if !e.Fixed.IsZero() && e.Fixed.Run <= d.Run.ID {
			row.Fixed = true
			if a := asOf[e.Fixed.Run]; a != "" {
				end = a
			}
		}
		if !e.Deadline.IsZero() {
			row.Deadline = e.Deadline.Format(time.DateOnly)
			row.Days = daysBetween(row.Deadline, end)
		}
		out = append(out, row)
	}
	slices.SortStableFunc(out, func(a, b overdueRow) int {
		if a.Fixed != b.Fixed {
			if a.Fixed {
				return 1
			}
			return -1
		}
		return cmp.Or(b.Days-a.Days, a.order-b.order)
	})
	return out
}

// cutAfter cuts s after the first sep: "仑政务公开〔2020〕5号" gives
// "仑政务公开〔2020〕" and "5号"; s alone when sep is not inside it.
func cutAfter(s, sep string) []string {
	i := strings.Index(s, sep)
	if i < 0 || i+len(sep) == len(s) {
		return []string{s}
	}
	return []string{s[:i+len(sep)], s[i+len(sep):]}
}

// daysBetween counts the calendar days from one YYYY-MM-DD date to another;
// 0 when either does not parse or to is not later.
func daysBetween(from, to string) int {
	a, err1 := time.Parse(time.DateOnly, from)
	b, err2 := time.Parse(time.DateOnly, to)
	if err1 != nil || err2 != nil || !b.After(a) {
		return 0
	}
	return int(b.Sub(a).Hours() / 24)
}

func figures(v view) []figure {
	since := "上次监测以来"
	if v.Prev.ID == "" {
		since = "截至本次监测"
	}
	return []figure{
		{Label: "监测单位", Value: itoa(v.Units), Unit: "家"},
		{Label: "采集页面", Value: itoa64(v.Run.Pages), Unit: "个"},
		{Label: "发现问题", Value: itoa(v.Failing), Unit: "个", Note: "涉及 " + itoa(v.UnitsFailing) + " 家单位", Warn: v.Failing > 0},
		{Label: "单项否决风险", Value: itoa(v.VetoUnits), Unit: "家", Warn: v.VetoUnits > 0},
		{Label: "平均客观分", Value: fmtPoints(v.Average), Unit: "分", Note: "满分 " + fmtPoints(v.AutoMax) + " 分"},
		{Label: "下发整改", Value: itoa(v.Notified), Unit: "个", Note: since},
		{Label: "新增逾期", Value: itoa(v.NewOverdue), Unit: "个", Note: since, Warn: v.NewOverdue > 0},
		{Label: "已整改", Value: itoa(v.Fixed), Unit: "个", Note: since},
	}
}
