package checks

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"gkaudit/page"
	"gkaudit/site"
)

// NewmediaLinksRule is the source of newmedia.links.
const NewmediaLinksRule = "北仑区考核指标“政务新媒体（5分）”：建设、维护好本单位政务微博、微信；《政府信息公开条例》（2019）第二十三条：行政机关应当建立健全政府信息发布机制，将主动公开的政府信息通过政府公报、政府网站或者其他互联网政务媒体等途径予以公开"

// Term keys of newmedia.links.
const (
	newmediaWordsKey = "newmedia.links.words"
	newmediaHostsKey = "newmedia.links.hosts"
)

// newmediaLinksTerms are the default word lists, by term key.
var newmediaLinksTerms = map[string][]string{
	// Link texts, image alt/title texts and captions naming an account.
	newmediaWordsKey: {"政务微博", "官方微博", "政务微信", "官方微信", "微信公众号", "微信公众平台", "公众号", "微博", "微信", "政务新媒体"},
	// Addresses of the platforms, matched anywhere in a link's URL (redirect
	// wrappers included).
	newmediaHostsKey: {"weibo.com", "weibo.cn", "t.sina.com.cn", "mp.weixin.qq.com", "weixin.qq.com", "wx.qq.com"},
}

// qrImage matches image file names of QR codes and account icons.
var qrImage = regexp.MustCompile(`(?i)weixin|weibo|wechat|(^|[/_\-.])wx([_\-.\d]|$)|(^|[/_\-.])wb([_\-.\d]|$)|ewm|erweima|qrcode|qr[_\-.]|二维码`)

// maxNewmediaPages bounds the pages read.
const maxNewmediaPages = 60

// NewmediaLinks (newmedia.links) checks that the unit's pages lead to its
// 政务微博 / 政务微信 (rubric 政务新媒体: 建设、维护好本单位政务微博、微信).
//
// It reads the entry page, the unit's column pages (their template carries
// the unit's footer and side boxes) and its 政务新媒体 columns with the pages
// they link to. A sign is: a link to weibo.com / weibo.cn / mp.weixin.qq.com /
// weixin.qq.com; a link whose text names an account (政务微博, 官方微博,
// 政务微信, 微信公众号 ...); a QR code or account image whose alt/title or
// caption names one (扫一扫关注“…”官方微信); or a 政务新媒体 column page that
// names the accounts; an image whose own block, or the paragraph just before
// or after it, names an account (官方微信公众号：平潭发布 with the QR code in the
// next paragraph, as guides and 公开渠道 sections show them). Share buttons
// (分享到微信/微博) and a platform named in passing (通过政府网站、微信等渠道)
// are not accounts.
//
// On a district portal shared with other units, the portal's home page and
// its links belong to the district (北仑发布), not the unit: a sign whose link
// or image also appears on the portal's home page does not count. What
// counts is what the unit's own pages show, including a footer of the unit's
// template that names the unit's account.
//
// pass: a sign found (the detail says which and where). fail: none on the
// pages read. na: the entry page could not be fetched.
func NewmediaLinks(s *site.Snapshot, env Env) []Finding {
	entry := s.EntryPage()
	if !entry.OK() {
		return []Finding{entryUnreachable(s, "newmedia", "政务微博、微信链接")}
	}
	words := env.Terms(newmediaWordsKey, newmediaLinksTerms[newmediaWordsKey])
	hosts := env.Terms(newmediaHostsKey, newmediaLinksTerms[newmediaHostsKey])
	district := map[string]bool{}
	shared := sharedPortal(s, env)
	if home := portalHome(s); home != nil && shared {
		for _, sg := range newmediaSigns(home, words, hosts) {
			district[sg.ref] = true
		}
	}
	var looked []string
	seen := map[string]bool{}
	var pages []*site.Page
	add := func(p *site.Page) {
		if p == nil || !p.OK() || seen[pageURL(p)] || len(pages) >= maxNewmediaPages {
			return
		}
		seen[pageURL(p)] = true
		looked = append(looked, pageURL(p))
		pages = append(pages, p)
	}
	add(entry)
	for _, c := range s.ColumnsOf("newmedia") {
		p := s.Page(c.URL)
		if p == nil || !p.OK() || district[c.URL] {
			continue
		}
		if containsAny(page.Compact(bodyText(p)), []string{"微博", "微信", "公众号"}) {
			return []Finding{{Subject: "newmedia", Status: Pass, URL: pageURL(p), Looked: append(looked, pageURL(p)),
				Detail: "设有政务新媒体栏目“" + c.Name + "”，列出本单位政务微博/微信", Evidence: evidence(p, excerptAround(bodyText(p), "微", 120))}}
		}
		add(p)
		for _, l := range p.Links {
			if sameHost(l.URL, pageURL(p)) {
				add(s.Page(l.URL))
			}
		}
	}
	for _, c := range s.Columns {
		add(s.Page(c.URL))
	}
	var dropped []string
	for _, p := range pages {
		for _, sg := range newmediaSigns(p, words, hosts) {
			if district[sg.ref] {
				dropped = append(dropped, sg.what)
				continue
			}
			return []Finding{{Subject: "newmedia", Status: Pass, URL: pageURL(p), Looked: looked,
				Detail: "本单位页面提供政务新媒体入口：" + sg.what, Evidence: evidence(p, sg.what)}}
		}
	}
	f := Finding{Subject: "newmedia", Status: Fail, URL: s.Entry, Looked: looked, Evidence: evidence(entry, "")}
	f.Detail = "本单位信息公开页面未提供政务微博、政务微信的链接或二维码"
	if len(dropped) > 0 {
		f.Detail += "（页面模板中的“" + page.Clip(dropped[0], 40) + "”同见于门户首页，属区级门户而非本单位）"
	}
	return []Finding{f}
}

