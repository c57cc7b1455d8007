package checks

import (
	"bytes"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"gkaudit/page"
	"gkaudit/site"
)

// LinkSuspiciousRule is the source of link.suspicious.
const LinkSuspiciousRule = "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》单项否决指标“严重错误”：发布或链接反动、暴力、色情等内容；网站被挂马、内容被篡改（暗链）；北仑区考核指标“政府网站”：栏目日常更新维护及时、有效"

// Term keys of link.suspicious.
const (
	suspiciousWordsKey   = "link.suspicious.words"
	suspiciousCounterKey = "link.suspicious.counter_words"
	suspiciousTrustedKey = "link.suspicious.trusted_hosts"
	suspiciousGenericKey = "link.suspicious.generic_title_words"
)

// linkSuspiciousTerms are the defaults. The words are those of the gambling
// and porn pages that expired domains and 暗链 lead to; counter words are
// what a government page writing about them puts just before them (严厉打击
// 六合彩, 查处赌场). Trusted hosts are registries a domain cannot be bought
// from (gov.cn, the 党政机关 registry) and the statistics services whose
// 站长统计 links sites hide (cnzz.com, 51.la): a hidden link to them is a
// menu or a counter, not a 暗链, and they are not taken over by expiry.
var linkSuspiciousTerms = map[string][]string{
	suspiciousWordsKey: {"博彩", "娱乐城", "棋牌", "赌场", "六合彩", "百家乐", "真人视讯", "老虎机", "时时彩", "赌博", "网上赌",
		"澳门新葡京", "威尼斯人", "太阳城", "皇冠体育", "足球投注", "色情", "成人视频", "成人影院", "裸聊", "一夜情"},
	suspiciousCounterKey: {"打击", "查处", "整治", "取缔", "严禁", "禁止", "远离", "拒绝", "防范", "举报", "治理", "非法", "违法", "涉赌", "扫黄", "警惕", "反对", "植入", "黑客", "网警"},
	suspiciousTrustedKey: {"gov.cn", "gov", "mil.cn", "conac.cn", "政务", "公益",
		// statistics and error-report services whose links sit in hidden boxes
		"cnzz.com", "51.la", "baidu.com", "umeng.com", "kaipuyun.cn", "12377.cn"},
	suspiciousGenericKey: {"欢迎访问", "欢迎光临", "官方网站", "门户网站", "网站首页", "首页", "主页", "官网", "网站"},
}

// hideMarkers pre-filter the pages worth parsing for hidden links: every
// way of hiding styleHides and hiddenHow know needs one of them (none,
// hidden, an offset of -500 or beyond (not "-8": utf-8), text-indent, font-size, a marquee,
// opacity, a background colour, a zero width or height).
var hideMarkers = [][]byte{[]byte("none"), []byte("hidden"), []byte("-9"), []byte("-5"), []byte("-6"), []byte("-7"), []byte("-80"),
	[]byte("-1000"), []byte("-2000"), []byte("-3000"), []byte("-4000"), []byte("-100"), []byte("indent"), []byte("font-size"),
	[]byte("marquee"), []byte("opacity"), []byte("background"), []byte("height:0"), []byte("width:0"), []byte("height: 0"),
	[]byte("width: 0"), []byte("height:1px"), []byte("width:1px"), []byte("height=\"1"), []byte("width=\"1"), []byte("height=\"0"), []byte("width=\"0")}

