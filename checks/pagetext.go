package checks

import (
	"strings"

	"gkaudit/site"
)

// pageTextOf returns the text of a page as pageText reads it: without
// scripts, styles and site chrome (the whole text when that leaves
// nothing), white space collapsed. It is computed once per Run for the
// checks that read every page's text (content.serious_error,
// privacy.personal_info), from one parse that also keeps the chrome's text.
func (e Env) pageTextOf(p *site.Page) string { return e.textsOf(p).main }

// chromeTextOf returns the text of a page's chrome: navigation, banner,
// footer (what pageTextOf leaves out).
func (e Env) chromeTextOf(p *site.Page) string { return e.textsOf(p).chrome }

func (e Env) textsOf(p *site.Page) pageTexts {
	v := viewOf(p)
	if v == nil {
		return pageTexts{}
	}
	return pageTexts{main: v.Main, chrome: v.Chrome}
}

// pageTexts are a page's main text and its chrome's text.
type pageTexts struct{ main, chrome string }

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
