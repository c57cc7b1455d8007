package checks

import (
	"strings"
	"unicode/utf8"

	"gkaudit/page"
	"gkaudit/site"
)

// This file walks the 公开目录: the catalogue columns, the sub-columns an
// index page links from its content, the items listed on the way and the
// pages that say they list nothing.

// maxCatalogPages bounds the column pages one catalogue walk visits.
const maxCatalogPages = 200

// maxCatalogDepth bounds how deep the walk follows sub-columns.
const maxCatalogDepth = 3

// catalogKinds are the column kinds real sites use as the 公开目录: the
// catalogue itself and 法定主动公开内容, which many sites use as their catalogue.
var catalogKinds = []string{"catalog", "statutory"}

// notCatalogKinds are the disclosure column's own sections that a catalogue
// page links to without them being catalogue entries.
var notCatalogKinds = map[string]bool{"guide": true, "rules": true, "apply": true, "newmedia": true, "annual_report": true}

// catalogWalk is the 公开目录 as found: its columns, the sub-columns reached
// from them and every item listed on the way.
type catalogWalk struct {
	roots  []site.Column // catalogue columns (catalog, statutory)
	pages  []*site.Page  // column pages visited, roots first
	cols   []site.Column // the columns the items were listed by
	items  []Item
	from   map[string]site.Column // item URL -> column that listed it
	looked []string
	broken *site.Page // first catalogue column page that answered 4xx/5xx
	// empty is the first catalogue page that lists nothing and says so
	// (暂无信息), with the words it used.
	empty      *site.Page
	emptyWords string
}

// emptyListWords are what a list page shows when it has nothing to list.
var emptyListWords = []string{"暂无信息", "暂无数据", "暂无内容", "暂无记录", "暂无相关信息", "没有信息", "没有记录", "没有相关信息", "无相关信息", "没有找到相关", "共0条", "共0页"}

// walkCatalog reads the catalogue columns. A catalogue page that lists items
// is the catalogue; one that lists none and shows no "empty" notice is an
// index (a tree of sub-columns: 机构信息, 政策文件, 规划计划 ...), so the
// sub-columns linked from its content are read in turn, on fetched pages of
// the same host, up to maxCatalogDepth. Side bars that repeat the site's
// column list are followed only when the content links nowhere.
func (c *columnSet) walkCatalog(empty []string) catalogWalk {
	w := catalogWalk{roots: c.columns(catalogKinds...), from: map[string]site.Column{}}
	type node struct {
		col   site.Column
		depth int
	}
	visited := map[string]bool{}
	var queue []node
	for _, r := range w.roots {
		queue = append(queue, node{r, 0})
	}
	itemSeen := map[string]bool{}
	for len(queue) > 0 && len(w.pages) < maxCatalogPages {
		n := queue[0]
		queue = queue[1:]
		if visited[n.col.URL] {
			continue
		}
		p := c.s.Page(n.col.URL)
		visited[n.col.URL] = true
		w.looked = append(w.looked, n.col.URL)
		if p == nil {
			continue
		}
		visited[pageURL(p)] = true
		if !p.OK() {
			if n.depth == 0 && w.broken == nil && p.Status >= 400 {
				w.broken = p
			}
			continue
		}
		w.pages = append(w.pages, p)
		listed := map[string]bool{}
		own := 0
		for _, it := range c.itemsOf(n.col.URL) {
			listed[it.URL] = true
			if c.isColumn(it.URL) {
				continue // a sub-column shown as a list entry
			}
			own++
			if !itemSeen[it.URL] {
				itemSeen[it.URL] = true
				w.items = append(w.items, it)
				w.from[it.URL] = n.col
			}
		}
		if own > 0 {
			w.cols = append(w.cols, n.col)
			continue
		}
		if word := saysEmpty(p, empty); word != "" {
			if w.empty == nil {
				w.empty, w.emptyWords = p, word
			}
			continue
		}
		if n.depth >= maxCatalogDepth {
			continue
		}
		for _, l := range subColumnLinks(p) {
			if visited[l.URL] || c.isEntry(l.URL) || (listed[l.URL] && !c.isColumn(l.URL)) || !sameHost(l.URL, pageURL(p)) || c.kindOf(l.URL, notCatalogKinds) {
				continue
			}
			if q := c.s.Page(l.URL); !q.OK() || visited[pageURL(q)] {
				continue
			}
			queue = append(queue, node{site.Column{Kind: n.col.Kind, Name: l.Text, URL: l.URL, Source: "link", From: n.col.URL}, n.depth + 1})
		}
	}
	return w
}

// saysEmpty returns the word by which a list page says it lists nothing.
func saysEmpty(p *site.Page, words []string) string {
	t := page.Compact(mainText(p))
	for _, w := range words {
		if w != "" && strings.Contains(t, page.Compact(w)) {
			return w
		}
	}
	return ""
}

// isEntry reports whether u is the unit's entry page: a catalogue that
// links back to the 信息公开 home does not make the home a sub-column.
func (c *columnSet) isEntry(u string) bool {
	e := c.s.EntryPage()
	return u == c.s.Entry || e != nil && u == pageURL(e)
}

// kindOf reports whether u is the page of a column of one of the kinds.
func (c *columnSet) kindOf(u string, kinds map[string]bool) bool {
	for _, col := range c.s.Columns {
		if col.URL == u && kinds[col.Kind] {
			return true
		}
	}
	return false
}

// subColumnLinks returns the links in a column page's content (not its
// chrome) whose text is short enough to name a column. Links in a side bar
// count only when the content has none.
func subColumnLinks(p *site.Page) []site.Link {
	var main, side []site.Link
	for _, l := range pageLinks(p) {
		n := utf8.RuneCountInString(l.Text)
		if l.Chrome || n < 2 || n > 20 || page.PagerText.MatchString(l.Text) {
			continue
		}
		if l.Side {
			side = append(side, site.Link{URL: l.URL, Text: l.Text})
		} else {
			main = append(main, site.Link{URL: l.URL, Text: l.Text})
		}
	}
	if len(main) > 0 {
		return main
	}
	return side
}
