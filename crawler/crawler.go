// Package crawler fetches one unit's website into a site.Snapshot: the pages
// of its disclosure column and what they link to, the resources it links to
// (probed, not crawled), and the map of its columns to canonical kinds.
//
// A crawl is bounded by the unit's budgets (pages, depth, wall clock) and by
// its context; an unreachable or misbehaving site is a result, not an error.
package crawler

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gocolly/colly/v2"

	"gkaudit/config"
	"gkaudit/page"
	"gkaudit/site"
)

// Options configure one crawl.
type Options struct {
	Policy  config.Crawl
	Columns map[string][]string // canonical kind -> synonyms (config.Columns)
	// Avoid lists the entry URLs of the other configured units: the crawl never
	// enters them (district portals host many units on one host).
	Avoid []string
	// ColumnScope keeps a unit whose entry is a column of a shared portal
	// (IsPortalColumn) to that column when the portal's other units are
	// unknown (audit --url): see colscope.go.
	ColumnScope bool
	// Progress, when set, is called after each page and once at the end
	// (Done=true). Calls are serialised.
	Progress func(Progress)
	// Transport, when set, carries every request (tests).
	Transport http.RoundTripper
	// Previous, when set, returns what the previous run stored for a page
	// URL (as requested). The crawl then asks with a conditional GET
	// (If-None-Match / If-Modified-Since) and, when the server answers 304
	// Not Modified, reuses the stored body: the page is recorded with
	// NotModified set and its links, title and breadcrumb are extracted from
	// that body again. A stored body that cannot be loaded, or whose hash
	// does not match, is fetched again without validators.
	Previous func(url string) (PrevPage, bool)
	// PreviousAttachments are the URLs of the attachments the previous run
	// read. When a unit links more than crawl.max_attachments, which ones
	// are read would depend on the order the pages arrive in; these keep
	// their places within the cap (new ones take only the places they
	// leave), so an unchanged site gives the same set every night and its
	// findings can be reused (audit/reuse.go).
	PreviousAttachments map[string]bool
	// Revisit, with Previous, carries unchanged articles forward instead of
	// asking for them (see Revisit); nil asks for every page.
	Revisit *Revisit
	// Hosts is the run's politeness budget, shared by every crawl of the run
	// (NewHostBudget); nil gives this crawl a budget of its own.
	Hosts *HostBudget
	// OnBody, when set, is called once for every page recorded with a body
	// (fetched, answered 304 or carried forward: see site.Page.NotModified
	// and CarriedForward), once the crawl has read the body (title, links,
	// list entries) and before the page joins the snapshot: the audit
	// streams bodies to the store with it (store.BodyWriter). It is called
	// from the crawl's fetch goroutines, several at a time.
	OnBody func(p *site.Page)
	// ReleaseBodies, with OnBody, drops Page.Body and Page.RawBody right
	// after OnBody returns, so that a crawl holds no page's body beyond the
	// pages being read: the snapshot's pages then name their bodies by
	// SHA256 and RawSHA256 only, and whoever reads a body reads it from
	// where OnBody put it.
	// Past the first few megabytes of a unit's pages, their views are cut
	// to their skeletons (page.View.Skeleton) too: the whole view is
	// OnBody's to keep, or the store's already for an unchanged page.
	ReleaseBodies bool
}

// PrevPage is a page as the previous run stored it.
type PrevPage struct {
	// Page is the stored record (Body nil): its ETag and LastModified are
	// sent as validators; Status, ContentType, Charset, Truncated and SHA256
	// are carried over on 304.
	Page *site.Page
	// Body loads the stored body (UTF-8, as site.Page.Body).
	Body func() ([]byte, error)
	// View, when set, loads the stored view of that body read at pageURL
	// (package page), so that an unchanged page is not parsed again.
	View func(pageURL string) (*page.View, error)
}

// verifiedBody loads the stored body and checks it against its digest;
// false when it cannot be loaded or does not match.
func (pp PrevPage) verifiedBody() ([]byte, bool) {
	body, err := pp.Body()
	if err != nil || body == nil {
		return nil, false
	}
	sum := sha256.Sum256(body)
	return body, hex.EncodeToString(sum[:]) == pp.Page.SHA256
}

// storedView is the previous run's view of its body read at pageURL, or nil
// when there is none to trust.
func (pp PrevPage) storedView(pageURL string) *page.View {
	if pp.View == nil {
		return nil
	}
	v, err := pp.View(pageURL)
	if err != nil {
		return nil
	}
	return v
}

