package main

import (
	"io"
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// table aligns columns by display width, counting Chinese characters as two
// cells as terminals draw them (text/tabwriter counts them as one). It fits
// the output's width (outputWidth: the terminal's, or 120 cells) by
// shortening the free-text columns marked with flex, cutting them by display
// width at a rune boundary and ending them with '…'; the full text is in the
// json and csv formats. Every cell is passed through termSafe: cells hold
// text from crawled pages.
type table struct {
	w     io.Writer
	rows  [][]string
	flexi []int
	width int
}

// columnGap is the spaces between two columns.
const columnGap = 2

// minFlexWidth is the narrowest a flex column is cut to, whatever the budget.
const minFlexWidth = 12

func newTable(w io.Writer, header ...string) *table {
	return &table{w: w, rows: [][]string{header}, width: outputWidth(w)}
}

// flex marks the columns (by index) that may be shortened to fit the width,
// the widest first.
func (t *table) flex(cols ...int) *table {
	t.flexi = append(t.flexi, cols...)
	return t
}

func (t *table) row(cells ...string) {
	for i, c := range cells {
		cells[i] = termSafe(c, false)
	}
	t.rows = append(t.rows, cells)
}

// flush writes the table; it returns the first write error.
func (t *table) flush() error {
	widths := t.fit()
	var b strings.Builder
	for _, r := range t.rows {
		b.Reset()
		for i, c := range r {
			c = truncateWidth(c, widths[i])
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-displayWidth(c)+columnGap))
			}
		}
		b.WriteByte('\n')
		if _, err := io.WriteString(t.w, b.String()); err != nil {
			return err
		}
	}
	return nil
}

// fit returns the column widths: each column's widest cell, with the flex
// columns narrowed, widest first, until the table fits t.width or they are
// all down to minFlexWidth (or their header, if wider).
func (t *table) fit() []int {
	var widths []int
	for _, r := range t.rows {
		for i, c := range r {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], displayWidth(c))
		}
	}
	floor := func(i int) int { return max(minFlexWidth, displayWidth(t.rows[0][i])) }
	total := columnGap * max(len(widths)-1, 0)
	for _, w := range widths {
		total += w
	}
	for total > t.width {
		widest := -1
		for _, i := range t.flexi {
			if i < len(widths) && widths[i] > floor(i) && (widest < 0 || widths[i] > widths[widest]) {
				widest = i
			}
		}
		if widest < 0 {
			break
		}
		// Narrow the widest down to the next widest (or as far as needed), so
		// that wide columns share the cut.
		next := floor(widest)
		for _, i := range t.flexi {
			if i != widest && i < len(widths) && widths[i] < widths[widest] {
				next = max(next, widths[i])
			}
		}
		cut := min(widths[widest]-next, total-t.width)
		if cut <= 0 {
			cut = 1
		}
		widths[widest] -= cut
		total -= cut
	}
	return widths
}

// truncateWidth shortens s to at most w display cells, ending it with '…'
// when cut; it never cuts inside a rune.
func truncateWidth(s string, w int) string {
	if displayWidth(s) <= w {
		return s
	}
	if w <= 0 {
		return ""
	}
	var b strings.Builder
	n := 0
	for _, r := range s {
		rw := runeWidth(r)
		if n+rw > w-1 { // keep one cell for the ellipsis
			break
		}
		b.WriteRune(r)
		n += rw
	}
	b.WriteRune('…')
	return b.String()
}

func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		n += runeWidth(r)
	}
	return n
}

// runeWidth is the cells a terminal draws r in: two for wide and fullwidth
// (Chinese) characters, none for combining marks, one otherwise.
func runeWidth(r rune) int {
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	if unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) {
		return 0
	}
	return 1
}

// padWidth pads s with spaces to w display cells (a display-width %-*s).
func padWidth(s string, w int) string {
	if d := displayWidth(s); d < w {
		return s + strings.Repeat(" ", w-d)
	}
	return s
}
