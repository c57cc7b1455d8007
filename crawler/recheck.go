package crawler

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"gkaudit/site"
)

// A link is judged broken only when a second try later in the crawl fails
// too (crawl.recheck_after after the first): a server restarting, a timeout
// under load or a gateway's bad minute is not a unit's defect. The second
// tries run once the unit's frontier is exhausted, through the same host
// budget as every other request.

// recheckable reports whether a failed outcome is worth a second try: HTTP
// errors and network failures, not a refusal of the crawler (412/429, a host
// the budget gave up), a link the SSRF guard did not connect to, or one the
// crawl's own budget left unfetched.
func recheckable(status int, errText string) bool {
	switch {
	case errText != "":
		return !strings.HasPrefix(errText, "not fetched") && !site.BlockedText(errText) && !strings.Contains(errText, "本次运行已暂停对它的请求")
	case status == http.StatusPreconditionFailed || status == http.StatusTooManyRequests:
		return false
	}
	return status >= 400
}

// queueRechecks schedules the second tries of the crawl's failed pages and
// probes, once, when the frontier is exhausted; false when there is none.
// The entry page is not among them: site.reachable judges it, with its own
// retries and the availability probes.
func (c *crawl) queueRechecks() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.rechecked || c.closed || c.ctx.Err() != nil {
		return false
	}
	c.rechecked = true
	if c.refused != "" {
		return false // the host was given up: a second try is what it forbids
	}
	c.snap.SecondTries = true
	gap := c.pol.RecheckAfter.D()
	n := c.refreshCarriers()
	for _, p := range c.snap.Pages {
		if p.CarriedForward || p.FirstTry != nil || (c.entryJob != nil && p.URL == c.entryJob.url) || !recheckable(p.Status, p.Err) {
			continue
		}
		if j := c.againJob(p, sentAt(p.FetchedAt, p.Exchanges).Add(gap)); j != nil {
			j.firstTry = &site.Try{At: p.FetchedAt, Status: p.Status, Err: p.Err}
			c.retries = append(c.retries, j)
			n++
		}
	}
	for _, pj := range c.probeOrder {
		if !pj.done || pj.first != nil || pj.carried || !recheckable(pj.res.Status, pj.res.Err) {
			continue // pending, already tried twice, carried from an earlier night, or fine
		}
		pj.first = &site.Try{At: pj.res.FetchedAt, Status: pj.res.Status, Err: pj.res.Err}
		pj.due = sentAt(pj.res.FetchedAt, pj.res.Exchanges).Add(gap)
		c.probeQueue = append(c.probeQueue, pj)
		n++
	}
	for c.probeWorkers < probeParallel && c.probeWorkers < len(c.probeQueue) {
		c.probeWorkers++
		c.probeWG.Add(1)
		go c.probeWorker()
	}
	return n > 0
}

// againJob is the job that fetches an already recorded page once more, at
// due: unconditionally (no validators), posting its dataproxy form again,
// and with attempts starting at 1, for it is no first attempt (no carrying
// forward, and robots.txt already said yes). nil when the URL does not parse.
// Callers hold c.mu.
func (c *crawl) againJob(p *site.Page, due time.Time) *job {
	u, err := url.Parse(p.URL)
	if err != nil {
		return nil
	}
	fr := c.forms[p.URL]
	return &job{url: p.URL, u: u, depth: p.Depth, attempts: 1, uncond: true, form: fr[0], referer: fr[1], due: due}
}

// sentAt is when the last request of a try was sent (after any wait for the
// host budget), or started when none was recorded.
func sentAt(started time.Time, exs []site.Exchange) time.Time {
	if n := len(exs); n > 0 && exs[n-1].At.After(started) {
		return exs[n-1].At
	}
	return started
}

