package crawler

import (
	"net/http"
	"strings"
)

// budgeted sends rt's requests through the run's host budget.
func (c *crawl) budgeted(rt http.RoundTripper) http.RoundTripper {
	return &budgetTransport{base: rt, budget: c.hosts, timeout: c.pol.Timeout.D()}
}

// noteRefused remembers that a page of the unit's own host was not fetched
// because the budget gave that host up: the snapshot then says so
// (site.Snapshot.Refused), and the audit judges the unit's checks na instead
// of failing them on pages it never saw.
func (c *crawl) noteRefused(j *job, err error) {
	hp, ok := isHostPaused(err)
	if !ok || !strings.EqualFold(j.u.Host, c.entryHost()) {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.refused == "" {
		c.refused = hp.Error()
	}
}

// entryHost is the host (host:port) of the unit's entry URL.
func (c *crawl) entryHost() string {
	if c.entryJob == nil {
		return ""
	}
	return c.entryJob.u.Host
}
