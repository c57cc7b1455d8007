// Package sheet writes the score sheet of a run as an xlsx workbook an audit
// office prints as is: 得分汇总 (one row per unit by rank, the points of every
// rubric item, the automatic deductions, subtotals and 单项否决 risks),
// 问题清单 (every failing finding with its page, rule, lifecycle state and
// deadline) and 整改跟踪 (every lifecycle event). Each sheet has frozen
// headers, an autofilter, A4 landscape page setup fitted to the width,
// header rows repeated on every page and page numbers in the footer.
//
// The package is pure: the caller reads the config and the store and passes
// plain data in; Write only writes to an io.Writer.
package sheet

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"gkaudit/checks"
	"gkaudit/cndate"
	"gkaudit/config"
	"gkaudit/score"
	"gkaudit/store"
)

// Sheet names, in workbook order.
const (
	SummarySheet  = "得分汇总"
	ProblemsSheet = "问题清单"
	TrackingSheet = "整改跟踪"
)

// Data is what the workbook shows.
type Data struct {
	District string // 北仑区
	Year     int    // the assessment year
	Rubric   config.Rubric
	// Units names the units events and findings refer to beyond the cards
	// (optional; the cards' names come first).
	Units []config.Unit
	Run   store.Run
	// Cards are the run's scorecards (score.ComputeWith), any order.
	Cards []score.Card
	// Findings are the run's findings; the failing ones are listed.
	Findings []checks.Finding
	// Entries are the finding history with lifecycle states (store.Entries).
	Entries []store.HistoryEntry
	// Events are the lifecycle events, oldest first (store.Events).
	Events []store.Event
}

// Write writes the workbook of d to w.
func Write(w io.Writer, d Data) error {
	b, err := build(d)
	if err != nil {
		return err
	}
	defer b.f.Close()
	if _, err := b.f.WriteTo(w); err != nil {
		return fmt.Errorf("sheet: write: %w", err)
	}
	return nil
}

// build makes the workbook in memory.
func build(d Data) (*book, error) {
	f := excelize.NewFile()
	b := &book{f: f, st: styles{f: f, ids: map[look]int{}}, d: d, names: map[string]string{}}
	for _, u := range d.Units {
		b.names[u.ID] = u.Name
	}
	for _, c := range d.Cards {
		b.names[c.Unit] = c.Name
	}
	b.check(f.SetDefaultFont(bodyFont))
	b.check(f.SetSheetName("Sheet1", SummarySheet))
	for _, name := range []string{ProblemsSheet, TrackingSheet} {
		_, err := f.NewSheet(name)
		b.check(err)
	}
	b.summary()
	b.problems()
	b.tracking()
	f.SetActiveSheet(0)
	b.check(f.SetDocProps(&excelize.DocProperties{Title: b.title("政务公开考核得分汇总表"), Creator: "gkaudit"}))
	if b.err != nil {
		f.Close()
		return nil, fmt.Errorf("sheet: %w", b.err)
	}
	return b, nil
}

// book is the workbook being built. Its methods keep the first error and do
// nothing after it, so that the sheet code reads as a list of cells.
type book struct {
	f     *excelize.File
	st    styles
	d     Data
	names map[string]string // unit id -> name
	err   error
}

func (b *book) check(err error) {
	if b.err == nil && err != nil {
		b.err = err
	}
}

// unitName names a unit id, by the id itself when nothing names it.
func (b *book) unitName(id string) string {
	if n, ok := b.names[id]; ok && n != "" {
		return n
	}
	return id
}

// title is "北仑区2019年度" + what.
func (b *book) title(what string) string {
	s := b.d.District
	if b.d.Year > 0 {
		s += fmt.Sprintf("%d年度", b.d.Year)
	}
	return s + what
}

// runLine describes the run under a title: 运行 000003　监测日期 2020-03-01.
func (b *book) runLine() string {
	s := "运行 " + b.d.Run.ID + "　监测日期 " + b.d.Run.AsOf
	if !b.d.Run.Complete {
		s += "　（本次运行未完成）"
	}
	return s
}

// cell writes v at (col, row), 1-based, with look l.
func (b *book) cell(sheet string, col, row int, v any, l look) {
	if b.err != nil {
		return
	}
	ref, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		b.check(err)
		return
	}
	if t, ok := v.(time.Time); ok {
		if t.IsZero() {
			v = ""
		} else {
			v = t.In(cndate.Shanghai)
		}
	}
	b.check(b.f.SetCellValue(sheet, ref, v))
	id, err := b.st.id(l)
	b.check(err)
	b.check(b.f.SetCellStyle(sheet, ref, ref, id))
}

