package checks

import (
	"net/url"
	"path"
	"regexp"
	"strings"

	"gkaudit/page"
	"gkaudit/site"
)

// SiteIdentityRule is the source of site.identity.
const SiteIdentityRule = "《政府网站发展指引》（国办发〔2017〕47号）：网站页面底部功能区应清晰列明党政机关网站标识、主办单位名称、网站标识码、ICP备案编号、公安机关备案号，以及联系我们等信息；北仑区考核指标“政府网站”：保证要素齐全"

// Term keys of site.identity.
const (
	identityConacKey   = "site.identity.conac"
	identityCodeKey    = "site.identity.site_code"
	identityICPKey     = "site.identity.icp"
	identityPoliceKey  = "site.identity.police"
	identityHostKey    = "site.identity.host"
	identityContactKey = "site.identity.contact"
	identityPhoneKey   = "site.identity.phone"
	identityScriptKey  = "site.identity.footer_script"
	identityLibKey     = "site.identity.script_libraries"
)

// siteIdentityTerms are the defaults, from real footers:
//   - the 党政机关网站标识 is embedded by the conac snippet
//     (document.write(unescape("%3Cspan id='_ideConac'…dcs.conac.cn/js/…"))),
//     rendered as <span id="_ideConac"><a href="//bszs.conac.cn/sitename?method=show&id=…">
//     <img id="imgConac" src="//dcs.conac.cn/image/red.png">, or a local copy of the
//     image linked to bszs.conac.cn;
//   - 网站标识码：3302060001 / 网站标识码 1304000009 (部门 sites bm + 8 digits);
//     网站识别码 is a common misnomer;
//   - 浙ICP备05003421号, 沪ICP备10218165号-1, 备案证编号：浙ICP备2022028025号-3;
//   - 浙公网安备 33020602000123号, 浙公网安33010202002719号, 浙公网安备：33010602004556,
//     or a link to beian.gov.cn/portal/registerSystemInfo?recordcode=…;
//   - 主办单位：…, 主办：…, …主办 (版权所有 alone names no 主办单位);
//   - 联系我们 (a link), 联系电话：0574-…, 电话：…, an e-mail address.
var siteIdentityTerms = map[string][]string{
	identityConacKey:   {"conac.cn", "_ideConac", "imgConac"},
	identityCodeKey:    {"网站标识码", "网站识别码", "标识码"},
	identityICPKey:     {"ICP备", "ICP证"},
	identityPoliceKey:  {"公网安备", "公网安", "公安机关备案号", "公安备案号", "beian.gov.cn/portal/registerSystemInfo", "beian.mps.gov.cn"},
	identityHostKey:    {"主办单位", "主办"},
	identityContactKey: {"联系我们", "联系方式"},
	identityPhoneKey:   {"联系电话", "电话", "热线", "Tel", "TEL"},
	identityScriptKey:  {"foot", "bottom", "dibu", "copyright", "banquan", "bq"},
	// Scripts that never write a footer: a page whose only own scripts are
	// these has no hidden footer.
	identityLibKey: {"jquery", "jq", "bootstrap", "vue", "swiper", "layer", "echarts", "html5", "respond", "polyfill", "tongji", "analytics", "jiucuo", "share"},
}

// identityItems names the items in the order the detail lists them.
var identityItems = []struct{ key, name string }{
	{identityConacKey, "党政机关网站标识"},
	{identityCodeKey, "网站标识码"},
	{identityICPKey, "ICP备案编号"},
	{identityPoliceKey, "公安机关备案号"},
	{identityHostKey, "主办单位"},
	{identityContactKey, "联系方式（联系我们/电话/邮箱）"},
}

var (
	// identityNumber is what must follow a label: digits (网站标识码 may
	// start with bm), possibly after a colon and spaces.
	identityNumber = regexp.MustCompile(`^\s*[:：]?\s*(?i:bm)?\d{6,}`)
	identityPhone  = regexp.MustCompile(`^\s*[:：]?\s*[(（]?\d{3,4}[)）]?[-－—]?\d{7,8}|^\s*[:：]?\s*1[3-9]\d{9}|^\s*[:：]?\s*\d{5,8}`)
	identityMail   = regexp.MustCompile(`[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`)
)

// maxIdentityPages bounds the pages whose footers are read.
const maxIdentityPages = 12

