package page

import (
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Blocks are the pieces of a page's content (chrome removed, form
// controls left out): its text nodes, its links, the links of each of its
// lists and whether it holds a form to fill in. They tell a column page
// that shows nothing of its own from one that does.
type Blocks struct {
	// Text is the content's text outside links, LinkText its text inside
	// links: one text node a line (white space collapsed), in document
	// order (Lines splits them).
	Text     string `json:"text,omitempty"`
	LinkText string `json:"link_text,omitempty"`
	Links    []Link `json:"links,omitempty"` // every link, in document order
	// Menus are the links of each list or table (ul, ol, dl, table), as
	// indexes into Links, in document order; a list inside a list is one
	// of its own as well as part of the outer one.
	Menus [][]int `json:"menus,omitempty"`
	// Form says a form of the content has two or more fields to fill in
	// (inputs other than hidden, submit and button ones; textareas;
	// selects).
	Form bool `json:"form,omitempty"`
}

// Lines splits a Blocks text into its lines; nil for "".
func Lines(text string) []string {
	if text == "" {
		return nil
	}
	return strings.Split(text, "\n")
}

// formControls are the elements Blocks leaves out: their texts are options
// and labels of a form, not content.
var formControls = map[atom.Atom]bool{atom.Select: true, atom.Option: true, atom.Input: true, atom.Button: true, atom.Textarea: true}

// listBlocks are the elements whose links make a menu.
var listBlocks = map[atom.Atom]bool{atom.Ul: true, atom.Ol: true, atom.Dl: true, atom.Table: true}

// readBlocks reads the Blocks of the stripped tree, links resolved against
// base (the page's own URL).
func readBlocks(stripped *html.Node, base *url.URL) Blocks {
	var b Blocks
	for _, f := range elements(stripped, atom.Form) {
		if fillableFields(f) >= 2 {
			b.Form = true
			break
		}
	}
	var text, linkText strings.Builder
	line := func(b *strings.Builder, t string) {
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(t)
	}
	index := map[*html.Node]int{}
	var walk func(n *html.Node, inLink bool)
	walk = func(n *html.Node, inLink bool) {
		switch n.Type {
		case html.TextNode:
			if t := collapse(n.Data); t != "" {
				if inLink {
					line(&linkText, t)
				} else {
					line(&text, t)
				}
			}
			return
		case html.ElementNode:
			if formControls[n.DataAtom] {
				return
			}
			if n.Data == "a" {
				inLink = true
				var href string
				for _, a := range n.Attr {
					if a.Key == "href" {
						href = a.Val
					}
				}
				if u := Resolve(base, href); u != "" {
					index[n] = len(b.Links)
					b.Links = append(b.Links, Link{URL: u, Text: collapse(textOutside(n, formControls))})
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inLink)
		}
	}
	for _, body := range elements(stripped, atom.Body) {
		walk(body, false)
	}
	b.Text, b.LinkText = text.String(), linkText.String()
	var lists func(n *html.Node)
	lists = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if formControls[n.DataAtom] {
				return
			}
			if listBlocks[n.DataAtom] {
				var menu []int
				for _, a := range elements(n, atom.A) {
					if i, ok := index[a]; ok {
						menu = append(menu, i)
					}
				}
				if len(menu) > 0 {
					b.Menus = append(b.Menus, menu)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			lists(c)
		}
	}
	lists(stripped)
	return b
}

// fillableFields counts the fields of a form a visitor fills in.
func fillableFields(form *html.Node) int {
	n := 0
	var walk func(*html.Node)
	walk = func(e *html.Node) {
		for c := e.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode {
				switch c.DataAtom {
				case atom.Textarea, atom.Select:
					n++
				case atom.Input:
					if t, _ := Attr(c, "type"); t != "hidden" && t != "submit" && t != "button" {
						n++
					}
				}
			}
			walk(c)
		}
	}
	walk(form)
	return n
}
