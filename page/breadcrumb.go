package page

import (
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// crumbKeys are substrings of the class or id of a location trail's element.
var crumbKeys = []string{"bread", "crumb", "position", "location", "weizhi", "dqwz", "path"}

// crumbLabel matches the label a trail starts with: 当前位置：, 您的位置:,
// 你的位置, 所在位置, 您现在的位置是： ...
var crumbLabel = regexp.MustCompile(`^(?:您|你)?(?:现在|当前|目前)?(?:的|所在|所处)?的?(?:位置|栏目)(?:是|为)?\s*[:：]?\s*`)

// crumbSeps are the runes that separate a trail's segments (>, ›, », /, →, ＞,
// ／ ..., and runs of them such as >>).
var crumbSeps = map[rune]bool{'>': true, '›': true, '»': true, '/': true, '→': true, '＞': true, '／': true, '〉': true, '►': true, '▶': true, '\\': true}

// crumbInline are elements that do not end a segment; any other element does
// (list items, icons, CSS-decorated spans separate segments without a
// separator character).
var crumbInline = map[atom.Atom]bool{atom.B: true, atom.Strong: true, atom.Font: true, atom.Em: true, atom.U: true}

const (
	maxCrumbText     = 400 // runes; a longer element is a page region, not a trail
	maxCrumbSegments = 15
)

// findBreadcrumb returns the page's location trail: the first element, in
// document order, whose class or id names a trail (bread, crumb, position,
// location, weizhi, dqwz, path) or whose text starts with a 当前位置-style
// label, and which splits into a plausible trail.
func findBreadcrumb(doc *html.Node, base *url.URL) []Crumb {
	var found []Crumb
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if found != nil {
			return
		}
		switch n.Type {
		case html.ElementNode:
			switch n.DataAtom {
			case atom.Script, atom.Style, atom.Head, atom.Template, atom.Select:
				return
			}
			if isCrumbElement(n) {
				if c := splitCrumb(n, base); c != nil {
					found = c
					return
				}
			}
		case html.TextNode:
			t := strings.TrimSpace(n.Data)
			if m := crumbLabel.FindString(t); m != "" && !strings.HasPrefix(m, "位置") && !strings.HasPrefix(m, "栏目") {
				// A text label needs its 当前/您的/所在 ...: a bare 位置 is too common.
				// Climb from the label to the element that holds the trail.
				for e, i := n.Parent, 0; e != nil && e.Type == html.ElementNode && e.DataAtom != atom.Body && i < 4; e, i = e.Parent, i+1 {
					if c := splitCrumb(e, base); c != nil {
						found = c
						return
					}
				}
			}
		}
		for c := n.FirstChild; c != nil && found == nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return found
}

func isCrumbElement(n *html.Node) bool {
	if n.DataAtom == atom.Html || n.DataAtom == atom.Body {
		return false
	}
	for _, k := range []string{"class", "id"} {
		v, _ := Attr(n, k)
		for _, tok := range strings.Fields(strings.ToLower(v)) {
			if strings.HasPrefix(tok, "position-") {
				continue // CSS utility classes (position-relative ...)
			}
			for _, key := range crumbKeys {
				if strings.Contains(tok, key) {
					return true
				}
			}
		}
	}
	return false
}

func (c Crumb) isLink() bool { return c.URL != "" }

// labelLen is the length of the 当前位置-style label s starts with, or 0. A
// bare 位置/栏目 counts only with a colon.
func labelLen(s string) int {
	m := crumbLabel.FindString(s)
	if m == "" {
		return 0
	}
	if (strings.HasPrefix(m, "位置") || strings.HasPrefix(m, "栏目")) && !strings.ContainsAny(m, ":：") {
		return 0
	}
	return len(m)
}

// splitCrumb splits an element into trail segments, or returns nil when it
// does not look like a trail.
func splitCrumb(n *html.Node, base *url.URL) []Crumb {
	if utf8.RuneCountInString(TextOf(n)) > maxCrumbText {
		return nil
	}
	var (
		out     []Crumb
		cur     strings.Builder
		seps    int
		anchors int
	)
	flush := func() {
		if t := trimSeps(collapse(cur.String())); t != "" {
			out = append(out, Crumb{Text: t})
		}
		cur.Reset()
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				parts := splitSeps(c.Data)
				for i, p := range parts {
					cur.WriteString(p)
					if i < len(parts)-1 {
						flush()
						seps++
					}
				}
			case html.ElementNode:
				switch {
				case c.DataAtom == atom.Script || c.DataAtom == atom.Style || c.DataAtom == atom.Select:
				case c.DataAtom == atom.A:
					flush()
					if t := trimSeps(collapse(TextOf(c))); t != "" {
						h, _ := Attr(c, "href")
						out = append(out, Crumb{Text: t, URL: Resolve(base, h)})
						anchors++
					}
				case crumbInline[c.DataAtom]:
					walk(c)
				default:
					flush()
					walk(c)
					flush()
				}
			}
		}
	}
	walk(n)
	flush()

	// Drop the label and anything before it (icons, stray text).
	labelled := false
	for i, c := range out {
		if n := labelLen(c.Text); n > 0 && !c.isLink() {
			labelled = true
			out[i].Text = strings.TrimSpace(c.Text[n:])
			out = out[i:]
			if out[0].Text == "" {
				out = out[1:]
			}
			break
		}
	}
	kept := out[:0]
	for _, c := range out {
		if strings.IndexFunc(c.Text, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0 {
			kept = append(kept, c)
		}
	}
	out = kept
	if len(out) > maxCrumbSegments {
		return nil
	}
	if (labelled && len(out) >= 1) || (len(out) >= 2 && (seps > 0 || anchors >= 2)) {
		return out
	}
	return nil
}

// splitSeps splits text at runs of separator runes and at ">>"-style runs.
func splitSeps(s string) []string {
	var parts []string
	start, inSep := 0, false
	for i, r := range s {
		switch {
		case crumbSeps[r] && !inSep:
			parts = append(parts, s[start:i])
			inSep = true
		case !crumbSeps[r] && inSep:
			start, inSep = i, false
		}
	}
	if inSep {
		parts = append(parts, "")
	} else {
		parts = append(parts, s[start:])
	}
	return parts
}

// trimSeps removes separator runes and white space around a segment.
func trimSeps(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return crumbSeps[r] || unicode.IsSpace(r) })
}
