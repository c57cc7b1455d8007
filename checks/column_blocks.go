package checks

import (
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

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

// contentBlocksOf returns a page's content (scripts, styles and chrome
// removed) as its text nodes and links (page.View.Blocks).
func contentBlocksOf(p *site.Page) contentBlocks {
	var b contentBlocks
	v := viewOf(p)
	if v == nil {
		return b
	}
	vb := v.Blocks
	b.form = vb.Form
	for _, t := range vb.Texts {
		b.all = append(b.all, t.Text)
		if !t.InLink {
			b.text = append(b.text, t.Text)
		}
	}
	for _, l := range vb.Links {
		b.links = append(b.links, contentLink{url: l.URL, text: l.Text})
	}
	for _, m := range vb.Menus {
		menu := make([]contentLink, len(m))
		for i, at := range m {
			menu[i] = b.links[at]
		}
		b.menus = append(b.menus, menu)
	}
	return b
}

func textSet(ss []string) map[string]bool {
	m := make(map[string]bool, len(ss))
	for _, s := range ss {
		m[s] = true
	}
	return m
}
