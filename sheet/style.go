package sheet

import (
	"math"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/width"
)

// Fonts: 宋体 for the body, 黑体 for titles, as official tables are set.
const (
	bodyFont  = "宋体"
	titleFont = "黑体"
	bodySize  = 10
)

// Colours.
const (
	colorHeader  = "#D9E1F2" // header cells
	colorPending = "#D9D9D9" // 待评: not scored yet
	colorManual  = "#FFF2CC" // set by a reviewer
	colorGrey    = "#808080" // muted text (dismissed findings, 待评)
	colorRed     = "#C00000" // veto risks, overdue
	colorGreen   = "#375623" // fixed
	colorLink    = "#0563C1"
)

// Number formats.
const (
	fmtPoints   = "0.0" // rubric points come in steps of 0.5
	fmtDate     = "yyyy-mm-dd"
	fmtDateTime = "yyyy-mm-dd hh:mm"
)

// look is a cell style; the book turns each distinct look into one style id.
type look struct {
	Bold, Italic, Underline, Wrap bool
	Shrink                        bool    // shrink to fit: URLs and IDs, which do not wrap
	Title                         bool    // 黑体
	Size                          float64 // 0: bodySize
	Color                         string  // font colour
	Fill                          string
	Align                         string // left (default), center, right
	NumFmt                        string
	NoBorder                      bool
}

// styles caches the style ids of looks.
type styles struct {
	f   *excelize.File
	ids map[look]int
}

func (s *styles) id(l look) (int, error) {
	if id, ok := s.ids[l]; ok {
		return id, nil
	}
	size := l.Size
	if size == 0 {
		size = bodySize
	}
	family := bodyFont
	if l.Title {
		family = titleFont
	}
	st := &excelize.Style{
		Font:      &excelize.Font{Bold: l.Bold, Italic: l.Italic, Family: family, Size: size, Color: l.Color},
		Alignment: &excelize.Alignment{Horizontal: l.Align, Vertical: "center", WrapText: l.Wrap, ShrinkToFit: l.Shrink},
	}
	if l.Underline {
		st.Font.Underline = "single"
	}
	if st.Alignment.Horizontal == "" {
		st.Alignment.Horizontal = "left"
	}
	if l.Fill != "" {
		st.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{l.Fill}}
	}
	if l.NumFmt != "" {
		nf := l.NumFmt
		st.CustomNumFmt = &nf
	}
	if !l.NoBorder {
		for _, side := range []string{"left", "top", "right", "bottom"} {
			st.Border = append(st.Border, excelize.Border{Type: side, Color: "#000000", Style: 1})
		}
	}
	id, err := s.f.NewStyle(st)
	if err != nil {
		return 0, err
	}
	s.ids[l] = id
	return id, nil
}

// textWidth is the width of s in Excel's column units (digits of the
// workbook's default font, 宋体 11): a Chinese character of the 10-point body
// counts 1.8, others one; of several lines, the longest.
func textWidth(s string) float64 {
	longest := 0.0
	for line := range strings.SplitSeq(s, "\n") {
		w := 0.0
		for _, r := range line {
			switch width.LookupRune(r).Kind() {
			case width.EastAsianWide, width.EastAsianFullwidth:
				w += 1.8
			default:
				w++
			}
		}
		longest = max(longest, w)
	}
	return longest
}

// lines is how many lines s takes wrapped in a column of width w.
func lines(s string, w float64) int {
	n := 0
	room := max(w-1, 1)
	for line := range strings.SplitSeq(s, "\n") {
		n += max(1, int(math.Ceil(textWidth(line)/room)))
	}
	return n
}

// lineHeight is the row height (points) of one line of body text.
const lineHeight = 13.5

// rowHeight is the height of a row whose tallest cell has n lines, within
// Excel's limit of 409 points.
func rowHeight(n int) float64 { return min(409, float64(max(n, 1))*lineHeight+4) }

// num formats points without trailing zeros: 5, 3.5.
func num(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