// SiteIdentity (site.identity) checks that the unit's site shows, in its
// footer, the identity 政府网站发展指引（国办发〔2017〕47号） requires: the
// 党政机关网站标识, the 网站标识码, the ICP备案编号, the 公安机关备案号, the
// 主办单位 and a contact (联系我们, a phone number or an e-mail address).
//
// It reads the entry page of the unit's disclosure column, the home page of
// its host when crawled (on a district portal shared with other units the
// portal's footer is the unit's footer) and the unit's column pages, with
// the frames and iframes they embed when crawled; an item shown on any of
// them counts. pass: every item shown. fail: one finding listing the items
// missing. na: the entry page did not open or shows no text, or an item is missing while the
// footer is written by a script (<script src="/script/foot.js">, $("#footer").load)
// or an iframe the crawl did not read: what the script writes is not in the
// HTML the crawler has; or at most two items are shown beside a script of
// the site's own (not a library) that may write the footer (Hanweb's
// numbered /script/0/….js).
func SiteIdentity(s *site.Snapshot, env Env) []Finding {
	entry := s.EntryPage()
	if !entry.OK() {
		return []Finding{{Subject: "identity", Status: NA, URL: s.Entry, Looked: []string{s.Entry},
			Detail: "入口页无法访问，无法检查网站标识信息"}}
	}
	terms := map[string][]string{}
	for k, def := range siteIdentityTerms {
		terms[k] = env.Terms(k, def)
	}
	found := map[string]bool{}
	var looked, injected, scripts []string
	queue := []*site.Page{entry}
	if home := portalHome(s); home != nil {
		queue = append(queue, home)
	}
	for _, c := range s.Columns {
		if p := s.Page(c.URL); p != nil && sameHost(c.URL, s.Entry) {
			queue = append(queue, p)
		}
	}
	seen := map[string]bool{}
	var excerpt string
	blankEntry := false
	for len(queue) > 0 && len(looked) < maxIdentityPages && len(found) < len(identityItems) {
		p := queue[0]
		queue = queue[1:]
		if p == nil || !p.OK() || seen[pageURL(p)] {
			continue
		}
		seen[pageURL(p)] = true
		looked = append(looked, pageURL(p))
		v := readIdentity(p, terms)
		for k := range v.found {
			found[k] = true
		}
		if p == entry {
			excerpt, blankEntry = v.footer, v.blank
		}
		injected = append(injected, v.injected...)
		scripts = append(scripts, v.scripts...)
		for _, f := range v.frames {
			if fp := s.Page(f); fp != nil && fp.OK() {
				queue = append(queue, fp)
			} else if footerScript(f, terms[identityScriptKey]) {
				injected = append(injected, "iframe "+f)
			}
		}
	}
	var missing []string
	for _, it := range identityItems {
		if !found[it.key] {
			missing = append(missing, it.name)
		}
	}
	ev := evidence(entry, excerpt)
	if len(missing) == 0 {
		return []Finding{{Subject: "identity", Status: Pass, URL: pageURL(entry), Looked: looked, Evidence: ev,
			Detail: "页面底部列明党政机关网站标识、网站标识码、ICP备案编号、公安机关备案号、主办单位和联系方式"}}
	}
	if injected = sortedUnique(injected); len(injected) > 0 {
		return []Finding{{Subject: "identity", Status: NA, URL: pageURL(entry), Looked: looked, Evidence: ev,
			Detail: "页面底部由脚本或内嵌框架生成（" + page.Clip(strings.Join(injected, "、"), 120) + "），抓取到的页面中未见：" +
				strings.Join(missing, "、") + "；请人工在浏览器中核对页面底部"}}
	}
	if blankEntry && len(found) == 0 {
		return []Finding{{Subject: "identity", Status: NA, URL: pageURL(entry), Looked: looked, Evidence: ev,
			Detail: "入口页没有可读的文字（页面为空或由脚本生成），无法检查页面底部的网站标识信息；请在浏览器中打开入口页核实"}}
	}
	// Hardly any item at all beside a script of the site's own that could
	// write the footer: the footer is most likely written by it.
	if len(missing) >= len(identityItems)-2 && len(scripts) > 0 {
		return []Finding{{Subject: "identity", Status: NA, URL: pageURL(entry), Looked: looked, Evidence: ev,
			Detail: "抓取到的页面中几乎没有网站标识信息（未见：" + strings.Join(missing, "、") + "），页面底部可能由脚本（" +
				page.Clip(strings.Join(sortedUnique(scripts), "、"), 120) + "）生成；请人工在浏览器中核对页面底部"}}
	}
	return []Finding{{Subject: "identity", Status: Fail, URL: pageURL(entry), Looked: looked, Evidence: ev,
		Detail: "网站页面底部缺少：" + strings.Join(missing, "、") + "。请按《政府网站发展指引》在页面底部功能区列明党政机关网站标识、主办单位名称、网站标识码、ICP备案编号、公安机关备案号和联系方式"}}
}

