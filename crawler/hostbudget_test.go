package crawler

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"gkaudit/config"
)

// inflightCounter is a handler wrapper that counts, per Host header, the
// requests being served at once and the most seen.
type inflightCounter struct {
	mu       sync.Mutex
	now, max map[string]int
	total    map[string]int
}

func newInflightCounter() *inflightCounter {
	return &inflightCounter{now: map[string]int{}, max: map[string]int{}, total: map[string]int{}}
}

func (c *inflightCounter) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.mu.Lock()
		c.now[r.Host]++
		c.total[r.Host]++
		c.max[r.Host] = max(c.max[r.Host], c.now[r.Host])
		c.mu.Unlock()
		defer func() {
			c.mu.Lock()
			c.now[r.Host]--
			c.mu.Unlock()
		}()
		// Long enough that requests overlap when nothing holds them back.
		time.Sleep(2 * time.Millisecond)
		h.ServeHTTP(w, r)
	})
}

func (c *inflightCounter) maxOf(host string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.max[host]
}

// unitsHost serves units u0..u(n-1) under /uK/: an entry page linking to ten
// articles and three attachments (probed).
func unitsHost(n int) *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "User-agent: *\nAllow: /\n") })
	for k := range n {
		var links strings.Builder
		for i := range 10 {
			fmt.Fprintf(&links, `<a href="/u%d/a%d.html">文章%d</a>`, k, i, i)
		}
		for i := range 3 {
			fmt.Fprintf(&links, `<a href="/u%d/f%d.pdf">附件%d</a>`, k, i, i)
		}
		mux.HandleFunc(fmt.Sprintf("/u%d/index.html", k), htmlPage("栏目", links.String()))
		mux.HandleFunc(fmt.Sprintf("/u%d/", k), func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, ".pdf") {
				w.Header().Set("Content-Type", "application/pdf")
				return
			}
			htmlPage("文章", "正文")(w, r)
		})
	}
	return mux
}

// crawlUnits crawls n units on srv at once; a shared budget when shared.
func crawlUnits(t *testing.T, srv *httptest.Server, n int, pol config.Crawl, shared bool) {
	t.Helper()
	var budget *HostBudget
	if shared {
		budget = NewHostBudget(pol)
	}
	var wg sync.WaitGroup
	for k := range n {
		wg.Go(func() {
			u := config.Unit{ID: fmt.Sprintf("u%d", k), Name: "单位", URL: fmt.Sprintf("%s/u%d/index.html", srv.URL, k)}
			s, err := Crawl(context.Background(), u, Options{Policy: pol, Hosts: budget})
			if err != nil {
				t.Errorf("Crawl(%s): %v", u.ID, err)
				return
			}
			if len(s.Pages) != 11 {
				t.Errorf("%s: %d pages, want 11: %v", u.ID, len(s.Pages), pageURLs(s))
			}
		})
	}
	wg.Wait()
}

// Ensure that units sharing a host share its politeness budget: with six
// units crawled at once, the host never serves more than parallel_per_host
// requests at a time (pages, probes and robots.txt together). The trap: a
// budget per unit lets six units put 6 x parallel_per_host requests on the
// portal that hosts them all.
func TestHostBudget_SharedHostStaysWithinParallelPerHost(t *testing.T) {
	pol := testPolicy()
	pol.ParallelPerHost = 2
	pol.Delay = 0
	for _, shared := range []bool{false, true} {
		cnt := newInflightCounter()
		srv := httptest.NewServer(cnt.wrap(unitsHost(6)))
		crawlUnits(t, srv, 6, pol, shared)
		host := strings.TrimPrefix(srv.URL, "http://")
		srv.Close()
		got := cnt.maxOf(host)
		t.Logf("shared budget %v: at most %d requests in flight on the host (parallel_per_host %d, 6 units)", shared, got, pol.ParallelPerHost)
		if shared && got > pol.ParallelPerHost {
			t.Errorf("shared budget: %d requests in flight on one host, want <= %d", got, pol.ParallelPerHost)
		}
		if got == 0 {
			t.Errorf("no request reached the server")
		}
	}
}

// Ensure that a budget spaces the starts of requests to a host by at least
// its delay, whoever asks.
func TestHostBudget_DelayBetweenStarts(t *testing.T) {
	const delay = 20 * time.Millisecond
	b := NewHostBudget(config.Crawl{ParallelPerHost: 3, Delay: config.Duration(delay)})
	t0 := time.Now()
	var mu sync.Mutex
	var starts []time.Time
	var wg sync.WaitGroup
	for range 6 {
		wg.Go(func() {
			release, err := b.Acquire(context.Background(), "example.gov.cn")
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			starts = append(starts, time.Now())
			mu.Unlock()
			release()
		})
	}
	wg.Wait()
	slices.SortFunc(starts, func(a, b time.Time) int { return a.Compare(b) })
	for k, s := range starts {
		if min := time.Duration(k) * delay; s.Sub(t0) < min {
			t.Errorf("start %d at +%s, want >= +%s", k, s.Sub(t0), min)
		}
	}
	if st := b.Stats(); len(st) != 1 || st[0].Requests != 6 || st[0].MaxInFlight > 3 {
		t.Errorf("Stats = %+v, want one host, 6 requests, at most 3 in flight", st)
	}
}

// Ensure that a host answering 429 is paused and then given up: the crawl
// stops asking after max_refusals, its unit's snapshot says why, and a host
// that is not refusing is not held up by it.
func TestHostBudget_RefusingHostIsPausedNotHammered(t *testing.T) {
	var mu sync.Mutex
	hits := 0
	refusing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits++
		mu.Unlock()
		w.Header().Set("Retry-After", "120")
		http.Error(w, "too many", http.StatusTooManyRequests)
	}))
	defer refusing.Close()
	pol := testPolicy()
	pol.ParallelPerHost = 2
	pol.Retries = 5
	pol.MaxRefusals = 3
	pol.MaxRetryAfter = config.Duration(30 * time.Millisecond)
	budget := NewHostBudget(pol)
	var wg sync.WaitGroup
	for k := range 3 {
		wg.Go(func() {
			u := config.Unit{ID: fmt.Sprintf("u%d", k), Name: "单位", URL: fmt.Sprintf("%s/u%d/", refusing.URL, k)}
			s, err := Crawl(context.Background(), u, Options{Policy: pol, Hosts: budget})
			if err != nil {
				t.Error(err)
				return
			}
			if !strings.Contains(s.Refused, "拒绝抓取") {
				t.Errorf("%s: Refused = %q, want the reason", u.ID, s.Refused)
			}
		})
	}
	wg.Wait()
	// Once given up, nothing more is sent: the refusals that gave it up plus
	// those already in flight.
	if hits > pol.MaxRefusals+pol.ParallelPerHost {
		t.Errorf("refusing host got %d requests, want <= %d", hits, pol.MaxRefusals+pol.ParallelPerHost)
	}
	host := strings.TrimPrefix(refusing.URL, "http://")
	if !budget.Paused(host) {
		t.Errorf("host %s not paused", host)
	}

	ok := httptest.NewServer(unitsHost(1))
	defer ok.Close()
	s, err := Crawl(context.Background(), config.Unit{ID: "ok", URL: ok.URL + "/u0/index.html"}, Options{Policy: pol, Hosts: budget})
	if err != nil || s.Refused != "" || len(s.Pages) != 11 {
		t.Errorf("healthy host after a refusing one: err %v, refused %q, %d pages", err, s.Refused, len(s.Pages))
	}
}
