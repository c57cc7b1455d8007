package score

import (
	"fmt"
	"slices"

	"gkaudit/checks"
)

// VetoRule is one 单项否决 line of 国办秘函〔2019〕19号 (政府网站与政务新媒体检查
// 指标) that failing findings can reach: Min or more distinct failing
// subjects of Check (of the column Kinds, when listed) put the unit at risk.
type VetoRule struct {
	ID    string   // stable English id: stale_frequent, stale_long, empty_columns, availability
	Name  string   // what the indicator says, in Chinese
	Check string   // check ID counted
	Kinds []string // column kinds counted; empty: all
	// Exclude lists kinds not counted (those another rule counts).
	Exclude []string
	Min     int
	// Quote makes the risk's summary its first finding's detail, where the
	// finding states the measure (the availability ratio) better than a count.
	Quote bool
}

// DefaultVetoRules are the indicator's counts: 动态、要闻类 columns not
// updated for 2 weeks and 通知公告、政策文件类 for 6 months, 5 or more
// (栏目不更新); columns that should be updated but have not been for long,
// 10 or more; 空白栏目, 5 or more; 站点无法访问: a week of availability
// probes with 5% or more failures, which site.reachable reports as one
// finding of Kind availability; and, one each, 出现严重表述错误
// (content.serious_error, its 严重 level) and 发布或链接反动、暴力、色情等内容
// (link.suspicious: a hidden outside link, an outbound page of gambling or
// porn, a taken-over domain).
var DefaultVetoRules = []VetoRule{
	{ID: "stale_frequent", Name: "动态要闻、通知公告、政策文件类栏目超期未更新", Check: "column.stale",
		Kinds: []string{"news", "notice", "policy"}, Min: 5},
	{ID: "stale_long", Name: "应更新但长期未更新的栏目", Check: "column.stale",
		Exclude: []string{"news", "notice", "policy"}, Min: 10},
	{ID: "empty_columns", Name: "空白栏目", Check: "column.empty", Min: 5},
	{ID: "availability", Name: "站点无法访问", Check: "site.reachable", Kinds: []string{checks.AvailabilityKind}, Min: 1, Quote: true},
	{ID: "serious_error", Name: "严重表述错误", Check: "content.serious_error", Min: 1},
	{ID: "harmful_links", Name: "发布或链接反动、暴力、色情等内容的风险（暗链、被劫持或含赌博色情内容的外部链接）", Check: "link.suspicious", Min: 1},
}

// VetoRisk is a unit at risk of a 单项否决 line.
type VetoRisk struct {
	Unit     string       `json:"unit"`
	Rule     string       `json:"rule"` // VetoRule.ID
	Name     string       `json:"name"`
	Count    int          `json:"count"`
	Min      int          `json:"min"`
	Findings []FindingRef `json:"findings"`
	// Detail is the measure of a quoting rule (VetoRule.Quote), e.g. 近7天
	// 可用性监测 168 次，失败 12 次（7.1%）…; empty for counting rules.
	Detail string `json:"detail,omitempty"`
}

// Summary is the risk in one line: "空白栏目 6 个（达到 5 个即单项否决）".
func (r VetoRisk) Summary() string {
	if r.Detail != "" {
		return r.Name + "：" + r.Detail
	}
	return fmt.Sprintf("%s %d 个（达到 %d 个即单项否决）", r.Name, r.Count, r.Min)
}

// VetoRisks returns the risks the findings show for unit, in rule order.
// Dismissed findings should be left out by the caller (or passed as passing,
// as ComputeWith does).
func VetoRisks(rules []VetoRule, unit string, fs []checks.Finding) []VetoRisk {
	var out []VetoRisk
	for _, rule := range rules {
		r := VetoRisk{Unit: unit, Rule: rule.ID, Name: rule.Name, Min: rule.Min}
		seen := map[string]bool{}
		for _, f := range fs {
			if f.Unit != unit || f.Check != rule.Check || f.Status != checks.Fail || seen[f.Subject] {
				continue
			}
			if len(rule.Kinds) > 0 && !slices.Contains(rule.Kinds, f.Kind) || slices.Contains(rule.Exclude, f.Kind) {
				continue
			}
			seen[f.Subject] = true
			r.Count++
			r.Findings = append(r.Findings, FindingRef{ID: f.ID, Check: f.Check, Status: f.Status, Subject: f.Subject, URL: f.URL, Detail: f.Detail})
		}
		if rule.Quote && len(r.Findings) > 0 {
			r.Detail = r.Findings[0].Detail
		}
		if r.Count >= rule.Min {
			out = append(out, r)
		}
	}
	return out
}
