// Package site holds the snapshot of one unit's website as the crawler saw it:
// pages, links and the map of disclosure columns. It is plain data with no
// behaviour beyond lookups, so that checks and the store can read what the
// crawler wrote without importing it.
package site

import (
	"time"

	"gkaudit/page"
)

// Snapshot is everything one crawl of one unit produced.
type Snapshot struct {
	UnitID   string    `json:"unit_id"`
	UnitName string    `json:"unit_name"`
	Entry    string    `json:"entry"` // configured entry URL of the disclosure column
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished"`

	// Pages in fetch order; Pages[0] is the entry page when it was fetched at all.
	Pages []*Page `json:"pages"`
	// Columns found on the site, mapped to canonical kinds (see Column.Kind).
	Columns []Column `json:"columns"`
	// Resources outside the crawl scope or not worth parsing (attachments,
	// outbound links) that were probed without being crawled.
	Probes []Probe `json:"probes"`
	// Attachments are the in-scope documents (xlsx, xls, csv, pdf, docx)
	// the crawler fetched to read their text, sorted by URL.
	Attachments []Attachment `json:"attachments,omitempty"`
	// Skipped lists URLs the crawl chose not to fetch: in-scope pages
	// robots.txt disallows, and links matching link_ignore (any host).
	Skipped []Skip `json:"skipped,omitempty"`
	// StopReason is empty when the crawl ran out of links; otherwise it says which
	// budget stopped it ("page budget 3000 reached", "time budget 5m0s reached",
	// "cancelled").
	StopReason string `json:"stop_reason,omitempty"`
	// Refused, when set, says why the crawl gave up the unit's host: it kept
	// answering 429/503 and the run's politeness budget paused it. The
	// unit's checks are then not judged (na) rather than failed.
	Refused string `json:"refused,omitempty"`
	// SecondTries is set when the crawl tried every failed page and probe
	// again later in the crawl (crawl.recheck_after): a failure without a
	// FirstTry then was never confirmed (the crawl's budget ended first).
	SecondTries bool `json:"second_tries,omitempty"`

	// index maps URLs to pages for Page, built on first use and again
	// when Pages has grown or been replaced since. A snapshot is read by one goroutine at
	// a time (the checks of a unit run one after another).
	index *pageIndex
	// views reads whole views back for the checks (ReadViewsWith).
	views *viewCache
}

// pageIndex is the first page of Pages with each requested or final URL.
type pageIndex struct {
	n     int   // len(Pages) when built
	first *Page // Pages[0] when built
	byURL map[string]*Page
}

// Page is one fetched URL.
type Page struct {
	URL         string        `json:"url"`       // as requested
	FinalURL    string        `json:"final_url"` // after redirects
	Status      int           `json:"status"`    // HTTP status; 0 when no response arrived
	ContentType string        `json:"content_type"`
	Charset     string        `json:"charset"` // encoding the page was served in (utf-8, gbk, gb18030 ...)
	FetchedAt   time.Time     `json:"fetched_at"`
	Latency     time.Duration `json:"latency"`
	Depth       int           `json:"depth"`
	// Body is the page decoded to UTF-8 (nil for non-HTML or failed fetches).
	// SHA256 is the hex digest of Body, so evidence hashes match stored bodies.
	Body   []byte `json:"-"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"` // bytes received (before decoding)
	// Truncated is set when the body hit the crawl's size limit.
	Truncated bool   `json:"truncated,omitempty"`
	Title     string `json:"title"`
	// Breadcrumb is the page's location trail (首页 > 信息公开 > 政策文件), when found.
	Breadcrumb []string `json:"breadcrumb,omitempty"`
	Links      []Link   `json:"links,omitempty"`
	// View is what one read of Body yields (package page): the crawler reads
	// it when the body arrives and takes Title, Breadcrumb and Links from
	// it; the checks read pages only through it. The store keeps it apart
	// from the page record, by the body's digest.
	View *page.View `json:"-"`
	// Err is the transport or protocol error, when the fetch failed.
	Err string `json:"err,omitempty"`
	// Cause is Err as a Chinese cause (连接超时, 无法解析域名 ...; see
	// cause.go), for details and progress; Err keeps the raw error.
	Cause string `json:"cause,omitempty"`
	// Attempts counts tries including retries.
	Attempts int `json:"attempts"`
	// HostSilent, when the page was not tried again because its host had
	// answered no request of the run, is how many of them timed out
	// (robots.txt included).
	HostSilent int `json:"host_silent,omitempty"`
	// FirstTry is the outcome of the first try when the page failed and was
	// tried again later in the crawl (the page is the second try's outcome).
	FirstTry *Try `json:"first_try,omitempty"`

	// ETag and LastModified are the validators the server sent with the
	// body, for the next run's conditional GET.
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
	// NotModified is set when the server answered a conditional GET with
	// 304 Not Modified: Body, SHA256, Status, ContentType, Charset and
	// Truncated are those of the previous run's page, which the server
	// confirmed unchanged at FetchedAt; Size is the bytes received (0).
	// Checks see the page exactly as they saw it then.
	NotModified bool `json:"not_modified,omitempty"`
	// CarriedForward is set when the run sent no request for the page: its
	// list entry was unchanged and the revisit policy did not make this its
	// night (config revisit.articles). The page is the previous run's
	// record as it was: FetchedAt is when it was last fetched or confirmed,
	// Exchanges is nil and Origin holds that fetch's exchanges.
	CarriedForward bool `json:"carried_forward,omitempty"`

	// Exchanges are the HTTP exchanges of this fetch, in order: each
	// redirect followed, then the final answer (on a NotModified page, the
	// conditional GET and its 304). Nil in files written before they were
	// recorded, and for a fetch that never reached the network.
	Exchanges []Exchange `json:"exchanges,omitempty"`
	// Origin is, on a NotModified page, the exchanges of the full fetch
	// whose body the 304 confirmed, as the previous run kept them (fields
	// that change every fetch, such as Date, are not carried over). Nil
	// otherwise.
	Origin []Exchange `json:"origin,omitempty"`
	// RawBody is the body as received (after removing a content coding such
	// as gzip, before decoding the charset) when it differs from Body: a
	// GBK or GB18030 page, a UTF-8 page with a BOM or bad bytes. RawSHA256
	// is its hex digest. Both are empty when Body is the body as received.
	// On a NotModified page RawSHA256 is the previous run's and RawBody nil.
	RawBody   []byte `json:"-"`
	RawSHA256 string `json:"raw_sha256,omitempty"`

	// views is the snapshot's reader of whole views while it is judged
	// (Snapshot.ReadViewsWith), for a page whose View is a skeleton.
	views *viewCache
}