// LinkSuspicious (link.suspicious) reports the links that put the site at
// risk of the 单项否决 for 发布或链接反动、暴力、色情等内容 and 内容被篡改:
//
//   - a link hidden from readers (暗链) that leads off the unit's hosts: the
//     link or an element around it styled display:none, visibility:hidden,
//     opacity:0, zero width and height, font-size:0, positioned or indented
//     off screen (left:-9999px, top:-999px, text-indent:-9999px), in the same
//     colour as its background, or hidden by a class or id rule of the
//     page's <style>; a 1-pixel <marquee>; the hidden attribute. Not: links
//     to the unit's own hosts or another unit's (skip links, hidden menus),
//     links to trusted registries (gov.cn), and elements the page's own
//     scripts or :hover rules show (drop-down menus);
//   - an outbound link whose landing page (site.Landing: title and text
//     sample the crawl keeps) carries gambling or porn words: one in the
//     title, or two different ones in the text, not preceded by a counter
//     word (严厉打击六合彩 is news, not a casino); a trusted host only by
//     its title;
//   - an outbound link whose landing page's title changed from the one an
//     earlier run saw (site.Landing.EarlierTitle) to one unrelated to both
//     the old title and the link text, while the old title matched the link
//     text: the domain expired and was taken over.
//
// fail: one finding per link (Subject the link, URL the first page carrying
// it, Looked every page carrying it), each reason in the detail. pass: one
// finding (Subject "links") saying what was looked at. na: the entry page
// did not open, or no crawled page has a single link.
func LinkSuspicious(s *site.Snapshot, env Env) []Finding {
	entry := s.EntryPage()
	if !entry.OK() {
		return []Finding{{Subject: "links", Status: NA, URL: s.Entry, Looked: []string{s.Entry},
			Detail: "入口页无法访问，无法检查隐藏链接和外部链接内容"}}
	}
	words := env.Terms(suspiciousWordsKey, linkSuspiciousTerms[suspiciousWordsKey])
	counter := env.Terms(suspiciousCounterKey, linkSuspiciousTerms[suspiciousCounterKey])
	trusted := env.Terms(suspiciousTrustedKey, linkSuspiciousTerms[suspiciousTrustedKey])
	generic := env.Terms(suspiciousGenericKey, linkSuspiciousTerms[suspiciousGenericKey])
	own := ownHosts(s, env)
	// A site's pages repeat the same links: each URL is parsed once.
	outsideOf := map[string]bool{}
	outside := func(u string) bool {
		o, ok := outsideOf[u]
		if !ok {
			h := strings.ToLower(hostOf(u))
			o = h != "" && !own[h] && !trustedHost(h, trusted)
			outsideOf[u] = o
		}
		return o
	}
	external := map[string]bool{}
	for _, pr := range s.Probes {
		if pr.External && pr.Landing != nil {
			external[pr.URL] = true
		}
	}

	type hit struct {
		pages   []string
		text    string
		reasons []string
		ev      Evidence
	}
	hits := map[string]*hit{}
	var order []string
	add := func(link, reason string, ev Evidence) *hit {
		h := hits[link]
		if h == nil {
			h = &hit{ev: ev}
			hits[link] = h
			order = append(order, link)
		}
		h.reasons = append(h.reasons, reason)
		return h
	}

	// Pages carrying each outside or probed link, with its text.
	refs := map[string][]struct{ page, text string }{}
	parsed, links := 0, 0
	for _, p := range s.Pages {
		if !p.OK() || !hasBody(p) {
			continue
		}
		links += len(p.Links)
		candidates := map[string]bool{}
		for _, l := range p.Links {
			out := outside(l.URL)
			if out || external[l.URL] {
				refs[l.URL] = append(refs[l.URL], struct{ page, text string }{pageURL(p), l.Text})
			}
			if out {
				candidates[l.URL] = true
			}
		}
		if len(candidates) == 0 || !hasHideMarker(p.HTML()) {
			continue
		}
		parsed++
		for _, hl := range hiddenLinks(p, candidates) {
			h := add(hl.url, "隐藏链接（暗链，"+hl.how+"）", evidence(p, "隐藏的链接“"+page.Clip(hl.text, 40)+"”指向 "+hl.url))
			h.pages = append(h.pages, pageURL(p))
		}
	}

	landings := 0
	for _, pr := range s.Probes {
		l := pr.Landing
		if !pr.External || l == nil {
			continue
		}
		landings++
		host := strings.ToLower(hostOf(pr.URL))
		ev := Evidence{URL: pr.URL, FetchedAt: pr.FetchedAt, HTTPStatus: pr.Status,
			Excerpt: page.Clip("落地页标题：“"+l.Title+"”；内容："+l.Text, 200)}
		if w := spamWords(l.Title, words, counter); len(w) > 0 {
			add(pr.URL, "链接到的页面标题含“"+strings.Join(w, "、")+"”等赌博、色情内容", ev)
		} else if w := spamWords(l.Text, words, counter); len(w) >= 2 && !trustedHost(host, trusted) {
			add(pr.URL, "链接到的页面含“"+strings.Join(w, "、")+"”等赌博、色情内容", ev)
		}
		if why := takenOver(pr, refs[pr.URL], generic, trusted); why != "" {
			add(pr.URL, why, ev)
		}
	}

	if len(order) == 0 && links == 0 && len(s.Probes) == 0 {
		// A page without a single link is no page whose links are fine.
		return []Finding{{Subject: "links", Status: NA, URL: s.Entry, Looked: []string{pageURL(entry)}, Evidence: evidence(entry, ""),
			Detail: "入口页上没有找到链接（页面可能为空，或链接由脚本生成），无法检查隐藏链接和外部链接；请在浏览器中打开入口页核实"}}
	}
	if len(order) == 0 {
		return []Finding{{Subject: "links", Status: Pass, URL: pageURL(entry), Evidence: evidence(entry, ""),
			Detail: fmt.Sprintf("未发现隐藏的外部链接（检查 %d 个含外部链接的页面），%d 个外部链接的落地页未见赌博、色情内容或域名易主迹象", parsed, landings)}}
	}
	var out []Finding
	for _, link := range order {
		h := hits[link]
		text := ""
		for _, r := range refs[link] {
			h.pages = append(h.pages, r.page)
			if text == "" {
				text = r.text
			}
		}
		from := sortedUnique(h.pages)
		where := carriers(from)
		at := link
		if len(from) > 0 {
			at = from[0]
		}
		label := ""
		if text != "" {
			label = "“" + page.Clip(text, 40) + "”"
		}
		out = append(out, Finding{Subject: link, Status: Fail, URL: at, Looked: from, Evidence: h.ev,
			Detail: fmt.Sprintf("可疑链接%s（%s）：%s%s。请立即删除该链接并排查页面是否被篡改", label, link, strings.Join(sortedUnique(h.reasons), "；"), where)})
	}
	return capped(out)
}

