package crawler

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gocolly/colly/v2"

	"gkaudit/page"
	"gkaudit/site"
)

// maxRedirects is where a redirect chain counts as a loop (as net/http).
const maxRedirects = 10

// errTooManyRedirects ends a redirect chain longer than maxRedirects; the
// page is recorded with it as its error.
var errTooManyRedirects = errors.New("stopped after 10 redirects")

// jobKey is the colly.Context key of the job a request belongs to.
const jobKey = "gkaudit.job"

// newCollector sets up the async colly collector that fetches pages. Robots,
// revisits, scope, depth and the page budget are handled by the crawl itself
// (see robots and run); colly does the fetching, per-host parallelism and
// delay, timeouts, body limit and redirects.
func (c *crawl) newCollector(base http.RoundTripper) *colly.Collector {
	col := colly.NewCollector(
		colly.UserAgent(c.pol.UserAgent),
		colly.Async(true),
		colly.StdlibContext(c.ctx),
		colly.MaxBodySize(int(c.pol.MaxBodyBytes)+1), // one more byte tells truncation
		colly.ParseHTTPErrorResponse(),
		colly.AllowURLRevisit(),
		colly.IgnoreRobotsTxt(),
	)
	col.WithTransport(&crawlTransport{base: c.budgeted(&recordTransport{base: base, log: c.log}), ctx: c.ctx})
	col.SetRequestTimeout(0) // budgetTransport times each request once it may start
	col.SetRedirectHandler(func(req *http.Request, via []*http.Request) error {
		if len(via) >= maxRedirects {
			return errTooManyRedirects
		}
		return nil
	})
	col.OnRequestHeaders(c.onRequestHeaders)
	col.OnResponseHeaders(c.onResponseHeaders)
	col.OnResponse(c.onResponse)
	col.OnError(c.onError)
	return col
}

// launch starts one attempt of a job. It runs on the dispatcher goroutine.
func (c *crawl) launch(j *job) {
	if j.attempts == 0 && c.deferUnlisted(j) {
		return
	}
	c.mu.Lock()
	j.attempts++
	first := j.attempts == 1
	c.log.drop(j.token) // an earlier attempt's outcome keeps its own copy
	j.token = c.log.token()
	c.mu.Unlock()
	if first && c.carry(j) {
		return
	}
	if first && c.robots != nil && !c.robots.allowed(c.ctx, j.u) {
		c.mu.Lock()
		c.inflight--
		c.snap.Skipped = append(c.snap.Skipped, site.Skip{URL: j.url, Reason: "robots.txt"})
		if j.entry {
			c.entryBlocked = true
		}
		c.mu.Unlock()
		c.signal()
		return
	}
	ctx := colly.NewContext()
	ctx.Put(jobKey, j)
	method, body, hdr := http.MethodGet, io.Reader(nil), http.Header{}
	if j.form == "" {
		hdr = c.conditional(j, first)
	} else {
		method, body = http.MethodPost, strings.NewReader(j.form)
		setProxyHeaders(hdr, j.referer)
	}
	hdr.Set(fetchHeader, j.token)
	if err := c.col.Request(method, j.url, body, ctx, hdr); err != nil {
		c.finish(j, c.errPage(j, nil, err), nil)
	}
}

// conditional returns the request header of a job: the validators when the
// previous run stored its URL, else empty. The previous page is looked up on
// the first attempt.
func (c *crawl) conditional(j *job, first bool) http.Header {
	c.mu.Lock()
	defer c.mu.Unlock()
	if first && c.opt.Previous != nil && !j.uncond {
		if pp, ok := c.opt.Previous(j.url); ok && pp.usable() {
			j.prev = &pp
		}
	}
	h := http.Header{}
	if j.prev == nil || j.uncond {
		return h
	}
	if e := j.prev.Page.ETag; e != "" {
		h.Set("If-None-Match", e)
	}
	if lm := j.prev.Page.LastModified; lm != "" {
		h.Set("If-Modified-Since", lm)
	}
	return h
}

