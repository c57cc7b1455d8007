package onboard

import (
	"bytes"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// cdataRE matches the CDATA markers around a Hanweb datastore record.
var cdataRE = regexp.MustCompile(`<!\[CDATA\[|\]\]>`)

// trsPageRE is TRS WCM's pagination call: createPageHTML(total pages,
// current page, "index", "html"), with numbers or with variables set in
// the same script (var countPage = 7).
var trsPageRE = regexp.MustCompile(`createPageHTML\(\s*(\w+)\s*,\s*(\w+)\s*,\s*["']([\w-]+)["']\s*,\s*["'](\w+)["']`)

// maxListPages bounds the later pages of one list that are read.
const maxListPages = 10

// trsPages are the later pages of a TRS list, from the script that writes
// their links: index_1.html, index_2.html ... in the page's directory.
func trsPages(base *url.URL, script string) []string {
	m := trsPageRE.FindStringSubmatch(script)
	if m == nil {
		return nil
	}
	count := m[1]
	if _, err := strconv.Atoi(count); err != nil {
		v := regexp.MustCompile(`\b` + regexp.QuoteMeta(count) + `\s*=\s*(\d+)`).FindStringSubmatch(script)
		if v == nil {
			return nil
		}
		count = v[1]
	}
	total, err := strconv.Atoi(count)
	if err != nil || total < 2 {
		return nil
	}
	var out []string
	for i := 1; i < total && i <= maxListPages; i++ {
		if u, ok := resolve(base, fmt.Sprintf("%s_%d.%s", m[3], i, m[4])); ok {
			out = append(out, u)
		}
	}
	return out
}

// link is one way a page points at another: an <a>, or an <option> of a
// drop-down whose value is a URL (部门网站 / 乡镇街道 selects).
type link struct {
	url     string // absolute, without fragment
	text    string // the link's own text, whitespace collapsed
	title   string // title attribute, or an image's alt
	context string // for a generic link: the text around it in its parent
	section string // the nearest heading before it (部门信息公开, 乡镇街道 ...)
	from    string // the page it is on
}

// names are the texts a link can be matched by, most specific first.
func (l link) names() []string {
	var out []string
	for _, s := range []string{l.text, l.title, l.context} {
		if s != "" && !generic(s) {
			out = append(out, s)
		}
	}
	return out
}

// pageInfo is what a page says about itself and where it links.
type pageInfo struct {
	url      string
	title    string
	headings []string // h1..h3 and elements whose class names a title, in order
	links    []link
	// more are the later pages of a paginated list (TRS writes their links
	// with createPageHTML; the pages are static index_1.html ...).
	more []string
}

// genericTexts are link texts that name no unit: the unit's name is then
// beside the link, in its title or on the page it leads to.
var genericTexts = map[string]bool{
	"进入": true, "点击进入": true, "进入网站": true, "进入专栏": true, "访问": true, "查看": true,
	"点击查看": true, "更多": true, "更多>>": true, "详细": true, "详情": true, ">>": true, "》": true,
	"信息公开": true, "政府信息公开": true, "政务公开": true, "网站": true, "链接": true, "首页": true,
	"GO": true, "go": true, "→": true,
}

func generic(s string) bool {
	s = strings.TrimSpace(s)
	return s == "" || genericTexts[s] || !strings.ContainsFunc(s, isHan)
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// parsePage reads a page's title, headings and links. A page that does not
// parse gives what was read before the error (x/net/html recovers from
// nearly anything).
func parsePage(base *url.URL, body []byte) pageInfo {
	info := pageInfo{url: base.String()}
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		return info
	}
	if b := findBase(doc); b != "" {
		if bu, err := base.Parse(b); err == nil {
			base = bu
		}
	}
	section := ""
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Script:
				if n.FirstChild != nil {
					info.more = append(info.more, trsPages(base, n.FirstChild.Data)...)
				}
				// Hanweb keeps a list's first records in <script
				// type="text/xml"><datastore><record><![CDATA[…]]>: they
				// are links too.
				if strings.Contains(attr(n, "type"), "xml") && n.FirstChild != nil {
					if sub, err := html.Parse(strings.NewReader(cdataRE.ReplaceAllString(n.FirstChild.Data, ""))); err == nil {
						walk(sub)
					}
				}
				return
			case atom.Style, atom.Noscript:
				return
			case atom.Title:
				if info.title == "" {
					info.title = textOf(n)
				}
				return
			case atom.H1, atom.H2, atom.H3, atom.H4:
				if t := textOf(n); t != "" {
					info.headings = append(info.headings, t)
					section = t
				}
			case atom.A:
				if l, ok := anchor(base, n); ok {
					l.section, l.from = section, info.url
					info.links = append(info.links, l)
				}
				return
			case atom.Select:
				// A drop-down's placeholder (--区级部门网站--) is the
				// heading of its options.
				saved := section
				if ph := placeholder(n); ph != "" {
					section = ph
				}
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					walk(c)
				}
				section = saved
				return
			case atom.Option:
				if l, ok := option(base, n); ok {
					l.section, l.from = section, info.url
					info.links = append(info.links, l)
				}
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return info
}