// ownHosts are the hosts of the unit (entry, where it redirected) and of
// every configured unit, lower-cased.
func ownHosts(s *site.Snapshot, env Env) map[string]bool {
	own := map[string]bool{}
	for _, u := range []string{s.Entry, pageURL(s.EntryPage())} {
		if h := hostOf(u); h != "" {
			own[strings.ToLower(h)] = true
		}
	}
	if env.Config != nil {
		for _, u := range env.Config.Units {
			if h := hostOf(u.URL); h != "" {
				own[strings.ToLower(h)] = true
			}
		}
	}
	return own
}

// trustedHost reports whether host is, or is under, one of the trusted
// suffixes (gov.cn: www.zj.gov.cn).
func trustedHost(host string, trusted []string) bool {
	if h, _, err := splitHostPort(host); err == nil {
		host = h
	}
	for _, t := range trusted {
		t = strings.ToLower(strings.Trim(t, ". "))
		if t != "" && (host == t || strings.HasSuffix(host, "."+t)) {
			return true
		}
	}
	return false
}

func splitHostPort(h string) (string, string, error) {
	i := strings.LastIndex(h, ":")
	if i < 0 || strings.Contains(h[i:], "]") {
		return h, "", nil
	}
	if _, err := strconv.Atoi(h[i+1:]); err != nil {
		return h, "", err
	}
	return h[:i], h[i+1:], nil
}

func hasHideMarker(body []byte) bool {
	for _, m := range hideMarkers {
		if bytes.Contains(body, m) {
			return true
		}
	}
	return false
}

