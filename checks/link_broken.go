package checks

import (
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"gkaudit/cndate"
	"gkaudit/page"
	"gkaudit/site"
)

// LinkBrokenRule is the source of link.broken.
const LinkBrokenRule = "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》扣分指标“网站可用性—链接可用性”：首页及其他页面不能正常访问的链接（含附件、外部链接）；北仑区考核指标“政府网站”：栏目日常更新维护及时、有效"

// linkBrokenTerms are the words that tell a page that answers 200 but says
// it is not there (a soft 404), and a firewall's or anti-bot gateway's
// challenge page from a link that is really forbidden.
var linkBrokenTerms = map[string][]string{
	"link.broken.not_found": {"页面不存在", "页面未找到", "找不到页面", "找不到该页面", "找不到您要访问的页面", "找不到您访问的页面",
		"您访问的页面不存在", "您所访问的页面不存在", "您要访问的页面不存在", "访问的页面已不存在", "您访问的网页不存在", "网页不存在",
		"页面已删除", "页面已被删除", "信息已删除", "信息已被删除", "该信息不存在", "信息不存在", "文章不存在", "文章已删除", "内容不存在",
		"内容已删除", "稿件已撤销", "页面丢失", "页面走丢", "Page Not Found", "page not found", "404 Not Found"},
	"link.broken.challenge": {"__jsl_clearance", "jsl_clearance", "cdn-cgi/challenge", "cf-chl", "cf_clearance", "Just a moment",
		"Attention Required", "waf", "WAF", "防火墙", "安全验证", "人机验证", "访问验证", "滑动验证", "验证码", "安全狗", "云锁",
		"yunsuo", "创宇盾", "知道创宇", "加速乐", "安全防护", "拦截", "阻断", "已被阻止", "非法请求", "请开启JavaScript",
		"enable JavaScript", "document.cookie", "Access Denied", "Request blocked", "EdgeOne"},
}

// notFoundTitle matches titles of not-found pages by their status words: 404
// at the start or beside 错误/Not Found (not 404 in 404国道 or a phone number).
var notFoundTitle = regexp.MustCompile(`(?i)^\s*(http\s*)?404([^0-9a-z\p{Han}]|$)|404\s*(not\s*found|错误|页面|error)|(error|错误)\s*(代码)?\s*[:：]?\s*404|not\s*found`)

// maxLinkFindings bounds the failing findings of one unit: a site whose
// template links to a dead page repeats it everywhere, and a few hundred
// findings already tell the editor what to fix.
const maxLinkFindings = 500

