package audit

import (
	"gkaudit/site"
	"gkaudit/store"
)

// releaseBodies is the switch of bounded memory (issue 12): with it, the
// crawl drops each page's body as soon as it has been handed to the store's
// body writer (crawler.Options.ReleaseBodies), and a unit's snapshot names
// its bodies by SHA-256 only. The checks still read Page.Body, so it stays
// off until they read what they need from the store or from page views.
const releaseBodies = false

// streamBodies is the crawl's OnBody hook: each body goes to the store as it
// arrives, batched by w. A write error is kept by w and returned by its Close.
func streamBodies(w *store.BodyWriter) func(*site.Page) {
	return func(p *site.Page) { _ = w.PutPage(p) }
}
