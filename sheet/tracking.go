package sheet

import (
	"slices"

	"gkaudit/store"
)

// tracking writes 整改跟踪: every lifecycle event, oldest first.
func (b *book) tracking() {
	const sh = TrackingSheet
	evs := slices.Clone(b.d.Events)
	slices.SortStableFunc(evs, func(x, y store.Event) int {
		switch {
		case x.Seq < y.Seq:
			return -1
		case x.Seq > y.Seq:
			return 1
		}
		return x.At.Compare(y.At)
	})
	nameW := textWidth("单位")
	for _, ev := range evs {
		nameW = max(nameW, textWidth(b.unitName(ev.Unit)))
	}
	cols := []column{
		{"时间", 17}, {"问题编号", 14}, {"单位", min(max(nameW+2, 10), 20)}, {"检查项", 17},
		{"操作", 13}, {"原状态", 8}, {"新状态", 8}, {"操作人", 10}, {"运行", 9}, {"原因/说明", 48},
	}
	b.widths(sh, cols)
	b.titleRows(sh, b.title("政务公开考核整改跟踪记录"),
		"截至运行 "+b.d.Run.ID+"（监测日期 "+b.d.Run.AsOf+"）　记录 "+itoa(len(evs))+" 条", len(cols))
	b.headerRow(sh, problemsHeadRow, cols)

	row := problemsHeadRow
	text, one := look{Wrap: true}, look{Shrink: true}
	center := look{Align: "center"}
	for _, ev := range evs {
		row++
		vals := []cell{
			{ev.At, look{Align: "center", NumFmt: fmtDateTime}},
			{ev.Finding, one},
			{b.unitName(ev.Unit), text},
			{ev.Check, one},
			{ev.ActionLabel(), center},
			{ev.From.Label(), stateLook(ev.From, false)},
			{ev.To.Label(), stateLook(ev.To, false)},
			{ev.ByLabel(), center},
			{ev.Run, center},
			{ev.Why, text},
		}
		tall := 1
		for i, v := range vals {
			b.cell(sh, i+1, row, v.v, v.l)
			if s, ok := v.v.(string); ok && v.l.Wrap {
				tall = max(tall, lines(s, cols[i].Width))
			}
		}
		b.height(sh, row, rowHeight(tall))
	}
	b.setup(page{sheet: sh, cols: len(cols), top: problemsHeadRow, head: problemsHeadRow, last: row})
}