// placeholder is the text of a select's first option that is not a URL.
func placeholder(sel *html.Node) string {
	var found string
	var walk func(*html.Node) bool
	walk = func(n *html.Node) bool {
		if n.Type == html.ElementNode && n.DataAtom == atom.Option {
			if v := strings.TrimSpace(attr(n, "value")); v == "" || v == "#" {
				found = textOf(n)
			}
			return true
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if walk(c) {
				return true
			}
		}
		return false
	}
	walk(sel)
	return found
}

func findBase(n *html.Node) string {
	if n.Type == html.ElementNode && n.DataAtom == atom.Base {
		return attr(n, "href")
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if b := findBase(c); b != "" {
			return b
		}
	}
	return ""
}

func anchor(base *url.URL, n *html.Node) (link, bool) {
	u, ok := resolve(base, attr(n, "href"))
	if !ok {
		return link{}, false
	}
	l := link{url: u, text: textOf(n), title: strings.TrimSpace(attr(n, "title"))}
	if l.title == "" {
		l.title = imgAlt(n)
	}
	if generic(l.text) && generic(l.title) && n.Parent != nil {
		// <li><span>区财政局</span><a href=…>进入</a></li>
		if ctx := strings.TrimSpace(strings.Replace(textOf(n.Parent), l.text, "", 1)); len([]rune(ctx)) <= 30 {
			l.context = ctx
		}
	}
	return l, true
}

func option(base *url.URL, n *html.Node) (link, bool) {
	v := strings.TrimSpace(attr(n, "value"))
	if !strings.Contains(v, "/") && !strings.Contains(v, ".") {
		return link{}, false // an id or a placeholder, not a URL
	}
	u, ok := resolve(base, v)
	if !ok {
		return link{}, false
	}
	return link{url: u, text: textOf(n)}, true
}

// resolve makes href absolute; javascript:, mailto: and fragment-only links
// are not pages.
func resolve(base *url.URL, href string) (string, bool) {
	href = strings.TrimSpace(href)
	if href == "" || strings.HasPrefix(href, "#") {
		return "", false
	}
	u, err := base.Parse(href)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", false
	}
	u.Fragment, u.RawFragment = "", ""
	return u.String(), true
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func imgAlt(n *html.Node) string {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.DataAtom == atom.Img {
			if a := strings.TrimSpace(attr(c, "alt")); a != "" {
				return a
			}
			if a := strings.TrimSpace(attr(c, "title")); a != "" {
				return a
			}
		}
		if a := imgAlt(c); a != "" {
			return a
		}
	}
	return ""
}

// textOf is the text of n, whitespace (including full-width and no-break
// spaces) collapsed to single spaces.
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			b.WriteString(n.Data)
			b.WriteByte(' ')
		case n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Style):
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}
