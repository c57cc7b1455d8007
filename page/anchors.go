package page

import (
	"net/url"
	"regexp"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Anchor is one <a href> of a page where it sits: its text, the names it
// carries besides (title, image alt), the line of text around it and
// whether it is part of the page's chrome or a side bar. Unlike Links,
// anchors are not deduplicated and carry no frames or datastore links.
type Anchor struct {
	URL  string `json:"url"`            // absolute (against the page's URL), fragment removed
	Text string `json:"text,omitempty"` // the anchor's text, white space collapsed
	// Title is its title attribute as written (lists truncate long titles
	// and keep the whole one there); empty when it has none.
	Title string `json:"title,omitempty"`
	// Image is the alt (else the title) of the first image of an anchor
	// with neither text nor title: a column shown as a picture button.
	Image string `json:"image,omitempty"`
	// Context is the text of the anchor's block (the line
	// "相关文件：《…》") when that is more than the anchor's own text (Line
	// reads it); NoLine says the anchor has no line: its block is longer
	// than MaxContext runes, or it sits in no block.
	Context string `json:"context,omitempty"`
	NoLine  bool   `json:"no_line,omitempty"`
	Chrome  bool   `json:"chrome,omitempty"` // inside nav, header, footer or an element classed as chrome
	Side    bool   `json:"side,omitempty"`   // inside an aside or an element classed as a side bar
}

// Line is the text of the anchor's block, "" when it has no line.
func (a Anchor) Line() string {
	switch {
	case a.NoLine:
		return ""
	case a.Context != "":
		return a.Context
	}
	return a.Text
}

// Name is the anchor's text, else its title, else its image's alt: what a
// reader sees as the link's name.
func (a Anchor) Name() string {
	switch {
	case a.Text != "":
		return a.Text
	case a.Title != "":
		return collapse(a.Title)
	}
	return a.Image
}

// Label is the anchor's text, or its title attribute when that is longer
// (a list's truncated title: 关于印发…的通知).
func (a Anchor) Label() string {
	if a.Title != "" && utf8.RuneCountInString(a.Title) > utf8.RuneCountInString(a.Text) {
		return collapse(a.Title)
	}
	return a.Text
}

// MaxContext bounds, in runes, the block text an anchor's Context holds.
const MaxContext = 120

// SideClass matches class and id tokens of side bars, which on government
// sites repeat the section's column list on every page.
var SideClass = regexp.MustCompile(`(?i)(^|[\s_-])(side|sidebar|aside|left|leftnav|lnav|subnav|leftmenu|left_nav|sidenav)([\s_-]|\d|$)`)

// contextBlocks are the elements whose text is an anchor's Context.
var contextBlocks = map[atom.Atom]bool{atom.P: true, atom.Li: true, atom.Dd: true, atom.Dt: true, atom.Td: true, atom.Th: true,
	atom.Div: true, atom.Span: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true}

// readAnchors returns the page's anchors in document order, resolved
// against base (the page's own URL). Scripts, styles, noscript and
// templates are not read.
func readAnchors(doc *html.Node, base *url.URL) []Anchor {
	var out []Anchor
	type line struct {
		text string
		none bool // longer than a line
	}
	lines := map[*html.Node]line{}
	lineOf := func(b *html.Node) line {
		if l, ok := lines[b]; ok {
			return l
		}
		l := line{none: true}
		if t, ok := boundedText(b, MaxContext); ok {
			if c := collapse(t); utf8.RuneCountInString(c) <= MaxContext {
				l = line{text: c}
			}
		}
		lines[b] = l
		return l
	}
	var walk func(n *html.Node, chrome, side bool, block *html.Node)
	walk = func(n *html.Node, chrome, side bool, block *html.Node) {
		if n.Type == html.ElementNode {
			if hiddenText[n.DataAtom] {
				return
			}
			if n.DataAtom == atom.A {
				if href, ok := Attr(n, "href"); ok {
					if u := Resolve(base, href); u != "" {
						a := Anchor{URL: u, Text: collapse(visibleText(n)), Chrome: chrome, Side: side}
						a.Title, _ = Attr(n, "title")
						if a.Text == "" && a.Title == "" {
							a.Image = imageName(n)
						}
						a.NoLine = true
						if block != nil {
							l := lineOf(block)
							a.NoLine = l.none
							if l.text != a.Text {
								a.Context = l.text
							}
						}
						out = append(out, a)
					}
				}
			}
			// An element's own class marks its descendants, not itself.
			switch n.DataAtom {
			case atom.Nav, atom.Header, atom.Footer:
				chrome = true
			case atom.Aside:
				side = true
			}
			for _, a := range n.Attr {
				if a.Key == "class" || a.Key == "id" {
					chrome = chrome || ChromeClass.MatchString(a.Val)
					side = side || SideClass.MatchString(a.Val)
				}
			}
			if contextBlocks[n.DataAtom] {
				block = n
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, chrome, side, block)
		}
	}
	walk(doc, false, false, nil)
	return out
}

// hiddenText are the elements whose content a reader does not see as text.
var hiddenText = map[atom.Atom]bool{atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true}

// visibleText concatenates the text under n, skipping scripts, styles,
// noscript and templates.
func visibleText(n *html.Node) string { return textOutside(n, hiddenText) }

// textOutside concatenates the text under n, skipping the subtrees of the
// elements in skip.
func textOutside(n *html.Node, skip map[atom.Atom]bool) string {
	var b []byte
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b = append(b, n.Data...)
			return
		case html.ElementNode:
			if skip[n.DataAtom] {
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return string(b)
}

// boundedText is visibleText(n) when it holds at most max runes other than
// white space (so its collapsed form may fit in max); ok is false, and the
// walk stops, beyond that.
func boundedText(n *html.Node, max int) (string, bool) {
	var b []byte
	count := 0
	var walk func(*html.Node) bool
	walk = func(n *html.Node) bool {
		switch n.Type {
		case html.TextNode:
			for _, r := range n.Data {
				if !unicode.IsSpace(r) && r != '\u3000' && r != '\u00a0' {
					count++
				}
			}
			b = append(b, n.Data...)
			return count <= max
		case html.ElementNode:
			if hiddenText[n.DataAtom] {
				return true
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if !walk(c) {
				return false
			}
		}
		return true
	}
	if !walk(n) {
		return "", false
	}
	return string(b), true
}

// imageName is the alt, else the title, of the first image under n.
func imageName(n *html.Node) string {
	img := first(n, func(c *html.Node) bool { return c.Type == html.ElementNode && c.DataAtom == atom.Img })
	if img == nil {
		return ""
	}
	if t, ok := Attr(img, "alt"); ok && t != "" {
		return collapse(t)
	}
	t, _ := Attr(img, "title")
	return collapse(t)
}

// first returns the first node under n (n excluded), in document order,
// that match accepts, or nil.
func first(n *html.Node, match func(*html.Node) bool) *html.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if match(c) {
			return c
		}
		if f := first(c, match); f != nil {
			return f
		}
	}
	return nil
}
