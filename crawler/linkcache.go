package crawler

import (
	"sync"

	"gkaudit/site"
)

// linkCache holds the outbound links a run has checked, by URL: the units of
// a district link the same outside pages (the portal, 中国政府网, the city's
// sites), and one check a night tells them all — one HEAD and one landing
// GET instead of one per unit. Second tries are not shared: each is a
// unit's own confirmation.
type linkCache struct {
	mu   sync.Mutex
	urls map[string]*linkEntry
}

// linkEntry is one URL's check; ready is closed once res is set, so units
// asking at once wait for one check.
type linkEntry struct {
	ready chan struct{}
	res   site.Probe
	ok    bool // checked to the end (not cut short by a crawl's end or a paused host)
}

// externalProbe checks an outbound link (probe and landing page) once for
// the run, sharing the result between units; paused as probe's.
func (c *crawl) externalProbe(u string) (site.Probe, bool) {
	lc := c.hosts.links
	for {
		lc.mu.Lock()
		e, ok := lc.urls[u]
		if !ok {
			e = &linkEntry{ready: make(chan struct{})}
			lc.urls[u] = e
			lc.mu.Unlock()
			res, paused := c.probe(u)
			if !paused {
				c.landing(u, &res)
			}
			e.res, e.ok = res, !paused && c.ctx.Err() == nil
			lc.mu.Lock()
			if !e.ok {
				delete(lc.urls, u) // not shared: another unit checks it itself
			}
			lc.mu.Unlock()
			close(e.ready)
			return res, paused
		}
		lc.mu.Unlock()
		select {
		case <-e.ready:
		case <-c.ctx.Done():
			return site.Probe{URL: u}, true
		}
		if e.ok {
			res := e.res
			res.Referrers, res.Shared = nil, true
			return res, false
		}
	}
}
