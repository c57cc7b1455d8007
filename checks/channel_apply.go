package checks

import (
	"regexp"
	"unicode/utf8"

	"gkaudit/page"
	"gkaudit/site"
)

// ChannelApplyRule is the source of channel.apply.
const ChannelApplyRule = "《政府信息公开条例》（2019）第二十七条至第三十三条（第二十九条：申请人申请公开政府信息，应当向行政机关的政府信息公开工作机构提出，采用包括信件、数据电文在内的书面形式）；北仑区考核指标“申请渠道畅通（5分）”：开设政府信息依申请公开渠道，提供网上申请和纸质申请途径"

// Term keys of channel.apply.
const (
	applyColumnKey = "channel.apply.column"
	applyOnlineKey = "channel.apply.online"
	applyPaperKey  = "channel.apply.paper"
	applyLinkKey   = "channel.apply.online_link"
	applyNegateKey = "channel.apply.negation"
)

// channelApplyTerms are the default word lists, by term key.
var channelApplyTerms = map[string][]string{
	// Link texts of the 依申请公开 column on the entry page.
	applyColumnKey: {"依申请公开", "政府信息公开申请", "申请公开", "依申请", "在线申请", "网上申请"},
	// Words that describe the online route.
	applyOnlineKey: {"网上申请", "在线申请", "互联网申请", "通过互联网", "互联网渠道", "网上提交", "在线提交", "在线填写", "网上填写", "网上填报", "电子邮件申请", "电子邮件方式", "电子邮件提出", "数据电文"},
	// Words that describe the paper route (信函 / 邮寄 / 当面).
	applyPaperKey: {"信函", "邮寄", "邮政寄送", "邮政递送", "通过邮政", "信封", "当面", "现场申请", "现场提交", "现场提出", "现场办理", "现场填写", "窗口受理", "窗口提交"},
	// Link texts of an online form or platform.
	applyLinkKey: {"在线申请", "网上申请", "互联网申请", "我要申请", "申请入口", "在线填写", "网上提交", "在线提交", "依申请公开平台", "申请平台", "申请系统", "依申请公开系统", "提交申请"},
	// Words that withdraw a route: 网上申请暂未开通.
	applyNegateKey: {"暂未开通", "尚未开通", "暂不受理", "暂不接受", "暂停", "不受理", "不接受", "不支持"},
}

// applySubLink matches link texts of an apply column's sub-pages (须知, 流程,
// 申请表 ...), which hold the routes on many sites.
var applySubLink = regexp.MustCompile(`申请须知|申请指南|申请流程|办理流程|申请方式|申请渠道|申请表|受理机构|在线申请|网上申请|我要申请|申请入口|申请说明|流程图`)

// applyInfoLink matches sub-pages that describe the routes (须知, 指南,
// 流程): when one was not fetched a missing route is not proven.
var applyInfoLink = regexp.MustCompile(`申请须知|申请指南|依申请指南|申请流程|办理流程|申请方式|申请渠道|申请说明|流程图|公开须知`)

// maxApplyPages bounds the pages read for the routes.
const maxApplyPages = 20

// applyEvidence is where a route was seen.
type applyEvidence struct {
	what string
	page *site.Page
	text string
}

