package checks

import (
	"maps"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gkaudit/page"
	"gkaudit/site"
)

// This file holds the document pages the catalogue, policy and 解读 checks
// read: the articles columns list, and their metadata as checked.

// docPage is a page listed as an item by a column.
type docPage struct {
	Page   *site.Page
	URL    string    // the item's URL as listed
	Title  string    // the list's title, else the page's own
	Date   time.Time // the list's date, zero when none
	Column site.Column
}

// docsOf returns the fetched article pages listed by the given columns, once
// each, in list order. Items that are themselves columns, attachments or
// pages that were not fetched are left out.
func (c *columnSet) docsOf(cols []site.Column) []docPage {
	var out []docPage
	seen := map[string]bool{}
	for _, col := range cols {
		if !c.s.Page(col.URL).OK() {
			continue
		}
		for _, it := range c.itemsOf(col.URL) {
			p := c.s.Page(it.URL)
			if !p.OK() || c.isColumn(it.URL) || seen[pageURL(p)] || seen[it.URL] {
				continue
			}
			seen[pageURL(p)], seen[it.URL] = true, true
			title := it.Title
			if title == "" {
				title = articleTitle(p)
			}
			out = append(out, docPage{Page: p, URL: it.URL, Title: title, Date: it.Date, Column: col})
		}
	}
	return out
}

// blankValue matches values that fill a field without saying anything:
// 无, 暂无, -, /, 空.
var blankValue = regexp.MustCompile(`^[\s　\-—－/／\\_.。·*]*(无|暂无|空|无文号|/|／|-|—|－)?[\s　\-—－/／\\_.。·*]*$`)

// isBlank reports whether a field's value says nothing.
func isBlank(v string) bool {
	return blankValue.MatchString(strings.TrimFunc(v, func(r rune) bool { return unicode.IsSpace(r) || r == '\u3000' }))
}

// maxMetaValue bounds the length, in runes, of a plausible value of each
// metadata field.
var maxMetaValue = map[string]int{"index_no": 60, "publisher": 60, "doc_no": 40, "validity": 30, "topic": 60,
	"written": 30, "published": 30, "effective": 30, "expires": 30, "period": 40}

// docMeta reads a document page's metadata and drops values that cannot be
// the field's: where a label's own cell is empty, the reader may take the
// next text on the page (the article's title) for its value. A value that is
// the page's title, or longer than any real value of its field, is empty.
func docMeta(p *site.Page) Metadata {
	m := viewOf(p).Meta
	m.Fields = maps.Clone(m.Fields) // the view is shared: the checks that read it after see it as read
	title := ""
	for f, v := range m.Fields {
		if v == "" || f == "title" {
			continue
		}
		n := utf8.RuneCountInString(v)
		if limit, ok := maxMetaValue[f]; ok && n > limit {
			m.Fields[f] = ""
			continue
		}
		if n >= 8 {
			if title == "" {
				title = page.Compact(articleTitle(p))
			}
			if cv := page.Compact(v); title != "" && (cv == title || strings.HasPrefix(cv, title)) {
				m.Fields[f] = ""
			}
		}
	}
	return m
}
