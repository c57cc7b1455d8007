package page

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Footer is what a page shows of who runs its site (网站标识码, ICP备案,
// 公网安备, 主办单位, 联系我们), read wherever the page puts it: its whole
// text, the attribute values its marks hide in, its frames and scripts.
type Footer struct {
	// Text is the page's whole text (scripts and styles left out), every
	// block and inline element (span, a) ending with a space, so that a
	// label and its number in two cells stay apart.
	Text string `json:"text,omitempty"`
	// Excerpt is the text of the page's last footer-like element (footer,
	// an element classed foot, bottom, copyright …), else the end of Text.
	Excerpt string `json:"excerpt,omitempty"`
	// Attrs are the href, src, id and class values of the page's links,
	// images, scripts, frames, spans, divs and link elements, each once,
	// space-separated: the 党政机关网站标识 is an image or a span named
	// _ideConac, the 公安备案 a link to beian.gov.cn.
	Attrs string `json:"attrs,omitempty"`
	// Frames are the page's frames and iframes, resolved.
	Frames []string `json:"frames,omitempty"`
	// Scripts are the page's scripts, in document order.
	Scripts []Script `json:"scripts,omitempty"`
}

// Script is one <script> of a page.
type Script struct {
	Src string `json:"src,omitempty"` // as written; "" for an inline script
	// Text is the script's own text when it writes or loads markup
	// (document.write, innerHTML, load()) or names the conac mark, at most
	// maxScriptText bytes; "" otherwise.
	Text string `json:"text,omitempty"`
}

// maxScriptText bounds the text a Script keeps.
const maxScriptText = 16 << 10

// footerClass marks the element a footer excerpt is taken from.
var footerClass = regexp.MustCompile(`(?i)foot|bottom|copyright|dibu|banquan`)

// spacedTags end with a space in Footer.Text.
var spacedTags = map[atom.Atom]bool{atom.Br: true, atom.P: true, atom.Div: true, atom.Li: true, atom.Tr: true, atom.Td: true, atom.Span: true, atom.A: true}

// markTags are the elements whose attribute values Footer.Attrs keeps.
var markTags = map[atom.Atom]bool{atom.A: true, atom.Img: true, atom.Script: true, atom.Iframe: true, atom.Frame: true, atom.Span: true, atom.Div: true, atom.Link: true}

// scriptWrites are what a script that writes markup or holds the conac
// mark contains.
var scriptWrites = []string{"load(", "document.write", "innerHTML", "conac", "Conac"}

// readFooter reads a page's identity marks; base is the page's own URL.
func readFooter(doc *html.Node, base *resolver) *Footer {
	f := &Footer{}
	var attrs strings.Builder
	seen := map[string]bool{}
	var body *html.Node
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if n.DataAtom == atom.Body && body == nil {
				body = n
			}
			if markTags[n.DataAtom] {
				for _, k := range []string{"href", "src", "id", "class"} {
					if val, ok := Attr(n, k); ok && !seen[val] {
						seen[val] = true
						attrs.WriteString(val)
						attrs.WriteByte(' ')
					}
				}
			}
			switch n.DataAtom {
			case atom.Iframe, atom.Frame:
				if src, ok := Attr(n, "src"); ok {
					if u := base.resolve(src); u != "" {
						f.Frames = append(f.Frames, u)
					}
				}
			case atom.Script:
				src, _ := Attr(n, "src")
				s := Script{Src: src}
				if text := rawText(n); containsAnyOf(text, scriptWrites) {
					s.Text = text[:min(len(text), maxScriptText)]
					s.Text = strings.ToValidUTF8(s.Text, "")
				}
				f.Scripts = append(f.Scripts, s)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	f.Attrs = attrs.String()
	if body != nil {
		f.Text = Collapse(spacedText(body))
	}
	if f.Text == "" {
		f.Text = Collapse(spacedText(doc))
	}
	f.Excerpt = footerExcerpt(doc)
	if f.Excerpt == "" {
		r := []rune(f.Text)
		f.Excerpt = string(r[max(0, len(r)-200):])
	}
	return f
}

// footerExcerpt is the text of the last footer-like element that has text.
func footerExcerpt(doc *html.Node) string {
	last := ""
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if unread[n.DataAtom] {
				return
			}
			switch n.DataAtom {
			case atom.Footer, atom.Div, atom.Table, atom.P:
				id, _ := Attr(n, "id")
				class, _ := Attr(n, "class")
				if n.DataAtom == atom.Footer || footerClass.MatchString(id+" "+class) {
					if t := Collapse(spacedText(n)); t != "" {
						last = t
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return last
}

// spacedText is the text under n a reader sees, every element of
// spacedTags ending with a space.
func spacedText(n *html.Node) string { return readerText(n, spacedTags) }

// rawText is the text directly and deeply under n, scripts included (a
// script's own text).
func rawText(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

func containsAnyOf(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
