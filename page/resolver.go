package page

import "net/url"

// resolver resolves the hrefs of a page against its own URL, each href
// once: the extractors that read a page's links meet the same ones.
type resolver struct {
	base *url.URL
	memo map[string]string
}

func newResolver(base *url.URL) *resolver {
	return &resolver{base: base, memo: map[string]string{}}
}

// resolve is Resolve against the page's own URL.
func (r *resolver) resolve(href string) string {
	u, ok := r.memo[href]
	if !ok {
		u = Resolve(r.base, href)
		r.memo[href] = u
	}
	return u
}