// spamWords returns the words found in text that no counter word precedes
// (within 8 characters), each once.
func spamWords(text string, words, counter []string) []string {
	var out []string
	for _, w := range words {
		if w == "" {
			continue
		}
		rest := text
		for {
			i := strings.Index(rest, w)
			if i < 0 {
				break
			}
			// A counter word earlier in the same sentence (开展整治网站被
			// 植入博彩暗链专项行动): up to 24 characters back, not past 。！？.
			before := []rune(rest[:i])
			win := string(before[max(0, len(before)-24):])
			if k := strings.LastIndexAny(win, "。！？!?\n"); k >= 0 {
				win = win[k:]
			}
			if !containsAny(win+w, counter) { // 涉赌 in 涉赌博
				out = append(out, w)
				break
			}
			rest = rest[i+len(w):]
		}
	}
	return out
}

// takenOver says why a landing page looks like a taken-over domain, or "".
func takenOver(pr site.Probe, refs []struct{ page, text string }, generic, trusted []string) string {
	l := pr.Landing
	if l.EarlierTitle == "" || trustedHost(strings.ToLower(hostOf(pr.URL)), trusted) {
		return ""
	}
	now, before := titleKey(l.Title, generic), titleKey(l.EarlierTitle, generic)
	if len([]rune(now)) < 2 || now == before || related(now, before) {
		return ""
	}
	for _, r := range refs {
		text := titleKey(r.text, generic)
		if len([]rune(text)) < 2 || !related(before, text) || related(now, text) {
			continue
		}
		why := "链接到的网站已易主：页面标题由“" + page.Clip(l.EarlierTitle, 30) + "”变为“" + page.Clip(l.Title, 30) + "”，与链接文字不再相符"
		if fh, lh := hostOf(l.FinalURL), hostOf(pr.URL); fh != "" && !strings.EqualFold(fh, lh) {
			why += "，并跳转至 " + fh
		}
		return why
	}
	return ""
}

// titleKey is a title or link text without generic words, punctuation and
// spaces, for comparing what a page is about.
func titleKey(s string, generic []string) string {
	for _, g := range generic {
		if g != "" {
			s = strings.ReplaceAll(s, g, "")
		}
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, s)
}

// related reports whether two keys share a run of at least two characters.
func related(a, b string) bool {
	return longestCommon([]rune(a), []rune(b)) >= 2
}

// hiddenLink is a link hidden from readers.
type hiddenLink struct{ url, text, how string }

// hiddenLinks returns the candidate links of a page that are hidden from
// readers, each once, with how they are hidden.
func hiddenLinks(p *site.Page, candidates map[string]bool) []hiddenLink {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(p.HTML()))
	if err != nil {
		return nil
	}
	base, _ := url.Parse(pageURL(p))
	var css strings.Builder
	doc.Find("style").Each(func(_ int, st *goquery.Selection) { css.WriteString(st.Text()) })
	rules := parseHideRules(css.String())
	// What the page's scripts and event handlers name: an element they
	// reference is shown by them (a drop-down menu).
	var js strings.Builder
	doc.Find("script").Each(func(_ int, sc *goquery.Selection) { js.WriteString(sc.Text()) })
	doc.Find("*").Each(func(_ int, el *goquery.Selection) {
		for _, a := range el.Nodes[0].Attr {
			if strings.HasPrefix(strings.ToLower(a.Key), "on") {
				js.WriteString(a.Val)
				js.WriteByte(' ')
			}
		}
	})
	scripts := js.String()
	var out []hiddenLink
	seen := map[string]bool{}
	doc.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		u := page.Resolve(base, href)
		if !candidates[u] || seen[u] {
			return
		}
		if how := hiddenHow(a.Nodes[0], rules, scripts); how != "" {
			seen[u] = true
			out = append(out, hiddenLink{url: u, text: page.Collapse(a.Text()), how: how})
		}
	})
	return out
}

// hideRules are the class and id selectors a page's <style> hides, and
// those some rule shows again (:hover menus).
type hideRules struct{ hidden, shown map[string]string }

