package page

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// texts walks the parsed page once: scripts and styles are dropped,
// nav/header/footer and elements whose class or id names chrome
// (ChromeClass) go to the chrome text, the rest of the body to the main
// text; block elements end with a space. A page with no main text reads as
// its title and chrome.
func texts(doc *html.Node) (main, chrome string) {
	var mb, cb, head strings.Builder
	var walk func(n *html.Node, inBody, inChrome bool)
	walk = func(n *html.Node, inBody, inChrome bool) {
		switch n.Type {
		case html.TextNode:
			switch {
			case inChrome:
				cb.WriteString(n.Data)
			case inBody:
				mb.WriteString(n.Data)
			default:
				head.WriteString(n.Data) // <title>: read only when the body has no main text
			}
			return
		case html.ElementNode:
			switch n.DataAtom {
			case atom.Script, atom.Style, atom.Noscript, atom.Template:
				return
			case atom.Nav, atom.Header, atom.Footer:
				inChrome = true
			case atom.Body:
				inBody = true
			}
			if !inChrome {
				for _, a := range n.Attr {
					if (a.Key == "class" || a.Key == "id") && ChromeClass.MatchString(a.Val) {
						inChrome = true
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inBody, inChrome)
		}
		if n.Type == html.ElementNode && TextBlocks[n.DataAtom] {
			if inChrome {
				cb.WriteByte(' ')
			} else if inBody {
				mb.WriteByte(' ')
			}
		}
	}
	walk(doc, false, false)
	main, chrome = collapse(mb.String()), collapse(cb.String())
	if main == "" {
		main = collapse(head.String() + " " + cb.String())
	}
	return main, chrome
}

// TextBlocks are the elements after which a page's text breaks, so that
// "地址：" in one cell does not run into the next cell's label.
var TextBlocks = map[atom.Atom]bool{
	atom.Br: true, atom.P: true, atom.Div: true, atom.Li: true, atom.Tr: true, atom.Td: true, atom.Th: true,
	atom.Dt: true, atom.Dd: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true,
	atom.H6: true, atom.Table: true,
}
