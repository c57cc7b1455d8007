package report

import (
	"fmt"
	"html/template"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"gkaudit/score"
)

// trendView is the trend section: the district chart, a table of the runs
// and one sparkline per unit.
type trendView struct {
	Runs   int
	Chart  template.HTML // failing findings per run
	Rows   []trendRow
	Sparks []spark
}

type trendRow struct {
	Run       string
	AsOf      string
	Units     int
	Pages     int64
	Failing   int
	VetoUnits int
	Average   float64
}

type spark struct {
	Rank     int
	Name     string
	Last     string  // the latest score, "—" when the unit was not audited
	Delta    float64 // since the first run that audited the unit
	HasDelta bool    // the score changed since that run
	// Lo and Hi are the sparkline's vertical scale.
	Lo, Hi float64
	SVG    template.HTML
}

func trend(cards []score.Card, runs []TrendRun) trendView {
	tv := trendView{Runs: len(runs)}
	if len(runs) == 0 {
		return tv
	}
	labels := make([][2]string, len(runs))
	counts := make([]float64, len(runs))
	for i, r := range runs {
		labels[i] = runLabel(r)
		counts[i] = float64(r.Failing)
		tv.Rows = append(tv.Rows, trendRow{Run: r.Run, AsOf: r.AsOf, Units: r.Units, Pages: r.Pages,
			Failing: r.Failing, VetoUnits: r.VetoUnits, Average: round1(r.Average)})
	}
	tv.Chart = lineChart("各次监测发现问题数", labels, counts)

	var autoMax float64
	for _, r := range runs {
		autoMax = max(autoMax, r.AutoMax)
	}

	sorted := slices.Clone(cards)
	slices.SortStableFunc(sorted, func(a, b score.Card) int { return a.Rank - b.Rank })
	for _, c := range sorted {
		vals := make([]float64, len(runs))
		has := make([]bool, len(runs))
		sp := spark{Rank: c.Rank, Name: c.Name, Last: "—"}
		first, last := -1, -1
		for i, r := range runs {
			vals[i], has[i] = r.Scores[c.Unit]
			if has[i] {
				if first < 0 {
					first = i
				}
				last = i
			}
		}
		if last >= 0 {
			sp.Last = fmtPoints(vals[last])
			if last > first && vals[last] != vals[first] {
				sp.Delta, sp.HasDelta = vals[last]-vals[first], true
			}
		}
		sp.Lo, sp.Hi = sparkScale(vals, has, autoMax)
		sp.SVG = sparkline(vals, has, sp.Lo, sp.Hi)
		tv.Sparks = append(tv.Sparks, sp)
	}
	return tv
}

// runLabel is the two lines under a run on the chart: its as-of month and
// day, and its number.
func runLabel(r TrendRun) [2]string {
	day := r.AsOf
	if len(day) == len("2006-01-02") {
		day = day[5:]
	}
	return [2]string{day, "运行" + strings.TrimLeft(r.Run, "0")}
}

// Chart geometry, in SVG user units (the chart scales to its box).
const (
	chartW, chartH                     = 680, 240
	padLeft, padRight, padTop, padBott = 46, 14, 22, 46
	maxXLabels                         = 12
)

