package page

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Sample reads a page that is not the unit's (an outbound link's landing
// page): its title and up to limit characters of text, meta keywords and
// description first (where takeover pages put their words), then the visible
// text of the body. It stops reading once it has enough.
func Sample(body []byte, limit int) (title, text string) {
	var l struct{ Title, Text string }
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		return "", ""
	}
	var meta, txt strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if txt.Len() > 4*limit {
			return // enough text; UTF-8 runes are at most 4 bytes
		}
		switch n.Type {
		case html.ElementNode:
			switch n.DataAtom {
			case atom.Title:
				if l.Title == "" {
					l.Title = Collapse(TextOf(n))
				}
				return
			case atom.Meta:
				name, _ := Attr(n, "name")
				if name = strings.ToLower(name); name == "keywords" || name == "description" {
					if v, _ := Attr(n, "content"); strings.TrimSpace(v) != "" {
						meta.WriteString(v)
						meta.WriteByte(' ')
					}
				}
				return
			case atom.Script, atom.Style, atom.Noscript, atom.Template:
				return
			}
		case html.TextNode:
			if t := strings.TrimSpace(n.Data); t != "" {
				txt.WriteString(t)
				txt.WriteByte(' ')
			}
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
	}
	walk(doc)
	l.Text = clipRunes(Collapse(meta.String()+txt.String()), limit)
	return l.Title, l.Text
}

// clipRunes shortens s to at most n runes.
func clipRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n])
}
