package crawler

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"gkaudit/doctext"
	"gkaudit/site"
)

// This file fetches the unit's document attachments (xlsx, xls, csv, pdf,
// docx) to read their text: a 名单 published as a spreadsheet is as public
// as a page (privacy.personal_info). Attachments are fetched with a GET
// through the run's politeness budget like every request, at most
// crawl.max_attachments per unit and crawl.max_attachment_bytes each. The
// attachment workers count as probe workers, so the crawl waits for them
// as it waits for probes.

// attachParallel is how many attachments are fetched at once.
const attachParallel = 2

// attachState is the attachment queue of one crawl, guarded by crawl.mu.
type attachState struct {
	jobs    map[string]*site.Attachment
	order   []*site.Attachment
	queue   []*site.Attachment
	workers int
	// carry holds, by URL, the previous run's record of an attachment the
	// revisit policy carries forward: its text is read from the store, no
	// request sent.
	carry map[string]site.Attachment
	// kept counts the queued attachments that the previous run read
	// (Options.PreviousAttachments).
	kept int
}

// admits reports whether the cap leaves a place for attachment u: one the
// previous run read has its place kept; another takes a place only when
// those not yet seen tonight would still fit. Callers hold c.mu.
func (c *crawl) admits(u string) bool {
	a, prev := &c.att, c.opt.PreviousAttachments
	if prev[u] {
		return len(a.order) < c.pol.MaxAttachments
	}
	reserved := min(len(prev), c.pol.MaxAttachments) - a.kept
	return len(a.order)+reserved < c.pol.MaxAttachments
}

// addAttachment queues an in-scope link for text extraction when its type
// is one doctext reads, once per crawl. Callers hold c.mu.
func (c *crawl) addAttachment(u string, typ string) {
	a := &c.att
	if typ == "" || c.pol.MaxAttachments <= 0 || a.jobs[u] != nil || !c.admits(u) {
		return
	}
	if c.opt.PreviousAttachments[u] {
		a.kept++
	}
	if a.jobs == nil {
		a.jobs = map[string]*site.Attachment{}
	}
	at := &site.Attachment{URL: u, Type: typ}
	if prev, ok := c.carryAttachment(u); ok {
		if a.carry == nil {
			a.carry = map[string]site.Attachment{}
		}
		a.carry[u] = prev
	}
	a.jobs[u] = at
	a.order = append(a.order, at)
	a.queue = append(a.queue, at)
	if a.workers < attachParallel {
		a.workers++
		c.probeWorkers++ // the crawl is not idle while attachments are read
		c.probeWG.Add(1)
		go c.attachmentWorker()
	}
}

// attachmentWorker fetches queued attachments until the queue is empty or
// the crawl ends.
func (c *crawl) attachmentWorker() {
	defer c.probeWG.Done()
	for {
		c.mu.Lock()
		a := &c.att
		if len(a.queue) == 0 || c.closed || c.ctx.Err() != nil {
			a.workers--
			c.probeWorkers--
			c.mu.Unlock()
			c.signal()
			return
		}
		at := a.queue[0]
		a.queue[0] = nil
		a.queue = a.queue[1:]
		prev, carried := a.carry[at.URL]
		c.mu.Unlock()

		var res site.Attachment
		if carried {
			res, carried = c.carriedAttachment(prev)
		}
		if !carried {
			res = c.fetchAttachment(at.URL, at.Type)
		}

		c.mu.Lock()
		*at = res
		c.mu.Unlock()
	}
}

// fetchAttachment GETs u, reading at most the size cap, and extracts its
// text.
func (c *crawl) fetchAttachment(u, typ string) site.Attachment {
	res := site.Attachment{URL: u, Type: typ, FetchedAt: time.Now()}
	req, err := http.NewRequestWithContext(c.ctx, http.MethodGet, u, nil)
	if err != nil {
		res.Err = err.Error()
		return res
	}
	// The file's content is read like a page's, so robots.txt applies.
	if c.robots != nil && !c.robots.allowed(c.ctx, req.URL) {
		res.Err = "robots.txt 不允许抓取"
		return res
	}
	req.Header.Set("User-Agent", c.pol.UserAgent)
	req.Header.Set("Accept", "*/*")
	resp, err := c.client.Do(req)
	if err != nil {
		res.Err = Cause(err)
		return res
	}
	defer resp.Body.Close()
	res.Status = resp.StatusCode
	if resp.StatusCode < 200 || resp.StatusCode >= 300 {
		res.Err = fmt.Sprintf("HTTP %d", resp.StatusCode)
		return res
	}
	limit := c.pol.MaxAttachmentBytes
	if resp.ContentLength > limit {
		res.Truncated, res.Size = true, 0
		res.Err = fmt.Sprintf("文件大小 %d 字节，超过读取上限 %d 字节", resp.ContentLength, limit)
		return res
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		res.Err = Cause(err)
		return res
	}
	sum := sha256.Sum256(data)
	res.Size, res.SHA256 = int64(len(data)), hex.EncodeToString(sum[:])
	if int64(len(data)) > limit {
		res.Truncated = true
		res.Err = fmt.Sprintf("文件超过读取上限 %d 字节", limit)
		return res
	}
	text, err := doctext.Extract(typ, data)
	if err != nil {
		res.Err = err.Error()
		return res
	}
	res.Text = text
	return res
}

// carryAttachment returns the previous run's record of an attachment when
// the revisit policy lets it be carried forward: the file was received
// whole (its text stored, or unreadable as it was: a damaged file stays
// damaged), and it is not due tonight (nor behind a failing finding, which
// Due counts as due). Callers hold c.mu.
func (c *crawl) carryAttachment(u string) (site.Attachment, bool) {
	rev := c.opt.Revisit
	if rev == nil || rev.PreviousAttachment == nil || rev.AttachmentText == nil || rev.Due == nil {
		return site.Attachment{}, false
	}
	prev, ok := rev.PreviousAttachment(u)
	if !ok || prev.Status < 200 || prev.Status >= 300 || prev.Truncated || prev.Err == "" && prev.TextSHA256 == "" || rev.Due(u, prev.FetchedAt) {
		return site.Attachment{}, false
	}
	return prev, true
}

// carriedAttachment is prev carried forward with its stored text; false
// when the text cannot be read (the file is then fetched).
func (c *crawl) carriedAttachment(prev site.Attachment) (site.Attachment, bool) {
	if prev.TextSHA256 != "" {
		text, err := c.opt.Revisit.AttachmentText(prev)
		if err != nil {
			return site.Attachment{}, false
		}
		prev.Text = text
	}
	prev.CarriedForward, prev.Referrers = true, nil
	return prev, true
}

// attachmentResults lists the fetched attachments sorted by URL, each with
// the followed pages linking to it. Callers hold c.mu.
func (c *crawl) attachmentResults() []site.Attachment {
	if len(c.att.order) == 0 {
		return nil
	}
	refs := map[string][]*site.Page{}
	for _, p := range c.followed {
		for _, l := range p.Links {
			if c.att.jobs[l.URL] != nil {
				if r := refs[l.URL]; len(r) == 0 || r[len(r)-1] != p {
					refs[l.URL] = append(r, p)
				}
			}
		}
	}
	var out []site.Attachment
	for _, at := range c.att.order {
		if at.FetchedAt.IsZero() {
			continue // never fetched: the crawl ended first
		}
		r := *at
		r.Referrers = referrers(refs[at.URL])
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b site.Attachment) int { return strings.Compare(a.URL, b.URL) })
	return out
}
