package main

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"gkaudit/checks"
	"gkaudit/config"
)

// statusValues are the check statusValues --status accepts, by their English
// value or their Chinese label (checks.Status.Label, the web's words too).
var statusValues = []checks.Status{checks.Pass, checks.Fail, checks.NA, checks.Error}

// statusUsage says what --status accepts.
const statusUsage = "--status 只能是 pass、fail、na、error（或 通过、不合格、无法判断、出错；英文不区分大小写）"

// parseStatus reads a --status value: an English status in any case (FAIL
// is fail: no status differs from another by case only, so matching nothing
// instead would only hide the typo) or its Chinese label.
func parseStatus(s string) (checks.Status, error) {
	v := strings.TrimSpace(s)
	for _, st := range statusValues {
		if strings.EqualFold(v, string(st)) || v == st.Label() {
			return st, nil
		}
	}
	return "", fmt.Errorf("%s；不是 %q", statusUsage, s)
}

// changeLabels are the Chinese names of the diff's kinds of change.
var changeLabels = map[string]string{
	"new":        "新增",
	"fixed":      "已修复",
	"persisting": "仍存在",
	"unchecked":  "未能检查",
}

// checkIDs is every check ID findings can carry: the registered checks and
// the stable IDs of DESIGN.md with keyarea.<area> for each built-in key area,
// sorted.
func checkIDs() []string {
	ids := config.CheckIDs()
	for _, ck := range checks.All() {
		if !slices.Contains(ids, ck.ID) {
			ids = append(ids, ck.ID)
		}
	}
	sort.Strings(ids)
	return ids
}

// matchCheck reports whether a --check value selects check ID id: the ID
// itself, a family ("keyarea" selects keyarea.budget ...) or a prefix
// pattern as the rubric writes them ("keyarea.*").
func matchCheck(pattern, id string) bool {
	if prefix, ok := strings.CutSuffix(pattern, "*"); ok {
		return prefix != "" && strings.HasPrefix(id, prefix)
	}
	return id == pattern || strings.HasPrefix(id, pattern+".")
}

// unknownCheck is the usage error for a check ID none of known has: it names
// the closest IDs and points to gkaudit checks.
func unknownCheck(flagName, id string, known []string) error {
	near := closest(id, known, 3)
	hint := ""
	if len(near) > 0 {
		hint = "；相近的有 " + strings.Join(near, "、")
	}
	return fmt.Errorf("%s：没有检查项 %q%s（gkaudit checks 列出全部检查项）", flagName, id, hint)
}

// unknownUnit is the usage error for a unit id not among known: it lists a
// few ids, the closest first, and says where to find them all.
func unknownUnit(flagName, id, where string, known []string) error {
	near := closest(id, known, 3)
	if len(near) == 0 {
		near = known[:min(len(known), 5)]
	}
	list := "没有任何单位"
	if len(near) > 0 {
		list = "已知的有 " + strings.Join(near, "、")
		if len(near) < len(known) {
			list += " 等"
		}
	}
	return fmt.Errorf("%s：%s中没有单位 %q；%s（gkaudit score 列出全部单位）", flagName, where, id, list)
}

// closest returns up to n of the candidates nearest to s by edit distance
// (containing s counts as near), nearest first; none that are far.
func closest(s string, candidates []string, n int) []string {
	type scored struct {
		id string
		d  int
	}
	var out []scored
	for _, c := range candidates {
		d := config.EditDistance(strings.ToLower(s), strings.ToLower(c))
		if s != "" && strings.Contains(c, s) {
			d = min(d, 1)
		}
		if d <= max(2, len([]rune(s))/3) {
			out = append(out, scored{c, d})
		}
	}
	slices.SortStableFunc(out, func(a, b scored) int { return a.d - b.d })
	ids := make([]string, 0, n)
	for _, o := range out[:min(len(out), n)] {
		ids = append(ids, o.id)
	}
	return ids
}