func jobOf(ctx *colly.Context) *job {
	if ctx == nil {
		return nil
	}
	j, _ := ctx.GetAny(jobKey).(*job)
	return j
}

func (c *crawl) onRequestHeaders(r *colly.Request) {
	if j := jobOf(r.Ctx); j != nil {
		c.mu.Lock()
		j.started = time.Now()
		j.status, j.ctype, j.nonHTML = 0, "", false
		c.mu.Unlock()
	}
}

// onResponseHeaders aborts non-HTML responses (an attachment behind a URL
// without a file extension): they become probes, not pages.
func (c *crawl) onResponseHeaders(r *colly.Response) {
	j := jobOf(r.Ctx)
	if j == nil {
		return
	}
	ct := contentType(r.Headers)
	// A 304 carries no body and often no Content-Type: it is the page.
	abort := !j.entry && r.StatusCode < 400 && r.StatusCode != http.StatusNotModified && !isHTMLType(ct) &&
		!(j.form != "" && isXMLType(ct)) // a dataproxy answer is XML
	c.mu.Lock()
	j.status, j.ctype, j.nonHTML = r.StatusCode, ct, abort
	c.mu.Unlock()
	if abort {
		r.Request.Abort()
	}
}

func (c *crawl) onResponse(r *colly.Response) {
	j := jobOf(r.Ctx)
	if j == nil {
		return
	}
	c.mu.Lock()
	prev := j.prev
	if j.uncond {
		prev = nil
	}
	c.mu.Unlock()
	if r.StatusCode == http.StatusNotModified && prev != nil {
		if p, pr, ok := c.reusePage(j, prev, r); ok {
			c.finish(j, p, pr)
		} else {
			c.refetch(j)
		}
		return
	}
	if transientStatus(r.StatusCode) {
		p := c.errPage(j, r, nil)
		if c.retry(j, p, min(retryAfter(r.Headers), c.pol.MaxRetryAfter.D())) {
			return
		}
	}
	p, pr := c.buildPage(j, r)
	c.finish(j, p, pr)
}

func (c *crawl) onError(r *colly.Response, err error) {
	j := jobOf(r.Ctx)
	if j == nil {
		return
	}
	c.mu.Lock()
	nonHTML := j.nonHTML
	c.mu.Unlock()
	if nonHTML && errors.Is(err, colly.ErrAbortedAfterHeaders) {
		c.toProbe(j)
		return
	}
	if c.ctx.Err() != nil {
		c.abandon(j)
		return
	}
	p := c.errPage(j, r, err)
	c.noteRefused(j, err)
	if transientErr(err) && !c.hostSilent(r, j, p, err) && c.retry(j, p, 0) {
		return
	}
	c.finish(j, p, nil)
}

// hostSilent reports whether a request that timed out goes to a host that
// has answered nothing this run and has now timed out more than crawl.retries
// times, robots.txt included: such a host is taken as down, and its page is
// not tried again (p.HostSilent says why). A hanging host then costs
// 1 + retries timeouts in all, not one for robots.txt and 1 + retries for the
// entry page; a host that has answered once is retried as before.
func (c *crawl) hostSilent(r *colly.Response, j *job, p *site.Page, err error) bool {
	if !timeoutErr(err) {
		return false
	}
	host := j.u.Host
	if r != nil && r.Request != nil && r.Request.URL != nil {
		host = r.Request.URL.Host // a redirect's target may be another host
	}
	n := c.hosts.Silent(host)
	if n <= c.pol.Retries {
		return false
	}
	p.HostSilent = n
	return true
}

