package checks

import (
	"gkaudit/page"
	"gkaudit/site"
	"slices"
)

// This file reads a page's content as blocks for column.empty and
// volume.low: its own text nodes and links without the site's chrome.

// contentBlocks are a page's text blocks without its chrome.
type contentBlocks struct {
	text  []string      // text outside links, one entry per text node, collapsed
	all   []string      // every text node, links included (read as a set)
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
	b.text = page.Lines(vb.Text)
	b.all = append(slices.Clip(b.text), page.Lines(vb.LinkText)...)
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