// identityView is what one page's markup shows of the site's identity.
type identityView struct {
	found    map[string]bool
	footer   string   // the footer's text, for the excerpt
	frames   []string // frames and iframes, resolved
	injected []string // scripts that write the footer
	scripts  []string // the host's own scripts that may write anything (Hanweb's /script/0/1812061507491345.js)
	blank    bool     // the page shows no text at all
}

// readIdentity reads the identity items of one page. Script text is read
// only for the conac snippet and for signs of a footer written by script.
func readIdentity(p *site.Page, terms map[string][]string) identityView {
	v := identityView{found: map[string]bool{}}
	f := viewOf(p).Footer
	if f == nil {
		v.blank = !hasBody(p) // nothing read: an empty body, or a datastore answer
		return v
	}
	v.frames = f.Frames
	conac := terms[identityConacKey]
	police := terms[identityPoliceKey]
	for _, sc := range f.Scripts {
		if containsAny(sc.Text, conac) {
			v.found[identityConacKey] = true
		}
		src := sc.Src
		if src != "" && footerScript(src, terms[identityScriptKey]) {
			v.injected = append(v.injected, "脚本 "+src)
		} else if u := page.Resolve(pageBase(p), src); src != "" && sameHost(u, pageURL(p)) && !footerScript(src, terms[identityLibKey]) {
			v.scripts = append(v.scripts, src)
		} else if src == "" && writesFooter(sc.Text, terms[identityScriptKey]) {
			v.injected = append(v.injected, "页内脚本")
		}
	}
	if containsAny(f.Attrs, conac) {
		v.found[identityConacKey] = true
	}
	if containsAny(f.Attrs, police) {
		v.found[identityPoliceKey] = true
	}
	text := f.Text
	v.blank = strings.TrimSpace(text) == ""
	if labelledNumber(text, terms[identityCodeKey], identityNumber) {
		v.found[identityCodeKey] = true
	}
	if labelledNumber(text, terms[identityICPKey], identityNumber) {
		v.found[identityICPKey] = true
	}
	if labelledNumber(text, police, identityNumber) {
		v.found[identityPoliceKey] = true
	}
	if containsAny(page.Compact(text), terms[identityHostKey]) {
		v.found[identityHostKey] = true
	}
	if containsAny(text, terms[identityContactKey]) || labelledNumber(text, terms[identityPhoneKey], identityPhone) ||
		identityMail.MatchString(text) {
		v.found[identityContactKey] = true
	}
	v.footer = f.Excerpt
	return v
}

// pageBase is the page's own URL, parsed (nil when it does not parse).
func pageBase(p *site.Page) *url.URL {
	u, _ := url.Parse(pageURL(p))
	return u
}

// labelledNumber reports whether one of the labels is followed by what re
// matches (re is anchored at the label's end).
func labelledNumber(text string, labels []string, re *regexp.Regexp) bool {
	for _, l := range labels {
		if l == "" {
			continue
		}
		rest := text
		for {
			i := strings.Index(rest, l)
			if i < 0 {
				break
			}
			rest = rest[i+len(l):]
			if re.MatchString(rest) {
				return true
			}
		}
	}
	return false
}

// footerScript reports whether a script or iframe URL names a footer
// (/script/foot.js, /include/bottom.html, dibu.js).
func footerScript(src string, words []string) bool {
	u, err := url.Parse(strings.TrimSpace(src))
	if err != nil {
		return false
	}
	name := strings.ToLower(path.Base(u.Path))
	name = strings.TrimSuffix(name, path.Ext(name))
	for _, w := range words {
		if w != "" && strings.Contains(name, strings.ToLower(w)) {
			return true
		}
	}
	return false
}

// writesFooter reports whether an inline script writes or loads the footer:
// $("#footer").load("/foot.html"), document.write('…版权所有…').
func writesFooter(js string, words []string) bool {
	if !strings.Contains(js, "load(") && !strings.Contains(js, "document.write") && !strings.Contains(js, "innerHTML") {
		return false
	}
	lower := strings.ToLower(js)
	for _, w := range words {
		if w != "" && len(w) > 2 && strings.Contains(lower, strings.ToLower(w)) {
			return true
		}
	}
	return containsAny(js, []string{"版权所有", "主办单位", "ICP备"})
}
