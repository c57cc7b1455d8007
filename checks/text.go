package checks

import (
	"strings"

	"gkaudit/page"
	"gkaudit/site"
)

// This file holds the texts of a page as the checks read them (its main
// text, its chrome's, its article's) and the text helpers they share.

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
	if skeletonOf(p) == nil {
		return ""
	}
	return p.MainText()
}

// hiddenLinks returns the links the page hides from its readers
// (page.View.Hidden), nil when it holds no way of hiding.
func hiddenLinks(p *site.Page) *page.Hidden {
	if skeletonOf(p) == nil {
		return nil
	}
	return p.HiddenLinks()
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

// bodyText returns the text of a page without scripts, chrome (nav, header,
// footer) and link lists (side menus, column trees, related-links boxes):
// the article or guide itself (page.View.ArticleText). It falls back to
// pageText when nothing is left.
func bodyText(p *site.Page) string {
	if !hasBody(p) {
		return ""
	}
	return viewOf(p).ArticleText()
}

// normText normalises a link text or title for matching: no white space, no
// brackets or quotes.
func normText(s string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(" \t\r\n\u3000\u00a0【】[]()（）《》〈〉〔〕「」『』<>\"“”'‘’·•●■□◆◇▪►▶»›>|", r) {
			return -1
		}
		return r
	}, s)
}

// firstWord returns the first of words that s contains, or "".
func firstWord(s string, words []string) string {
	for _, w := range words {
		if w != "" && strings.Contains(s, w) {
			return w
		}
	}
	return ""
}

// chromeText returns the text of a page's chrome: navigation, banner,
// footer (what mainText leaves out; page.View.Chrome).
func chromeText(p *site.Page) string {
	if v := viewOf(p); v != nil {
		return v.Chrome
	}
	return ""
}

// textPages returns the pages whose text the content checks read: fetched
// HTML pages with a body, each once (a page fetched under two URLs counts
// once, by its digest).
func textPages(s *site.Snapshot) []*site.Page {
	var out []*site.Page
	seen := map[string]bool{}
	for _, p := range s.Pages {
		if !p.OK() || !hasBody(p) || !isHTMLContent(p.ContentType) {
			continue
		}
		if p.SHA256 != "" {
			if seen[p.SHA256] {
				continue
			}
			seen[p.SHA256] = true
		}
		out = append(out, p)
	}
	return out
}

// isHTMLContent reports whether a page's Content-Type is HTML (or unknown,
// as fixtures and some servers leave it).
func isHTMLContent(ct string) bool {
	ct = strings.ToLower(ct)
	return ct == "" || strings.Contains(ct, "html")
}
