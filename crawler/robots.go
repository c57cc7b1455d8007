package crawler

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"sync"

	"github.com/temoto/robotstxt"
)

// maxRobotsBytes bounds the robots.txt read.
const maxRobotsBytes = 512 << 10

// robots caches each host's robots.txt for one crawl.
//
// colly's own check (IgnoreRobotsTxt=false) is not used: it fetches
// robots.txt without the crawl's context and without a size limit, does not
// cache a failed fetch (so a host whose robots.txt hangs costs a full timeout
// on every URL), and fails the visit when robots.txt cannot be fetched. Here
// a robots.txt that cannot be fetched or answers 5xx counts as absent: the
// audit of a government site should not be lost to a broken robots.txt. The
// rules themselves are read by the same library colly uses.
//
// The cache is the run's (HostBudget.robots): the units of a shared portal
// host read its robots.txt once per run, not once each.
type robots struct {
	client *http.Client
	agent  string
	cache  *robotsCache
}

// robotsCache holds the robots.txt groups of a run's hosts, by origin and
// user agent.
type robotsCache struct {
	mu    sync.Mutex
	hosts map[string]*robotsEntry
}

// robotsEntry is one origin's robots.txt; ready is closed once group is set,
// so that units asking at once wait for one fetch.
type robotsEntry struct {
	ready chan struct{}
	group *robotstxt.Group // nil: allow all
	ok    bool             // fetched (not cut short by a crawl's end)
}

func newRobotsCache() *robotsCache { return &robotsCache{hosts: map[string]*robotsEntry{}} }

func newRobots(client *http.Client, agent string, cache *robotsCache) *robots {
	if cache == nil {
		cache = newRobotsCache()
	}
	return &robots{client: client, agent: agent, cache: cache}
}

// RobotsChecker answers robots.txt for a tool other than a crawl (gkaudit
// init) by the crawler's rules: each host's robots.txt fetched once, and
// absent when it cannot be fetched or answers 5xx.
type RobotsChecker struct{ r *robots }

// NewRobotsChecker returns a checker fetching robots.txt with client as agent.
func NewRobotsChecker(client *http.Client, agent string) *RobotsChecker {
	return &RobotsChecker{r: newRobots(client, agent, nil)}
}

// Allowed reports whether the robots.txt of u's host lets agent fetch u.
func (c *RobotsChecker) Allowed(ctx context.Context, u *url.URL) bool { return c.r.allowed(ctx, u) }

// group returns the origin's group, fetching robots.txt once per cache.
func (r *robots) group(ctx context.Context, origin string) *robotstxt.Group {
	key := r.agent + " " + origin
	for {
		r.cache.mu.Lock()
		e, ok := r.cache.hosts[key]
		if !ok {
			e = &robotsEntry{ready: make(chan struct{})}
			r.cache.hosts[key] = e
			r.cache.mu.Unlock()
			e.group = r.fetch(ctx, origin)
			e.ok = ctx.Err() == nil
			r.cache.mu.Lock()
			if !e.ok {
				delete(r.cache.hosts, key) // not cached: the crawl is ending anyway
			}
			r.cache.mu.Unlock()
			close(e.ready)
			return e.group
		}
		r.cache.mu.Unlock()
		select {
		case <-e.ready:
		case <-ctx.Done():
			return nil
		}
		if e.ok {
			return e.group
		}
		// The fetching crawl ended before robots.txt arrived: ask again.
	}
}

// allowed reports whether the robots.txt of u's host lets the crawler fetch u.
// The first call for a host fetches robots.txt.
func (r *robots) allowed(ctx context.Context, u *url.URL) bool {
	g := r.group(ctx, u.Scheme+"://"+u.Host)
	if g == nil {
		return true
	}
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	}
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return g.Test(p)
}

func (r *robots) fetch(ctx context.Context, origin string) *robotstxt.Group {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, origin+"/robots.txt", nil)
	if err != nil {
		return nil
	}
	req.Header.Set("User-Agent", r.agent)
	resp, err := r.client.Do(req)
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 500 {
		return nil
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxRobotsBytes))
	if err != nil {
		return nil
	}
	data, err := robotstxt.FromStatusAndBytes(resp.StatusCode, body)
	if err != nil || data == nil {
		return nil
	}
	return data.FindGroup(r.agent)
}
