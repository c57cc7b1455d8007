// Package report renders the district monitoring report (监测情况通报, a
// draft for the office to circulate): headline figures, the units ranked by
// their objective score, the most common problems, the units at risk of a
// 单项否决 line, the findings past their rectification deadline, and trends
// over the last runs drawn as inline SVG. The result is one self-contained
// HTML file (embedded template and CSS, no script, no external asset) laid
// out for A4 print and for the screen.
//
// Render is pure: the caller reads the run, its scorecards, findings, the
// finding history, the notices and the trend from the store and passes them
// in. Everything from the store is escaped (html/template; the SVG writer
// escapes its text), since page text quoted in findings can be hostile.
package report

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"

	"gkaudit/checks"
	"gkaudit/score"
	"gkaudit/store"
)

// Data is what the report shows.
type Data struct {
	District string // 北仑区
	Year     int    // the assessment year
	// Run is the run reported on; Runs every run of the file, oldest first
	// (they give the previous complete run and the run's number, 第X次).
	Run  store.Run
	Runs []store.Run
	// Cards are the run's scorecards (score.ComputeWith with the history),
	// Findings its findings.
	Cards    []score.Card
	Findings []checks.Finding
	// Entries are the finding history with lifecycle states, Notices the
	// notices issued.
	Entries []store.HistoryEntry
	Notices []store.Notice
	// Trend is one point per complete run, oldest first, usually ending with
	// Run (see NewTrendRun).
	Trend []TrendRun
}

// TrendRun is what the trend charts show of one run.
type TrendRun struct {
	Run   string `json:"run"`
	AsOf  string `json:"as_of"`
	Units int    `json:"units"`
	Pages int64  `json:"pages"`
	// Failing counts the failing findings (distinct identities), leaving
	// out those a reviewer dismissed; VetoUnits the units at 单项否决 risk.
	Failing   int `json:"failing"`
	VetoUnits int `json:"veto_units"`
	// Average is the mean objective subtotal of the units, AutoMax the most
	// it can be; Scores the objective subtotal by unit id.
	Average float64            `json:"average"`
	AutoMax float64            `json:"auto_max"`
	Scores  map[string]float64 `json:"scores"`
}

// NewTrendRun summarises one run: its scorecards, its findings and the
// lifecycle they were scored with (dismissed findings are not counted).
func NewTrendRun(run store.Run, cards []score.Card, fs []checks.Finding, lc score.Lifecycle) TrendRun {
	t := TrendRun{Run: run.ID, AsOf: run.AsOf, Units: len(cards), Pages: run.Pages,
		Failing: len(failing(fs, lc.Dismissed)), Scores: make(map[string]float64, len(cards))}
	var sum float64
	for _, c := range cards {
		t.Scores[c.Unit] = c.Objective
		sum += c.Objective
		t.AutoMax = max(t.AutoMax, c.AutoMax)
		if len(c.Veto) > 0 {
			t.VetoUnits++
		}
	}
	if len(cards) > 0 {
		t.Average = sum / float64(len(cards))
	}
	return t
}

// failing returns the failing findings, one per identity, in their order,
// without the dismissed ones (by finding id).
func failing(fs []checks.Finding, dismissed map[string]string) []checks.Finding {
	var out []checks.Finding
	seen := map[string]bool{}
	for _, f := range fs {
		if f.Status != checks.Fail {
			continue
		}
		if _, ok := dismissed[f.ID]; ok && f.ID != "" {
			continue
		}
		key := store.FindingKey(f)
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, f)
	}
	return out
}

//go:embed report.html.tmpl
var pageTemplate string

//go:embed report.css
var pageCSS string

var tmpl = template.Must(template.New("report").Funcs(template.FuncMap{
	"pts":    fmtPoints,
	"signed": fmtSigned,
	"cnnum":  cnNumber,
	"cndate": cnDate,
}).Parse(pageTemplate))

// Render writes the report as one HTML document.
func Render(w io.Writer, d Data) error {
	v := build(d)
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, v); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}
