package audit

import (
	"context"
	"fmt"
	"gkaudit/site"
	"gkaudit/store"
	"time"
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

// wholeViews gives the snapshot's pages their whole views back from the
// store (the crawl kept their skeletons: crawler.Options.ReleaseBodies), for
// the checks; a view the store lacks is read again from the stored body.
func wholeViews(db *store.DB, s *site.Snapshot) error {
	for _, p := range s.Pages {
		if p.View == nil || !p.View.Partial {
			continue
		}
		v, err := db.PageView(p)
		if err != nil {
			return fmt.Errorf("audit: view of %s: %w", p.URL, err)
		}
		p.View = v
	}
	return nil
}

// skeletonViews cuts the snapshot's views back to their skeletons once the
// checks are done with them.
func skeletonViews(s *site.Snapshot) {
	for _, p := range s.Pages {
		p.View = p.View.Skeleton()
	}
}

// releaseMappedEvery calls db.ReleaseMapped every period until the returned
// stop is called (or ctx ends).
func releaseMappedEvery(ctx context.Context, db *store.DB, period time.Duration) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(period)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				db.ReleaseMapped()
			}
		}
	}()
	return func() { cancel(); <-done }
}
