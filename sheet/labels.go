package sheet

import (
	"strings"
	"unicode/utf8"

	"gkaudit/config"
)

// kindName is a unit kind in Chinese, — when unknown.
func kindName(kind string) string {
	if kind == "" {
		return "—"
	}
	return config.KindLabel(kind)
}

// deductionNames are the short column headers of the built-in district's
// deductions, whose texts are whole sentences of the rubric.
var deductionNames = map[string]string{
	"stale_column":          "栏目未及时更新",
	"overdue_rectification": "逾期未整改",
	"low_volume":            "数量偏低",
	"major_error":           "重大差错",
	"public_opinion":        "舆情处置不力",
}

// deductionName is the short name of a deduction: the built-in one for its
// id, else its text up to the first comma, at most 10 characters.
func deductionName(d config.Deduction) string {
	if n, ok := deductionNames[d.ID]; ok {
		return n
	}
	s := d.Text
	if i := strings.IndexAny(s, "，,。；;"); i > 0 {
		s = s[:i]
	}
	if utf8.RuneCountInString(s) > 10 {
		s = string([]rune(s)[:10]) + "…"
	}
	if s == "" {
		return d.ID
	}
	return s
}

// deductionHeader is a deduction's column header with its points on a line
// of their own, which a narrow column would otherwise break inside:
// 栏目未及时更新\n(-1/次), 数量偏低\n(-2), 重大差错\n(-3/次,至多-5).
func deductionHeader(d config.Deduction) string {
	switch {
	case d.Once:
		return deductionName(d) + "\n(-" + num(d.Points) + ")"
	case d.Max > 0:
		return deductionName(d) + "\n(-" + num(d.Points) + "/次,至多-" + num(d.Max) + ")"
	}
	return deductionName(d) + "\n(-" + num(d.Points) + "/次)"
}

// indicators names the rubric lines a check feeds, "category/name" for
// items ("主动公开/重点领域信息公开") and "减分/short name" for deductions; a
// rubric entry ending in "*" is a prefix ("keyarea.*").
func indicators(r config.Rubric, check string) []string {
	var out []string
	for _, it := range r.Items {
		if feeds(it.Checks, check) {
			out = append(out, it.Category+"/"+it.Name)
		}
	}
	for _, d := range r.Deductions {
		if feeds(d.Checks, check) {
			out = append(out, "减分/"+deductionName(d))
		}
	}
	return out
}

func feeds(refs []string, check string) bool {
	for _, ref := range refs {
		if prefix, ok := strings.CutSuffix(ref, "*"); ok && strings.HasPrefix(check, prefix) || ref == check {
			return true
		}
	}
	return false
}
