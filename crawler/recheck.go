package crawler

import (
	"net/http"
	"net/url"
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
	n := 0
	for _, p := range c.snap.Pages {
		if p.CarriedForward || p.FirstTry != nil || (c.entryJob != nil && p.URL == c.entryJob.url) || !recheckable(p.Status, p.Err) {
			continue
		}
		u, err := url.Parse(p.URL)
		if err != nil {
			continue
		}
		// attempts starts at 1: the second try is no first attempt (no
		// carrying forward, no validators, robots.txt already said yes).
		fr := c.forms[p.URL]
		c.retries = append(c.retries, &job{url: p.URL, u: u, depth: p.Depth, attempts: 1, uncond: true, form: fr[0], referer: fr[1],
			due: sentAt(p.FetchedAt, p.Exchanges).Add(gap), firstTry: &site.Try{At: p.FetchedAt, Status: p.Status, Err: p.Err}})
		n++
	}
	for _, pj := range c.probeOrder {
		if !pj.done || pj.first != nil || pj.res.FetchedAt.Before(c.start) || !recheckable(pj.res.Status, pj.res.Err) {
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

// sentAt is when the last request of a try was sent (after any wait for the
// host budget), or started when none was recorded.
func sentAt(started time.Time, exs []site.Exchange) time.Time {
	if n := len(exs); n > 0 && exs[n-1].At.After(started) {
		return exs[n-1].At
	}
	return started
}

// replaceRechecked puts a second try's outcome in the place of the first's,
// keeping the first as its FirstTry; false for a job that is no second try.
// Callers hold c.mu.
func (c *crawl) replaceRechecked(j *job, p *site.Page) bool {
	if j.firstTry == nil {
		return false
	}
	p.FirstTry = j.firstTry
	for i, old := range c.snap.Pages {
		if old.URL == j.url && old.FirstTry == nil {
			if !old.OK() && p.OK() {
				c.errors--
			}
			c.snap.Pages[i] = p
			return true
		}
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