var cssRule = regexp.MustCompile(`([^{}]+)\{([^{}]*)\}`)

// parseHideRules reads the simple rules of a style sheet whose last
// compound selector names a class or an id (.links a is not one: it styles
// the links, the rule for .links hides them).
func parseHideRules(css string) hideRules {
	r := hideRules{hidden: map[string]string{}, shown: map[string]string{}}
	for _, m := range cssRule.FindAllStringSubmatch(css, -1) {
		how := styleHides(m[2])
		shows := styleShows(m[2])
		if how == "" && !shows {
			continue
		}
		for _, sel := range strings.Split(m[1], ",") {
			f := strings.Fields(strings.TrimSpace(sel))
			if len(f) == 0 {
				continue
			}
			last := f[len(f)-1]
			pseudo := strings.Contains(sel, ":")
			for _, tok := range selectorTokens(last) {
				switch {
				case shows || pseudo:
					r.shown[tok] = "shown"
				case how != "":
					r.hidden[tok] = how
				}
			}
		}
	}
	return r
}

var selectorToken = regexp.MustCompile(`[.#][A-Za-z0-9_-]+`)

// selectorTokens returns the .class and #id parts of a compound selector.
func selectorTokens(sel string) []string { return selectorToken.FindAllString(sel, -1) }

// styleShows reports whether declarations make an element visible.
func styleShows(decls string) bool {
	d := declarations(decls)
	switch d["display"] {
	case "block", "inline", "inline-block", "flex", "list-item", "table", "grid":
		return true
	}
	return d["visibility"] == "visible"
}

// declarations parses "a:b;c:d" into lower-cased, space-free values.
func declarations(s string) map[string]string {
	out := map[string]string{}
	for _, d := range strings.Split(s, ";") {
		k, v, ok := strings.Cut(d, ":")
		if !ok {
			continue
		}
		v = strings.TrimSuffix(strings.TrimSpace(strings.ToLower(v)), "!important")
		out[strings.TrimSpace(strings.ToLower(k))] = strings.ReplaceAll(strings.TrimSpace(v), " ", "")
	}
	return out
}

// styleHides says how declarations hide an element, or "".
func styleHides(decls string) string {
	d := declarations(decls)
	switch {
	case d["display"] == "none":
		return "display:none"
	case d["visibility"] == "hidden":
		return "visibility:hidden"
	case d["opacity"] == "0":
		return "opacity:0"
	case zeroLength(d["font-size"]):
		return "font-size:0"
	case zeroLength(d["width"]) && zeroLength(d["height"]), (zeroLength(d["height"]) || zeroLength(d["width"])) && d["overflow"] == "hidden":
		return "尺寸为0"
	}
	if d["position"] == "absolute" || d["position"] == "fixed" {
		for _, k := range []string{"left", "top", "right", "bottom", "margin-left", "margin-top"} {
			if offScreen(d[k]) {
				return "定位于页面之外（" + k + ":" + d[k] + "）"
			}
		}
	}
	if offScreen(d["text-indent"]) {
		return "text-indent:" + d["text-indent"]
	}
	return ""
}

var lengthRE = regexp.MustCompile(`^(-?[0-9.]+)(px|pt|em|rem|%)?$`)

// zeroLength reports whether a CSS length is 0 or 1px.
func zeroLength(v string) bool {
	m := lengthRE.FindStringSubmatch(v)
	if m == nil {
		return false
	}
	f, err := strconv.ParseFloat(m[1], 64)
	return err == nil && f >= 0 && (f == 0 || f <= 1 && (m[2] == "px" || m[2] == ""))
}

// offScreen reports whether a CSS offset moves an element out of sight
// (-999px, -9999px, -100em).
func offScreen(v string) bool {
	m := lengthRE.FindStringSubmatch(v)
	if m == nil {
		return false
	}
	f, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		return false
	}
	if m[2] == "em" || m[2] == "rem" {
		f *= 16
	}
	return f <= -500
}

