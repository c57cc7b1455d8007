package crawler

import (
	"bytes"
	"net/url"
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"gkaudit/platform"
	"gkaudit/site"
)

// parsed is what one HTML page yields.
type parsed struct {
	title  string
	links  []site.Link
	crumbs []crumb
	list   listScript // the platform script of the page's list (hanweb.go)
}

// crumb is one segment of a breadcrumb trail; URL is its link, if any.
type crumb struct {
	Text string
	URL  string
}

// linkAttrs maps the elements the crawl follows to the attribute holding the
// target.
var linkAttrs = map[atom.Atom]string{
	atom.A:      "href",
	atom.Area:   "href",
	atom.Iframe: "src",
	atom.Frame:  "src",
}

// extract parses a UTF-8 page fetched from base and returns its title, its
// outgoing links (absolute, fragment removed, each (URL, text) once) and its
// breadcrumb. It never fails: broken HTML yields what could be found.
func extract(body []byte, base *url.URL) parsed {
	var out parsed
	if isDatastoreXML(body) {
		// A dataproxy answer: XML whose records are HTML fragments.
		out.links = uniqueLinks(datastoreLinks(string(body)), base)
		return out
	}
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		return out
	}
	var elems []*html.Node
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Base:
				if h, ok := attr(n, "href"); ok && h != "" {
					if b, err := base.Parse(strings.TrimSpace(h)); err == nil && (b.Scheme == "http" || b.Scheme == "https") {
						base = b
					}
				}
			case atom.Title:
				if out.title == "" {
					out.title = collapse(textOf(n))
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
	out.links = uniqueLinks(elems, base)
	out.crumbs = findBreadcrumb(doc, base)
	return out
}

// uniqueLinks resolves the targets of link elements against base, each
// (URL, text) once.
func uniqueLinks(elems []*html.Node, base *url.URL) []site.Link {
	var out []site.Link
	type key struct{ u, t string }
	seen := map[key]bool{}
	for _, n := range elems {
		v, _ := attr(n, linkAttrs[n.DataAtom])
		u := resolve(base, v)
		if u == "" {
			continue
		}
		t := linkText(n)
		if seen[key{u, t}] {
			continue
		}
		seen[key{u, t}] = true
		out = append(out, site.Link{URL: u, Text: t})
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

// datastoreRecord matches one record of a script datastore.
var datastoreRecord = regexp.MustCompile(`(?is)<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>`)

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
	if t := collapse(textOf(n)); t != "" {
		return t
	}
	if t, _ := attr(n, "title"); collapse(t) != "" {
		return collapse(t)
	}
	var alt string
	var find func(*html.Node)
	find = func(n *html.Node) {
		for c := n.FirstChild; c != nil && alt == ""; c = c.NextSibling {
			if c.Type == html.ElementNode && c.DataAtom == atom.Img {
				a, _ := attr(c, "alt")
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

// resolve makes href absolute against base and drops its fragment; it
// returns "" for anything that is not an http(s) URL.
func resolve(base *url.URL, href string) string {
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

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && strings.EqualFold(a.Key, key) {
			return a.Val, true
		}
	}
	return "", false
}

// textOf concatenates the text under n, skipping scripts and styles.
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
			return
		case html.ElementNode:
			if n.DataAtom == atom.Script || n.DataAtom == atom.Style {
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// collapse trims s and collapses runs of white space (including full-width
// and non-breaking spaces) to one space.
func collapse(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
