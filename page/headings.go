package page

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Heading is a heading of the page's content (chrome removed): an h1–h3,
// an element classed or identified as a title, or a paragraph's bold lead.
type Heading struct {
	Text  string       `json:"text"` // white space collapsed
	Marks HeadingMarks `json:"marks"`
}

// HeadingMarks say what makes an element a heading; one element may carry
// several (<h1 class="title">).
type HeadingMarks uint8

const (
	H1           HeadingMarks = 1 << iota // <h1>
	H2                                    // <h2>
	H3                                    // <h3>
	TitleClass                            // class "title"
	ArticleClass                          // class "article-title"
	BiaotiClass                           // class "biaoti" (标题)
	TitleID                               // id "title"
	BoldLead                              // <b> or <strong> directly in a <p>
)

// Any reports whether the heading carries one of the marks.
func (h Heading) Any(m HeadingMarks) bool { return h.Marks&m != 0 }

// readHeadings returns the headings of the stripped tree with some text,
// in document order.
func readHeadings(stripped *html.Node) []Heading {
	var out []Heading
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if m := headingMarks(n); m != 0 {
				if t := collapse(visibleText(n)); t != "" {
					out = append(out, Heading{Text: t, Marks: m})
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(stripped)
	return out
}

func headingMarks(n *html.Node) HeadingMarks {
	var m HeadingMarks
	switch n.DataAtom {
	case atom.H1:
		m |= H1
	case atom.H2:
		m |= H2
	case atom.H3:
		m |= H3
	case atom.B, atom.Strong:
		if p := n.Parent; p != nil && p.Type == html.ElementNode && p.DataAtom == atom.P {
			m |= BoldLead
		}
	}
	for _, a := range n.Attr {
		switch a.Key {
		case "class":
			for _, c := range strings.Fields(a.Val) {
				switch c {
				case "title":
					m |= TitleClass
				case "article-title":
					m |= ArticleClass
				case "biaoti":
					m |= BiaotiClass
				}
			}
		case "id":
			if a.Val == "title" {
				m |= TitleID
			}
		}
	}
	return m
}
