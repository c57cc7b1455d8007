package checks

import (
	"fmt"
	"sort"

	"gkaudit/config"
	"gkaudit/site"
)

// VolumeLowRule is the source of volume.low.
const VolumeLowRule = "北仑区政务公开工作考核指标减分标准：主动公开信息数量明显低于各单位平均水平，一次性扣2分"

// VolumeLowID is the check ID of volume.low.
const VolumeLowID = "volume.low"

// UnitCount is one unit's count of items disclosed in the assessment year.
type UnitCount struct {
	Unit      config.Unit
	Items     int
	Reachable bool // the entry page answered; an unreachable unit has no count
	// Unread says why a list of the unit could not be read whole (DisclosedItems),
	// "" when every list was: its count may then be short.
	Unread string
}

// DisclosedItems counts the items a unit disclosed in the assessment year
// (env.Config.Year, or the year before AsOf without a config): distinct item
// URLs, dated in that year, over every column of the unit — those the crawler
// mapped and their unmapped siblings in the entry page's column menu, as
// column.empty finds them — pagination and script datastores included. An item's date is the one its list shows,
// else the 发布日期 of its page when fetched. Items that are the entry page or
// a column page themselves (a home page's 最新信息 box, a nav link) are not
// counted, and an item listed on several columns counts once.
//
// unread says why one of those lists could not be read whole (a Hanweb
// datastore or TRS pager not fetched to its end, a list built by a script
// the crawler does not understand), "" when every list was: the count is
// then complete.
func DisclosedItems(s *site.Snapshot, env Env) (items int, unread string) {
	if s == nil || !s.EntryPage().OK() {
		return 0, ""
	}
	year := env.AsOf.Year() - 1
	if env.Config != nil && env.Config.Year > 0 {
		year = env.Config.Year
	}
	labels := env.Terms("column.stale.date_labels", itemDateLabels)
	entry := s.EntryPage()
	cols := unitColumns(s, env, menuColumns(s, env, entry, contentBlocksOf(entry))...)
	skip := map[string]bool{s.Entry: true, pageURL(entry): true}
	for _, c := range cols {
		skip[c.URL] = true
	}
	counted := map[string]bool{}
	for _, c := range cols {
		if c.Unread != "" && unread == "" {
			unread = "栏目“" + columnName(c.Column) + "”" + c.Unread
		}
		for _, it := range c.Items {
			if skip[it.URL] || counted[it.URL] {
				continue
			}
			if d, _, ok := itemDate(s, it, labels); ok && d.Year() == year {
				counted[it.URL] = true
			}
		}
	}
	return len(counted), unread
}

// VolumeLow (volume.low) compares each reachable unit's count of items
// disclosed in the assessment year with the average of the reachable units of
// the same kind (streets with streets, departments with departments), the
// unit itself included. The rubric deducts 2 points once when a unit's volume
// is 明显低于各单位平均水平; "明显" is config thresholds.volume_low_ratio
// (default 0.5: under half the average).
//
// One finding per unit (Subject "volume", Unit and Check set). fail: the count
// is below ratio × average (the detail gives count, average and ratio).
// pass: at or above it. na: the unit could not be reached; fewer than three
// reachable units of its kind to average over; or every unit of the kind
// counted zero (no dated items found: nothing to compare).
func VolumeLow(counts []UnitCount, env Env) []Finding {
	cfg := env.Config
	params := env.params()
	ratio, minPeers := params.VolumeLowRatio, params.VolumeLowMinPeers
	year := 0
	if cfg != nil {
		year = cfg.Year
	}
	yearText := "考核年度"
	if year > 0 {
		yearText = fmt.Sprintf("%d年", year)
	}
	type peers struct{ n, sum int }
	byKind := map[string]*peers{}
	for _, c := range counts {
		if !c.Reachable {
			continue
		}
		p := byKind[c.Unit.Kind]
		if p == nil {
			p = &peers{}
			byKind[c.Unit.Kind] = p
		}
		p.n++
		p.sum += c.Items
	}
	out := make([]Finding, 0, len(counts))
	for _, c := range counts {
		f := Finding{Unit: c.Unit.ID, Check: VolumeLowID, Rule: VolumeLowRule, Subject: "volume", URL: c.Unit.URL,
			Looked: []string{c.Unit.URL}, Evidence: Evidence{URL: c.Unit.URL}}
		kind := kindName(c.Unit.Kind)
		p := byKind[c.Unit.Kind]
		n := 0
		if p != nil {
			n = p.n
		}
		switch {
		case !c.Reachable:
			f.Status, f.Detail = NA, "入口页无法访问，无法统计主动公开信息数量；请核实配置中的入口网址能否在浏览器中打开（见 site.reachable 的结果），恢复后重新检查"
		case n < minPeers:
			f.Status = NA
			f.Detail = fmt.Sprintf("%s主动公开信息 %d 条；可访问的同类单位（%s）仅 %d 个，不足 %d 个，无法计算平均水平", yearText, c.Items, kind, n, minPeers)
		case p.sum == 0:
			f.Status = NA
			f.Detail = fmt.Sprintf("%d 个同类单位（%s）%s主动公开信息均统计为 0 条（未识别到带日期的条目），无法比较", p.n, kind, yearText)
		default:
			avg := float64(p.sum) / float64(p.n)
			limit := ratio * avg
			if float64(c.Items) < limit && c.Unread != "" {
				// The lists not read whole may hold what is missing.
				f.Status = NA
				f.Detail = fmt.Sprintf("%s已读取到主动公开信息 %d 条，低于 %d 个同类单位（%s）平均 %.1f 条的 %.0f%%，但%s，未能判断", yearText, c.Items, p.n, kind, avg, ratio*100, c.Unread)
			} else if float64(c.Items) < limit {
				f.Status = Fail
				f.Detail = fmt.Sprintf("%s主动公开信息 %d 条，明显低于 %d 个同类单位（%s）平均 %.1f 条（低于平均值的 %.0f%%，即 %.1f 条）", yearText, c.Items, p.n, kind, avg, ratio*100, limit)
			} else {
				f.Status = Pass
				f.Detail = fmt.Sprintf("%s主动公开信息 %d 条，%d 个同类单位（%s）平均 %.1f 条，不低于平均值的 %.0f%%", yearText, c.Items, p.n, kind, avg, ratio*100)
			}
		}
		out = append(out, f)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Unit < out[j].Unit })
	return out
}

// kindName is a unit kind in the finding's words.
func kindName(kind string) string {
	switch kind {
	case config.KindStreet:
		return "街道（镇）"
	case config.KindDepartment:
		return "区级部门"
	case "":
		return "未分类"
	}
	return kind
}
