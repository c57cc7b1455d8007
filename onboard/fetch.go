package onboard

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"gkaudit/config"
	"gkaudit/crawler"
)

// The fetcher reads a handful of portal pages the way the crawler would:
// through the SSRF dial guard (crawl.allow_networks), one host budget for
// politeness (crawl.delay, crawl.parallel_per_host, Retry-After), robots.txt
// when crawl.robots is on, a timeout per request, a body limit and the
// charset corrections Chinese government sites need (GBK declared nowhere,
// utf-8 declared over GBK bytes).

// maxRedirects bounds a page's redirects.
const maxRedirects = 10

// ErrRobots is the error of a page robots.txt keeps the crawler from.
var ErrRobots = errors.New("robots.txt 不允许抓取")

// page is one fetched HTML page, as UTF-8.
type page struct {
	url  *url.URL // after redirects
	body []byte
}

// fetcher fetches pages under a crawl policy.
type fetcher struct {
	client  *http.Client
	budget  *crawler.HostBudget
	agent   string
	robots  *crawler.RobotsChecker // nil when robots.txt is ignored
	maxBody int64
}

func newFetcher(pol config.Crawl) (*fetcher, error) {
	tr, err := crawler.GuardedTransport(pol.AllowNetworks)
	if err != nil {
		return nil, err
	}
	timeout := pol.Timeout.D()
	if timeout <= 0 {
		timeout = 20 * time.Second
	}
	maxBody := pol.MaxBodyBytes
	if maxBody <= 0 {
		maxBody = 10 << 20
	}
	agent := pol.UserAgent
	if agent == "" {
		agent = "gkaudit"
	}
	f := &fetcher{agent: agent, maxBody: maxBody}
	f.budget = crawler.NewHostBudget(pol)
	f.client = &http.Client{
		Transport: &budgetTransport{base: tr, budget: f.budget},
		Timeout:   timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= maxRedirects {
				return fmt.Errorf("重定向超过 %d 次", maxRedirects)
			}
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return fmt.Errorf("重定向到不支持的网址 %s", req.URL)
			}
			return nil
		},
	}
	if pol.Robots {
		f.robots = crawler.NewRobotsChecker(f.client, agent)
	}
	return f, nil
}

// budgetTransport sends each request through the host budget.
type budgetTransport struct {
	base   http.RoundTripper
	budget *crawler.HostBudget
}

func (t *budgetTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	host := strings.ToLower(req.URL.Host)
	release, err := t.budget.Acquire(req.Context(), host)
	if err != nil {
		return nil, err
	}
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		release()
		return nil, err
	}
	var ra time.Duration
	if s, err := time.ParseDuration(strings.TrimSpace(resp.Header.Get("Retry-After")) + "s"); err == nil && s > 0 {
		ra = s
	}
	t.budget.Observe(host, resp.StatusCode, ra)
	resp.Body = &releaseBody{ReadCloser: resp.Body, release: release}
	return resp, nil
}

type releaseBody struct {
	io.ReadCloser
	release func()
	done    bool
}

func (b *releaseBody) Close() error {
	err := b.ReadCloser.Close()
	if !b.done {
		b.done = true
		b.release()
	}
	return err
}

// get fetches an HTML page. A status other than 200, a page that is not
// HTML and a page robots.txt forbids are errors, worded for the user.
func (f *fetcher) get(ctx context.Context, raw string) (*page, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%q 不是完整的 http(s) 网址", raw)
	}
	if f.robots != nil && !f.robots.Allowed(ctx, u) {
		return nil, fmt.Errorf("%s：%w（crawl.robots 为 true，按网站的 robots.txt 行事）", raw, ErrRobots)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("%s：%w", raw, err)
	}
	req.Header.Set("User-Agent", f.agent)
	req.Header.Set("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5")
	resp, err := f.client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("%s：无法访问（%s）", raw, reason(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s：服务器返回 HTTP %d", raw, resp.StatusCode)
	}
	ct := resp.Header.Get("Content-Type")
	if mt, _, _ := strings.Cut(strings.ToLower(ct), ";"); mt != "" && !strings.Contains(mt, "html") {
		return nil, fmt.Errorf("%s：不是网页（Content-Type %s）", raw, ct)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, f.maxBody))
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("%s：读取失败（%s）", raw, reason(err))
	}
	return &page{url: resp.Request.URL, body: decode(body, ct)}, nil
}

// reason is why a request failed, in the user's words where we know them.
func reason(err error) string {
	var be *crawler.BlockedError
	if errors.As(err, &be) {
		return be.Error()
	}
	return crawler.Cause(err) + "：" + err.Error()
}

// decode converts a page to UTF-8 as the crawler does (crawler.DecodeHTML).
func decode(raw []byte, contentType string) []byte {
	body, _ := crawler.DecodeHTML(raw, contentType)
	return body
}
