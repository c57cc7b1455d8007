package checks

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"gkaudit/site"
)

// pageTextOf returns the text of a page as pageText reads it: without
// scripts, styles and site chrome (the whole text when that leaves
// nothing), white space collapsed. It is computed once per Run for the
// checks that read every page's text (content.serious_error,
// privacy.personal_info), from one parse that also keeps the chrome's text.
func (e Env) pageTextOf(p *site.Page) string { return e.textsOf(p).main }

// chromeTextOf returns the text of a page's chrome: navigation, banner,
// footer (what pageTextOf leaves out).
func (e Env) chromeTextOf(p *site.Page) string { return e.textsOf(p).chrome }

func (e Env) textsOf(p *site.Page) pageTexts {
	if e.memo == nil || e.memo.snap == nil {
		return readTexts(p)
	}
	if e.memo.texts == nil {
		e.memo.texts = map[*site.Page]pageTexts{}
	}
	t, ok := e.memo.texts[p]
	if !ok {
		t = readTexts(p)
		e.memo.texts[p] = t
	}
	return t
}

// pageTexts are a page's main text and its chrome's text.
type pageTexts struct{ main, chrome string }

// readTexts walks the parsed page once: scripts and styles are dropped,
// nav/header/footer and elements whose class or id names chrome
// (chromeClass) go to the chrome text, the rest of the body to the main
// text; block elements end with a space, as in mainText. A page with no
// main text reads as its title and chrome, as pageText falls back.
func readTexts(p *site.Page) pageTexts {
	if p == nil || len(p.Body) == 0 {
		return pageTexts{}
	}
	doc, err := html.Parse(bytes.NewReader(p.HTML()))
	if err != nil {
		return pageTexts{}
	}
	var main, chrome, head strings.Builder
	var walk func(n *html.Node, inBody, inChrome bool)
	walk = func(n *html.Node, inBody, inChrome bool) {
		switch n.Type {
		case html.TextNode:
			switch {
			case inChrome:
				chrome.WriteString(n.Data)
			case inBody:
				main.WriteString(n.Data)
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
					if (a.Key == "class" || a.Key == "id") && chromeClass.MatchString(a.Val) {
						inChrome = true
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inBody, inChrome)
		}
		if n.Type == html.ElementNode && textBlocks[n.DataAtom] {
			if inChrome {
				chrome.WriteByte(' ')
			} else if inBody {
				main.WriteByte(' ')
			}
		}
	}
	walk(doc, false, false)
	t := pageTexts{main: collapse(main.String()), chrome: collapse(chrome.String())}
	if t.main == "" {
		t.main = collapse(head.String() + " " + chrome.String())
	}
	return t
}

// textBlocks are the elements after which mainText breaks the text.
var textBlocks = map[atom.Atom]bool{
	atom.Br: true, atom.P: true, atom.Div: true, atom.Li: true, atom.Tr: true, atom.Td: true, atom.Th: true,
	atom.Dt: true, atom.Dd: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true,
	atom.H6: true, atom.Table: true,
}

// textPages returns the pages whose text the content checks read: fetched
// HTML pages with a body, each once (a page fetched under two URLs counts
// once, by its digest).
func textPages(s *site.Snapshot) []*site.Page {
	var out []*site.Page
	seen := map[string]bool{}
	for _, p := range s.Pages {
		if !p.OK() || len(p.Body) == 0 || !isHTMLContent(p.ContentType) {
			continue
		}
		if p.SHA256 != "" {
			if seen[p.SHA256] {
				continue
			}
			seen[p.SHA256] = true
		}
		out = append(out, p)
	}
	return out
}

// isHTMLContent reports whether a page's Content-Type is HTML (or unknown,
// as fixtures and some servers leave it).
func isHTMLContent(ct string) bool {
	ct = strings.ToLower(ct)
	return ct == "" || strings.Contains(ct, "html")
}