// merge merges the cells from (c1, r1) to (c2, r2).
func (b *book) merge(sheet string, c1, r1, c2, r2 int) {
	if b.err != nil || c1 == c2 && r1 == r2 {
		return
	}
	b.check(b.f.MergeCell(sheet, ref(c1, r1), ref(c2, r2)))
}

// link makes the cell at (col, row) a hyperlink to url.
func (b *book) link(sheet string, col, row int, url string) {
	if b.err != nil {
		return
	}
	tip := "打开页面"
	b.check(b.f.SetCellHyperLink(sheet, ref(col, row), url, "External", excelize.HyperlinkOpts{Tooltip: &tip}))
}

// ref is the A1 name of (col, row); the callers' coordinates are in range.
func ref(col, row int) string {
	s, _ := excelize.CoordinatesToCellName(col, row)
	return s
}

// colName is the letters of column col.
func colName(col int) string {
	s, _ := excelize.ColumnNumberToName(col)
	return s
}

// column is one column of a table: its header and width.
type column struct {
	Header string
	Width  float64
}

// page is the print and view setup of a sheet whose table has its header
// rows from top to head (1-based) and its data down to last, over cols
// columns; freezeCols columns stay on screen when scrolling right.
type page struct {
	sheet      string
	cols       int
	top, head  int
	last       int
	freezeCols int
}

// setup freezes the header rows, puts an autofilter on the table, sets A4
// landscape fitted to the width, repeats the header rows on every printed
// page and numbers the pages in the footer.
func (b *book) setup(p page) {
	if b.err != nil {
		return
	}
	f := b.f
	b.check(f.SetPanes(p.sheet, &excelize.Panes{Freeze: true, XSplit: p.freezeCols, YSplit: p.head,
		TopLeftCell: ref(p.freezeCols+1, p.head+1), ActivePane: activePane(p.freezeCols)}))
	b.check(f.AutoFilter(p.sheet, ref(1, p.head)+":"+ref(p.cols, max(p.last, p.head)), nil))
	b.check(f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles",
		RefersTo: fmt.Sprintf("'%s'!$%d:$%d", p.sheet, p.top, p.head), Scope: p.sheet}))
	size, orient, one, zero := 9, "landscape", 1, 0 // 9: A4
	b.check(f.SetPageLayout(p.sheet, &excelize.PageLayoutOptions{Size: &size, Orientation: &orient,
		FitToWidth: &one, FitToHeight: &zero}))
	fit := true
	b.check(f.SetSheetProps(p.sheet, &excelize.SheetPropsOptions{FitToPage: &fit}))
	lr, tb, hf, center := 0.4, 0.6, 0.3, true
	b.check(f.SetPageMargins(p.sheet, &excelize.PageLayoutMarginsOptions{Left: &lr, Right: &lr, Top: &tb,
		Bottom: &tb, Header: &hf, Footer: &hf, Horizontally: &center}))
	b.check(f.SetHeaderFooter(p.sheet, &excelize.HeaderFooterOptions{
		OddHeader: "&L&9" + strings.ReplaceAll(b.title("政务公开考核"), "&", "&&") + "&R&9&A",
		OddFooter: "&C&9第 &P 页 共 &N 页",
	}))
}

func activePane(freezeCols int) string {
	if freezeCols > 0 {
		return "bottomRight"
	}
	return "bottomLeft"
}

// widths sets the column widths.
func (b *book) widths(sheet string, cols []column) {
	for i, c := range cols {
		if b.err != nil {
			return
		}
		b.check(b.f.SetColWidth(sheet, colName(i+1), colName(i+1), c.Width))
	}
}

// height sets a row's height.
func (b *book) height(sheet string, row int, h float64) {
	if b.err == nil {
		b.check(b.f.SetRowHeight(sheet, row, h))
	}
}

// titleRows writes the title and the run line over the first two rows,
// merged across cols columns.
func (b *book) titleRows(sheet, title, sub string, cols int) {
	b.cell(sheet, 1, 1, title, look{Title: true, Bold: true, Size: 16, Align: "center", NoBorder: true})
	b.merge(sheet, 1, 1, cols, 1)
	b.height(sheet, 1, 30)
	b.cell(sheet, 1, 2, sub, look{Align: "center", NoBorder: true})
	b.merge(sheet, 1, 2, cols, 2)
	b.height(sheet, 2, 18)
}
