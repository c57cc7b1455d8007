package crawler

import (
	"net/url"

	"gkaudit/platform"
)

// followTRS queues the static pages a TRS WCM pager names
// (createPageHTML(count, current, "index", "html") writes links to
// index_1.html … index_{count-1}.html in the browser; the page itself has
// none). Callers hold c.mu.
func (c *crawl) followTRS(j *job, pu *url.URL, p *platform.TRSPager) {
	if p == nil {
		return
	}
	for _, u := range p.PageURLs(pu, maxColumnPages) {
		if !c.queueDerived(j, u, "", "") {
			return
		}
	}
}
