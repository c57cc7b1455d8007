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
// narrowing the free-text columns marked with flex, flexURL or flexWrap, by
// display width and never inside a rune: cut with '…' at the end or (URLs)
// the start, or wrapped onto a few lines; the full text is in the json and
// csv formats. Every cell is passed through termSafe: cells hold text from
// crawled pages.
type table struct {
	w     io.Writer
	rows  [][]string
	flexi []int
	modes map[int]fitMode
	width int
}

// fitMode is how a flex column's cells are fitted to its width.
type fitMode int

const (
	cutEnd   fitMode = iota // keep the start: "政策文件未链接解…"
	cutStart                // keep the end, for URLs: "…/art_1229412_41.html"
	wrapCell                // wrap onto up to maxWrapLines lines, then cut
)

// maxWrapLines bounds how many lines a wrapped cell takes.
const maxWrapLines = 3

// columnGap is the spaces between two columns.
const columnGap = 2

// minFlexWidth is the narrowest a flex column is cut to, whatever the budget.
const minFlexWidth = 8

func newTable(w io.Writer, header ...string) *table {
	return &table{w: w, rows: [][]string{header}, width: outputWidth(w)}
}

// flex marks the columns (by index) that may be shortened to fit the width,
// the widest first, cut at their end.
func (t *table) flex(cols ...int) *table { return t.flexMode(cutEnd, cols...) }

// flexURL marks URL columns: cut at their start, keeping the path's end,
// which tells pages of one site apart.
func (t *table) flexURL(cols ...int) *table { return t.flexMode(cutStart, cols...) }

// flexWrap marks free-text columns that wrap onto further lines.
func (t *table) flexWrap(cols ...int) *table { return t.flexMode(wrapCell, cols...) }

func (t *table) flexMode(m fitMode, cols ...int) *table {
	if t.modes == nil {
		t.modes = map[int]fitMode{}
	}
	for _, c := range cols {
		t.flexi = append(t.flexi, c)
		t.modes[c] = m
	}
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
		cells := make([][]string, len(r))
		lines := 1
		for i, c := range r {
			cells[i] = t.fitCell(i, c, widths[i])
			lines = max(lines, len(cells[i]))
		}
		for l := range lines {
			b.Reset()
			for i := range r {
				c := ""
				if l < len(cells[i]) {
					c = cells[i][l]
				}
				b.WriteString(c)
				if i < len(r)-1 {
					b.WriteString(strings.Repeat(" ", widths[i]-displayWidth(c)+columnGap))
				}
			}
			line := strings.TrimRight(b.String(), " ") + "\n"
			if _, err := io.WriteString(t.w, line); err != nil {
				return err
			}
		}
	}
	return nil
}

// fitCell fits cell c of column i to w cells, as lines.
func (t *table) fitCell(i int, c string, w int) []string {
	switch t.modes[i] {
	case cutStart:
		return []string{truncateStart(c, w)}
	case wrapCell:
		return wrapWidth(c, w, maxWrapLines)
	}
	return []string{truncateWidth(c, w)}
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
		// One cell at a time, so that equally wide columns share the cut.
		cut := 1
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

// truncateStart is truncateWidth keeping the end of s: '…' and its tail.
func truncateStart(s string, w int) string {
	if displayWidth(s) <= w {
		return s
	}
	if w <= 0 {
		return ""
	}
	r := []rune(s)
	n, i := 0, len(r)
	for i > 0 && n+runeWidth(r[i-1]) <= w-1 {
		i--
		n += runeWidth(r[i])
	}
	return "…" + string(r[i:])
}

// wrapWidth breaks s into lines of at most w display cells, never inside a
// rune; past maxLines the last line is cut with '…'. Lines break at any
// rune (Chinese has no spaces to break at), preferring a space in Latin
// text when one is near.
func wrapWidth(s string, w, maxLines int) []string {
	if displayWidth(s) <= w || w <= 1 {
		return []string{truncateWidth(s, w)}
	}
	var lines []string
	rest := []rune(s)
	for len(rest) > 0 {
		if len(lines) == maxLines-1 {
			lines = append(lines, truncateWidth(string(rest), w))
			break
		}
		n, i := 0, 0
		for i < len(rest) && n+runeWidth(rest[i]) <= w {
			n += runeWidth(rest[i])
			i++
		}
		if i < len(rest) {
			// Break after a space in the line's second half rather than inside a word.
			for j := i; j > i/2; j-- {
				if rest[j-1] == ' ' {
					i = j
					break
				}
			}
		}
		lines = append(lines, strings.TrimRight(string(rest[:i]), " "))
		rest = rest[i:]
		for len(rest) > 0 && rest[0] == ' ' {
			rest = rest[1:]
		}
	}
	return lines
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
