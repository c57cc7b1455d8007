package crawler

import (
	"time"

	"gkaudit/page"
	"gkaudit/site"
)

// ListEntry is one entry of a list page, as the revisit policy compares it
// from run to run.
type ListEntry struct {
	URL, Title, Date string
}

// Revisit is the revisit policy of a re-crawl (Options.Revisit; it needs
// Options.Previous). A column's list pages are fetched every run, with one
// exception below. A page that some list of this run links to with the entry
// it had in the same list last run, and with no other entry that changed, is
// an article nobody touched: unless Due says tonight is its night, no request
// is sent for it, and the previous run's record is carried forward
// (site.Page.CarriedForward), its links followed from the stored body.
// Attachments and outbound links are carried forward the same way: their
// previous probe, unless Due or broken.
//
// The exception: a further page of a list (page 2, 3 …, reached through the
// pagination of a list page whose entries are all unchanged) is carried like
// an article. Lists put their newest entries first, so a new entry changes
// the first page, and then every page its pagination links to is fetched;
// an edit deep in a list is found on its page's night of the rotation, like
// an edit inside an article.
type Revisit struct {
	// Entries returns the list entries of a page; nil for a page that lists
	// nothing.
	Entries func(p *site.Page) []ListEntry
	// Pager returns the further list pages a list page's pagination links
	// to; nil when it has none (then every list page is fetched every run).
	Pager func(p *site.Page) []string
	// Due reports whether a page or probe that could be carried forward must
	// be confirmed this run; last is when it was last fetched or confirmed.
	Due func(url string, last time.Time) bool
	// PreviousProbe returns the previous run's probe of a URL.
	PreviousProbe func(url string) (site.Probe, bool)
	// PreviousAttachment returns the previous run's record of an attachment
	// whose text was read (without the text); AttachmentText reads that
	// text back. An attachment not due is carried forward with it.
	PreviousAttachment func(url string) (site.Attachment, bool)
	AttachmentText     func(a site.Attachment) (string, error)
}

