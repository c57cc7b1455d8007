package crawler

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"gkaudit/config"
	"gkaudit/site"
)

// testPolicy is a crawl policy with short timeouts for loopback servers.
func testPolicy() config.Crawl {
	return config.Crawl{
		MaxPagesPerUnit: 100,
		MaxDepth:        5,
		ParallelPerHost: 4,
		Timeout:         config.Duration(2 * time.Second),
		UnitBudget:      config.Duration(20 * time.Second),
		Retries:         1,
		MaxBodyBytes:    1 << 20,
		Robots:          true,
		UserAgent:       "gkaudit-test",
		// Test servers listen on loopback, which the SSRF guard refuses
		// unless allowed.
		AllowNetworks: []string{"127.0.0.0/8", "::1/128"},
	}
}

// newServer starts a loopback server on mux, closed when the test ends.
func newServer(t *testing.T, mux *http.ServeMux) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(mux)
	t.Cleanup(func() {
		srv.CloseClientConnections() // ends handlers that hang
		srv.Close()
	})
	return srv
}

// htmlPage writes a UTF-8 HTML page.
func htmlPage(title, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<!DOCTYPE html><html><head><title>%s</title></head><body>%s</body></html>", title, body)
	}
}

// mustCrawl crawls the unit at entry and fails the test on an error.
func mustCrawl(t *testing.T, entry string, opt Options) *site.Snapshot {
	t.Helper()
	if opt.Policy.UserAgent == "" {
		opt.Policy = testPolicy()
	}
	s, err := Crawl(context.Background(), config.Unit{ID: "u1", Name: "测试单位", URL: entry}, opt)
	if err != nil {
		t.Fatalf("Crawl(%s) error = %v", entry, err)
	}
	return s
}

// pageURLs lists the paths (with query) of the snapshot's pages.
func pageURLs(s *site.Snapshot) []string {
	var out []string
	for _, p := range s.Pages {
		out = append(out, pathOf(p.URL))
	}
	return out
}

func pathOf(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
		if j := strings.Index(u, "/"); j >= 0 {
			return u[j:]
		}
		return "/"
	}
	return u
}

func pageByPath(s *site.Snapshot, path string) *site.Page {
	for _, p := range s.Pages {
		if pathOf(p.URL) == path {
			return p
		}
	}
	return nil
}

func probeByPath(s *site.Snapshot, path string) *site.Probe {
	for i := range s.Probes {
		if pathOf(s.Probes[i].URL) == path {
			return &s.Probes[i]
		}
	}
	return nil
}

// hang blocks until the client goes away or the test ends.
func hang(t *testing.T) http.HandlerFunc {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	return func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}
}
