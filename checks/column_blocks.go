package checks

import (
	"bytes"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"gkaudit/page"
	"gkaudit/site"
)

// This file reads the structure of column pages for column.empty and
// volume.low: a page's own text and links without the site's chrome, the
// column menus of the entry page, how often the site repeats a link.

// menuColumns returns the unmapped columns of the entry page's column menus:
// the other short in-site links of a list or table whose links include three
// or more mapped columns and are nearly all short (a menu, not a list of
// titles).
func menuColumns(s *site.Snapshot, env Env, entry *site.Page, eb contentBlocks) []site.Column {
	mapped := map[string]bool{s.Entry: true, pageURL(entry): true}
	for _, c := range s.Columns {
		mapped[c.URL] = true
	}
	if env.Config != nil {
		for _, u := range env.Config.Units {
			mapped[u.URL] = true // another unit's entry is not a column
		}
	}
	host := ""
	if u, err := url.Parse(pageURL(entry)); err == nil {
		host = u.Host
	}
	var out []site.Column
	seen := map[string]bool{}
	for _, menu := range eb.menus {
		n, long := 0, 0
		for _, l := range menu {
			if mapped[l.url] {
				n++
			}
			if utf8.RuneCountInString(page.Compact(l.text)) > menuTextRunes {
				long++
			}
		}
		if n < 3 || long*4 > len(menu) {
			continue
		}
		for _, l := range menu {
			u, err := url.Parse(l.url)
			if mapped[l.url] || seen[l.url] || err != nil || u.Host != host || l.text == "" ||
				utf8.RuneCountInString(page.Compact(l.text)) > menuTextRunes || page.PagerText.MatchString(l.text) {
				continue
			}
			seen[l.url] = true
			out = append(out, site.Column{Name: l.text, URL: l.url, Source: "menu", From: pageURL(entry)})
		}
	}
	return out
}

// columnAliases are the names a column goes by: its link text and the last
// segment of its page's breadcrumb.
func columnAliases(c site.Column, p *site.Page) map[string]bool {
	names := map[string]bool{}
	if n := page.Compact(c.Name); n != "" {
		names[n] = true
	}
	if p != nil && len(p.Breadcrumb) > 0 {
		if n := page.Compact(p.Breadcrumb[len(p.Breadcrumb)-1]); n != "" {
			names[n] = true
		}
	}
	return names
}

// isSubPage reports whether u is a page below the column: its breadcrumb passes
// through the column, or it lies in the column's directory when the column
// page is that directory's index.
func isSubPage(s *site.Snapshot, columnURL string, names map[string]bool, u string) bool {
	p := s.Page(u)
	if p != nil && len(p.Breadcrumb) > 1 {
		for _, seg := range p.Breadcrumb[:len(p.Breadcrumb)-1] {
			if names[page.Compact(seg)] {
				return true
			}
		}
	}
	cu, err1 := url.Parse(columnURL)
	lu, err2 := url.Parse(u)
	if err1 != nil || err2 != nil || cu.Host != lu.Host {
		return false
	}
	dir, file := cu.Path, ""
	if i := strings.LastIndex(dir, "/"); i >= 0 {
		dir, file = dir[:i+1], dir[i+1:]
	}
	if file != "" && !indexFileName.MatchString(file) || dir == "/" {
		return false
	}
	return strings.HasPrefix(lu.Path, dir) && lu.Path != cu.Path && !pagerHref.MatchString(u)
}

// indexFileName matches the file names of a directory's index page.
var indexFileName = regexp.MustCompile(`(?i)^(index|default|list|main)(_\d+)?\.(s?html?|jsp|aspx?|php)$`)

// linkPageCount counts, for every link URL, the fetched pages that carry it.
func linkPageCount(s *site.Snapshot) map[string]int {
	freq := map[string]int{}
	for _, p := range s.Pages {
		if !p.OK() {
			continue
		}
		seen := map[string]bool{}
		for _, l := range p.Links {
			if !seen[l.URL] {
				seen[l.URL] = true
				freq[l.URL]++
			}
		}
	}
	return freq
}

// contentBlocks are a page's text blocks without its chrome.
type contentBlocks struct {
	text  []string      // text outside links, one entry per text node, collapsed
	all   []string      // every text node, links included
	links []contentLink // links of the page's content
	// menus are the links of each list or table (ul, ol, dl, table) of the
	// content, innermost lists on their own.
	menus [][]contentLink
	form  bool // the content holds a form with two or more fields
}

type contentLink struct{ url, text string }

// contentBlocksOf splits a page's content (scripts, styles and chrome removed) into
// its text nodes and links.
func contentBlocksOf(p *site.Page) contentBlocks {
	var b contentBlocks
	if p == nil || len(p.Body) == 0 {
		return b
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(p.HTML()))
	if err != nil {
		return b
	}
	page.StripChrome(doc)
	doc.Find("form").EachWithBreak(func(_ int, f *goquery.Selection) bool {
		b.form = f.Find("input:not([type=hidden]):not([type=submit]):not([type=button]), textarea, select").Length() >= 2
		return !b.form
	})
	doc.Find("select, option, input, button, textarea").Remove()
	base, _ := url.Parse(pageURL(p))
	var walk func(n *html.Node, inLink bool)
	walk = func(n *html.Node, inLink bool) {
		switch n.Type {
		case html.TextNode:
			if t := page.Collapse(n.Data); t != "" {
				b.all = append(b.all, t)
				if !inLink {
					b.text = append(b.text, t)
				}
			}
			return
		case html.ElementNode:
			if n.Data == "a" {
				inLink = true
				var href string
				for _, a := range n.Attr {
					if a.Key == "href" {
						href = a.Val
					}
				}
				if u := page.Resolve(base, href); u != "" {
					b.links = append(b.links, contentLink{url: u, text: page.Collapse(goquery.NewDocumentFromNode(n).Text())})
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inLink)
		}
	}
	for _, n := range doc.Find("body").Nodes {
		walk(n, false)
	}
	doc.Find("ul, ol, dl, table").Each(func(_ int, list *goquery.Selection) {
		var menu []contentLink
		list.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
			href, _ := a.Attr("href")
			if u := page.Resolve(base, href); u != "" {
				menu = append(menu, contentLink{url: u, text: page.Collapse(a.Text())})
			}
		})
		if len(menu) > 0 {
			b.menus = append(b.menus, menu)
		}
	})
	return b
}

func textSet(ss []string) map[string]bool {
	m := make(map[string]bool, len(ss))
	for _, s := range ss {
		m[s] = true
	}
	return m
}
