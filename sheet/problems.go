package sheet

import (
	"slices"
	"strings"
	"unicode/utf8"

	"gkaudit/checks"
	"gkaudit/store"
)

// problemsHeadRow is the header row of 问题清单 and 整改跟踪 (under the title
// and the run line).
const problemsHeadRow = 3

// Limits of what a cell shows: Excel takes a hyperlink of at most 2079
// characters and 65530 of them per sheet; a description is cut where a
// printed row (409 points) would cut it anyway.
const (
	maxLinkLen   = 2079
	maxLinks     = 65000
	maxDetailLen = 1200
)

// problems writes 问题清单: every failing finding of the run, by unit, check
// and subject, with its lifecycle state.
func (b *book) problems() {
	const sh = ProblemsSheet
	fails := b.failing()
	byID := store.ByID(b.d.Entries)
	nameW, noticeW := textWidth("单位"), textWidth("通知文号")
	for _, f := range fails {
		nameW = max(nameW, textWidth(b.unitName(f.Unit)))
		if e, ok := byID[f.ID]; ok {
			noticeW = max(noticeW, textWidth(e.Notice), textWidth("催办 "+e.FollowUp))
		}
	}
	cols := []column{
		{"问题编号", 13}, {"单位", min(max(nameW+2, 10), 20)}, {"检查项", 15}, {"考核指标", 14},
		{"问题描述", 38}, {"页面", 34}, {"规则依据", 38}, {"首次发现", 11}, {"状态", 7},
		{"整改期限", 11}, {"通知文号", min(max(noticeW+2, 10), 20)},
	}
	b.widths(sh, cols)
	counts := map[store.State]int{}
	for _, f := range fails {
		counts[byID[f.ID].State]++
	}
	sub := b.runLine() + "　问题 " + itoa(len(fails)) + " 条"
	if n := counts[store.StateDismissed]; n > 0 {
		sub += "（其中已驳回 " + itoa(n) + " 条）"
	}
	b.titleRows(sh, b.title("政务公开考核问题清单"), sub, len(cols))
	b.headerRow(sh, problemsHeadRow, cols)

	row, links := problemsHeadRow, 0
	for _, f := range fails {
		row++
		e, known := byID[f.ID]
		muted := known && e.State == store.StateDismissed
		detail := clip(f.Detail, maxDetailLen)
		if muted && e.Dismissed != nil {
			detail += "\n（驳回理由：" + e.Dismissed.Why + "）"
		}
		rule := f.Rule
		if rule == "" {
			rule = e.Rule
		}
		notice := e.Notice
		if e.FollowUp != "" {
			notice = strings.TrimSpace(notice + "\n催办 " + e.FollowUp)
		}
		ind := strings.Join(indicators(b.d.Rubric, f.Check), "\n")
		if ind == "" {
			ind = "—"
		}
		state := e.State.Label()
		if !known {
			state = "—"
		}
		wrap, one := look{Wrap: true}, look{Shrink: true}
		date := look{Align: "center", NumFmt: fmtDate}
		page := look{Shrink: true}
		if f.URL != "" {
			page.Underline, page.Color = true, colorLink
		}
		vals := []cell{
			{f.ID, one}, {b.unitName(f.Unit), wrap}, {f.Check, one}, {ind, wrap}, {detail, wrap},
			{f.URL, page}, {rule, wrap}, {e.FirstSeen.At, date}, {state, stateLook(e.State, muted)},
			{e.Deadline, date}, {notice, wrap},
		}
		tall := 1
		for i, v := range vals {
			if muted {
				v.l.Color, v.l.Italic = colorGrey, true
			}
			b.cell(sh, i+1, row, v.v, v.l)
			if s, ok := v.v.(string); ok && v.l.Wrap {
				tall = max(tall, lines(s, cols[i].Width))
			}
		}
		if web(f.URL) && len(f.URL) <= maxLinkLen && links < maxLinks {
			b.link(sh, 6, row, f.URL)
			links++
		}
		b.height(sh, row, rowHeight(tall))
	}
	b.setup(page{sheet: sh, cols: len(cols), top: problemsHeadRow, head: problemsHeadRow, last: row})
}

// failing returns the run's failing findings ordered by unit (in the order
// of the cards, then units without a card by id), check and subject.
func (b *book) failing() []checks.Finding {
	order := map[string]int{}
	for i, c := range b.d.Cards {
		order[c.Unit] = i
	}
	pos := func(unit string) int {
		if i, ok := order[unit]; ok {
			return i
		}
		return len(order)
	}
	var out []checks.Finding
	for _, f := range b.d.Findings {
		if f.Status == checks.Fail {
			out = append(out, f)
		}
	}
	slices.SortStableFunc(out, func(x, y checks.Finding) int {
		if c := pos(x.Unit) - pos(y.Unit); c != 0 {
			return c
		}
		for _, p := range [][2]string{{x.Unit, y.Unit}, {x.Check, y.Check}, {x.Subject, y.Subject}} {
			if c := strings.Compare(p[0], p[1]); c != 0 {
				return c
			}
		}
		return 0
	})
	return out
}

// stateLook colours a state: overdue red, fixed green, dismissed grey.
func stateLook(s store.State, muted bool) look {
	l := look{Align: "center"}
	switch {
	case muted || s == store.StateDismissed:
		l.Color, l.Italic = colorGrey, true
	case s == store.StateOverdue:
		l.Color, l.Bold = colorRed, true
	case s == store.StateFixed:
		l.Color = colorGreen
	}
	return l
}

// headerRow writes the column headers of a table at row r.
func (b *book) headerRow(sh string, r int, cols []column) {
	tall := 1
	for i, c := range cols {
		b.cell(sh, i+1, r, c.Header, look{Bold: true, Fill: colorHeader, Align: "center", Wrap: true})
		tall = max(tall, lines(c.Header, c.Width))
	}
	b.height(sh, r, rowHeight(tall)+4)
}

// web reports whether u is an http(s) URL a hyperlink may point to.
func web(u string) bool {
	return strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://")
}

// clip cuts s to n characters.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "……"
}
