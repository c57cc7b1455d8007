package checks

import (
	"fmt"
	"net/http"
	"sort"
	"strings"

	"gkaudit/site"
)

// LinkBrokenRule is the source of link.broken.
const LinkBrokenRule = "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》扣分指标“网站可用性—链接可用性”：首页及其他页面不能正常访问的链接（含附件、外部链接）；北仑区考核指标“政府网站”：栏目日常更新维护及时、有效"

// linkBrokenTerms has no word lists: a broken link is a status, not a wording.
var linkBrokenTerms = map[string][]string{}

// maxLinkFindings bounds the failing findings of one unit: a site whose
// template links to a dead page repeats it everywhere, and a few hundred
// findings already tell the editor what to fix.
const maxLinkFindings = 500

// LinkBroken (link.broken) reports the links on the unit's pages that do not
// open: pages the crawl followed that answered 4xx/5xx or failed (timeout,
// DNS failure, connection refused, a redirect loop), and attachments and
// outbound links the crawl probed (HEAD, GET when HEAD is refused) with the
// same outcome. The national indicators count "首页及其他页面不能正常访问的链接",
// attachments and links to other sites included.
//
// fail: one finding per broken URL (Subject and URL the broken link, Looked
// the pages that carry it, the detail says what went wrong and where), each
// URL once however many pages link to it. pass: one finding (Subject "links")
// saying how many links were checked when none is broken. na: the entry page
// could not be fetched (site.reachable reports that).
//
// Not broken: a URL skipped by robots.txt (never requested), a page cut at the
// crawl's size limit (it answered), a fetch cut short by the crawl's own
// budget (the crawler drops those), and answers that say the site turned the
// crawler away rather than that the link is dead: 429 Too Many Requests and
// 412 Precondition Failed (the JavaScript challenge anti-bot gateways in
// front of many government sites answer to clients without a browser).
func LinkBroken(s *site.Snapshot, env Env) []Finding {
	entry := s.EntryPage()
	if !entry.OK() {
		detail := "入口页无法访问，无法检查链接可用性"
		if entry != nil && site.BlockedText(entry.Err) {
			detail = "入口页未访问（" + entry.ErrCause() + "），无法检查链接可用性"
		}
		return []Finding{{Subject: "links", Status: NA, URL: s.Entry, Looked: []string{s.Entry}, Detail: detail}}
	}
	skipped := map[string]bool{}
	for _, k := range s.Skipped {
		skipped[k.URL] = true
	}
	// Pages that carry each link, with the anchor text, from the crawled pages.
	type ref = struct{ page, text string }
	refs := map[string][]ref{}
	for _, p := range s.Pages {
		if !p.OK() {
			continue
		}
		seen := map[string]bool{}
		for _, l := range p.Links {
			if seen[l.URL] {
				continue
			}
			seen[l.URL] = true
			refs[l.URL] = append(refs[l.URL], ref{page: pageURL(p), text: l.Text})
		}
	}

	var fails, blocked []Finding
	done := map[string]bool{}
	pages, probes, refused := 0, 0, 0
	for _, p := range s.Pages {
		if p == entry || done[p.URL] || skipped[p.URL] {
			continue
		}
		done[p.URL] = true
		if site.BlockedText(p.Err) {
			blocked = append(blocked, blockedFinding(p.URL, p.ErrCause(), refs[p.URL], evidence(p, "")))
			continue
		}
		pages++
		if turnedAway(p.Status) {
			refused++
		}
		why := pageBroken(p)
		if why == "" {
			continue
		}
		var from []string
		text := ""
		for _, r := range refs[p.URL] {
			from = append(from, r.page)
			if text == "" {
				text = r.text
			}
		}
		if len(from) == 0 && p.FinalURL != "" && p.FinalURL != p.URL {
			for _, r := range refs[p.FinalURL] {
				from = append(from, r.page)
			}
		}
		ev := evidence(p, "")
		ev.URL = p.URL
		fails = append(fails, brokenFinding(p.URL, why, text, from, ev))
	}
	for _, pr := range s.Probes {
		if done[pr.URL] || skipped[pr.URL] {
			continue
		}
		done[pr.URL] = true
		if site.BlockedText(pr.Err) {
			blocked = append(blocked, blockedFinding(pr.URL, pr.ErrCause(), refs[pr.URL],
				Evidence{URL: pr.URL, FetchedAt: pr.FetchedAt, ErrorRaw: pr.Err}))
			continue
		}
		probes++
		if turnedAway(pr.Status) {
			refused++
		}
		why := probeBroken(pr)
		if why == "" {
			continue
		}
		from := append([]string(nil), pr.Referrers...)
		text := ""
		for _, r := range refs[pr.URL] {
			if text == "" {
				text = r.text
			}
			if len(pr.Referrers) == 0 {
				from = append(from, r.page)
			}
		}
		kind := "附件或外部链接"
		if pr.External {
			kind = "外部链接"
		}
		ev := Evidence{URL: pr.URL, FetchedAt: pr.FetchedAt, HTTPStatus: pr.Status, ErrorRaw: pr.Err}
		fails = append(fails, brokenFinding(pr.URL, kind+why, text, from, ev))
	}
	if len(fails) == 0 {
		detail := fmt.Sprintf("已检查 %d 个站内页面链接、%d 个附件及外部链接，均可正常访问", pages, probes)
		if n := len(skipped) + refused; n > 0 {
			detail += fmt.Sprintf("（另有 %d 个链接因 robots.txt 限制或站点拒绝抓取（HTTP 412/429）未判断）", n)
		}
		if len(blocked) > 0 {
			detail += fmt.Sprintf("（另有 %d 个链接指向内网等受限地址，按安全策略未访问）", len(blocked))
		}
		return append([]Finding{{Subject: "links", Status: Pass, URL: s.Entry, Evidence: evidence(entry, ""), Detail: detail}}, capped(blocked)...)
	}
	return append(capped(fails), capped(blocked)...)
}

