package page

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Segments returns the text under the nodes as a list of segments in
// document order: each block element or table cell starts a new segment;
// scripts, styles and templates are skipped.
func Segments(nodes ...*html.Node) []string { return segmentsSkipping(nil, nodes...) }

// segmentsSkipping is Segments without the elements skip names (nil: none),
// as if they had been removed from the tree.
func segmentsSkipping(skip map[atom.Atom]bool, nodes ...*html.Node) []string {
	var out []string
	var cur strings.Builder
	flush := func() {
		if t := collapse(cur.String()); t != "" {
			out = append(out, t)
		}
		cur.Reset()
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			cur.WriteString(n.Data)
			return
		case html.ElementNode:
			switch n.DataAtom {
			case atom.Script, atom.Style, atom.Noscript, atom.Template:
				return
			}
			if skip[n.DataAtom] {
				return
			}
			if valueCells[n.Data] {
				// An empty value cell must read as an empty value, not let
				// the label take whatever text comes next (the page title).
				flush()
				before := len(out)
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					walk(c)
				}
				flush()
				if len(out) == before {
					out = append(out, "")
				}
				return
			}
			if blockTags[n.Data] {
				flush()
			} else {
				// Inline boundaries separate too: <span>索引号：1</span><span>发布机构：…
				cur.WriteByte(' ')
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if n.Type == html.ElementNode && blockTags[n.Data] {
			flush()
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	flush()
	return out
}

// formChoices are the elements of a form's choice lists: their options
// (邮寄, 电子邮件, 自行领取) are what one may pick, not what the page says.
var formChoices = map[atom.Atom]bool{atom.Select: true, atom.Option: true}

// linkTexts skips the links: what is left is the page's own prose.
var linkTexts = map[atom.Atom]bool{atom.A: true}

// readSegments fills the page's line views from the shared tree: its
// content lines (else, when the content has no text, the whole page's)
// and, on a page whose lines name a report, the content's prose without
// link texts.
func readSegments(v *View, t *tree) {
	content := t.stripped.Nodes
	v.Lines = Segments(content...)
	if blankLines(v.Lines) {
		// The content sits in a block classed like chrome (div.top): the
		// page as a whole is read rather than nothing.
		v.Lines, v.LinesWhole = Segments(t.doc), true
	}
	if namesReport(v.Lines) {
		v.Prose = segmentsSkipping(linkTexts, content...)
	}
}

// namesReport reports whether lines name a 报告 or 年报 (an annual
// report's page says so in its heading and its text).
func namesReport(lines []string) bool {
	for _, l := range lines {
		if strings.Contains(l, "报告") || strings.Contains(l, "年报") {
			return true
		}
	}
	return false
}

// blankLines reports whether no line holds any text (only empty value
// cells).
func blankLines(lines []string) bool {
	for _, l := range lines {
		if Compact(l) != "" {
			return false
		}
	}
	return true
}

// hasElement reports whether an element named in tags is under the nodes.
func hasElement(nodes []*html.Node, tags map[atom.Atom]bool) bool {
	var find func(n *html.Node) bool
	find = func(n *html.Node) bool {
		if n.Type == html.ElementNode && tags[n.DataAtom] {
			return true
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if find(c) {
				return true
			}
		}
		return false
	}
	for _, n := range nodes {
		if find(n) {
			return true
		}
	}
	return false
}
