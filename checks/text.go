package checks

import (
	"bytes"
	"strings"

	"github.com/PuerkitoBio/goquery"

	"gkaudit/page"
	"gkaudit/site"
)

// mainText returns the text of a page without scripts, styles and site chrome,
// with runs of whitespace collapsed to one space.
func mainText(p *site.Page) string {
	if p == nil || len(p.Body) == 0 {
		return ""
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(p.HTML()))
	if err != nil {
		return ""
	}
	page.StripChrome(doc)
	// Block elements end a line, so "地址：" in one cell does not run into the
	// next cell's label.
	doc.Find("br, p, div, li, tr, td, th, dt, dd, h1, h2, h3, h4, h5, h6, table").Each(func(_ int, s *goquery.Selection) {
		s.AppendHtml(" ")
	})
	return page.Collapse(doc.Find("body").Text())
}

// pageText returns mainText, or the whole page's text when stripping the
// chrome left nothing (a site whose content sits in a div called "top").
func pageText(p *site.Page) string {
	if t := mainText(p); t != "" {
		return t
	}
	if p == nil || len(p.Body) == 0 {
		return ""
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(p.HTML()))
	if err != nil {
		return ""
	}
	doc.Find("script, style, noscript").Remove()
	return page.Collapse(doc.Text())
}

// containsAny reports whether s contains one of words (empty words never
// match).
func containsAny(s string, words []string) bool {
	for _, w := range words {
		if w != "" && strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// excerptAround returns up to n runes of text around the first occurrence of
// word, or the start of the text when word is absent.
func excerptAround(text, word string, n int) string {
	r := []rune(text)
	at := 0
	if word != "" {
		if i := strings.Index(text, word); i >= 0 {
			at = len([]rune(text[:i]))
		}
	}
	start := at - n/4
	if start < 0 {
		start = 0
	}
	end := start + n
	if end > len(r) {
		end = len(r)
	}
	return string(r[start:end])
}