// newmediaSign is one link or image that leads to an account.
type newmediaSign struct {
	ref  string // the link's URL or the image's src, resolved
	what string // description for the detail
}

// newmediaSigns returns the links and images of a page (outside share
// widgets: page.Media) that lead to a 政务微博 / 微信 account.
func newmediaSigns(p *site.Page, words, hosts []string) []newmediaSign {
	m := viewOf(p).Media
	if m == nil {
		return nil
	}
	var out []newmediaSign
	for _, l := range m.Links {
		u, text := l.URL, l.Text
		if u != "" && containsAny(strings.ToLower(u), hosts) {
			out = append(out, newmediaSign{ref: u, what: "链接“" + firstNonEmpty(text, "图片") + "”（" + u + "）"})
			continue
		}
		if text == "" || utf8.RuneCountInString(text) > 20 || !containsAny(text, words) {
			continue
		}
		// A javascript: link that pops a QR code up counts when it holds or
		// sits beside an image.
		if u == "" && !l.Image {
			continue
		}
		ref := u
		if ref == "" {
			ref = pageURL(p) + "#" + text
		}
		out = append(out, newmediaSign{ref: ref, what: "链接“" + text + "”（" + firstNonEmpty(u, pageURL(p)) + "）"})
	}
	for _, img := range m.Images {
		u, label, caption := img.URL, img.Label, img.Caption
		near := ""
		for _, t := range img.Beside {
			if accountCaption(t) {
				near = t
				break
			}
		}
		switch {
		case containsAny(label, []string{"微博", "微信", "公众号"}):
			out = append(out, newmediaSign{ref: u, what: "图片“" + page.Clip(label, 30) + "”（" + u + "）"})
		case qrImage.MatchString(img.Src) && containsAny(caption, []string{"微博", "微信", "公众号"}):
			out = append(out, newmediaSign{ref: u, what: "二维码“" + page.Clip(caption, 30) + "”（" + u + "）"})
		case caption != "" && containsAny(caption, []string{"微博", "微信", "公众号"}) && containsAny(caption, []string{"扫", "关注", "二维码"}):
			out = append(out, newmediaSign{ref: u, what: "二维码“" + page.Clip(caption, 30) + "”（" + u + "）"})
		case accountCaption(caption):
			out = append(out, newmediaSign{ref: u, what: "账号“" + page.Clip(caption, 30) + "”及其图片（" + u + "）"})
		case near != "":
			out = append(out, newmediaSign{ref: u, what: "账号“" + page.Clip(near, 30) + "”及其图片（" + u + "）"})
		}
	}
	return out
}

// accountNamed matches a text that names an account rather than a platform:
// 官方微信公众号：平潭发布, 政务微博：@北仑发布, 扫码关注“宁波教育”微信.
var accountNamed = regexp.MustCompile(`(官方|政务)(微信|微博)|公众号|(微信|微博)(号|账号|帐号)?[:：]|关注|扫一扫|扫码|二维码`)

// accountCaption reports whether a text beside an image names one of the
// unit's accounts: real guides and 公开渠道 sections write the account's name
// in one paragraph and show its QR code in the next.
func accountCaption(t string) bool {
	if t == "" || utf8.RuneCountInString(t) > 100 || strings.Contains(t, "分享") {
		return false
	}
	return containsAny(t, []string{"微博", "微信", "公众号"}) && accountNamed.MatchString(t)
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