// buildPage turns a response into a page: body limited and decoded to UTF-8,
// hashed and parsed.
func (c *crawl) buildPage(j *job, r *colly.Response) (*site.Page, *parsed) {
	p := c.errPage(j, r, nil)
	ct := p.ContentType
	raw := r.Body
	if int64(len(raw)) > c.pol.MaxBodyBytes {
		raw = raw[:c.pol.MaxBodyBytes]
		p.Truncated = true
	}
	p.Size = int64(len(raw))
	isHTML := isHTMLType(ct) || j.form != "" && isXMLType(ct)
	if j.form != "" {
		ct = xmlCharset(ct, raw)
	}
	if ct == "" {
		isHTML = strings.HasPrefix(http.DetectContentType(raw), "text/")
	}
	if !isHTML {
		return p, nil
	}
	body, cs := decodeBody(raw, ct)
	sum := sha256.Sum256(body)
	p.Body, p.Charset, p.SHA256 = exactSize(body), cs, hex.EncodeToString(sum[:])
	if !bytes.Equal(raw, body) {
		// Evidence must carry the bytes as served (GBK ...), not our decoding.
		rsum := sha256.Sum256(raw)
		p.RawBody, p.RawSHA256 = exactSize(raw), hex.EncodeToString(rsum[:])
	}
	if p.Status >= 200 && p.Status < 300 {
		p.ETag, p.LastModified = validators(r.Headers)
	}
	return p, c.parse(j, p)
}

// exactSize returns b in an array of its own length when b's is much longer:
// the response body (io.ReadAll) and the charset decoders grow by doubling,
// and a page keeps its bodies until its unit is saved.
func exactSize(b []byte) []byte {
	if cap(b)-len(b) > len(b)/8 {
		return bytes.Clone(b)
	}
	return b
}

// parse reads a page's body (package page) and takes its title, links and
// breadcrumb from the view.
func (c *crawl) parse(j *job, p *site.Page) *parsed { return c.parseWith(j, p, nil) }

// parseWith is parse with the previous run's pages at hand: an unchanged
// body (304, carried forward) takes the view stored for it instead of being
// read again.
func (c *crawl) parseWith(j *job, p *site.Page, prev *PrevPage) *parsed {
	base := c.viewBase(j, p)
	var v *page.View
	if prev != nil {
		v = prev.storedView(base)
	}
	if v == nil {
		v = page.Read(p.Body, base)
	}
	return c.parsed(j, p, v)
}

// viewBase is the URL a page's body is read at: its final URL, else the
// job's.
func (c *crawl) viewBase(j *job, p *site.Page) string {
	if _, err := url.Parse(p.FinalURL); err != nil || p.FinalURL == "" {
		return j.u.String()
	}
	return p.FinalURL
}

// parsed takes a page's title, links and breadcrumb from its view.
func (c *crawl) parsed(j *job, p *site.Page, v *page.View) *parsed {
	p.View = v
	p.Title, p.Links = v.Title, v.Links
	for _, cr := range v.Crumbs {
		p.Breadcrumb = append(p.Breadcrumb, cr.Text)
	}
	return &parsed{crumbs: v.Crumbs, list: listScriptOf(j, v)}
}

// bodyRead hands a page's body to Options.OnBody once the crawl is done
// reading it, and drops it when Options.ReleaseBodies says so. Called
// without c.mu, once per page recorded.
func (c *crawl) bodyRead(p *site.Page) {
	if c.opt.OnBody == nil || p == nil {
		return
	}
	if p.Body != nil {
		c.opt.OnBody(p)
	}
	if c.opt.ReleaseBodies {
		p.Body, p.RawBody = nil, nil
		// The store has the whole view (OnBody), or the previous run's (an
		// unchanged page). A unit's first views stay whole, which spares
		// the checks of a small unit reading them back; past
		// wholeViewBytes of pages the crawl keeps the skeletons only.
		if v := p.View; v != nil && !v.Partial && c.wholeViews.Add(int64(v.Size)) > wholeViewBytes {
			p.View = v.Skeleton()
		}
	}
}

