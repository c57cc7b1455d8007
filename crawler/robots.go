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
type robots struct {
	client *http.Client
	agent  string
	mu     sync.Mutex
	hosts  map[string]*robotstxt.Group // nil group: allow all
}

func newRobots(client *http.Client, agent string) *robots {
	return &robots{client: client, agent: agent, hosts: map[string]*robotstxt.Group{}}
}

// allowed reports whether the robots.txt of u's host lets the crawler fetch u.
// The first call for a host fetches robots.txt.
func (r *robots) allowed(ctx context.Context, u *url.URL) bool {
	key := u.Scheme + "://" + u.Host
	r.mu.Lock()
	g, ok := r.hosts[key]
	r.mu.Unlock()
	if !ok {
		g = r.fetch(ctx, key)
		if ctx.Err() != nil {
			return true // not cached: the crawl is ending anyway
		}
		r.mu.Lock()
		r.hosts[key] = g
		r.mu.Unlock()
	}
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
