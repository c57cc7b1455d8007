package page

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// readArticle returns the text of the page's content without asides and
// link lists (see pruned): the article or guide itself, block elements
// ending with a space, white space collapsed; "" when nothing is left. It
// reads the stripped tree without changing it.
func readArticle(t *tree) string {
	root := t.stripped.Nodes[0]
	skip := map[*html.Node]bool{}
	pruned(root, skip)
	var b strings.Builder
	for _, body := range elements(root, atom.Body) {
		if !skip[body] {
			articleText(&b, body, skip)
		}
	}
	return collapse(b.String())
}

// articleText writes the text under n outside asides and the skipped
// nodes, each TextBlocks element followed by a space.
func articleText(b *strings.Builder, n *html.Node, skip map[*html.Node]bool) {
	if n.Type == html.TextNode {
		b.WriteString(n.Data)
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if !skip[c] && !isAside(c) {
			articleText(b, c, skip)
		}
	}
	if n.Type == html.ElementNode && TextBlocks[n.DataAtom] {
		b.WriteByte(' ')
	}
}

func isAside(n *html.Node) bool { return n.Type == html.ElementNode && n.DataAtom == atom.Aside }

// hasMainText reports whether the body of the stripped tree holds any text:
// when it does not, Main reads the page's title and chrome instead.
func hasMainText(stripped *html.Node) bool {
	for _, body := range elements(stripped, atom.Body) {
		if first(body, func(n *html.Node) bool { return n.Type == html.TextNode && collapse(n.Data) != "" }) != nil {
			return true
		}
	}
	return false
}

// elements returns the elements under n (n included) of the given kind, in
// document order.
func elements(n *html.Node, kind atom.Atom) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == kind {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

// linkListTags are the blocks that can be link lists.
var linkListTags = map[string]bool{"ul": true, "ol": true, "dl": true, "table": true, "div": true, "td": true, "section": true}

// pruned marks in drop, innermost first, the blocks under n that are link
// lists (linkLists), asides left out.
func pruned(n *html.Node, drop map[*html.Node]bool) {
	linkLists(n, isAside, func(b *html.Node) { drop[b] = true })
}

// linkLists calls found, innermost first, for each block under n that is a
// link list: at least three links holding 60% or more of the block's text
// (side menus, column trees, related-links boxes). A page whose menus
// surround a short text so loses the menus, not the text. Nodes skip
// reports (nil: none) are left out; found may remove its block from the
// tree. It returns the text length (runes, white space excluded), the part
// of it in links and the number of links left under n once the blocks found
// are dropped; one pass, linear in the tree.
func linkLists(n *html.Node, skip func(*html.Node) bool, found func(*html.Node)) (total, inLinks, links int) {
	switch n.Type {
	case html.TextNode:
		return utf8.RuneCountInString(Compact(n.Data)), 0, 0
	case html.ElementNode, html.DocumentNode:
	default:
		return 0, 0, 0
	}
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling // found may remove c
		if skip == nil || !skip(c) {
			t, l, k := linkLists(c, skip, found)
			total, inLinks, links = total+t, inLinks+l, links+k
		}
		c = next
	}
	if n.Type != html.ElementNode {
		return total, inLinks, links
	}
	if n.DataAtom == atom.A {
		return total, total, links + 1
	}
	if linkListTags[n.Data] && links >= 3 && total > 0 && inLinks*10 >= total*6 && n.Parent != nil {
		found(n)
		return 0, 0, 0
	}
	return total, inLinks, links
}
