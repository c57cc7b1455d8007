package page

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// ChromeClass matches class and id tokens of page chrome (navigation,
// header, footer) that every page of a site repeats. Text there says nothing
// about the page itself: a footer's 地址/电话 must not satisfy a rule about
// 机构信息.
var ChromeClass = regexp.MustCompile(`(?i)(^|[\s_-])(nav|navbar|menu|foot|footer|top|topbar|bottom|copyright|banner|crumb|breadcrumb|position|location|weizhi|dqwz|share|search|skip)([\s_-]|\d|$)`)

// tree is one page's parse as the extractors share it: the document as
// parsed, and a copy without scripts, styles and chrome (stripChrome) for
// the views that read the page's content. Extractors must not change
// either; one that edits a tree works on its own clone.
type tree struct {
	doc      *html.Node
	stripped *goquery.Document
}

func newTree(doc *html.Node) *tree {
	s := goquery.NewDocumentFromNode(clone(doc))
	StripChrome(s)
	return &tree{doc: doc, stripped: s}
}

// strippedClone is a copy of the stripped tree that the caller may edit.
func (t *tree) strippedClone() *goquery.Document {
	return goquery.NewDocumentFromNode(clone(t.stripped.Nodes[0]))
}

// StripChrome removes scripts, styles and page chrome (nav, header, footer
// and elements whose class or id says so).
func StripChrome(doc *goquery.Document) {
	doc.Find("script, style, noscript, nav, header, footer, template").Remove()
	doc.Find("[class], [id]").Each(func(_ int, s *goquery.Selection) {
		cls, _ := s.Attr("class")
		id, _ := s.Attr("id")
		if ChromeClass.MatchString(cls) || ChromeClass.MatchString(id) {
			s.Remove()
		}
	})
}

// clone deep-copies the tree under n (n itself a root: its parent and
// siblings are not copied).
func clone(n *html.Node) *html.Node {
	c := &html.Node{Type: n.Type, DataAtom: n.DataAtom, Data: n.Data, Namespace: n.Namespace}
	if len(n.Attr) > 0 {
		c.Attr = append([]html.Attribute(nil), n.Attr...)
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		cc := clone(ch)
		cc.Parent = c
		if c.LastChild == nil {
			c.FirstChild = cc
		} else {
			c.LastChild.NextSibling = cc
			cc.PrevSibling = c.LastChild
		}
		c.LastChild = cc
	}
	return c
}

// Collapse folds every run of white space (including the full-width space
// U+3000 and &nbsp;) into one ASCII space and trims the ends; bytes that
// are not UTF-8 become U+FFFD.
func Collapse(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) || r == '\u3000' || r == '\u00a0' {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// collapse is Collapse, for the package's own use.
func collapse(s string) string { return Collapse(s) }

// Compact removes all white space, so that labels written with inner spaces
// (文　　号, 办 公 地 址) match their plain form.
func Compact(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\u3000' || r == '\u00a0' {
			return -1
		}
		return r
	}, s)
}

// Clip shortens s, trimmed, to at most n runes, marking the cut with "…".
func Clip(s string, n int) string {
	s = strings.TrimSpace(s)
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
