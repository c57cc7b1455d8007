package page

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// readArticle returns the text of the page's content without asides and
// link lists (pruneLinkLists): the article or guide itself, block elements
// ending with a space, white space collapsed; "" when nothing is left. It
// works on its own copy of the stripped tree.
func readArticle(t *tree) string {
	doc := clone(t.stripped.Nodes[0])
	removeAll(doc, func(n *html.Node) bool { return n.Type == html.ElementNode && n.DataAtom == atom.Aside })
	pruneLinkLists(doc)
	var b strings.Builder
	for _, body := range elements(doc, atom.Body) {
		blockText(&b, body)
	}
	return collapse(b.String())
}

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

// blockText writes the text under n, each TextBlocks element followed by a
// space.
func blockText(b *strings.Builder, n *html.Node) {
	if n.Type == html.TextNode {
		b.WriteString(n.Data)
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		blockText(b, c)
	}
	if n.Type == html.ElementNode && TextBlocks[n.DataAtom] {
		b.WriteByte(' ')
	}
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

// removeAll removes from the tree under n (n excluded) every node drop
// accepts, with what it holds.
func removeAll(n *html.Node, drop func(*html.Node) bool) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if drop(c) {
			n.RemoveChild(c)
		} else {
			removeAll(c, drop)
		}
		c = next
	}
}

// linkListTags are the blocks pruneLinkLists may remove.
var linkListTags = map[string]bool{"ul": true, "ol": true, "dl": true, "table": true, "div": true, "td": true, "section": true}

// pruneLinkLists removes, innermost first, the blocks under n that are link
// lists: at least three links holding 60% or more of the block's text (side
// menus, column trees, related-links boxes). A page whose menus surround a
// short text so loses the menus, not the text. It returns the text length
// (runes, white space excluded), the part of it in links and the number of
// links left under n; one pass, linear in the tree. It edits the tree: call
// it on a copy.
func pruneLinkLists(n *html.Node) (total, inLinks, links int) {
	switch n.Type {
	case html.TextNode:
		return utf8.RuneCountInString(Compact(n.Data)), 0, 0
	case html.ElementNode, html.DocumentNode:
	default:
		return 0, 0, 0
	}
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		t, l, k := pruneLinkLists(c)
		total, inLinks, links = total+t, inLinks+l, links+k
		c = next
	}
	if n.Type != html.ElementNode {
		return total, inLinks, links
	}
	if n.Data == "a" {
		return total, total, links + 1
	}
	if linkListTags[n.Data] && links >= 3 && total > 0 && inLinks*10 >= total*6 && n.Parent != nil {
		n.Parent.RemoveChild(n)
		return 0, 0, 0
	}
	return total, inLinks, links
}
