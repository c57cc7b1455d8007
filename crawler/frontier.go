package crawler

import (
	"net/url"
	"time"

	"gkaudit/doctext"
	"gkaudit/site"
)

// finish records the final outcome of a job and, for a good page in scope,
// queues its links.
func (c *crawl) finish(j *job, p *site.Page, pr *parsed) {
	c.noteEntries(j, p)
	c.bodyRead(p)
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return
	}
	c.inflight--
	c.addPage(j, p)
	c.log.drop(j.token)
	if pr != nil && p.Err == "" && p.Status < 400 {
		c.follow(j, p, pr)
	}
	c.mu.Unlock()
	c.progress(false)
	c.signal()
}

// addPage appends a page to the snapshot. Callers hold c.mu.
func (c *crawl) addPage(j *job, p *site.Page) {
	if c.replaceRechecked(j, p) {
		return
	}
	c.snap.Pages = append(c.snap.Pages, p)
	if !p.OK() {
		c.errors++
	}
	if j.entry {
		c.entryDone = true
		c.entryTitle = p.Title
	}
	if p.FinalURL == "" || p.FinalURL == p.URL {
		return
	}
	if fu, err := url.Parse(p.FinalURL); err == nil && fu.Host != "" {
		c.seen[normURL(fu)] = true
		if j.entry {
			// The entry moved (http -> https, a new host): its new place is ours.
			c.scope.addEntry(fu)
		}
	}
}

// follow maps a page's columns and queues its in-scope links; attachments and
// out-of-scope links are probed. Callers hold c.mu.
func (c *crawl) follow(j *job, p *site.Page, pr *parsed) {
	if !j.entry {
		if fu, err := url.Parse(p.FinalURL); err != nil || !c.scope.contains(fu) {
			return // redirected out of scope: record, do not follow
		}
	}
	c.followed = append(c.followed, p)
	pu, _ := url.Parse(p.FinalURL)
	leaf, disowned := false, false
	if pu != nil && pu.Host != "" {
		links := make([]string, len(p.Links))
		for i, l := range p.Links {
			links[i] = l.URL
		}
		if !j.entry && c.scope.disowns(pu, pr.crumbs) {
			// A portal column the nav bar links (column scope): recorded,
			// neither followed nor mapped as one of the unit's columns.
			leaf, disowned = true, true
		} else {
			c.scope.admitColumns(pu, links)
			// A dataproxy answer is its column's list: its records' links
			// are followed as the column page's would be.
			leaf = !j.entry && j.form == "" && c.scope.leaf(pu)
		}
	}
	for _, col := range c.cols.columnsOf(p, pr.crumbs) {
		if disowned {
			break
		}
		k := [2]string{col.Kind, col.URL}
		if !c.colSeen[k] {
			c.colSeen[k] = true
			c.snap.Columns = append(c.snap.Columns, col)
		}
	}
	for _, l := range p.Links {
		lu, err := url.Parse(l.URL)
		if err != nil || c.ignoredLink(lu, l.URL) {
			continue
		}
		in := c.scope.contains(lu)
		if in {
			c.addAttachment(l.URL, doctext.TypeOf(lu.Path)) // attachments.go
		}
		if !in || isAttachment(lu) {
			if !c.carryProbe(l.URL, !in) {
				c.addProbe(l.URL, !in)
			}
			continue
		}
		n := normURL(lu)
		if c.seen[n] || leaf {
			continue // a leaf page's links are not followed (column scope)
		}
		if j.depth+1 > c.pol.MaxDepth {
			c.depthHit = true
			continue
		}
		if c.admitted >= c.pol.MaxPagesPerUnit {
			c.pageBudgetHit = true
			continue
		}
		c.seen[n] = true
		c.admitted++
		c.queue = append(c.queue, &job{url: l.URL, u: lu, depth: j.depth + 1})
	}
	if !leaf && pu != nil && pu.Host != "" {
		c.followListScript(j, pu, pr.list)
	}
}

// retry schedules another attempt of a job after a transient failure, keeping
// p as its outcome should the crawl end first. It reports false when the job
// has no tries left.
func (c *crawl) retry(j *job, p *site.Page, after time.Duration) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed || c.ctx.Err() != nil || j.attempts > c.pol.Retries {
		return false
	}
	j.last = p
	j.due = time.Now().Add(backoff(j.attempts, after))
	c.retries = append(c.retries, j)
	c.inflight--
	c.signal()
	return true
}

// abandon drops a job whose request the crawl's end cancelled. A previous
// attempt's outcome, if any, is kept (finalize records it), and so is the
// entry's (finalize records why it was not fetched).
func (c *crawl) abandon(j *job) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return
	}
	c.inflight--
	c.log.drop(j.token)
	if j.last != nil {
		c.retries = append(c.retries, j)
	}
	c.signal()
}

// toProbe records a job whose response was not HTML as a probe.
func (c *crawl) toProbe(j *job) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return
	}
	c.inflight--
	defer c.log.drop(j.token)
	if _, ok := c.probes[j.url]; !ok {
		now := time.Now()
		pj := &probeJob{url: j.url, done: true, res: site.Probe{URL: j.url, Status: j.status, Method: "GET",
			FetchedAt: j.started, Latency: c.latency(j.started, now), Exchanges: c.log.get(j.token)}}
		c.probes[j.url] = pj
		c.probeOrder = append(c.probeOrder, pj)
	}
	c.signal()
}