// ChannelApply (channel.apply) checks that the unit offers both an online and
// a paper route for 依申请公开 (条例第二十七条—第三十三条; rubric 申请渠道畅通:
// 提供网上申请和纸质申请途径).
//
// It reads the 依申请公开 column (kind apply, or an entry-page link so named)
// with its sub-pages (申请须知, 申请流程, 在线申请 ...) and the guide, since the
// routes are often described inside the guide. Online: an application form
// (a <form> with several fields), a link to an online form or platform
// (在线申请, 网上申请, 依申请公开平台 ...; an apply column on an outside
// platform that answers; a 点击进入 link on the line of an online route), a
// description of the online route (网上申请, 互联网申请, 在线提交 ...) whose
// own sentence says where it is reached (本网站“依申请公开”栏目, 左侧, a platform,
// a web or e-mail address) — 网上申请 with a web address only elsewhere on the
// page is no route — or an e-mail address: 条例第二十九条 accepts 数据电文, and
// the detail says so. Paper: 信函申请 / 邮寄 / 信封左下角注明 ... / 当面申请 /
// 现场申请. A route withdrawn in its sentence (网上申请系统…暂未开通) does not
// count.
//
// pass: both routes. fail: either missing (the detail names it), or neither
// an apply column nor a guide exists. na: the entry page could not be
// fetched, the pages that would tell were never fetched, or a route is
// missing while a 须知/指南/流程 sub-page of the column was not fetched.
func ChannelApply(s *site.Snapshot, env Env) []Finding {
	entry := s.EntryPage()
	if !entry.OK() {
		return []Finding{entryUnreachable(s, "apply", "依申请公开渠道")}
	}
	onlineWords := env.Terms(applyOnlineKey, channelApplyTerms[applyOnlineKey])
	paperWords := env.Terms(applyPaperKey, channelApplyTerms[applyPaperKey])
	linkWords := env.Terms(applyLinkKey, channelApplyTerms[applyLinkKey])
	negate := env.Terms(applyNegateKey, channelApplyTerms[applyNegateKey])

	cols := applyColumns(s, entry, env.Terms(applyColumnKey, channelApplyTerms[applyColumnKey]))
	var pages []*site.Page
	var looked []string
	seen := map[string]bool{}
	unfetched := 0
	unread := "" // a 须知/指南/流程 sub-page that was never fetched
	var online, paper *applyEvidence
	add := func(u string) *site.Page {
		if seen[u] || len(seen) >= maxApplyPages {
			return nil
		}
		seen[u] = true
		looked = append(looked, u)
		p := s.Page(u)
		if p == nil {
			if pr := probeOf(s, u); pr != nil && pr.External && probeOK(pr) && online == nil {
				online = &applyEvidence{what: "外部依申请公开平台链接 " + u, page: entry}
			} else if pr == nil {
				unfetched++
			}
			return nil
		}
		if !p.OK() {
			return nil
		}
		pages = append(pages, p)
		return p
	}
	for _, u := range cols {
		p := add(u)
		if p == nil {
			continue
		}
		for _, l := range p.Links {
			if applySubLink.MatchString(l.Text) || (underColumn(u, l.URL) && !isColumnURL(s, l.URL)) {
				if add(l.URL) == nil && s.Page(l.URL) == nil && probeOf(s, l.URL) == nil && applyInfoLink.MatchString(l.Text) && unread == "" {
					unread = l.Text
				}
			}
		}
	}
	g := locateGuide(s, env)
	for _, u := range g.looked {
		if !seen[u] {
			looked = append(looked, u)
			seen[u] = true
		}
	}
	if g.page != nil {
		pages = append(pages, g.page)
	}
	if len(pages) == 0 && online == nil {
		if len(cols) > 0 && unfetched > 0 || g.unfetched != "" {
			return []Finding{{Subject: "apply", Status: NA, URL: firstOf(cols, g.unfetched), Looked: looked,
				Detail: "依申请公开栏目或公开指南页面未抓取，无法判断申请渠道"}}
		}
		return []Finding{{Subject: "apply", Status: Fail, URL: firstOf(cols, s.Entry), Looked: append(looked, s.Entry),
			Detail: "未找到依申请公开栏目，公开指南中也无申请途径：未提供网上申请和纸质申请渠道", Evidence: evidence(entry, "")}}
	}
	email := ""
	var emailPage *site.Page
	for _, p := range pages {
		body := applyText(p)
		flat := page.Compact(body)
		if online == nil {
			if what := applyForm(p); what != "" {
				online = &applyEvidence{what: what, page: p}
			}
		}
		if online == nil {
			if l, ok := onlineLink(s, p, linkWords); ok {
				online = &applyEvidence{what: "在线申请链接“" + l.Text + "”（" + l.URL + "）", page: p, text: l.Text}
			}
		}
		if online == nil {
			if l, ok := routeLinkInSentence(s, p, onlineWords, negate); ok {
				online = &applyEvidence{what: "网上申请途径的链接“" + l.Text + "”（" + l.URL + "）", page: p, text: l.Text}
			}
		}
		if online == nil {
			if w, where := describedOnlineRoute(applyBlocks(p), onlineWords, negate); w != "" {
				online = &applyEvidence{what: "网上申请途径（“" + w + "”，" + where + "）", page: p, text: w}
			}
		}
		if email == "" {
			if e := firstEmail(body, p); e != "" {
				email, emailPage = e, p
			}
		}
		if paper == nil {
			if w := routeWord(flat, paperWords, negate); w != "" {
				paper = &applyEvidence{what: "纸质申请途径（“" + w + "”）", page: p, text: w}
			}
		}
	}
	if online == nil && email != "" {
		online = &applyEvidence{what: "电子邮件 " + email + "（条例第二十九条：数据电文形式的书面申请）", page: emailPage, text: email}
	}
	first := entry
	if len(pages) > 0 {
		first = pages[0]
	}
	if (online == nil || paper == nil) && unread != "" {
		// The routes may be described on the sub-page the crawl did not
		// read: a missing route is not proven.
		return []Finding{{Subject: "apply", Status: NA, URL: firstOf(cols, pageURL(first)), Looked: looked,
			Detail: "依申请公开栏目的“" + page.Clip(unread, 20) + "”页面未抓取，无法判断是否提供" + map[bool]string{true: "网上申请", false: "纸质申请"}[online == nil] + "途径"}}
	}
	f := Finding{Subject: "apply", URL: firstOf(cols, pageURL(first)), Looked: looked}
	switch {
	case online != nil && paper != nil:
		f.Status = Pass
		f.Detail = "提供网上申请：" + online.what + "；提供纸质申请：" + paper.what
		f.Evidence = evidence(paper.page, excerptAround(bodyText(paper.page), paper.text, 160))
	case online == nil && paper == nil:
		f.Status = Fail
		f.Detail = "未提供网上申请途径（在线申请表单、平台或电子邮箱），也未提供纸质申请途径（信函、当面）"
		f.Evidence = evidence(first, excerptAround(bodyText(first), "申请", 160))
	case online == nil:
		f.Status = Fail
		f.Detail = "未提供网上申请途径（在线申请表单、平台或电子邮箱）；已有" + paper.what
		f.Evidence = evidence(paper.page, excerptAround(bodyText(paper.page), paper.text, 160))
	default:
		f.Status = Fail
		f.Detail = "未提供纸质申请途径（信函/邮寄、当面申请）；已有" + online.what
		f.Evidence = evidence(online.page, excerptAround(bodyText(online.page), online.text, 160))
	}
	if f.Evidence.URL != "" && f.Status == Fail && online != nil && online.page != nil {
		f.URL = firstOf(cols, pageURL(online.page))
	}
	return []Finding{f}
}

// applyColumns returns the URLs of the unit's 依申请公开 columns: the crawler's
// columns of kind apply and entry-page links whose text names one.
func applyColumns(s *site.Snapshot, entry *site.Page, words []string) []string {
	var out []string
	seen := map[string]bool{}
	add := func(u string) {
		if u != "" && !seen[u] {
			seen[u] = true
			out = append(out, u)
		}
	}
	for _, l := range anchorLinks(entry) {
		t := normText(l.Text)
		if utf8.RuneCountInString(t) <= 20 && containsAny(t, words) {
			add(l.URL)
		}
	}
	for _, c := range s.ColumnsOf("apply") {
		add(c.URL)
	}
	return out
}

// isColumnURL reports whether u is the page of any column the crawler mapped.
func isColumnURL(s *site.Snapshot, u string) bool {
	for _, c := range s.Columns {
		if c.URL == u {
			return true
		}
	}
	return false
}

// firstOf returns the first URL of list, else def.
func firstOf(list []string, def string) string {
	if len(list) > 0 {
		return list[0]
	}
	return def
}