// usable reports whether a previous page can back a conditional GET: it was
// a good page with a stored body and the server gave a validator.
func (pp PrevPage) usable() bool {
	p := pp.Page
	return p != nil && pp.Body != nil && p.OK() && p.SHA256 != "" && (p.ETag != "" || p.LastModified != "")
}

// Progress reports how far a crawl has got.
type Progress struct {
	Unit          string
	Pages, Errors int    // pages fetched; of them not OK (error or non-2xx)
	Title         string // the entry page's title, once fetched
	Elapsed       time.Duration
	Done          bool
}

// Defaults for zero fields of config.Crawl (Retries and Delay may be zero).
const (
	defaultMaxPages  = 3000
	defaultMaxDepth  = 8
	defaultParallel  = 4
	defaultTimeout   = 20 * time.Second
	defaultBudget    = 30 * time.Minute
	defaultMaxBody   = 10 << 20
	defaultUserAgent = "gkaudit/0.1"
)

// Crawl fetches the unit's site starting at its entry URL. It returns an error
// only for bad input (an entry URL that is not an absolute http(s) URL); a
// site that cannot be reached yields a snapshot whose entry page has Err set.
func Crawl(ctx context.Context, u config.Unit, opt Options) (*site.Snapshot, error) {
	entryURL := strings.TrimSpace(u.URL)
	entry, err := url.Parse(entryURL)
	if err != nil {
		return nil, fmt.Errorf("crawler: unit %s: bad url %q: %w", u.ID, u.URL, err)
	}
	if (entry.Scheme != "http" && entry.Scheme != "https") || entry.Host == "" {
		return nil, fmt.Errorf("crawler: unit %s: url %q is not an absolute http(s) URL", u.ID, u.URL)
	}
	pol := withDefaults(opt.Policy)
	c := &crawl{
		unit:    u,
		opt:     opt,
		pol:     pol,
		parent:  ctx,
		scope:   newScope(entry, u, opt.Avoid),
		cols:    newColumnMatcher(opt.Columns),
		start:   time.Now(),
		seen:    map[string]bool{},
		probes:  map[string]*probeJob{},
		colSeen: map[[2]string]bool{},
		wake:    make(chan struct{}, 1),
	}
	if opt.ColumnScope {
		c.scope.keepToColumn(entry)
	}
	c.listedSame, c.listedChanged = map[string]bool{}, map[string]bool{}
	c.pagedSame, c.pagedChanged = map[string]bool{}, map[string]bool{}
	c.ignoredSeen = map[string]bool{}
	for _, p := range append(append([]string(nil), u.LinkIgnore...), pol.LinkIgnore...) {
		if strings.TrimSpace(p) != "" {
			c.linkIgnore = append(c.linkIgnore, compilePattern(p))
		}
	}
	c.snap = &site.Snapshot{UnitID: u.ID, UnitName: u.Name, Entry: entryURL, Started: c.start}
	var cancel context.CancelFunc
	c.ctx, cancel = context.WithTimeout(ctx, pol.UnitBudget.D())
	defer cancel()

	base := opt.Transport
	if base == nil {
		// Every connection passes the SSRF guard (dialguard.go).
		t, err := GuardedTransport(pol.AllowNetworks)
		if err != nil {
			return nil, fmt.Errorf("crawler: unit %s: %w", u.ID, err)
		}
		t.MaxIdleConnsPerHost = pol.ParallelPerHost
		defer t.CloseIdleConnections()
		base = t
	}
	// robots.txt and probes use plain clients; requests carry c.ctx. Probes
	// and pages record their exchanges, robots.txt does not.
	c.log = newExchangeLog()
	c.hosts = opt.Hosts
	if c.hosts == nil {
		c.hosts = NewHostBudget(pol)
	}
	c.client = &http.Client{Transport: c.budgeted(base)}
	c.probeClient = &http.Client{Transport: c.budgeted(&recordTransport{base: base, log: c.log})}
	if pol.Robots {
		c.robots = newRobots(c.client, pol.UserAgent, c.hosts.robots)
	}
	c.col = c.newCollector(base)

	c.seen[normURL(entry)] = true
	c.admitted = 1
	c.entryJob = &job{url: entryURL, u: entry, entry: true}
	c.queue = append(c.queue, c.entryJob)
	c.run()
	return c.finalize(), nil
}

