package checks

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

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
		if len(candidates) == 0 {
			continue // nothing leaves the site: no need to read its view back
		}
		hidden := hiddenLinks(p) // nil: the page holds no way of hiding
		if hidden == nil {
			continue
		}
		parsed++
		for _, hl := range hidden.Links {
			if !candidates[hl.URL] {
				continue
			}
			h := add(hl.URL, "隐藏链接（暗链，"+hl.How+"）", evidence(p, "隐藏的链接“"+page.Clip(hl.Text, 40)+"”指向 "+hl.URL))
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