// hiddenHow walks from a link up to the document and says how it is hidden,
// or "". An element hidden by a rule that some :hover rule or script shows
// again is a menu, not hidden.
func hiddenHow(n *html.Node, rules hideRules, scripts string) string {
	color, bg := "", ""
	for e := n; e != nil && e.Type == html.ElementNode; e = e.Parent {
		style, id, class := "", "", ""
		for _, a := range e.Attr {
			switch strings.ToLower(a.Key) {
			case "style":
				style = a.Val
			case "id":
				id = a.Val
			case "class":
				class = a.Val
			case "hidden":
				if !toggled(id, class, rules, scripts) {
					return "hidden 属性"
				}
			}
		}
		if e.Data == "marquee" {
			for _, a := range e.Attr {
				if k := strings.ToLower(a.Key); (k == "height" || k == "width") && zeroLength(strings.TrimSpace(a.Val)) {
					return "1像素滚动框"
				}
			}
		}
		if how := styleHides(style); how != "" && !toggled(id, class, rules, scripts) && !dropdown(e, scripts) {
			return how
		}
		d := declarations(style)
		if color == "" {
			color = normColor(d["color"])
		}
		if bg == "" {
			bg = normColor(d["background-color"])
			if bg == "" {
				bg = normColor(d["background"])
			}
		}
		if color != "" && bg != "" {
			if color == bg {
				return "文字颜色与背景相同"
			}
			color = "\x00" // compared once, with the nearest background
		}
		for _, tok := range append(selectorTokens("#"+id), classTokens(class)...) {
			if how := rules.hidden[tok]; how != "" && !toggled(id, class, rules, scripts) {
				return how + "（样式 " + tok + "）"
			}
		}
	}
	return ""
}

func classTokens(class string) []string {
	var out []string
	for _, c := range strings.Fields(class) {
		out = append(out, "."+c)
	}
	return out
}

// showCall matches a script that shows hidden elements: jQuery's show,
// slideDown, fadeIn, toggle, or a style.display set to block.
var showCall = regexp.MustCompile(`\.(show|slideDown|fadeIn|toggle|slideToggle|fadeToggle)\s*\(|\.display\s*=\s*["']block`)

// dropdown reports whether e is a sub-menu a script opens: a list or box
// inside a list item (友情链接 ▸ ul) on a page whose scripts show hidden
// elements ($(this).children("ul").show()), named by tag rather than class.
func dropdown(e *html.Node, scripts string) bool {
	switch e.Data {
	case "ul", "ol", "dl", "div":
	default:
		return false
	}
	return e.Parent != nil && e.Parent.Type == html.ElementNode && (e.Parent.Data == "li" || e.Parent.Data == "dd") && showCall.MatchString(scripts)
}

// toggled reports whether an element is shown by a :hover or display rule
// or named by the page's scripts: a menu that opens, not a hidden link.
func toggled(id, class string, rules hideRules, scripts string) bool {
	if id != "" && (rules.shown["#"+id] != "" || strings.Contains(scripts, id)) {
		return true
	}
	for _, c := range strings.Fields(class) {
		if rules.shown["."+c] != "" || len(c) > 2 && strings.Contains(scripts, c) {
			return true
		}
	}
	return false
}

var namedColors = map[string]string{"white": "#ffffff", "black": "#000000", "red": "#ff0000", "#fff": "#ffffff", "#000": "#000000"}

// normColor normalises a CSS colour (#FFF, white, #ffffff); "" when none.
func normColor(v string) string {
	if v == "" {
		return ""
	}
	f := strings.Fields(strings.ReplaceAll(v, ",", " "))
	if len(f) == 0 {
		return ""
	}
	c := strings.ToLower(f[0])
	if n, ok := namedColors[c]; ok {
		return n
	}
	if len(c) == 4 && c[0] == '#' {
		return "#" + string([]byte{c[1], c[1], c[2], c[2], c[3], c[3]})
	}
	if strings.HasPrefix(c, "#") || strings.HasPrefix(c, "rgb") {
		return c
	}
	return ""
}