func withDefaults(p config.Crawl) config.Crawl {
	if p.MaxPagesPerUnit <= 0 {
		p.MaxPagesPerUnit = defaultMaxPages
	}
	if p.MaxDepth <= 0 {
		p.MaxDepth = defaultMaxDepth
	}
	if p.ParallelPerHost <= 0 {
		p.ParallelPerHost = defaultParallel
	}
	if p.Timeout <= 0 {
		p.Timeout = config.Duration(defaultTimeout)
	}
	if p.UnitBudget <= 0 {
		p.UnitBudget = config.Duration(defaultBudget)
	}
	if p.MaxBodyBytes <= 0 {
		p.MaxBodyBytes = defaultMaxBody
	}
	if p.Retries < 0 {
		p.Retries = 0
	}
	if p.Delay < 0 {
		p.Delay = 0
	}
	if p.UserAgent == "" {
		p.UserAgent = defaultUserAgent
	}
	if p.MaxRetryAfter <= 0 {
		p.MaxRetryAfter = config.Duration(defaultMaxRetryAfter)
	}
	if p.MaxRefusals <= 0 {
		p.MaxRefusals = defaultMaxRefusals
	}
	return p
}

// crawl is the state of one Crawl call. Fields below mu are guarded by it.
type crawl struct {
	unit config.Unit
	opt  Options
	// wholeViews counts the bytes of the pages whose whole views the crawl
	// keeps (bodyRead).
	wholeViews atomic.Int64
	pol        config.Crawl
	parent     context.Context // the caller's context
	ctx        context.Context // parent plus the unit's time budget
	scope      *scope
	cols       *columnMatcher
	col        *colly.Collector
	robots     *robots      // nil when robots.txt is ignored
	client     *http.Client // robots.txt
	// probeClient records the exchanges of probes, log those of every fetch.
	probeClient *http.Client
	log         *exchangeLog
	start       time.Time
	wake        chan struct{}

	progressMu sync.Mutex
	doneSent   bool

	probeWG sync.WaitGroup

	mu           sync.Mutex
	closed       bool
	snap         *site.Snapshot
	seen         map[string]bool // page URLs admitted to the crawl
	admitted     int
	queue        []*job // frontier, breadth first
	retries      []*job // waiting for their backoff
	inflight     int    // jobs handed to colly
	errors       int
	followed     []*site.Page // pages whose links were followed
	colSeen      map[[2]string]bool
	probes       map[string]*probeJob
	probeOrder   []*probeJob
	probeQueue   []*probeJob
	probeWorkers int
	probed       int // probes admitted (budget)
	entryDone    bool
	entryTitle   string
	entryJob     *job

	pageBudgetHit, depthHit, probeBudgetHit, entryBlocked, timeHit bool

	hosts   *HostBudget // the run's politeness budget (or this crawl's own)
	refused string      // why the budget gave up the unit's host; guarded by mu
	// listedSame and listedChanged: URLs some list of this run links to
	// with the entry it had last run, or with a new or changed one.
	listedSame, listedChanged map[string]bool
	// pagedSame and pagedChanged: further list pages (page 2, 3 …) the
	// pagination of an unchanged list page links to, or of a changed one.
	pagedSame, pagedChanged map[string]bool
	carried                 int // pages carried forward

	rechecked   bool                 // the second tries were queued
	linkIgnore  []*pattern           // link_ignore of the unit and the policy
	ignoredSeen map[string]bool      // link_ignore matches recorded in Skipped
	forms       map[string][2]string // POST form and Referer of derived dataproxy jobs, by URL
	// orphans are failed pages and probes linked only from carried pages,
	// which were fetched again: dropped at the end when no page links them.
	orphans map[string]bool

	att attachState // documents read for their text (attachments.go)
}

// job is one page to fetch, across its attempts.
type job struct {
	url      string // as requested
	u        *url.URL
	depth    int
	entry    bool
	attempts int
	due      time.Time // when a retry may start
	started  time.Time // start of the current attempt
	status   int       // from the response headers of the current attempt
	ctype    string    // Content-Type as sent
	nonHTML  bool      // aborted after the headers: probed, not parsed
	last     *site.Page
	prev     *PrevPage // the previous run's page, when validators are sent
	uncond   bool      // fetch without validators (the stored body failed)
	token    string    // the current attempt's fetch token (exchangeLog)
	deferred bool      // sent to the back of the queue once, until the lists are read
	paged    bool      // carried forward as a further page of an unchanged list
	firstTry *site.Try // set on a second try later in the crawl: the first's outcome
	refresh  bool      // a carried page fetched after all: a failure it links may be gone
	// form, when set, makes the job a POST of this url-encoded body (a
	// Hanweb dataproxy request, hanweb.go) sent with referer as Referer.
	form, referer string
}