// capped keeps at most maxLinkFindings findings.
func capped(fs []Finding) []Finding {
	if len(fs) > maxLinkFindings {
		return fs[:maxLinkFindings]
	}
	return fs
}

// blockedFinding is the na finding of a link the crawl's SSRF guard did not
// connect to: whether it opens is unknown, and the detail says how to let
// the audit reach it (crawl.allow_networks).
func blockedFinding(u, cause string, refs []struct{ page, text string }, ev Evidence) Finding {
	var from []string
	text := ""
	for _, r := range refs {
		from = append(from, r.page)
		if text == "" {
			text = r.text
		}
	}
	label := ""
	if text != "" {
		label = "“" + clip(text, 40) + "”"
	}
	return Finding{Subject: u, Status: NA, URL: u, Looked: sortedUnique(from), Evidence: ev,
		Detail: fmt.Sprintf("链接%s未检查：%s", label, cause)}
}

// brokenFinding is the failing finding of one broken URL.
func brokenFinding(u, why, text string, from []string, ev Evidence) Finding {
	from = sortedUnique(from)
	where := "（未找到链接所在页面）"
	if len(from) > 0 {
		shown := from
		if len(shown) > 3 {
			shown = shown[:3]
		}
		where = "，所在页面：" + strings.Join(shown, "、")
		if len(from) > 3 {
			where += fmt.Sprintf(" 等 %d 个页面", len(from))
		}
	}
	label := ""
	if text != "" {
		label = "“" + clip(text, 40) + "”"
		ev.Excerpt = "链接文字：" + clip(text, 100)
	}
	return Finding{Subject: u, Status: Fail, URL: u, Looked: from, Evidence: ev,
		Detail: fmt.Sprintf("链接%s无法正常访问：%s%s", label, why, where)}
}

// pageBroken says why a crawled page counts as a broken link, or "".
func pageBroken(p *site.Page) string {
	switch {
	case p.Err != "" && strings.HasPrefix(p.Err, "not fetched"):
		return "" // left unfetched by the crawl's budget: nothing known
	case p.Err != "":
		return p.ErrCause()
	case turnedAway(p.Status):
		return ""
	case p.Status >= 400:
		return httpWhy(p.Status)
	case p.Status == 0:
		return "无响应"
	}
	return ""
}

// probeBroken says why a probed resource counts as broken, or "".
func probeBroken(pr site.Probe) string {
	switch {
	case pr.Err != "":
		return pr.ErrCause()
	case turnedAway(pr.Status):
		return ""
	case pr.Status >= 400:
		return httpWhy(pr.Status)
	case pr.Status == 0:
		return "无响应"
	}
	return ""
}

// turnedAway reports whether a status says the site refused the crawler
// itself, which says nothing about the link.
func turnedAway(status int) bool {
	return status == http.StatusTooManyRequests || status == http.StatusPreconditionFailed
}

func httpWhy(status int) string {
	return fmt.Sprintf("返回 HTTP %d %s", status, http.StatusText(status))
}

func sortedUnique(ss []string) []string {
	if len(ss) == 0 {
		return nil
	}
	out := append([]string(nil), ss...)
	sort.Strings(out)
	w := 0
	for i, s := range out {
		if i == 0 || s != out[w-1] {
			out[w] = s
			w++
		}
	}
	return out[:w]
}
