package checks

import (
	"bytes"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"

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
// platform that answers), a description of the online route (网上申请,
// 互联网申请, 数据电文 ...) on a page that gives its address or link, or an
// e-mail address — 条例第二十九条 accepts 数据电文, and the detail says so. Paper:
// 信函申请 / 邮寄 / 信封左下角注明 ... / 当面申请 / 现场申请. A route withdrawn in
// the same breath (网上申请暂未开通) does not count.
//
// pass: both routes. fail: either missing (the detail names it), or neither
// an apply column nor a guide exists. na: the entry page could not be
// fetched, or the pages that would tell were never fetched.
func ChannelApply(s *site.Snapshot, env Env) []Finding {
	entry := s.EntryPage()
	if !entry.OK() {
		return []Finding{{Subject: "apply", Status: NA, URL: s.Entry, Detail: "入口页无法访问，无法检查依申请公开渠道"}}
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
		flat := compact(body)
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
			Detail: "依申请公开栏目的“" + clip(unread, 20) + "”页面未抓取，无法判断是否提供" + map[bool]string{true: "网上申请", false: "纸质申请"}[online == nil] + "途径"}}
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

// applyForm describes the page's application form, or "" when it has none:
// a <form> with at least two fields to fill that is not a search box.
func applyForm(p *site.Page) string {
	if !bytes.Contains(bytes.ToLower(p.HTML()), []byte("<form")) {
		return ""
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(p.HTML()))
	if err != nil {
		return ""
	}
	what := ""
	doc.Find("form").EachWithBreak(func(_ int, f *goquery.Selection) bool {
		action, _ := f.Attr("action")
		if strings.Contains(strings.ToLower(action), "search") {
			return true
		}
		fields := f.Find("textarea, select").Length()
		f.Find("input").Each(func(_ int, in *goquery.Selection) {
			switch t, _ := in.Attr("type"); strings.ToLower(t) {
			case "", "text", "email", "tel", "number", "date", "file", "radio", "checkbox":
				fields++
			}
		})
		if fields >= 2 {
			what = "网上申请表单（" + pageURL(p) + "）"
			return false
		}
		return true
	})
	return what
}

// onlineLink returns a link of the page whose text names an online form or
// platform and whose target does not answer with an error.
func onlineLink(s *site.Snapshot, p *site.Page, words []string) (site.Link, bool) {
	for _, l := range p.Links {
		t := normText(l.Text)
		if t == "" || utf8.RuneCountInString(t) > 24 || !containsAny(t, words) || containsAny(t, []string{"须知", "指南", "说明", "流程"}) {
			continue
		}
		if q := s.Page(l.URL); q != nil && !q.OK() {
			continue
		}
		if pr := probeOf(s, l.URL); pr != nil && !probeOK(pr) {
			continue
		}
		return l, true
	}
	return site.Link{}, false
}

// routePlace matches where a described online route is reached: the site,
// a column or menu of it, a platform, a form page, an address. 申请人可登录本网站
// “依申请公开”栏目在线提交 says where; 网上申请 alone, with the portal's address
// elsewhere on the page, does not.
var routePlace = regexp.MustCompile(`网站|网页|页面|栏目|专栏|专区|系统|平台|入口|门户|左侧|右侧|下方|上方|本页|链接|网址|邮箱|电子邮件|(?i:https?://|www\.)`)

// applySentenceEnd splits a text into sentences.
var applySentenceEnd = regexp.MustCompile(`[。；;！!？?]`)

// describedOnlineRoute returns the online route word of a sentence that also
// says where the route is reached (routePlace, an e-mail address, a web
// address), and that place; "" when no sentence does.
func describedOnlineRoute(blocks []string, words, negate []string) (word, where string) {
	var sents []string
	for _, b := range blocks {
		// A run-in heading (（3）互联网申请。申请人可…) belongs to the
		// sentence after it.
		head := ""
		for _, sent := range applySentenceEnd.Split(b, -1) {
			if utf8.RuneCountInString(compact(sent)) <= 12 {
				head += sent + " "
				continue
			}
			sents = append(sents, head+sent)
			head = ""
		}
		if head != "" {
			sents = append(sents, head)
		}
	}
	for _, sent := range sents {
		flat := compact(sent)
		w := routeWord(flat, words, negate)
		if w == "" {
			continue
		}
		// 网上申请系统升级改造，暂未开通: withdrawn later in its sentence.
		if i := strings.Index(flat, compact(w)); i >= 0 && containsAny(flat[i:], negate) {
			continue
		}
		if e := gtEmailRE.FindString(sent); e != "" {
			return w, "电子邮箱 " + e
		}
		// The place must be other than the route word itself (网上申请系统
		// names a system; 网上申请 names nothing).
		rest := strings.Replace(flat, compact(w), "", 1)
		if m := routePlace.FindString(rest); m != "" {
			return w, "“" + clip(excerptAround(flat, m, 40), 40) + "”"
		}
	}
	return "", ""
}

// goLinkText matches the texts of links that only say "go there": 点击进入,
// 点此, 入口 — a route when their line describes an online route
// (网上申请：点击进入).
var goLinkText = regexp.MustCompile(`^(点击|点此|请点击|单击)?(进入|这里|此处|申请|链接|入口|办理)?$|^立即申请$|^进入系统$`)

// routeLinkInSentence returns a "go there" link whose own line names an
// online route word, and whose target does not answer with an error.
func routeLinkInSentence(s *site.Snapshot, p *site.Page, words, negate []string) (site.Link, bool) {
	for _, l := range pageLinks(p) {
		t := normText(l.Text)
		if t == "" || l.Chrome || !goLinkText.MatchString(t) || l.Context == "" {
			continue
		}
		if routeWord(compact(l.Context), words, negate) == "" || containsAny(compact(l.Context), negate) {
			continue
		}
		if q := s.Page(l.URL); q != nil && !q.OK() {
			continue
		}
		if pr := probeOf(s, l.URL); pr != nil && !probeOK(pr) {
			continue
		}
		return site.Link{URL: l.URL, Text: l.Text}, true
	}
	return site.Link{}, false
}

// applyBlocks returns the text blocks of a route page (chrome and form
// choices removed), a short heading joined to the block after it
// (一、网上申请 + 申请人可登录本网站…): a sentence never runs from one
// paragraph into the next.
func applyBlocks(p *site.Page) []string {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(formFields.ReplaceAll(p.HTML(), nil)))
	if err != nil {
		return nil
	}
	stripChrome(doc)
	var out []string
	head := ""
	for _, seg := range segmentsOf(doc) {
		if seg == "" {
			continue
		}
		if utf8.RuneCountInString(seg) <= 12 && !applySentenceEnd.MatchString(seg) {
			head += seg + " "
			continue
		}
		out = append(out, head+seg)
		head = ""
	}
	if head != "" {
		out = append(out, head)
	}
	return out
}