// noteEntries compares a page's list entries with those of the previous
// run's version of the page and records, per linked URL, whether its entry
// stayed the same, and whether the further list pages its pagination links to
// hang off an unchanged list. A page carried forward as a further list page
// is unchanged by definition. Called without c.mu: it parses.
func (c *crawl) noteEntries(j *job, p *site.Page) {
	rev := c.opt.Revisit
	if rev == nil || rev.Entries == nil || c.opt.Previous == nil || p == nil || !p.OK() || p.View == nil || p.View.Size == 0 || p.CarriedForward && !j.paged {
		return
	}
	cur := rev.Entries(p)
	if len(cur) == 0 {
		return
	}
	var prev []ListEntry
	if p.NotModified || p.CarriedForward {
		prev = cur // the server confirmed the body, or it is the stored one: the same entries
	} else if pp, ok := c.opt.Previous(j.url); ok && pp.Page != nil && pp.Body != nil && pp.Page.OK() {
		old := *pp.Page
		if old.View = pp.storedView(viewBase(&old)); old.View != nil {
			prev = rev.Entries(&old)
		} else if body, err := pp.Body(); err == nil {
			old.Body = body
			prev = rev.Entries(&old)
		}
	}
	var further []string
	if rev.Pager != nil {
		further = rev.Pager(p)
	}
	before := make(map[string]ListEntry, len(prev))
	for _, e := range prev {
		before[e.URL] = e
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	changed := len(prev) != len(cur)
	for _, e := range cur {
		if pe, ok := before[e.URL]; ok && pe == e {
			c.listedSame[e.URL] = true
		} else {
			c.listedChanged[e.URL] = true
			changed = true
		}
	}
	for _, u := range further {
		if changed {
			c.pagedChanged[u] = true
		} else {
			c.pagedSame[u] = true
		}
	}
}

// carry records a job as carried forward from the previous run, without a
// request, when the revisit policy allows it; false when the job is to be
// fetched. It runs on the dispatcher goroutine, on a job's first attempt.
func (c *crawl) carry(j *job) bool {
	rev := c.opt.Revisit
	if rev == nil || rev.Due == nil || c.opt.Previous == nil || j.entry {
		return false
	}
	c.mu.Lock()
	same := c.listedSame[j.url] && !c.listedChanged[j.url]
	paged := !same && c.pagedSame[j.url] && !c.pagedChanged[j.url] && !c.isColumn(j.url)
	c.mu.Unlock()
	if !same && !paged {
		return false // new, changed or not an article: fetched
	}
	pp, ok := c.opt.Previous(j.url)
	if !ok || pp.Page == nil || pp.Body == nil || !pp.Page.OK() || pp.Page.SHA256 == "" {
		return false
	}
	old := pp.Page
	if rev.Due(j.url, old.FetchedAt) {
		return false
	}
	// Bodies that leave memory once read need not come back for a page
	// whose view is stored (reusePage).
	var view *page.View
	if c.opt.ReleaseBodies {
		view = pp.storedView(viewBase(old))
	}
	var body []byte
	if view == nil {
		var ok bool
		if body, ok = pp.verifiedBody(); !ok {
			return false
		}
	}

	p := &site.Page{URL: j.url, FinalURL: old.FinalURL, Status: old.Status, ContentType: old.ContentType,
		Charset: old.Charset, FetchedAt: old.FetchedAt, Depth: j.depth, Body: body, SHA256: old.SHA256,
		Truncated: old.Truncated, ETag: old.ETag, LastModified: old.LastModified, RawSHA256: old.RawSHA256,
		CarriedForward: true, Origin: old.Exchanges}
	if p.FinalURL == "" {
		p.FinalURL = j.url
	}
	if old.NotModified || old.CarriedForward {
		p.Origin = old.Origin // the full fetch, however many nights ago
	}
	j.paged = paged
	var pr *parsed
	if view != nil {
		pr = c.parsed(j, p, view)
	} else {
		pr = c.parseWith(j, p, &pp)
	}
	c.mu.Lock()
	c.carried++
	c.mu.Unlock()
	c.finish(j, p, pr)
	return true
}

// isColumn reports whether u is the first page of a column mapped so far: a
// column's first page is fetched every run, whichever pagination links to it
// (首页, 1). Callers hold c.mu.
func (c *crawl) isColumn(u string) bool {
	for _, col := range c.snap.Columns {
		if col.URL == u {
			return true
		}
	}
	return c.entryJob != nil && c.entryJob.url == u
}

// carryProbe records the previous run's probe of a link, unless the link is
// due or was broken (a fix is credited the night it is made). A resource
// behind a link is not a list entry that could tell it changed: like an
// article, it is confirmed on its night of the rotation. Callers hold c.mu;
// true when the link needs no probe.
func (c *crawl) carryProbe(u string, external bool) bool {
	rev := c.opt.Revisit
	if rev == nil || rev.PreviousProbe == nil || rev.Due == nil {
		return false
	}
	if _, ok := c.probes[u]; ok {
		return true
	}
	pr, ok := rev.PreviousProbe(u)
	if !ok || pr.Err != "" || pr.Status < 200 || pr.Status >= 400 || rev.Due(u, pr.FetchedAt) {
		return false
	}
	if c.probed >= c.maxProbes() {
		return false // addProbe records the budget
	}
	c.probed++
	pr.Referrers, pr.Shared = nil, false
	pj := &probeJob{url: u, external: external, done: true, res: pr, carried: true}
	c.probes[u] = pj
	c.probeOrder = append(c.probeOrder, pj)
	return true
}

// deferUnlisted sends a job to the back of the queue, once, when it could be
// carried forward but no list read so far has an entry for it: a page reached
// first through a block that is no list (a slideshow, a box of short links)
// waits until the lists that do list it have been read. It runs on the
// dispatcher goroutine; true when the job was deferred.
func (c *crawl) deferUnlisted(j *job) bool {
	if c.opt.Revisit == nil || c.opt.Previous == nil || j.entry || j.deferred {
		return false
	}
	c.mu.Lock()
	listed := c.listedSame[j.url] || c.listedChanged[j.url]
	c.mu.Unlock()
	if listed {
		return false
	}
	if pp, ok := c.opt.Previous(j.url); !ok || pp.Page == nil || !pp.Page.OK() {
		return false // nothing to carry: fetch it now
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return false
	}
	j.deferred = true
	c.queue = append(c.queue, j)
	c.inflight--
	c.signal()
	return true
}

// viewBase is the URL a stored page's view was read at.
func viewBase(p *site.Page) string {
	if p.FinalURL != "" {
		return p.FinalURL
	}
	return p.URL
}
