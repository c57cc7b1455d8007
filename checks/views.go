package checks

import (
	"gkaudit/page"
	"gkaudit/site"
)

// Metadata is the label/value block of a document page (page.Metadata).
type Metadata = page.Metadata

// viewOf returns what one read of the page's body yields (package page):
// the view the crawler read when the body arrived, or the whole view read
// back from the store when the crawl kept a skeleton (site.Page.WholeView),
// or, for a page built without one (fixtures, records of older stores), a
// view read now and kept on the page, so that every check of the snapshot
// shares it. Checks of one snapshot run one after another, so the page
// needs no lock. nil for a nil page; a page without a body has an empty
// view.
func viewOf(p *site.Page) *page.View {
	if skeletonOf(p) == nil {
		return nil
	}
	return p.WholeView()
}

// skeletonOf returns the page's view for the fields a skeleton keeps
// (page.View.Skeleton: title, links, breadcrumb, list items, datastores,
// size, main text's length) without reading the whole view back from the
// store: a check that passes over every page for those reads nothing more.
// A page built without a view (fixtures, records of older stores) has its
// body read now, the view kept on the page for every check to share.
func skeletonOf(p *site.Page) *page.View {
	if p == nil {
		return nil
	}
	if p.View == nil {
		p.View = page.Read(p.Body, pageURL(p))
	}
	return p.View
}

// skeletonPage returns the first page whose view is a crawl's skeleton
// (page.View.Skeleton) with no way to read the whole one back
// (site.Snapshot.ReadViewsWith), or nil: the checks would judge what a
// skeleton lacks as absent.
func skeletonPage(s *site.Snapshot) *site.Page {
	for _, p := range s.Pages {
		if p != nil && !p.CanReadWhole() {
			return p
		}
	}
	return nil
}

// hasBody reports whether the page was fetched with a body to read (its
// view read at least one byte), whether or not the body is still in memory.
func hasBody(p *site.Page) bool {
	v := skeletonOf(p)
	return v != nil && v.Size > 0
}
