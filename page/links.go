package page

import (
	"bytes"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"gkaudit/platform"
)

// linkAttrs maps the elements the crawl follows to the attribute holding the
// target.
var linkAttrs = map[atom.Atom]string{
	atom.A:      "href",
	atom.Area:   "href",
	atom.Iframe: "src",
	atom.Frame:  "src",
}

// readLinks walks the parsed page for its title and links, into v. It
// returns the base the page's relative links resolve against: pageURL, or
// the page's <base href>.
func readLinks(v *View, doc *html.Node, base *url.URL) *url.URL {
	var elems []*html.Node
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Base:
				if h, ok := Attr(n, "href"); ok && h != "" {
					if b, err := base.Parse(strings.TrimSpace(h)); err == nil && (b.Scheme == "http" || b.Scheme == "https") {
						base = b
					}
				}
			case atom.Title:
				if v.Title == "" {
					v.Title = collapse(TextOf(n))
				}
			case atom.Script:
				// Hanweb and TRS list pages ship their entries as a script
				// datastore (<record><![CDATA[<li><a href=…>]]></record>)
				// that the browser renders: its links are the column's items.
				if n.FirstChild != nil && n.FirstChild.Type == html.TextNode {
					elems = append(elems, datastoreLinks(n.FirstChild.Data)...)
				}
				return
			case atom.Style, atom.Template:
				return
			}
			if _, ok := linkAttrs[n.DataAtom]; ok {
				elems = append(elems, n)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	v.Links = uniqueLinks(elems, base)
	return base
}

// uniqueLinks resolves the targets of link elements against base, each
// (URL, text) once.
func uniqueLinks(elems []*html.Node, base *url.URL) []Link {
	var out []Link
	type key struct{ u, t string }
	seen := map[key]bool{}
	for _, n := range elems {
		v, _ := Attr(n, linkAttrs[n.DataAtom])
		u := Resolve(base, v)
		if u == "" {
			continue
		}
		t := linkText(n)
		if seen[key{u, t}] {
			continue
		}
		seen[key{u, t}] = true
		out = append(out, Link{URL: u, Text: t})
	}
	return out
}

// isDatastoreXML reports whether a body is a bare XML datastore (a Hanweb
// dataproxy answer), not an HTML page carrying one in a script.
func isDatastoreXML(body []byte) bool {
	head := bytes.TrimSpace(body[:min(len(body), 512)])
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	if bytes.HasPrefix(head, []byte("<?xml")) {
		return platform.IsDatastore(body)
	}
	low := bytes.ToLower(head[:min(len(head), 16)])
	return bytes.HasPrefix(low, []byte("<datastore"))
}

// datastoreLinks returns the link elements inside the records of a script
// datastore, parsed as HTML fragments.
func datastoreLinks(script string) []*html.Node {
	if !strings.Contains(script, "<record") && !strings.Contains(script, "<RECORD") {
		return nil
	}
	var b strings.Builder
	for _, m := range datastoreRecord.FindAllStringSubmatch(script, -1) {
		b.WriteString(m[1])
		b.WriteByte('\n')
	}
	if b.Len() == 0 {
		return nil
	}
	frag, err := html.Parse(strings.NewReader("<html><body><ul>" + b.String() + "</ul></body></html>"))
	if err != nil {
		return nil
	}
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if _, ok := linkAttrs[n.DataAtom]; ok {
				out = append(out, n)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(frag)
	return out
}

// linkText is an element's visible text, or its title, or an image's alt.
func linkText(n *html.Node) string {
	if t := collapse(TextOf(n)); t != "" {
		return t
	}
	if t, _ := Attr(n, "title"); collapse(t) != "" {
		return collapse(t)
	}
	var alt string
	var find func(*html.Node)
	find = func(n *html.Node) {
		for c := n.FirstChild; c != nil && alt == ""; c = c.NextSibling {
			if c.Type == html.ElementNode && c.DataAtom == atom.Img {
				a, _ := Attr(c, "alt")
				alt = collapse(a)
			}
			find(c)
		}
	}
	find(n)
	return alt
}

// skipSchemes are link targets that are not web pages.
var skipSchemes = []string{"javascript:", "mailto:", "tel:", "data:", "about:", "vbscript:", "sms:", "file:", "ftp:"}

// Resolve makes href absolute against base and drops its fragment; it
// returns "" for anything that is not an http(s) URL.
func Resolve(base *url.URL, href string) string {
	href = strings.TrimSpace(href)
	if href == "" || strings.HasPrefix(href, "#") {
		return ""
	}
	low := strings.ToLower(href)
	for _, s := range skipSchemes {
		if strings.HasPrefix(low, s) {
			return ""
		}
	}
	// Browsers read "\" as "/" in http(s) URLs; IIS-era sites rely on it.
	href = strings.ReplaceAll(href, "\\", "/")
	u, err := base.Parse(href)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	u.Fragment, u.RawFragment = "", ""
	out := u.String()
	if _, err := url.Parse(out); err != nil {
		return "" // a host net/url accepts relative but not absolute (//:0:)
	}
	return out
}

func Attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && strings.EqualFold(a.Key, key) {
			return a.Val, true
		}
	}
	return "", false
}

// TextOf concatenates the text under n, skipping scripts and styles.
func TextOf(n *html.Node) string { return textUnder(n, scriptStyle, nil) }

// scriptStyle are the elements TextOf skips.
var scriptStyle = map[atom.Atom]bool{atom.Script: true, atom.Style: true}

// textUnder concatenates the text under n outside the elements of skip,
// every element of spaced ending with a space.
func textUnder(n *html.Node, skip, spaced map[atom.Atom]bool) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
			return
		case html.ElementNode:
			if skip[n.DataAtom] {
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if n.Type == html.ElementNode && spaced[n.DataAtom] {
			b.WriteByte(' ')
		}
	}
	walk(n)
	return b.String()
}
