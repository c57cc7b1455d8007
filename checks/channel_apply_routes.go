package checks

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"gkaudit/page"
	"gkaudit/site"
)

// This file holds how channel.apply reads the application routes on a page:
// forms, route links, described routes with where they are reached, and the
// words that withdraw a route or only say how information is delivered.

// applyForm describes the page's application form, or "" when it has none:
// a <form> with at least two fields to fill that is not a search box.
func applyForm(p *site.Page) string {
	for _, f := range viewOf(p).Forms {
		if !strings.Contains(strings.ToLower(f.Action), "search") && f.Fields >= 2 {
			return "网上申请表单（" + pageURL(p) + "）"
		}
	}
	return ""
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
			if utf8.RuneCountInString(page.Compact(sent)) <= 12 {
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
		flat := page.Compact(sent)
		w := routeWord(flat, words, negate)
		if w == "" {
			continue
		}
		// 网上申请系统升级改造，暂未开通: withdrawn later in its sentence.
		if i := strings.Index(flat, page.Compact(w)); i >= 0 && containsAny(flat[i:], negate) {
			continue
		}
		if e := gtEmailRE.FindString(sent); e != "" {
			return w, "电子邮箱 " + e
		}
		// The place must be other than the route word itself (网上申请系统
		// names a system; 网上申请 names nothing).
		rest := strings.Replace(flat, page.Compact(w), "", 1)
		if m := routePlace.FindString(rest); m != "" {
			return w, "“" + page.Clip(excerptAround(flat, m, 40), 40) + "”"
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
		if routeWord(page.Compact(l.Context), words, negate) == "" || containsAny(page.Compact(l.Context), negate) {
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
	v := viewOf(p)
	if v.LinesWhole {
		return nil // the content has no text of its own
	}
	lines := v.Lines
	if v.Choices { // a form's options (邮寄, 电子邮件, 自行领取) are delivery choices, not routes
		lines = v.FormLines
	}
	var out []string
	head := ""
	for _, seg := range lines {
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
		w = page.Compact(w)
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

// applyText is the body text of a route page without its form's choices
// (page.View.FormText).
func applyText(p *site.Page) string {
	if v := viewOf(p); v.Choices {
		return v.FormText
	}
	return bodyText(p)
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