// lineChart draws one value per run: a line through a point per run, each
// point labelled with its value, a y axis from 0 with round ticks and the
// runs' labels under the x axis (every k-th when there are many).
func lineChart(title string, labels [][2]string, values []float64) template.HTML {
	var b strings.Builder
	n := len(values)
	top := niceCeil(slices.Max(values))
	plotW, plotH := float64(chartW-padLeft-padRight), float64(chartH-padTop-padBott)
	x := func(i int) float64 { return padLeft + plotW*(float64(i)+0.5)/float64(n) }
	y := func(v float64) float64 { return padTop + plotH*(1-v/top) }

	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 %d %d" role="img" aria-label="%s">`, chartW, chartH, esc(title))
	fmt.Fprintf(&b, `<title>%s</title>`, esc(title))
	step := top / 4
	for k := 0; k <= 4; k++ {
		v := step * float64(k)
		fmt.Fprintf(&b, `<line class="grid" x1="%d" y1="%s" x2="%d" y2="%s" stroke="#d9d9d9" stroke-width="1"/>`,
			padLeft, num(y(v)), chartW-padRight, num(y(v)))
		fmt.Fprintf(&b, `<text class="tick" x="%d" y="%s" text-anchor="end" font-size="11" fill="#555">%s</text>`,
			padLeft-6, num(y(v)+4), fmtPoints(v))
	}
	fmt.Fprintf(&b, `<line class="axis" x1="%d" y1="%d" x2="%d" y2="%d" stroke="#333" stroke-width="1"/>`,
		padLeft, padTop, padLeft, chartH-padBott)
	fmt.Fprintf(&b, `<line class="axis" x1="%d" y1="%d" x2="%d" y2="%d" stroke="#333" stroke-width="1"/>`,
		padLeft, chartH-padBott, chartW-padRight, chartH-padBott)
	fmt.Fprintf(&b, `<text class="unit" x="%d" y="%d" font-size="11" fill="#555">个</text>`, padLeft-6-12, padTop-8)

	pts := make([]string, n)
	for i, v := range values {
		pts[i] = num(x(i)) + "," + num(y(v))
	}
	fmt.Fprintf(&b, `<polyline class="series" points="%s" fill="none" stroke="#b22222" stroke-width="2"/>`, strings.Join(pts, " "))
	every := (n + maxXLabels - 1) / maxXLabels
	for i, v := range values {
		fmt.Fprintf(&b, `<circle class="pt" cx="%s" cy="%s" r="3.5" fill="#b22222"><title>%s %s：%s 个</title></circle>`,
			num(x(i)), num(y(v)), esc(labels[i][1]), esc(labels[i][0]), fmtPoints(v))
		if n <= 2*maxXLabels || i%every == 0 || i == n-1 {
			fmt.Fprintf(&b, `<text class="val" x="%s" y="%s" text-anchor="middle" font-size="11" fill="#222">%s</text>`,
				num(x(i)), num(y(v)-8), fmtPoints(v))
		}
		if i%every != 0 && i != n-1 {
			continue
		}
		fmt.Fprintf(&b, `<text class="xl" x="%s" y="%d" text-anchor="middle" font-size="11" fill="#333">%s</text>`,
			num(x(i)), chartH-padBott+16, esc(labels[i][0]))
		fmt.Fprintf(&b, `<text class="xl" x="%s" y="%d" text-anchor="middle" font-size="10" fill="#777">%s</text>`,
			num(x(i)), chartH-padBott+30, esc(labels[i][1]))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// Sparkline geometry.
const (
	sparkW, sparkH = 150, 34
	sparkPad       = 3
)

// sparkSpan is the least a sparkline's scale spans, in points, so that a
// change of one point shows and no change looks flat.
const sparkSpan = 10

// sparkScale is a sparkline's vertical scale, from and to multiples of 5:
// the unit's scores rounded out, or sparkSpan around their middle when they
// span less; kept within 0..top when top is set (below 0 only for a score
// below 0: deductions can exceed points).
func sparkScale(vals []float64, has []bool, top float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for i, v := range vals {
		if has[i] {
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	if math.IsInf(lo, 1) {
		return 0, sparkSpan
	}
	least := lo
	if hi-lo < sparkSpan {
		lo = math.Round(((lo+hi)/2-sparkSpan/2)/5) * 5
		hi = lo + sparkSpan
	} else {
		lo, hi = math.Floor(lo/5)*5, math.Ceil(hi/5)*5
	}
	if top > 0 && hi > top {
		lo, hi = lo-(hi-top), top
	}
	if lo < 0 && least >= 0 {
		lo, hi = 0, hi-lo
	}
	return lo, hi
}

// sparkline draws a unit's scores, one point per run it audited the unit
// in (has[i] false: a gap), on the scale lo..hi.
func sparkline(vals []float64, has []bool, lo, hi float64) template.HTML {
	var b strings.Builder
	n := len(vals)
	x := func(i int) float64 {
		if n == 1 {
			return sparkW / 2
		}
		return sparkPad + (sparkW-2*sparkPad)*float64(i)/float64(n-1)
	}
	y := func(v float64) float64 {
		v = max(lo, min(hi, v))
		return sparkPad + (sparkH-2*sparkPad)*(1-(v-lo)/(hi-lo))
	}
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="spark" viewBox="0 0 %d %d">`, sparkW, sparkH)
	fmt.Fprintf(&b, `<rect x="0" y="0" width="%d" height="%d" fill="#fafafa" stroke="#e0e0e0"/>`, sparkW, sparkH)
	fmt.Fprintf(&b, `<line x1="0" y1="%s" x2="%d" y2="%s" stroke="#eee"/>`, num(y((lo+hi)/2)), sparkW, num(y((lo+hi)/2)))
	for _, seg := range segments(vals, has, x, y) {
		fmt.Fprintf(&b, `<polyline class="line" points="%s" fill="none" stroke="#1f4e8c" stroke-width="1.6"/>`, seg)
	}
	last := -1
	for i := range vals {
		if has[i] {
			last = i
		}
	}
	for i, v := range vals {
		if !has[i] {
			continue
		}
		r := "1.8"
		if i == last {
			r = "2.8"
		}
		fmt.Fprintf(&b, `<circle class="pt" cx="%s" cy="%s" r="%s" fill="#1f4e8c"/>`, num(x(i)), num(y(v)), r)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// segments returns the "x,y x,y" point lists of the runs of present values.
func segments(vals []float64, has []bool, x func(int) float64, y func(float64) float64) []string {
	var out []string
	var cur []string
	for i, v := range vals {
		if !has[i] {
			if len(cur) > 1 {
				out = append(out, strings.Join(cur, " "))
			}
			cur = nil
			continue
		}
		cur = append(cur, num(x(i))+","+num(y(v)))
	}
	if len(cur) > 1 {
		out = append(out, strings.Join(cur, " "))
	}
	return out
}

// niceCeil rounds v up to 1, 2, 4 or 8 times a power of ten, so that
// quarters of it are round ticks; at least 4.
func niceCeil(v float64) float64 {
	if v <= 4 {
		return 4
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 4, 8, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

// num formats a coordinate with at most one decimal.
func num(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) }

// esc escapes text for SVG (XML) and drops what XML cannot carry.
func esc(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == utf8.RuneError || r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xFFFE || r == 0xFFFF {
			return -1
		}
		return r
	}, s)
	return template.HTMLEscapeString(s)
}

// TrendChart is the report's chart of the district's failing findings per
// run (runs oldest first) as inline SVG, for other pages that show the
// trend (the web UI's dashboard).
func TrendChart(runs []TrendRun) template.HTML {
	if len(runs) == 0 {
		return ""
	}
	labels := make([][2]string, len(runs))
	counts := make([]float64, len(runs))
	for i, r := range runs {
		labels[i] = runLabel(r)
		counts[i] = float64(r.Failing)
	}
	return lineChart("各次监测发现问题数", labels, counts)
}

// ScoreSparkline is the report's sparkline of a unit's objective score per
// run (runs oldest first; a gap where a run did not audit it), on the
// report's scale, with the scale's bounds.
func ScoreSparkline(runs []TrendRun, unit string) (svg template.HTML, lo, hi float64) {
	vals := make([]float64, len(runs))
	has := make([]bool, len(runs))
	var autoMax float64
	for i, r := range runs {
		vals[i], has[i] = r.Scores[unit]
		autoMax = max(autoMax, r.AutoMax)
	}
	lo, hi = sparkScale(vals, has, autoMax)
	return sparkline(vals, has, lo, hi), lo, hi
}