// wholeViewBytes is how many bytes of a unit's pages (page.View.Size) a
// crawl that releases bodies keeps whole views of; the views of the pages
// after are cut to their skeletons (the checks read them back from the
// store on demand). In memory a whole view takes five or six times its
// page's size (20 KB for a page of 3.7 KB, measured on the huge sim), so a
// crawling unit holds some 3 MB of whole views; at 2 MB of pages, four
// crawls held 45 MB, a third of the run's live heap.
const wholeViewBytes = 512 << 10

// reusePage builds the page of a 304 answer from the previous run's stored
// body; false when that body cannot be loaded or does not match its hash.
func (c *crawl) reusePage(j *job, prev *PrevPage, r *colly.Response) (*site.Page, *parsed, bool) {
	old := prev.Page
	p := c.errPage(j, r, nil)
	// Bodies that leave memory once read need not come back for an
	// unchanged page whose view is stored: the view is all that is read.
	var view *page.View
	if c.opt.ReleaseBodies {
		view = prev.storedView(c.viewBase(j, p))
	}
	var body []byte
	if view == nil {
		var ok bool
		if body, ok = prev.verifiedBody(); !ok {
			return nil, nil, false
		}
	}
	p.Status, p.ContentType, p.Charset, p.Truncated = old.Status, old.ContentType, old.Charset, old.Truncated
	p.Body, p.SHA256, p.Size, p.NotModified = body, old.SHA256, int64(len(r.Body)), true
	p.RawSHA256 = old.RawSHA256
	// What the 304 confirmed: the full fetch, however many 304s ago.
	p.Origin = old.Exchanges
	if old.NotModified {
		p.Origin = old.Origin
	}
	p.ETag, p.LastModified = validators(r.Headers)
	if p.ETag == "" {
		p.ETag = old.ETag
	}
	if p.LastModified == "" {
		p.LastModified = old.LastModified
	}
	if view != nil {
		return p, c.parsed(j, p, view), true
	}
	return p, c.parseWith(j, p, prev), true
}

// refetch queues a job again, without validators, after a 304 whose stored
// body could not be used.
func (c *crawl) refetch(j *job) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return
	}
	j.uncond, j.prev = true, nil
	j.due = time.Now()
	c.retries = append(c.retries, j)
	c.inflight--
	c.signal()
}

// validators returns the ETag and Last-Modified headers of a response.
func validators(h *http.Header) (etag, lastModified string) {
	if h == nil {
		return "", ""
	}
	return h.Get("ETag"), h.Get("Last-Modified")
}

// errPage is the page record of an attempt without its body: what is known
// from the request and, when r is not nil, the response headers.
func (c *crawl) errPage(j *job, r *colly.Response, err error) *site.Page {
	c.mu.Lock()
	started, attempts, token := j.started, j.attempts, j.token
	c.mu.Unlock()
	now := time.Now()
	if started.IsZero() {
		started = now
	}
	exs := c.log.get(token)
	sent := started
	if len(exs) > 0 && exs[0].At.After(started) {
		sent = exs[0].At // after the wait for the host budget
	}
	p := &site.Page{URL: j.url, FinalURL: j.url, FetchedAt: started, Latency: c.latency(sent, now),
		Depth: j.depth, Attempts: attempts, Exchanges: exs}
	if err != nil {
		p.Err, p.Cause = err.Error(), Cause(err)
	}
	if r != nil && r.StatusCode != 0 {
		p.Status = r.StatusCode
		if r.Headers != nil {
			p.ContentType = contentType(r.Headers)
		}
		if r.Request != nil && r.Request.URL != nil {
			p.FinalURL = r.Request.URL.String()
		}
	}
	return p
}

// latency is the time from sending the request to the end of the body (the
// host budget's pacing happens before the request is sent).
func (c *crawl) latency(started, now time.Time) time.Duration {
	return max(now.Sub(started), 0)
}

func contentType(h *http.Header) string {
	if h == nil {
		return ""
	}
	if ct := h.Get(rawContentType); ct != "" {
		return ct
	}
	return h.Get("Content-Type")
}
