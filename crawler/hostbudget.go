package crawler

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"gkaudit/config"
)

// Defaults of the host budget's refusal handling.
const (
	defaultMaxRetryAfter = 60 * time.Second
	defaultMaxRefusals   = 8
)

// HostBudget is the politeness budget of one audit run: per host (host:port),
// at most ParallelPerHost requests in flight and at least Delay between the
// starts of two requests, whichever unit, probe or robots.txt fetch sends
// them. District portals host most units on one host, so a budget per unit
// would multiply the load on exactly the host that carries most of them.
//
// A 429 or 503 answer pauses the host for every user of the budget: for the
// server's Retry-After (capped by crawl.max_retry_after) or an exponential
// backoff, whichever is longer. After crawl.max_refusals such answers in a row
// the host is given up for the run: requests to it fail at once with an
// *HostPausedError instead of being sent.
//
// A HostBudget is safe for concurrent use. The zero value is not usable; use
// NewHostBudget.
type HostBudget struct {
	parallel      int
	delay         time.Duration
	maxRetryAfter time.Duration
	maxRefusals   int
	now           func() time.Time

	mu    sync.Mutex
	hosts map[string]*hostState

	robots *robotsCache // robots.txt, read once per host for the run
	links  *linkCache   // outbound links, checked once for the run
}

// hostState is one host's share of the budget. Fields below slots are
// guarded by HostBudget.mu.
type hostState struct {
	slots chan struct{} // one token per request in flight

	next        time.Time // earliest start of the next request
	pausedUntil time.Time
	refusals    int    // 429/503 answers since the last other answer
	stopped     string // why the host was given up; "" while it is not
	answered    bool   // some request to the host had an answer this run
	silent      int    // requests that timed out before the host answered any
	stats       HostStats
}

// HostStats counts what a budget let through to one host.
type HostStats struct {
	Host        string `json:"host"`
	Requests    int    `json:"requests"`     // requests sent
	MaxInFlight int    `json:"max_inflight"` // most requests in flight at once
	Refusals    int    `json:"refusals"`     // 429/503 answers
	Paused      bool   `json:"paused"`       // given up for the run
	inflight    int
}

// HostPausedError is the error of a request the budget did not send because
// its host kept refusing the crawler.
type HostPausedError struct {
	Host     string
	Refusals int
}

func (e *HostPausedError) Error() string {
	return fmt.Sprintf("主机 %s 连续 %d 次拒绝抓取（HTTP 429/503），本次运行已暂停对它的请求；请稍后重新检查，或调低 crawl.parallel_per_host、调大 crawl.delay", e.Host, e.Refusals)
}

// NewHostBudget returns the budget for a run under the crawl policy pol (its
// zero fields take the crawler's defaults).
func NewHostBudget(pol config.Crawl) *HostBudget {
	pol = withDefaults(pol)
	b := &HostBudget{
		parallel:      pol.ParallelPerHost,
		delay:         pol.Delay.D(),
		maxRetryAfter: pol.MaxRetryAfter.D(),
		maxRefusals:   pol.MaxRefusals,
		now:           time.Now,
		hosts:         map[string]*hostState{},
		robots:        newRobotsCache(),
		links:         &linkCache{urls: map[string]*linkEntry{}},
	}
	return b
}

func (b *HostBudget) state(host string) *hostState {
	host = strings.ToLower(host)
	b.mu.Lock()
	defer b.mu.Unlock()
	h, ok := b.hosts[host]
	if !ok {
		h = &hostState{slots: make(chan struct{}, b.parallel), stats: HostStats{Host: host}}
		b.hosts[host] = h
	}
	return h
}

