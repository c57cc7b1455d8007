package checks

import (
	"fmt"
	"net/http"

	"gkaudit/site"
)

// SiteReachableRule is the source of site.reachable.
const SiteReachableRule = "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》单项否决指标：站点无法访问（监测1周，每天不少于20次，超过15秒未打开即为不可访问，不可访问次数达到监测次数5%的）；北仑区考核指标“政府网站”：保证要素齐全、日常更新维护及时、有效"

// SiteReachable (site.reachable) judges whether the unit's site can be
// reached, as 国办秘函〔2019〕19号 measures it: monitored for a week, probed
// 20+ times a day, a probe that has not opened the site within 15 s fails,
// and failures of 5% or more of the probes are a 单项否决.
//
//   - With a week of probes (env.Availability, from gkaudit serve; at least
//     thresholds.availability_min_probes), it fails when 5% or more
//     (thresholds.availability_veto_percent) of them failed, whatever
//     this run's fetch: Kind "availability", the ratio in the detail.
//   - Otherwise it judges the run's fetch of the entry page (the configured
//     disclosure column) after the crawler's retries: a 2xx passes, anything
//     else fails; the probe ratio, when there are probes, is added to the
//     detail. A redirect to a page that answers 200 passes: sites move their
//     columns and redirect, and the reader still arrives. A host that
//     answered none of the run's requests is tried 1 + crawl.retries times
//     in all, robots.txt included; the detail then says so.
//   - A crawl cancelled before the entry page is na.
func SiteReachable(s *site.Snapshot, env Env) []Finding {
	av, params := env.Availability, env.params()
	f := entryReachable(s)
	switch {
	case params.AvailabilityVeto(av):
		f.Status = Fail
		f.Kind = AvailabilityKind
		f.Detail = fmt.Sprintf("%s，达到国办秘函〔2019〕19号单项否决标准（%d%%）；本次运行：%s", av.describe(), params.AvailabilityVetoPercent, f.Detail)
	case av.Total > 0:
		f.Detail += "；" + av.describe()
		if av.Total < params.AvailabilityMinProbes {
			f.Detail += fmt.Sprintf("，不足 %d 次，未按比例判定", params.AvailabilityMinProbes)
		}
	}
	return []Finding{f}
}

// entryReachable judges the run's fetch of the entry page.
func entryReachable(s *site.Snapshot) Finding {
	p := s.EntryPage()
	if p == nil {
		if s.StopReason != "" {
			return Finding{Subject: s.Entry, Status: NA, URL: s.Entry,
				Detail: "入口页未抓取：" + site.StopReasonText(s.StopReason), Looked: []string{s.Entry}}
		}
		return Finding{Subject: s.Entry, Status: Fail, URL: s.Entry,
			Detail: "入口页未能抓取（抓取器未返回该页）", Looked: []string{s.Entry}}
	}
	f := Finding{Subject: s.Entry, URL: s.Entry, Looked: []string{s.Entry}, Evidence: evidence(p, "")}
	switch {
	case p.OK():
		f.Status = Pass
		// No latency in the text: a detail that changes every night would make
		// an unchanged finding look different from run to run.
		f.Detail = fmt.Sprintf("入口页可访问（HTTP %d）", p.Status)
	case site.BlockedText(p.Err):
		// The SSRF guard kept the crawl off the address: nothing is known
		// of the site, and the detail says how to allow it.
		f.Status = NA
		f.Detail = "入口页未访问：" + p.ErrCause()
	case p.Err != "" && p.HostSilent > 0:
		f.Status = Fail
		f.Detail = fmt.Sprintf("入口页无法访问：%s（共尝试 %d 次；站点对本次运行的 %d 个请求（含 robots.txt）均未应答，不再重试）", p.ErrCause(), max(p.Attempts, 1), p.HostSilent)
	case p.Err != "":
		f.Status = Fail
		f.Detail = fmt.Sprintf("入口页无法访问：%s（共尝试 %d 次）", p.ErrCause(), max(p.Attempts, 1))
	default:
		f.Status = Fail
		f.Detail = fmt.Sprintf("入口页返回 HTTP %d %s（共尝试 %d 次）", p.Status, http.StatusText(p.Status), max(p.Attempts, 1))
	}
	return f
}