// LinkBroken (link.broken) reports the links on the unit's pages that do not
// open: pages the crawl followed that answered 4xx/5xx or failed (timeout,
// DNS failure, connection refused, a redirect loop), pages that answer 200
// but say they are not there (a soft 404: a title such as “404 页面不存在”, or
// a short page whose text says 您访问的页面不存在), and attachments and
// outbound links the crawl probed (HEAD, GET when HEAD is refused) with the
// same outcome. The national indicators count "首页及其他页面不能正常访问的链接",
// attachments and links to other sites included.
//
// A link is failed only when a second try later in the crawl failed too
// (crawl.recheck_after): a link that failed once and whose second try never
// ran (the crawl's budget ended) is na, and so is one whose second try worked
// (it is not reported at all).
//
// fail: one finding per broken URL (Subject and URL the broken link, Looked
// the pages that carry it, the detail says what went wrong, both tries, and
// whether the link is on the entry page or deeper), each URL once however
// many pages link to it. pass: one finding (Subject "links") saying how many
// links were checked when none is broken. na: the entry page could not be
// fetched (site.reachable reports that), and per link, answers that say the
// site turned the crawler away rather than that the link is dead, which a
// unit must not be accused of: 412 Precondition Failed (the JavaScript
// challenge of anti-bot gateways), 429 Too Many Requests, 503 with
// Retry-After, and a 403 whose page is a firewall's or challenge page (words
// in link.broken.challenge) or could not be read; a plain 403 Forbidden
// server page is broken.
//
// Not judged: a URL skipped by robots.txt (never requested), a link matching
// the unit's link_ignore, a page cut at the crawl's size limit (it answered),
// a fetch cut short by the crawl's own budget (the crawler drops those).
func LinkBroken(s *site.Snapshot, env Env) []Finding {
	entry := s.EntryPage()
	if !entry.OK() {
		detail := entryUnreachableText(s, "链接可用性")
		if entry != nil && site.BlockedText(entry.Err) {
			detail = "入口页未访问（" + entry.ErrCause() + "），无法检查链接可用性"
		}
		return []Finding{{Subject: "links", Status: NA, URL: s.Entry, Looked: []string{s.Entry}, Detail: detail}}
	}
	notFound := env.Terms("link.broken.not_found", linkBrokenTerms["link.broken.not_found"])
	challenge := env.Terms("link.broken.challenge", linkBrokenTerms["link.broken.challenge"])
	softMax := env.params().SoftNotFoundMaxRunes
	skipped, ignored := map[string]bool{}, 0
	for _, k := range s.Skipped {
		skipped[k.URL] = true
		if k.Reason == "link_ignore" {
			ignored++
		}
	}
	// Pages that carry each link, with the anchor text, from the crawled pages.
	type ref = struct{ page, text string }
	refs := map[string][]ref{}
	depth := map[string]int{}
	for _, p := range s.Pages {
		if !p.OK() {
			continue
		}
		if d, ok := depth[pageURL(p)]; !ok || p.Depth < d {
			depth[pageURL(p)] = p.Depth
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
	entryURL := pageURL(entry)
	where := func(from []string) string { return linkPlace(from, entryURL, depth) }

	var fails, unsure []Finding
	done := map[string]bool{}
	pages, probes, blocked := 0, 0, 0
	for _, p := range s.Pages {
		if p == entry || done[p.URL] || skipped[p.URL] {
			continue
		}
		done[p.URL] = true
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
		if site.BlockedText(p.Err) {
			blocked++
			unsure = append(unsure, unsureFinding(p.URL, p.ErrCause(), text, from, evidence(p, "")))
			continue
		}
		pages++
		v := judgePage(p, s.SecondTries, notFound, challenge, softMax)
		if v.why == "" {
			continue
		}
		ev := evidence(p, "")
		ev.URL = p.URL
		if v.unsure {
			unsure = append(unsure, unsureFinding(p.URL, v.why, text, from, ev))
			continue
		}
		fails = append(fails, brokenFinding(p.URL, v.why, text, from, where(from), ev))
	}
	for _, pr := range s.Probes {
		if done[pr.URL] || skipped[pr.URL] {
			continue
		}
		done[pr.URL] = true
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
		ev := Evidence{URL: pr.URL, FetchedAt: pr.FetchedAt, HTTPStatus: pr.Status, ErrorRaw: pr.Err}
		if site.BlockedText(pr.Err) {
			blocked++
			unsure = append(unsure, unsureFinding(pr.URL, pr.ErrCause(), text, from, ev))
			continue
		}
		probes++
		v := judgeProbe(pr, s.SecondTries, challenge)
		if v.why == "" {
			continue
		}
		kind := "附件或外部链接"
		if pr.External {
			kind = "外部链接"
		}
		if v.unsure {
			unsure = append(unsure, unsureFinding(pr.URL, v.why, text, from, ev))
			continue
		}
		fails = append(fails, brokenFinding(pr.URL, kind+v.why, text, from, where(from), ev))
	}
	if len(fails) == 0 && pages+probes == 0 && len(unsure) == 0 {
		// A page without a single link checked is no page whose links are fine.
		return []Finding{{Subject: "links", Status: NA, URL: s.Entry, Looked: []string{pageURL(entry)}, Evidence: evidence(entry, ""),
			Detail: "入口页上没有找到可检查的链接（页面可能为空，或链接由脚本生成），无法判断链接可用性；请在浏览器中打开入口页核实"}}
	}
	if len(fails) == 0 {
		detail := fmt.Sprintf("已检查 %d 个站内页面链接、%d 个附件及外部链接，未发现无法访问的链接", pages, probes)
		if n := len(skipped) - ignored; n > 0 {
			detail += fmt.Sprintf("（另有 %d 个链接因 robots.txt 限制未访问）", n)
		}
		if ignored > 0 {
			detail += fmt.Sprintf("（另有 %d 个链接按配置 link_ignore 不检查）", ignored)
		}
		if blocked > 0 {
			detail += fmt.Sprintf("（另有 %d 个链接指向内网等受限地址，按安全策略未访问）", blocked)
		}
		if n := len(unsure) - blocked; n > 0 {
			detail += fmt.Sprintf("；%d 个链接被站点拒绝抓取或未能再次访问，无法核实，见各条“无法判断”结果", n)
		}
		return append([]Finding{{Subject: "links", Status: Pass, URL: s.Entry, Evidence: evidence(entry, ""), Detail: detail}}, capped(unsure)...)
	}
	return append(capped(fails), capped(unsure)...)
}

// verdict is how one link fared: why is empty for a link that opens; unsure
// marks a link that could not be verified (na) rather than broken.
type verdict struct {
	why    string
	unsure bool
}

// judgePage judges a crawled page.
func judgePage(p *site.Page, secondTries bool, notFound, challenge []string, softMax int) verdict {
	switch {
	case p.Err != "" && strings.HasPrefix(p.Err, "not fetched"):
		return verdict{} // left unfetched by the crawl's budget: nothing known
	case p.Err == "" && p.Status >= 200 && p.Status < 300:
		if why := softNotFound(p, notFound, softMax); why != "" {
			return verdict{why: why}
		}
		return verdict{}
	}
	if v := turnedAway(p.Status, lastHeader(p.Exchanges, "Retry-After") != "", answerText(p), p.Status == 403 && !hasBody(p), challenge); v.why != "" {
		return v
	}
	why := ""
	switch {
	case p.Err != "":
		why = p.ErrCause()
	case p.Status >= 400:
		why = httpWhy(p.Status)
	case p.Status == 0:
		why = "无响应"
	default:
		return verdict{} // 1xx/3xx without a target: nothing to accuse
	}
	return confirmed(why, p.FirstTry, secondTries)
}

// judgeProbe judges a probed attachment or outbound link.
func judgeProbe(pr site.Probe, secondTries bool, challenge []string) verdict {
	if pr.Err == "" && pr.Status >= 200 && pr.Status < 400 {
		return verdict{}
	}
	if v := turnedAway(pr.Status, lastHeader(pr.Exchanges, "Retry-After") != "", pr.Sample, pr.Sample == "", challenge); v.why != "" {
		return v
	}
	why := ""
	switch {
	case pr.Err != "":
		why = pr.ErrCause()
	case pr.Status >= 400:
		why = httpWhy(pr.Status)
	default:
		why = "无响应"
	}
	return confirmed(why, pr.FirstTry, secondTries)
}

// confirmed is the verdict on a failure: broken when its second try failed
// too, or when the crawl made no second tries (a snapshot of an older
// version); na when the second try never ran.
func confirmed(why string, first *site.Try, secondTries bool) verdict {
	switch {
	case first != nil:
		return verdict{why: why + "（" + tryTime(first.At) + " 首次访问即失败，稍后再次访问仍失败）"}
	case secondTries:
		return verdict{why: why + "；仅访问一次，本次检查结束前未能再次访问核实，请在下次检查中确认", unsure: true}
	}
	return verdict{why: why}
}

// turnedAway is the verdict on an answer that says the site refused the
// crawler itself, which says nothing about the link: 412 and 429 always, 503
// with Retry-After, a 403 whose page could not be read, and a firewall's or
// challenge page behind any status firewalls use (wafStatus). Empty for any
// other answer.
func turnedAway(status int, retryAfter bool, body string, unread bool, challenge []string) verdict {
	switch {
	case status == http.StatusPreconditionFailed:
		return verdict{why: "站点返回 HTTP 412（反爬虫验证页面，需在浏览器中执行脚本），检查程序无法核实，请在浏览器中打开确认", unsure: true}
	case status == http.StatusTooManyRequests:
		return verdict{why: "站点返回 HTTP 429（请求过多，拒绝了检查程序），无法核实，请稍后在浏览器中打开确认", unsure: true}
	case status == http.StatusServiceUnavailable && retryAfter:
		return verdict{why: "站点返回 HTTP 503 并要求稍后再试（Retry-After），无法核实，请稍后在浏览器中打开确认", unsure: true}
	case status == http.StatusForbidden && unread:
		return verdict{why: "站点返回 HTTP 403 禁止访问，未能读取其页面以判断是否为网站防护拦截，请在浏览器中打开确认", unsure: true}
	case wafStatus(status) && containsAny(body, challenge):
		return verdict{why: fmt.Sprintf("站点返回 HTTP %d，页面为网站防火墙或反爬虫验证页面，检查程序被拦截，无法核实，请在浏览器中打开确认", status), unsure: true}
	}
	return verdict{}
}

// answerText is what a page's answer says, for the words of a firewall's
// page: the start of its body when it has little text (the words of a
// challenge sit in its scripts), its title and its text.
func answerText(p *site.Page) string {
	v := viewOf(p)
	return v.Start + "\n" + v.Title + "\n" + v.Main + "\n" + v.Chrome
}

// softNotFound says why a page that answered 200 is a not-found page, or "".
// Its main text must be at most softMax runes (thresholds
// soft_not_found_max_runes): a not-found page says a sentence or two (对不起，
// 您访问的页面不存在或已被删除！返回首页), a notice that mentions 页面不存在 more.
func softNotFound(p *site.Page, notFound []string, softMax int) string {
	title := strings.TrimSpace(p.Title)
	if notFoundTitle.MatchString(title) || titleSaysNotFound(title, notFound) {
		return "页面返回 HTTP 200，但标题为“" + page.Clip(title, 40) + "”，实为“页面不存在”提示（软 404）"
	}
	if v := p.View; v != nil && v.MainRunes > softMax {
		// Too long to be one, as even the skeleton of its view tells: its
		// whole view need not be read back from the store.
		return ""
	}
	if !containsAny(viewOf(p).Main, notFound) {
		return "" // cheap test first: most pages never say it
	}
	text := mainText(p)
	if utf8.RuneCountInString(text) > softMax {
		return ""
	}
	for _, w := range notFound {
		if strings.Contains(text, w) {
			return "页面返回 HTTP 200，但内容为“" + page.Clip(excerptAround(text, w, 20), 60) + "”，实为“页面不存在”提示（软 404）"
		}
	}
	return ""
}

// maxNotFoundExtra is how many runes a title segment may hold besides a
// not-found phrase (对不起，页面不存在！): a longer one names something else
// (政府信息不存在告知书（样本）, the 告知书 of 条例第三十六条).
const maxNotFoundExtra = 6

// titleSaysNotFound reports whether a segment of a title (split at the
// separators that join a page's name to the site's: - _ | — ｜ ·) is a
// not-found phrase and little else.
func titleSaysNotFound(title string, notFound []string) bool {
	for _, seg := range titleSeparators.Split(title, -1) {
		seg = strings.TrimSpace(seg)
		for _, w := range notFound {
			if strings.Contains(seg, w) && utf8.RuneCountInString(seg)-utf8.RuneCountInString(w) <= maxNotFoundExtra {
				return true
			}
		}
	}
	return false
}

// titleSeparators split a page title into its page and site names.
var titleSeparators = regexp.MustCompile(`\s[-_|·]\s|[|｜—–_]|\s-|-\s|^-|-$`)

// lastHeader returns a field of the last response among exchanges, or "".
func lastHeader(exs []site.Exchange, key string) string {
	for i := len(exs) - 1; i >= 0; i-- {
		if r := exs[i].Response; r != nil {
			return r.Header.Get(key)
		}
	}
	return ""
}

// tryTime formats the time of a try in Beijing time.
func tryTime(t time.Time) string {
	return t.In(cndate.Shanghai).Format("01-02 15:04:05")
}

// carriers names the pages that carry a link for a finding's detail: the
// first three and how many in all ("，所在页面：A、B、C 等 5 个页面").
func carriers(from []string) string {
	if len(from) == 0 {
		return "（未找到链接所在页面）"
	}
	where := "，所在页面：" + strings.Join(from[:min(len(from), 3)], "、")
	if len(from) > 3 {
		where += fmt.Sprintf(" 等 %d 个页面", len(from))
	}
	return where
}

// linkPlace says where the pages carrying a link are: the entry page, or
// how deep below it the nearest one is.
func linkPlace(from []string, entryURL string, depth map[string]int) string {
	if len(from) == 0 {
		return ""
	}
	nearest := -1
	for _, u := range from {
		if u == entryURL {
			return "位于入口页"
		}
		if d, ok := depth[u]; ok && (nearest < 0 || d < nearest) {
			nearest = d
		}
	}
	if nearest < 0 {
		return ""
	}
	return fmt.Sprintf("位于入口页下第 %d 层页面", nearest)
}

// capped keeps at most maxLinkFindings findings.
func capped(fs []Finding) []Finding {
	if len(fs) > maxLinkFindings {
		return fs[:maxLinkFindings]
	}
	return fs
}

// unsureFinding is the na finding of a link whose state the audit could not
// verify: the crawl's SSRF guard did not connect to it (the cause says how
// to let the audit reach it, crawl.allow_networks), or the site turned the
// crawler away.
func unsureFinding(u, why, text string, from []string, ev Evidence) Finding {
	label := ""
	if text != "" {
		label = "“" + page.Clip(text, 40) + "”"
	}
	return Finding{Subject: u, Status: NA, URL: u, Looked: sortedUnique(from), Evidence: ev,
		Detail: fmt.Sprintf("链接%s未能核实：%s", label, why)}
}

// brokenFinding is the failing finding of one broken URL.
func brokenFinding(u, why, text string, from []string, place string, ev Evidence) Finding {
	from = sortedUnique(from)
	where := carriers(from)
	if len(from) > 0 && place != "" {
		where = "；" + place + where
	}
	label := ""
	if text != "" {
		label = "“" + page.Clip(text, 40) + "”"
		ev.Excerpt = "链接文字：" + page.Clip(text, 100)
	}
	return Finding{Subject: u, Status: Fail, URL: u, Looked: from, Evidence: ev,
		Detail: fmt.Sprintf("链接%s无法正常访问：%s%s", label, why, where)}
}

func httpWhy(status int) string {
	if text := http.StatusText(status); text != "" {
		return fmt.Sprintf("返回 HTTP %d %s", status, text)
	}
	return fmt.Sprintf("返回 HTTP %d", status)
}

// wafStatus reports whether a status is one firewalls and anti-bot gateways
// answer a refused client with, so that its page is read for their words:
// 403, and the 400/405/406/418/444/493 and 5xx (501, 503, 514, 520–530:
// Cloudflare, 加速乐's 521) some of them use. 404 and 410 say a page is gone.
func wafStatus(status int) bool {
	switch status {
	case 400, 403, 405, 406, 418, 444, 493, 501, 503, 514, 555:
		return true
	}
	return status >= 520 && status <= 530
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
