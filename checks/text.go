package checks

import (
	"bytes"
	"regexp"
	"strings"
	"unicode"

	"github.com/PuerkitoBio/goquery"

	"gkaudit/site"
)

// chromeClass matches class and id tokens of page chrome (navigation, header,
// footer) that every page of a site repeats. Text there says nothing about the
// page itself: a footer's 地址/电话 must not satisfy a rule about 机构信息.
var chromeClass = regexp.MustCompile(`(?i)(^|[\s_-])(nav|navbar|menu|foot|footer|top|topbar|bottom|copyright|banner|crumb|breadcrumb|position|location|weizhi|dqwz|share|search|skip)([\s_-]|\d|$)`)

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
	stripChrome(doc)
	// Block elements end a line, so "地址：" in one cell does not run into the
	// next cell's label.
	doc.Find("br, p, div, li, tr, td, th, dt, dd, h1, h2, h3, h4, h5, h6, table").Each(func(_ int, s *goquery.Selection) {
		s.AppendHtml(" ")
	})
	return collapse(doc.Find("body").Text())
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
	return collapse(doc.Text())
}

// collapse folds every run of white space (including the full-width space
// U+3000 and &nbsp;) into one ASCII space.
func collapse(s string) string {
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

// compact removes all white space, so that labels written with inner spaces
// (文　　号, 办 公 地 址) match their plain form.
func compact(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\u3000' || r == '\u00a0' {
			return -1
		}
		return r
	}, s)
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
