package checks

import (
	"strings"

	"gkaudit/site"
)

// mainText returns the page's main text (page.View.Main): without scripts,
// styles and site chrome, white space collapsed; "" when all its text is
// chrome.
func mainText(p *site.Page) string {
	v := viewOf(p)
	if v == nil || v.NoMain {
		return ""
	}
	return v.Main
}

// pageText returns the page's main text, or its title and chrome text when
// it has no other (a site whose content sits in a div called "top"):
// page.View.Main.
func pageText(p *site.Page) string {
	if v := viewOf(p); v != nil {
		return v.Main
	}
	return ""
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