// Acquire waits until a request to host may start: a slot is free, Delay has
// passed since the previous start and the host is not paused. It returns the
// function that ends the request (call it once the response body is closed),
// or an error when ctx ends first or the host has been given up.
func (b *HostBudget) Acquire(ctx context.Context, host string) (func(), error) {
	h := b.state(host)
	select {
	case h.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	for {
		b.mu.Lock()
		if h.stopped != "" {
			err := &HostPausedError{Host: h.stats.Host, Refusals: h.refusals}
			b.mu.Unlock()
			<-h.slots
			return nil, err
		}
		now := b.now()
		if h.pausedUntil.After(now) {
			wait := h.pausedUntil.Sub(now)
			b.mu.Unlock()
			if err := sleepCtx(ctx, wait); err != nil {
				<-h.slots
				return nil, err
			}
			continue // a refusal may have come in meanwhile
		}
		at := now
		if h.next.After(at) {
			at = h.next
		}
		h.next = at.Add(b.delay)
		b.mu.Unlock()
		if err := sleepCtx(ctx, at.Sub(now)); err != nil {
			<-h.slots
			return nil, err
		}
		break
	}
	b.mu.Lock()
	h.stats.Requests++
	h.stats.inflight++
	h.stats.MaxInFlight = max(h.stats.MaxInFlight, h.stats.inflight)
	b.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			b.mu.Lock()
			h.stats.inflight--
			b.mu.Unlock()
			<-h.slots
		})
	}, nil
}

// Observe records the status of an answer from host. 429 and 503 pause the
// host for max(backoff, Retry-After capped at crawl.max_retry_after) and,
// after crawl.max_refusals of them in a row, give it up for the run; any other
// answer ends the row.
func (b *HostBudget) Observe(host string, status int, retryAfter time.Duration) {
	h := b.state(host)
	b.mu.Lock()
	defer b.mu.Unlock()
	h.answered = true
	if status != http.StatusTooManyRequests && status != http.StatusServiceUnavailable {
		h.refusals = 0
		return
	}
	h.refusals++
	h.stats.Refusals++
	wait := max(backoff(h.refusals, 0), min(retryAfter, b.maxRetryAfter))
	if until := b.now().Add(wait); until.After(h.pausedUntil) {
		h.pausedUntil = until
	}
	if h.refusals >= b.maxRefusals && h.stopped == "" {
		h.stopped = "refused"
		h.stats.Paused = true
	}
}

// observeTimeout records a request to host that timed out waiting for its
// answer.
func (b *HostBudget) observeTimeout(host string) {
	h := b.state(host)
	b.mu.Lock()
	defer b.mu.Unlock()
	if !h.answered {
		h.silent++
	}
}

// Silent returns how many requests to host timed out this run while it had
// answered none, robots.txt included; 0 once it has answered any. A page of
// such a host is not tried again past crawl.retries of them (crawl.hostSilent).
func (b *HostBudget) Silent(host string) int {
	h := b.state(host)
	b.mu.Lock()
	defer b.mu.Unlock()
	if h.answered {
		return 0
	}
	return h.silent
}

// Paused reports whether host has been given up for the run.
func (b *HostBudget) Paused(host string) bool {
	h := b.state(host)
	b.mu.Lock()
	defer b.mu.Unlock()
	return h.stopped != ""
}

// Stats returns what the budget let through, per host, sorted by host.
func (b *HostBudget) Stats() []HostStats {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]HostStats, 0, len(b.hosts))
	for _, h := range b.hosts {
		out = append(out, h.stats)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Host < out[j].Host })
	return out
}

// sleepCtx waits d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// budgetTransport sends every request through the host budget and gives it
// its own timeout, counted from when the budget lets it go: time spent
// waiting for a busy shared host is not the site's slowness.
type budgetTransport struct {
	base    http.RoundTripper
	budget  *HostBudget
	timeout time.Duration
}

func (t *budgetTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	host := req.URL.Host
	release, err := t.budget.Acquire(req.Context(), host)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(req.Context())
	if t.timeout > 0 {
		ctx, cancel = context.WithTimeout(req.Context(), t.timeout)
	}
	done := func() { cancel(); release() }
	resp, err := t.base.RoundTrip(req.WithContext(ctx))
	if err != nil {
		if ctx.Err() == context.DeadlineExceeded && req.Context().Err() == nil {
			t.budget.observeTimeout(host) // this request's own timeout, not the crawl's end
		}
		done()
		return nil, err
	}
	ra := time.Duration(0)
	if d := retryAfter(&resp.Header); d > 0 {
		ra = d
	}
	t.budget.Observe(host, resp.StatusCode, ra)
	resp.Body = &releaseBody{ReadCloser: resp.Body, release: done}
	return resp, nil
}

// isHostPaused reports whether err is a request the budget did not send.
func isHostPaused(err error) (*HostPausedError, bool) {
	var hp *HostPausedError
	ok := errors.As(err, &hp)
	return hp, ok
}

var _ io.Closer = (*releaseBody)(nil)
