package page

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"gkaudit/platform"
)

// Entry is a link of a page's content and what its list entry (the
// nearest li, tr, dd, dt, p or div around it) says besides the link's text:
// a 【有效】 tag beside a title, a cell of a 状态 column, a date.
type Entry struct {
	URL  string `json:"url"`
	Rest string `json:"rest"`
}

// maxEntryText is the longest entry, in runes: a block holding more text
// is an article or a whole list, not one entry.
const maxEntryText = 300

// readEntries returns the entries of a page's content (chrome stripped),
// then those of its script datastore's records; base is the page's own
// URL. Only entries with something beside the link are kept.
func readEntries(stripped *goquery.Document, body []byte, base *resolver) []Entry {
	var out []Entry
	if stripped != nil {
		out = entriesOf(stripped, base)
	}
	if !bytes.Contains(body, []byte("CDATA")) {
		return out
	}
	recs, _ := platform.Records(body)
	if len(recs) == 0 {
		return out
	}
	doc, err := html.Parse(strings.NewReader("<ul>" + strings.Join(recs, "") + "</ul>"))
	if err != nil {
		return out
	}
	d := goquery.NewDocumentFromNode(doc)
	StripChrome(d)
	return append(out, entriesOf(d, base)...)
}

// entriesOf lists the entries of a tree, in document order.
func entriesOf(doc *goquery.Document, base *resolver) []Entry {
	var out []Entry
	doc.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		u := base.resolve(href)
		if u == "" {
			return
		}
		entry := a.ParentsFiltered("li, tr, dd, dt, p, div").First()
		if entry.Length() == 0 {
			return
		}
		text := Collapse(entry.Text())
		if utf8.RuneCountInString(text) > maxEntryText {
			return
		}
		if title := Collapse(a.Text()); title != "" {
			text = strings.Replace(text, title, " ", 1)
		}
		if Compact(text) != "" {
			out = append(out, Entry{URL: u, Rest: text})
		}
	})
	return out
}