// refreshCarriers queues a fetch of the carried pages that are the only
// ones linking to a failed page or probe: a list page carried forward may
// still show an entry the site has since withdrawn (deep in a list whose
// first page did not change), and a unit must not be blamed for a link it no
// longer has. The failures they alone link are dropped at the end if the
// fresh pages no longer link them (dropOrphans). It returns the jobs queued.
// Callers hold c.mu.
func (c *crawl) refreshCarriers() int {
	linkedBy := map[string][]*site.Page{}
	for _, p := range c.snap.Pages {
		for _, l := range p.Links {
			linkedBy[l.URL] = append(linkedBy[l.URL], p)
		}
	}
	onlyCarried := func(u string) []*site.Page {
		refs := linkedBy[u]
		for _, r := range refs {
			if !r.CarriedForward {
				return nil
			}
		}
		return refs
	}
	refresh := map[*site.Page]bool{}
	mark := func(u string) {
		if refs := onlyCarried(u); len(refs) > 0 {
			if c.orphans == nil {
				c.orphans = map[string]bool{}
			}
			c.orphans[u] = true
			for _, r := range refs {
				refresh[r] = true
			}
		}
	}
	for _, p := range c.snap.Pages {
		if !p.CarriedForward && recheckable(p.Status, p.Err) {
			mark(p.URL)
		}
	}
	for _, pj := range c.probeOrder {
		if pj.done && recheckable(pj.res.Status, pj.res.Err) {
			mark(pj.url)
		}
	}
	n := 0
	for _, p := range c.snap.Pages { // in the snapshot's order: deterministic
		if !refresh[p] {
			continue
		}
		if j := c.againJob(p, time.Now()); j != nil {
			j.refresh = true
			c.retries = append(c.retries, j)
			n++
		}
	}
	return n
}

// dropOrphans removes the failed pages and probes that only carried pages
// linked, once those pages were fetched again and no page links them any
// more. Callers hold c.mu, before the probes are listed.
func (c *crawl) dropOrphans() {
	if len(c.orphans) == 0 {
		return
	}
	linked := map[string]bool{}
	for _, p := range c.snap.Pages {
		for _, l := range p.Links {
			linked[l.URL] = true
		}
	}
	pages := c.snap.Pages[:0]
	for _, p := range c.snap.Pages {
		if c.orphans[p.URL] && !linked[p.URL] {
			if !p.OK() {
				c.errors--
			}
			continue
		}
		pages = append(pages, p)
	}
	c.snap.Pages = pages
	for u := range c.orphans {
		if pj, ok := c.probes[u]; ok && !linked[u] {
			delete(c.probes, u)
			c.probeOrder = slices.DeleteFunc(c.probeOrder, func(x *probeJob) bool { return x == pj })
		}
	}
}

// replaceRechecked puts a second try's outcome in the place of the first's,
// keeping the first as its FirstTry, and a refreshed carried page in the
// place of its carried record (its links followed again, the stale ones no
// longer counted); false for a job that is neither. Callers hold c.mu.
func (c *crawl) replaceRechecked(j *job, p *site.Page) bool {
	if j.firstTry == nil && !j.refresh {
		return false
	}
	p.FirstTry = j.firstTry
	for i, old := range c.snap.Pages {
		if old.URL != j.url || (j.refresh && !old.CarriedForward) || (!j.refresh && old.FirstTry != nil) {
			continue
		}
		if !old.OK() && p.OK() {
			c.errors--
		} else if old.OK() && !p.OK() {
			c.errors++
		}
		c.snap.Pages[i] = p
		if j.refresh {
			c.followed = slices.DeleteFunc(c.followed, func(x *site.Page) bool { return x == old })
		}
		return true
	}
	c.snap.Pages = append(c.snap.Pages, p)
	return true
}

// waitDue blocks a probe's second try until it is due or the crawl ends.
func (c *crawl) waitDue(due time.Time) {
	d := time.Until(due)
	if due.IsZero() || d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-c.ctx.Done():
	}
}

// ignoredLink reports whether a link matches the unit's or the crawl's
// link_ignore patterns, recording it as skipped the first time. Callers hold
// c.mu.
func (c *crawl) ignoredLink(u *url.URL, raw string) bool {
	for _, p := range c.linkIgnore {
		if p.match(u) {
			if !c.ignoredSeen[raw] {
				c.ignoredSeen[raw] = true
				c.snap.Skipped = append(c.snap.Skipped, site.Skip{URL: raw, Reason: SkipLinkIgnore})
			}
			return true
		}
	}
	return false
}

// SkipLinkIgnore is the site.Skip reason of a link matching link_ignore.
const SkipLinkIgnore = "link_ignore"