// Header is an HTTP header as sent or received: canonical field names
// (Content-Type), each with its values in order.
type Header map[string][]string

// Get returns the first value of the field with canonical name key, or "".
func (h Header) Get(key string) string {
	if v := h[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// Exchange is one HTTP request as the crawler sent it and the head of the
// response as it arrived.
type Exchange struct {
	At      time.Time `json:"at,omitzero"` // when the request was sent
	Request Request   `json:"request"`
	// Response is nil when no response arrived (refused, timed out, bad
	// certificate ...).
	Response *Response `json:"response,omitempty"`
}

// Request is a request as sent. Header holds every field the crawler sent,
// Host included; the request line is Method and URL's path and query.
type Request struct {
	Method string `json:"method"`
	URL    string `json:"url"`
	Header Header `json:"header,omitempty"`
	// Body is the body sent, for a POST (a Hanweb dataproxy form); capped
	// at MaxRequestBody bytes.
	Body string `json:"body,omitempty"`
}

// MaxRequestBody is the most of a request body an exchange keeps.
const MaxRequestBody = 8 << 10

// Response is the head of a response as received: the status line and
// header fields. Transfer-Encoding is not kept (the body is kept without it).
type Response struct {
	Proto  string `json:"proto"`  // HTTP/1.1, HTTP/2.0
	Status string `json:"status"` // code and reason phrase: "200 OK"
	Header Header `json:"header,omitempty"`
}

// ParseLimit is how much of a page's body is parsed as HTML (page.ParseLimit).
const ParseLimit = page.ParseLimit

// HTML returns the part of the body that is parsed: at most ParseLimit bytes.
func (p *Page) HTML() []byte {
	if p == nil {
		return nil
	}
	if len(p.Body) > ParseLimit {
		return p.Body[:ParseLimit]
	}
	return p.Body
}

// OK reports whether the page was fetched with a 2xx status.
func (p *Page) OK() bool { return p != nil && p.Err == "" && p.Status >= 200 && p.Status < 300 }

// Link is an outgoing link of a page.
type Link = page.Link

// Probe is a resource checked without being crawled: an attachment, or a link
// that leaves the unit's scope.
type Probe struct {
	URL       string        `json:"url"`
	Status    int           `json:"status"` // 0 when no response arrived
	Method    string        `json:"method"` // HEAD, or GET when HEAD was refused
	Err       string        `json:"err,omitempty"`
	Cause     string        `json:"cause,omitempty"` // Err as a Chinese cause, as Page.Cause
	FetchedAt time.Time     `json:"fetched_at"`
	Latency   time.Duration `json:"latency"`
	// Referrers are the crawled pages that link to URL.
	Referrers []string `json:"referrers,omitempty"`
	External  bool     `json:"external"` // outside the unit's scope
	// Exchanges are the HTTP exchanges of the probe's last try, in order
	// (HEAD, redirects, the GET fallback). Probes keep no body.
	Exchanges []Exchange `json:"exchanges,omitempty"`
	// Sample is the start of the body of an error answer (4xx/5xx) to the
	// GET fallback, enough to tell a firewall's challenge page from a dead link.
	Sample string `json:"sample,omitempty"`
	// FirstTry is as Page.FirstTry.
	FirstTry *Try `json:"first_try,omitempty"`
	// Landing is, for an outbound link that answered with an HTML page,
	// what that page showed (crawler/outbound.go); nil otherwise.
	Landing *Landing `json:"landing,omitempty"`
	// Shared is set when another unit of the run checked the link (an
	// outbound link units share is checked once a run): the exchanges are
	// that check's, not requests of this unit.
	Shared bool `json:"shared,omitempty"`
}

// Try is the outcome of one earlier try of a URL.
type Try struct {
	At     time.Time `json:"at"`
	Status int       `json:"status,omitempty"`
	Err    string    `json:"err,omitempty"`
}

// Landing is the page an outbound link leads to, as far as link.suspicious
// needs it: its title and a bounded sample of its text.
type Landing struct {
	FinalURL string `json:"final_url,omitempty"` // after redirects
	Title    string `json:"title,omitempty"`
	// Text is the start of the page's visible text (meta keywords and
	// description first), at most crawl.outbound_sample characters.
	Text string `json:"text,omitempty"`
	// EarlierTitle is the title an earlier run saw for the link when it
	// differs from Title (the one seen before the change), set by the audit
	// from the previous run's snapshot; "" when there is none or it is the
	// same.
	EarlierTitle string `json:"earlier_title,omitempty"`
}

// Attachment is a document linked from the unit's pages that the crawler
// fetched to read its text (privacy.personal_info reads 名单 in them).
type Attachment struct {
	URL       string    `json:"url"`
	Type      string    `json:"type"`   // xlsx, xls, csv, pdf, docx
	Status    int       `json:"status"` // HTTP status; 0 when no response arrived
	FetchedAt time.Time `json:"fetched_at"`
	Size      int64     `json:"size"`   // bytes read
	SHA256    string    `json:"sha256"` // hex digest of the bytes read
	// Truncated is set when the file was larger than the size cap: its text
	// was not extracted.
	Truncated bool `json:"truncated,omitempty"`
	// Text is the extracted text. It is not written out with the snapshot
	// record (it may hold the personal data a rule reports, which findings
	// show masked): the store keeps it apart, as a body under TextSHA256, so
	// that a later run can carry an unchanged attachment forward.
	Text       string `json:"-"`
	TextSHA256 string `json:"text_sha256,omitempty"`
	// CarriedForward is set when the run sent no request for the file: its
	// record and text are an earlier run's (revisit policy).
	CarriedForward bool `json:"carried_forward,omitempty"`
	// Err says why there is no text (fetch error, HTTP error, damaged file).
	Err string `json:"err,omitempty"`
	// Referrers are the crawled pages that link to URL.
	Referrers []string `json:"referrers,omitempty"`
}

// Skip is a URL left unfetched on purpose, with the reason.
type Skip struct {
	URL    string `json:"url"`
	Reason string `json:"reason"`
}

// Column is a disclosure column found on the site and mapped to a canonical
// kind from config (org_info, guide, catalog, annual_report, policy,
// interpretation, apply, keyarea.budget, ...).
type Column struct {
	Kind   string `json:"kind"`
	Name   string `json:"name"`   // the text the site uses (link or breadcrumb text)
	URL    string `json:"url"`    // the column's page
	Source string `json:"source"` // "link" or "breadcrumb"
	From   string `json:"from"`   // page on which the link or breadcrumb was seen
}

// Page returns the first fetched page with the given requested or final
// URL, or nil. The checks look pages up by URL thousands of times a unit,
// so the lookup goes through an index rather than a scan: pages may be
// appended after a lookup, but one replaced in place (Pages[i] = q) is not
// seen until Pages changes length.
func (s *Snapshot) Page(url string) *Page {
	ix := s.index
	if ix == nil || ix.n != len(s.Pages) || ix.n > 0 && ix.first != s.Pages[0] {
		ix = &pageIndex{n: len(s.Pages), byURL: make(map[string]*Page, 2*len(s.Pages))}
		if len(s.Pages) > 0 {
			ix.first = s.Pages[0]
		}
		for _, p := range s.Pages {
			if p == nil {
				continue
			}
			if _, ok := ix.byURL[p.URL]; !ok {
				ix.byURL[p.URL] = p
			}
			if _, ok := ix.byURL[p.FinalURL]; !ok && p.FinalURL != "" {
				ix.byURL[p.FinalURL] = p
			}
		}
		s.index = ix
	}
	return ix.byURL[url]
}

// EntryPage returns the page fetched for the configured entry URL, or nil.
func (s *Snapshot) EntryPage() *Page { return s.Page(s.Entry) }

// ColumnsOf returns the columns mapped to kind, in the order found.
func (s *Snapshot) ColumnsOf(kind string) []Column {
	var out []Column
	for _, c := range s.Columns {
		if c.Kind == kind {
			out = append(out, c)
		}
	}
	return out
}
