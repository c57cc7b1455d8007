package crawler

import (
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"gkaudit/page"
	"gkaudit/platform"
)

// maxColumnPages bounds the further list pages the crawl derives for one
// column from its platform's script (dataproxy ranges, TRS index_N pages):
// the checks read at most that many pages of a column (checks.maxListPages),
// and every one counts against the unit's page budget like any other page.
const maxColumnPages = 60

// parsed is what the crawl takes from a page's view besides its title and
// links: the breadcrumb with its links, and the platform script of its list.
type parsed struct {
	crumbs []page.Crumb
	list   listScript
}

// listScript is what a page's platform script says about its list, read
// when the page is parsed (outside the crawl's lock).
type listScript struct {
	hanweb *platform.Hanweb
	trs    *platform.TRSPager
}

// listScriptOf is a fetched page's Hanweb datastore or TRS pager. A
// dataproxy answer is never read again for more requests: the list page
// planned them all.
func listScriptOf(j *job, v *page.View) listScript {
	var ls listScript
	if j.form != "" {
		return ls
	}
	if v.Hanweb != nil && v.Hanweb.Readable() {
		ls.hanweb = v.Hanweb
	}
	if v.TRS != nil && v.TRS.Count > 1 {
		ls.trs = v.TRS
	}
	return ls
}

// followListScript queues the further pages of a list its platform's script
// builds: the dataproxy POSTs for the records beyond a Hanweb page's
// datastore, the static index_N pages of a TRS pager. They go through the
// same frontier as links (scope, robots, depth, the page budget, the host's
// politeness budget and retries apply). Callers hold c.mu.
func (c *crawl) followListScript(j *job, pu *url.URL, ls listScript) {
	if pu == nil {
		return
	}
	if h := ls.hanweb; h != nil {
		form := h.FormBody()
		for _, r := range h.Remaining(maxColumnPages) {
			u, err := h.RequestURL(pu, r)
			if err != nil {
				return
			}
			if !c.queueDerived(j, u, form, pu.String()) {
				break
			}
		}
	}
	c.followTRS(j, pu, ls.trs)
}

// queueDerived queues one page a list script leads to, as follow queues a
// link; false when the depth or page budget stops the column's pages.
// Callers hold c.mu.
func (c *crawl) queueDerived(j *job, raw, form, referer string) bool {
	u, err := url.Parse(raw)
	if err != nil || !c.scope.contains(u) {
		return true
	}
	n := normURL(u)
	if c.seen[n] {
		return true
	}
	if j.depth+1 > c.pol.MaxDepth {
		c.depthHit = true
		return false
	}
	if c.admitted >= c.pol.MaxPagesPerUnit {
		c.pageBudgetHit = true
		return false
	}
	c.seen[n] = true
	c.admitted++
	c.queue = append(c.queue, &job{url: raw, u: u, depth: j.depth + 1, form: form, referer: referer})
	if form != "" {
		if c.forms == nil {
			c.forms = map[string][2]string{}
		}
		c.forms[raw] = [2]string{form, referer} // a second try posts it again
	}
	return true
}

// setProxyHeaders sets the headers the jpage script sends with a dataproxy
// POST: some Hanweb servers answer nothing without them.
func setProxyHeaders(h http.Header, referer string) {
	h.Set("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
	h.Set("Accept", "application/xml, text/xml, */*; q=0.01")
	h.Set("X-Requested-With", "XMLHttpRequest")
	if referer != "" {
		h.Set("Referer", referer)
	}
}

// isXMLType reports whether a Content-Type is XML (dataproxy answers come
// as text/xml, application/xml or, from some servers, text/plain).
func isXMLType(ct string) bool {
	switch mediaType(ct) {
	case "text/xml", "application/xml", "text/plain":
		return true
	}
	return false
}

// xmlDeclEncoding matches the encoding of an XML declaration.
var xmlDeclEncoding = regexp.MustCompile(`^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9_\-]{1,20})["']`)

// xmlCharset returns the Content-Type of a dataproxy answer with the
// charset of its XML declaration added when the header names none: HTML
// charset sniffing reads meta tags, not XML declarations.
func xmlCharset(ct string, raw []byte) string {
	if _, params, err := mime.ParseMediaType(ct); err == nil && params["charset"] != "" {
		return ct
	}
	m := xmlDeclEncoding.FindSubmatch(raw[:min(len(raw), 200)])
	if m == nil {
		return ct
	}
	mt := mediaType(ct)
	if mt == "" {
		mt = "text/xml"
	}
	return mt + "; charset=" + strings.ToLower(string(m[1]))
}
