package audit

import (
	"gkaudit/site"
	"gkaudit/store"
)

// streamBodies is the crawl's OnBody hook: each body goes to the store as it
// arrives, batched by w. A write error is kept by w and returned by its Close.
func streamBodies(w *store.BodyWriter) func(*site.Page) {
	return func(p *site.Page) { _ = w.PutPage(p) }
}
