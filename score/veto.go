package score

import (
	"fmt"
	"slices"
	"sync"

	"gkaudit/checks"
	"gkaudit/config"
)

// VetoRule is one 单项否决 line of 国办秘函〔2019〕19号 (政府网站与政务新媒体检查
// 指标) that failing findings can reach: Min or more distinct failing
// subjects of Check (of the column Kinds, when listed; not of Exclude) put
// the unit at risk. The lines are config data (thresholds.veto in default.yaml).
type VetoRule = config.VetoRule

// DefaultVetoRules returns the embedded default config's thresholds.veto
// lines — 动态、要闻 and 通知公告、政策文件类 columns not updated, 5 or more;
// columns not updated for long, 10 or more; 空白栏目, 5 or more; 站点无法访问
// (site.reachable's availability finding); and, one each, 严重表述错误 and
// 发布或链接反动、暴力、色情等内容 (link.suspicious) — as a copy the caller may
// change. VetoRulesOf(cfg) honours a user's config.
func DefaultVetoRules() []VetoRule {
	rules := defaultVetoRules()
	out := make([]VetoRule, len(rules))
	for i, r := range rules {
		r.Kinds, r.Exclude = slices.Clone(r.Kinds), slices.Clone(r.Exclude)
		out[i] = r
	}
	return out
}

// defaultVetoRules parses the embedded default once, when first needed.
var defaultVetoRules = sync.OnceValue(func() []VetoRule {
	cfg, err := config.Default()
	if err != nil {
		return nil // the config tests fail on an embedded default that does not load
	}
	return cfg.Thresholds.Veto
})

// VetoRulesOf returns the 单项否决 lines of cfg: its thresholds.veto list (a
// user's file replaces the default's whole), or the default's when cfg is
// nil or, built in code, has none.
func VetoRulesOf(cfg *config.Config) []VetoRule {
	if cfg == nil || cfg.Thresholds.Veto == nil {
		return DefaultVetoRules()
	}
	return cfg.Thresholds.Veto
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
