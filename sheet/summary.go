package sheet

import (
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"gkaudit/score"
)

// Rows of 得分汇总: title, run line, the group header (一级指标), the item
// header (二级指标 with points), then one row per unit.
const (
	summaryGroupRow = 3
	summaryHeadRow  = 4
)

// summaryCol is one column of 得分汇总.
type summaryCol struct {
	column
	group string                  // 一级指标, 自动减分, or "" for a column headed over both rows
	value func(c score.Card) cell // the unit's cell
}

// cell is a value and its look.
type cell struct {
	v any
	l look
}

// summary writes 得分汇总.
func (b *book) summary() {
	const sh = SummarySheet
	cards := slices.Clone(b.d.Cards)
	slices.SortStableFunc(cards, func(x, y score.Card) int { return x.Rank - y.Rank })

	cols := b.summaryCols(cards)
	all := make([]column, len(cols))
	for i, c := range cols {
		all[i] = c.column
	}
	n := len(all)
	b.widths(sh, all)
	b.titleRows(sh, b.title("政务公开考核得分汇总表"), b.runLine()+"　参评单位 "+itoa(len(cards))+" 个", n)

	head := look{Bold: true, Fill: colorHeader, Align: "center", Wrap: true}
	groupLines, headLines := 1, 1
	for start := 0; start < len(cols); {
		end := start + 1
		for end < len(cols) && cols[end].group != "" && cols[end].group == cols[start].group {
			end++
		}
		c1, c2 := start+1, end
		if g := cols[start].group; g == "" {
			b.cell(sh, c1, summaryGroupRow, cols[start].Header, head)
			b.cell(sh, c1, summaryHeadRow, "", head)
			b.merge(sh, c1, summaryGroupRow, c1, summaryHeadRow)
			headLines = max(headLines, lines(cols[start].Header, cols[start].Width)-1)
		} else {
			label := g
			if pts := b.groupPoints(g); pts > 0 {
				label += "(" + num(pts) + ")"
			}
			w := 0.0
			for i := start; i < end; i++ {
				b.cell(sh, i+1, summaryGroupRow, label, head)
				b.cell(sh, i+1, summaryHeadRow, cols[i].Header, head)
				headLines = max(headLines, lines(cols[i].Header, cols[i].Width))
				w += cols[i].Width
			}
			b.merge(sh, c1, summaryGroupRow, c2, summaryGroupRow)
			groupLines = max(groupLines, lines(label, w))
		}
		start = end
	}
	b.height(sh, summaryGroupRow, rowHeight(groupLines))
	b.height(sh, summaryHeadRow, rowHeight(headLines))

	row := summaryHeadRow
	for _, c := range cards {
		row++
		tall := 1
		for i, col := range cols {
			v := col.value(c)
			b.cell(sh, i+1, row, v.v, v.l)
			if s, ok := v.v.(string); ok && v.l.Wrap {
				tall = max(tall, lines(s, col.Width))
			}
		}
		b.height(sh, row, rowHeight(tall))
		if len(c.Pending) > 0 {
			b.pendingNote(sh, ref(b.totalCol(cols)+1, row), c)
		}
	}
	b.setup(page{sheet: sh, cols: n, top: summaryGroupRow, head: summaryHeadRow, last: row, freezeCols: 3})
	b.legend(sh, row+2, n)
}

