package checks

import (
	"strings"

	"gkaudit/site"
)

// pageTextOf returns pageText(p), computed once per Run for the checks that
// read every page's text (content.serious_error, privacy.personal_info).
func (e Env) pageTextOf(p *site.Page) string {
	if e.memo == nil || e.memo.snap == nil {
		return pageText(p)
	}
	if e.memo.texts == nil {
		e.memo.texts = map[*site.Page]string{}
	}
	t, ok := e.memo.texts[p]
	if !ok {
		t = pageText(p)
		e.memo.texts[p] = t
	}
	return t
}

// textPages returns the pages whose text the content checks read: fetched
// HTML pages with a body, each once (a page fetched under two URLs counts
// once, by its digest).
func textPages(s *site.Snapshot) []*site.Page {
	var out []*site.Page
	seen := map[string]bool{}
	for _, p := range s.Pages {
		if !p.OK() || len(p.Body) == 0 || !isHTMLContent(p.ContentType) {
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
