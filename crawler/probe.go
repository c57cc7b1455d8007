package crawler

import (
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"gkaudit/site"
)

const (
	// probeParallel is how many probes run at once.
	probeParallel = 4
	// probeReadBytes is how much of a GET fallback's body is read.
	probeReadBytes = 512
	// probeSampleBytes is how much of an error answer's body a probe keeps.
	probeSampleBytes = 2048
)

// probeJob is one URL to check without crawling it.
type probeJob struct {
	url      string
	external bool
	done     bool
	res      site.Probe
	first    *site.Try // set for a second try: the first's outcome
	due      time.Time // when the second try may start
	carried  bool      // the previous run's probe, carried forward (revisit)
}

// maxProbes bounds the probes of one crawl.
func (c *crawl) maxProbes() int { return c.pol.MaxPagesPerUnit }

// addProbe queues u for probing once per crawl. Callers hold c.mu.
func (c *crawl) addProbe(u string, external bool) {
	if _, ok := c.probes[u]; ok {
		return
	}
	if c.probed >= c.maxProbes() {
		c.probeBudgetHit = true
		return
	}
	c.probed++
	pj := &probeJob{url: u, external: external}
	c.probes[u] = pj
	c.probeOrder = append(c.probeOrder, pj)
	c.probeQueue = append(c.probeQueue, pj)
	if c.probeWorkers < probeParallel {
		c.probeWorkers++
		c.probeWG.Add(1)
		go c.probeWorker()
	}
}

// probeWorker probes queued URLs until the queue is empty or the crawl ends.
func (c *crawl) probeWorker() {
	defer c.probeWG.Done()
	for {
		c.mu.Lock()
		if len(c.probeQueue) == 0 || c.closed || c.ctx.Err() != nil {
			c.probeWorkers--
			c.mu.Unlock()
			c.signal()
			return
		}
		pj := c.probeQueue[0]
		c.probeQueue[0] = nil
		c.probeQueue = c.probeQueue[1:]
		first, due := pj.first, pj.due
		c.mu.Unlock()

		c.waitDue(due)
		var res site.Probe
		var paused bool
		switch {
		case pj.external && first == nil:
			res, paused = c.externalProbe(pj.url) // linkcache.go
		default:
			res, paused = c.probe(pj.url)
			if pj.external && !paused {
				c.landing(pj.url, &res)
			}
		}

		c.mu.Lock()
		// A probe cut short by the crawl's end, or never sent because its
		// host was given up, says nothing about the link.
		if !paused && (c.ctx.Err() == nil || res.Err == "") {
			res.FirstTry = first
			pj.res, pj.done = res, true
		}
		c.mu.Unlock()
	}
}

// probe checks u with HEAD, falling back to a GET that reads only the first
// bytes when HEAD is refused (400, 403, 405, 501) or fails. Transient
// failures other than timeouts get one more try.
func (c *crawl) probe(u string) (res site.Probe, paused bool) {
	start := time.Now()
	tries := 1 + min(c.pol.Retries, 1)
	for attempt := 1; ; attempt++ {
		var err error
		res, err = c.probeOnce(u)
		if _, paused = isHostPaused(err); paused {
			return res, true
		}
		again := transientStatus(res.Status) || (err != nil && transientErr(err) && !timeoutErr(err))
		if attempt >= tries || !again || c.ctx.Err() != nil {
			break
		}
		t := time.NewTimer(backoff(attempt, 0))
		select {
		case <-t.C:
		case <-c.ctx.Done():
		}
		t.Stop()
	}
	res.URL, res.FetchedAt, res.Latency = u, start, time.Since(start)
	return res, false
}

// probeOnce is one try of a probe; its exchanges (HEAD, redirects, the GET
// fallback) are recorded together.
func (c *crawl) probeOnce(u string) (site.Probe, error) {
	token := c.log.token()
	defer c.log.drop(token)
	status, _, err := c.probeRequest(http.MethodHead, u, token)
	method, sample := http.MethodHead, ""
	switch {
	case err != nil, status >= 400 && status != http.StatusNotFound && status != http.StatusGone:
		// HEAD refused, or an error a firewall may have answered: a GET
		// reads its page (the sample tells a challenge from a dead link).
		method = http.MethodGet
		status, sample, err = c.probeRequest(http.MethodGet, u, token)
	}
	res := site.Probe{Status: status, Method: method, Exchanges: c.log.get(token), Sample: sample}
	if err != nil {
		res.Err, res.Cause = err.Error(), Cause(err)
	}
	return res, err
}

// probeRequest sends one probe request; for a GET answered with an error
// status it returns the start of the body, decoded to UTF-8, as the sample a
// firewall's challenge page is told by.
func (c *crawl) probeRequest(method, u, token string) (int, string, error) {
	req, err := http.NewRequestWithContext(c.ctx, method, u, nil)
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("User-Agent", c.pol.UserAgent)
	req.Header.Set("Accept", "*/*")
	req.Header.Set(fetchHeader, token)
	resp, err := c.probeClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	if method != http.MethodGet {
		return resp.StatusCode, "", nil
	}
	if resp.StatusCode < 400 {
		_, _ = io.CopyN(io.Discard, resp.Body, probeReadBytes)
		return resp.StatusCode, "", nil
	}
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, probeSampleBytes))
	body, _ := decodeBody(raw, resp.Header.Get("Content-Type"))
	return resp.StatusCode, strings.ToValidUTF8(string(body), ""), nil
}

// probeResults lists the finished probes sorted by URL, each with the
// followed pages that link to it, nearest the entry first (by depth, then
// URL). Both orders are independent of the order pages happened to be
// fetched in, so an unchanged site gives the same probes run after run.
// Callers hold c.mu.
func (c *crawl) probeResults() []site.Probe {
	refs := map[string][]*site.Page{}
	for _, p := range c.followed {
		for _, l := range p.Links {
			pj, ok := c.probes[l.URL]
			if !ok || !pj.done {
				continue
			}
			if r := refs[l.URL]; len(r) == 0 || r[len(r)-1] != p {
				refs[l.URL] = append(r, p)
			}
		}
	}
	var out []site.Probe
	for _, pj := range c.probeOrder {
		if !pj.done {
			continue
		}
		r := pj.res
		r.URL, r.External, r.Referrers = pj.url, pj.external, referrers(refs[pj.url])
		out = append(out, r)
	}
	slices.SortStableFunc(out, func(a, b site.Probe) int { return strings.Compare(a.URL, b.URL) })
	return out
}

// referrers orders the pages linking to a probe by depth, then URL.
func referrers(ps []*site.Page) []string {
	slices.SortFunc(ps, func(a, b *site.Page) int {
		if a.Depth != b.Depth {
			return a.Depth - b.Depth
		}
		return strings.Compare(a.URL, b.URL)
	})
	var out []string
	for _, p := range ps {
		if len(out) == 0 || out[len(out)-1] != p.URL {
			out = append(out, p.URL)
		}
	}
	return out
}
