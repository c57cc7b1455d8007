package checks

import (
	"fmt"
	"net/http"

	"gkaudit/site"
)

// SiteReachableRule is the source of site.reachable.
const SiteReachableRule = "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》单项否决指标：站点无法访问（超过15秒未打开即为不可访问）；北仑区考核指标“政府网站”：保证要素齐全、日常更新维护及时、有效"

// SiteReachable (site.reachable) fails when the unit's entry page — the
// configured disclosure column — could not be fetched with a 2xx response
// after the crawler's retries. A redirect to a page that answers 200 passes:
// sites move their columns and redirect, and the reader still arrives.
//
// The national indicators judge reachability over a week of probes (≥5%
// failures is a veto); one audit run is one probe, so the finding says how
// many attempts were made and what went wrong.
func SiteReachable(s *site.Snapshot, env Env) []Finding {
	p := s.EntryPage()
	if p == nil {
		if s.StopReason != "" {
			return []Finding{{Subject: s.Entry, Status: NA, URL: s.Entry,
				Detail: "入口页未抓取：" + s.StopReason, Looked: []string{s.Entry}}}
		}
		return []Finding{{Subject: s.Entry, Status: Fail, URL: s.Entry,
			Detail: "入口页未能抓取（抓取器未返回该页）", Looked: []string{s.Entry}}}
	}
	f := Finding{Subject: s.Entry, URL: s.Entry, Looked: []string{s.Entry}, Evidence: evidence(p, "")}
	switch {
	case p.OK():
		f.Status = Pass
		// No latency in the text: a detail that changes every night would make
		// an unchanged finding look different from run to run.
		f.Detail = fmt.Sprintf("入口页可访问（HTTP %d）", p.Status)
	case p.Err != "":
		f.Status = Fail
		f.Detail = fmt.Sprintf("入口页无法访问：%s（共尝试 %d 次）", p.Err, max(p.Attempts, 1))
	default:
		f.Status = Fail
		f.Detail = fmt.Sprintf("入口页返回 HTTP %d %s（共尝试 %d 次）", p.Status, http.StatusText(p.Status), max(p.Attempts, 1))
	}
	return []Finding{f}
}