// summaryCols are the columns of 得分汇总: 排名, 单位, 类型 (the three kept on
// screen when scrolling right), one per rubric item, one per automatic
// deduction, the subtotals and the veto risks.
func (b *book) summaryCols(cards []score.Card) []summaryCol {
	const itemW, dedW, sumW = 7.5, 10.5, 8
	nameW := textWidth("单位")
	for _, c := range cards {
		nameW = max(nameW, textWidth(c.Name))
	}
	center := look{Align: "center"}
	cols := []summaryCol{
		{column{"排名", 5}, "", func(c score.Card) cell { return cell{c.Rank, center} }},
		{column{"单位", min(max(nameW+2, 10), 24)}, "", func(c score.Card) cell { return cell{c.Name, look{}} }},
		{column{"类型", 6}, "", func(c score.Card) cell { return cell{kindName(c.Kind), center} }},
	}
	for _, it := range b.d.Rubric.Items {
		cols = append(cols, summaryCol{column{it.Name + "(" + num(it.Points) + ")", itemW}, it.Category,
			func(c score.Card) cell {
				i := slices.IndexFunc(c.Items, func(s score.ItemScore) bool { return s.ID == it.ID })
				if i < 0 {
					return pendingCell()
				}
				return pointsCell(c.Items[i].Points, c.Items[i].Source)
			}})
	}
	for _, d := range b.d.Rubric.Deductions {
		if d.Mode != "auto" {
			continue
		}
		cols = append(cols, summaryCol{column{deductionHeader(d), dedW}, "自动减分",
			func(c score.Card) cell {
				i := slices.IndexFunc(c.Deductions, func(s score.DeductionScore) bool { return s.ID == d.ID })
				if i < 0 {
					return pendingCell()
				}
				return pointsCell(-c.Deductions[i].Deducted, c.Deductions[i].Source)
			}})
	}
	pts := look{Align: "center", NumFmt: fmtPoints}
	bold := pts
	bold.Bold = true
	vetoW := 10.0
	for _, c := range cards {
		for _, v := range c.Veto {
			vetoW = max(vetoW, min(textWidth(v.Summary())/2+2, 36))
		}
	}
	cols = append(cols,
		summaryCol{column{"客观分小计", sumW}, "", func(c score.Card) cell { return cell{zero(c.Objective), bold} }},
		summaryCol{column{"客观分满分", sumW}, "", func(c score.Card) cell { return cell{zero(c.AutoMax), pts} }},
		summaryCol{column{"人工评分", sumW}, "", func(c score.Card) cell { return cell{zero(c.Reviewed), pts} }},
		summaryCol{column{"总分", sumW}, "", func(c score.Card) cell {
			l := bold
			if len(c.Pending) > 0 {
				l.NumFmt = fmtPoints + `"*"`
			}
			return cell{zero(c.Total), l}
		}},
		summaryCol{column{"单项否决风险", vetoW}, "", func(c score.Card) cell {
			if len(c.Veto) == 0 {
				return cell{"无", look{Align: "center", Color: colorGrey}}
			}
			parts := make([]string, len(c.Veto))
			for i, v := range c.Veto {
				parts[i] = v.Summary()
			}
			return cell{strings.Join(parts, "\n"), look{Wrap: true, Color: colorRed}}
		}},
	)
	return cols
}

// totalCol is the index in cols of 总分.
func (b *book) totalCol(cols []summaryCol) int {
	return slices.IndexFunc(cols, func(c summaryCol) bool { return c.Header == "总分" })
}

// groupPoints is the points of the rubric items of a category.
func (b *book) groupPoints(category string) float64 {
	sum := 0.0
	for _, it := range b.d.Rubric.Items {
		if it.Category == category {
			sum += it.Points
		}
	}
	return sum
}

// pointsCell shows points by their source: plain when computed from the
// checks, filled when a reviewer set them, 待评 in grey when not scored.
func pointsCell(points float64, src score.Source) cell {
	l := look{Align: "center", NumFmt: fmtPoints}
	switch src {
	case score.Pending:
		return pendingCell()
	case score.Manual:
		l.Fill = colorManual
	}
	return cell{zero(points), l}
}

func pendingCell() cell {
	return cell{"待评", look{Align: "center", Fill: colorPending, Color: colorGrey}}
}

// zero turns -0 into 0, which a sheet would show as "-0.0".
func zero(x float64) float64 {
	if x == 0 {
		return 0
	}
	return x
}

// pendingNote attaches to the total the rubric lines still to be scored.
func (b *book) pendingNote(sh, at string, c score.Card) {
	if b.err != nil {
		return
	}
	names := make([]string, len(c.Pending))
	for i, p := range c.Pending {
		names[i] = p.Name
	}
	text := "尚有 " + itoa(len(c.Pending)) + " 项待评，总分未定：" + strings.Join(names, "、")
	b.check(b.f.AddComment(sh, excelize.Comment{Cell: at, Author: "gkaudit", Text: text, Width: 300, Height: 120}))
}

// legend explains the cell styles under the table, from row r.
func (b *book) legend(sh string, r, cols int) {
	text := look{NoBorder: true}
	b.cell(sh, 1, r, "说明", look{Bold: true, NoBorder: true})
	rows := []struct {
		sample cell
		text   string
	}{
		{cell{"5.0", look{Align: "center", NumFmt: fmtPoints}}, "自动评分：由本次监测的检查结果计算（通过的检查项 ÷ 能判定的检查项 × 分值，按 0.5 分取整）；自动减分为负数。"},
		{cell{"4.0", look{Align: "center", Fill: colorManual}}, "人工评分：评审人员录入或调整的分数，计入“人工评分”。"},
		{pendingCell(), "待评：人工评分项尚未评分，或本次监测无法自动判定（均暂计 0 分）。"},
		{cell{"60.0*", look{Align: "center", Bold: true}}, "总分带 *：尚有待评项，总分未定（批注列出待评项）。排名按客观分小计（自动评分项得分 − 自动减分）；客观分满分为可自动评分项的满分之和。"},
		{cell{"风险", look{Align: "center", Color: colorRed}}, "单项否决风险：按国办秘函〔2019〕19号检查指标，栏目不更新、长期未更新或空白栏目达到单项否决数量。"},
	}
	for i, l := range rows {
		b.cell(sh, 2, r+i, l.sample.v, l.sample.l)
		b.cell(sh, 3, r+i, l.text, text)
		b.merge(sh, 3, r+i, cols, r+i)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
