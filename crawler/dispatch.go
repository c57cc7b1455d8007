package crawler

import (
	"fmt"
	"time"

	"gkaudit/site"
)

// maxInflight is how many jobs the crawl hands to colly at once: enough to
// keep every host's parallelism busy, few enough that a cancelled crawl
// drains at once.
func (c *crawl) maxInflight() int { return max(2*c.pol.ParallelPerHost, 2) }

// run hands jobs to colly until the frontier, the retries and the probes are
// exhausted or the budget's context ends.
func (c *crawl) run() {
	for {
		c.mu.Lock()
		if c.ctx.Err() != nil {
			c.mu.Unlock()
			break
		}
		now := time.Now()
		var launch []*job
		var next time.Time
		rest := c.retries[:0]
		for _, j := range c.retries {
			if !j.due.After(now) && c.inflight+len(launch) < c.maxInflight() {
				launch = append(launch, j)
				continue
			}
			rest = append(rest, j)
			if next.IsZero() || j.due.Before(next) {
				next = j.due
			}
		}
		c.retries = rest
		for len(c.queue) > 0 && c.inflight+len(launch) < c.maxInflight() {
			launch = append(launch, c.queue[0])
			c.queue[0] = nil
			c.queue = c.queue[1:]
		}
		c.inflight += len(launch)
		idle := c.inflight == 0 && len(c.queue) == 0 && len(c.retries) == 0 &&
			c.probeWorkers == 0 && len(c.probeQueue) == 0
		c.mu.Unlock()
		if idle && c.queueRechecks() {
			continue
		}
		if idle {
			break
		}
		for _, j := range launch {
			c.launch(j)
		}
		if len(launch) > 0 {
			continue
		}
		var timer *time.Timer
		var fire <-chan time.Time
		if !next.IsZero() {
			timer = time.NewTimer(time.Until(next))
			fire = timer.C
		}
		select {
		case <-c.wake:
		case <-fire:
		case <-c.ctx.Done():
		}
		if timer != nil {
			timer.Stop()
		}
	}

	c.mu.Lock()
	c.timeHit = c.ctx.Err() != nil && c.parent.Err() == nil
	c.closed = true
	c.mu.Unlock()
	// After a budget or cancellation the requests in flight fail at once; wait
	// for them (and the probes) only briefly so that Crawl returns promptly.
	grace := 2*c.pol.Delay.D() + time.Second
	waitFor(c.col.Wait, grace)
	waitFor(c.probeWG.Wait, grace)
}

// waitFor calls wait and returns when it does or after d.
func waitFor(wait func(), d time.Duration) {
	done := make(chan struct{})
	go func() { wait(); close(done) }()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
	}
}

// signal wakes run.
func (c *crawl) signal() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// progress reports to Options.Progress, serialised, never after Done.
func (c *crawl) progress(done bool) {
	if c.opt.Progress == nil {
		return
	}
	c.progressMu.Lock()
	defer c.progressMu.Unlock()
	if c.doneSent {
		return
	}
	c.doneSent = done
	c.mu.Lock()
	p := Progress{Unit: c.unit.ID, Pages: len(c.snap.Pages), Errors: c.errors, Elapsed: time.Since(c.start), Done: done, Title: c.entryTitle}
	c.mu.Unlock()
	c.opt.Progress(p)
}

// finalize completes the snapshot once the crawl has stopped.
func (c *crawl) finalize() *site.Snapshot {
	c.mu.Lock()
	// Retries that never ran keep the outcome of their last attempt.
	for _, j := range c.retries {
		if j.last != nil {
			c.addPage(j, j.last)
		}
	}
	c.retries = nil
	if !c.entryDone && !c.entryBlocked && c.entryJob != nil {
		p := c.entryJob.last
		if p == nil {
			p = &site.Page{URL: c.entryJob.url, FinalURL: c.entryJob.url, FetchedAt: c.start,
				Attempts: c.entryJob.attempts, Err: "not fetched: " + c.stopReason()}
		}
		c.addPage(c.entryJob, p)
		// The entry page comes first.
		copy(c.snap.Pages[1:], c.snap.Pages[:len(c.snap.Pages)-1])
		c.snap.Pages[0] = p
	}
	c.snap.StopReason = c.stopReason()
	c.snap.Refused = c.refused
	c.dropOrphans()
	c.snap.Probes = c.probeResults()
	c.snap.Attachments = c.attachmentResults()
	c.snap.Finished = time.Now()
	snap := c.snap
	c.mu.Unlock()
	c.progress(true)
	return snap
}

// stopReason says which budget stopped the crawl, or "".
func (c *crawl) stopReason() string {
	switch {
	case c.entryBlocked:
		return "entry blocked by robots.txt"
	case c.refused != "":
		return c.refused
	case c.parent.Err() != nil:
		return "cancelled"
	case c.timeHit:
		return fmt.Sprintf("time budget %s reached", c.pol.UnitBudget.D())
	case c.pageBudgetHit:
		return fmt.Sprintf("page budget %d reached", c.pol.MaxPagesPerUnit)
	case c.depthHit:
		return fmt.Sprintf("depth limit %d reached", c.pol.MaxDepth)
	case c.probeBudgetHit:
		return fmt.Sprintf("probe budget %d reached", c.maxProbes())
	}
	return ""
}