// routeWord returns the first of words in the compacted text that is not
// withdrawn by a negation close to it, or "".
func routeWord(flat string, words, negate []string) string {
	for _, w := range words {
		w = compact(w)
		if w == "" {
			continue
		}
		for from := 0; ; {
			i := strings.Index(flat[from:], w)
			if i < 0 {
				break
			}
			i += from
			if !negated(flat, i, len(w), negate) && !notARoute(flat, i, w) {
				return w
			}
			from = i + len(w)
		}
	}
	return ""
}

// negated reports whether the route word at flat[i:i+n] is withdrawn: a
// negation among the 8 runes before it or the 10 after it.
func negated(flat string, i, n int, negate []string) bool {
	before := lastRunes(flat[:i], 8)
	after := firstRunes(flat[i+n:], 10)
	for _, w := range negate {
		if w == "" {
			continue
		}
		if strings.Contains(before, w) || strings.Contains(after, w) {
			return true
		}
	}
	return false
}

// notARoute reports whether a route word names no way of applying: 邮政编码,
// 邮寄等费用 (the 2008 cost fees), and the ways the information is delivered
// (获取信息的方式：邮寄、电子邮件; 答复书以邮寄方式送达), which application
// forms and guides list beside the routes.
func notARoute(flat string, i int, w string) bool {
	rest := flat[i:]
	if strings.HasPrefix(rest, "邮政编码") || strings.HasPrefix(rest, "邮寄等") || strings.HasPrefix(rest, "邮寄费") {
		return true
	}
	before := lastRunes(flat[:i], 15)
	after := firstRunes(flat[i+len(w):], 6)
	return containsAny(before, deliveryWords) || strings.Contains(after, "送达")
}

// deliveryWords introduce how information is delivered, not how one applies.
var deliveryWords = []string{"获取信息", "获取方式", "获取政府信息的方式", "提供方式", "提供形式", "提供政府信息的", "信息的方式", "载体形式", "领取", "送达", "答复方式"}

// formFields matches the select boxes of an application form, whose options
// (邮寄, 电子邮件, 自行领取) are delivery choices, not routes.
var formFields = regexp.MustCompile(`(?is)<select.*?</select>|<option.*?</option>`)

// applyText is the body text of a route page without its form's choices.
func applyText(p *site.Page) string {
	if !formFields.Match(p.HTML()) {
		return bodyText(p)
	}
	q := *p
	q.Body = formFields.ReplaceAll(p.HTML(), nil)
	return bodyText(&q)
}

func lastRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		r = r[len(r)-n:]
	}
	return string(r)
}

func firstRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		r = r[:n]
	}
	return string(r)
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
