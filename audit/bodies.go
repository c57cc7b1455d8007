package audit

import (
	"gkaudit/site"
	"gkaudit/store"
)

// streamBodies is the crawl's OnBody hook: each body and its page's view go
// to the store as they arrive, batched by w. A write error is kept by w and
// returned by its Close.
func streamBodies(w *store.BodyWriter) func(*site.Page) {
	return func(p *site.Page) {
		if w.PutPage(p) == nil {
			_ = w.PutView(p)
		}
	}
}

// viewsHeld is how many whole views read back from the store a unit's
// checks hold at a time (site.Snapshot.ReadViewsWith): a check reads one
// page's view several times in a row, then goes on to the next page, and
// several checks pass over every page in turn. At about 20 KB a view that
// is some 10 MB, for the one unit being judged: a unit of a few hundred
// pages has each view read back once for all its checks, a larger one
// once per pass.
const viewsHeld = 512

// readViewsBack makes the snapshot's skeleton views read their whole views
// from the store when the checks ask (the crawl kept skeletons:
// crawler.Options.ReleaseBodies); a view the store lacks is read again from
// the stored body. The returned func ends it, and cuts every view back to
// its skeleton.
func readViewsBack(db *store.DB, s *site.Snapshot) (done func()) {
	s.ReadViewsWith(db.PageView, viewsHeld)
	return func() {
		s.DropViewReader()
		skeletonViews(s)
	}
}

// skeletonViews cuts the snapshot's views back to their skeletons once the
// checks are done with them.
func skeletonViews(s *site.Snapshot) {
	for _, p := range s.Pages {
		p.View = p.View.Skeleton()
	}
}
