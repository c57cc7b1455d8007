package crawler

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"gkaudit/site"
)

// validatorServer serves /, /a.html and /b.html with ETags, answers a
// matching If-None-Match with 304, and counts full and 304 answers.
type validatorServer struct {
	mu        sync.Mutex
	full, nm  map[string]int
	pages     map[string]string
	withETags bool
}

func (v *validatorServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, ok := v.pages[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	etag := fmt.Sprintf(`"%x"`, sha256.Sum256([]byte(r.URL.Path+"\x00"+body)))
	v.mu.Lock()
	defer v.mu.Unlock()
	w.Header().Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		v.nm[r.URL.Path]++
		w.WriteHeader(http.StatusNotModified)
		return
	}
	v.full[r.URL.Path]++
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprint(w, body)
}

func newValidatorServer(t *testing.T) (*validatorServer, string) {
	v := &validatorServer{full: map[string]int{}, nm: map[string]int{}, pages: map[string]string{
		"/":       `<html><head><title>首页</title></head><body><a href="/a.html">机构信息</a> <a href="/b.html">公开指南</a></body></html>`,
		"/a.html": `<html><head><title>机构信息</title></head><body><a href="/c.pdf">附件</a></body></html>`,
		"/b.html": `<html><head><title>公开指南</title></head><body>传真：0574-1234</body></html>`,
	}}
	mux := http.NewServeMux()
	mux.Handle("/", v)
	srv := newServer(t, mux)
	return v, srv.URL + "/"
}

// previousOf turns a snapshot into the lookup a second crawl gets; body
// returns the stored body of a page (by URL) or an error.
func previousOf(s *site.Snapshot, body func(p *site.Page) ([]byte, error)) func(string) (PrevPage, bool) {
	pages := map[string]*site.Page{}
	for _, p := range s.Pages {
		cp := *p
		cp.Links = nil
		pages[p.URL] = &cp
	}
	return func(u string) (PrevPage, bool) {
		p, ok := pages[u]
		if !ok {
			return PrevPage{}, false
		}
		return PrevPage{Page: p, Body: func() ([]byte, error) { return body(p) }}, true
	}
}

// Ensure that a re-crawl sends the previous validators, takes a 304 as the
// page with the stored body, extracts its links again (so the crawl goes
// on to the pages and probes behind it) and records it as NotModified with
// no bytes received.
func TestCrawl_NotModifiedReusesBody(t *testing.T) {
	v, entry := newValidatorServer(t)
	first := mustCrawl(t, entry, Options{})
	bodies := map[string][]byte{}
	for _, p := range first.Pages {
		bodies[p.SHA256] = p.Body
		if p.ETag == "" {
			t.Errorf("first crawl: %s has no ETag", p.URL)
		}
	}
	second := mustCrawl(t, entry, Options{Previous: previousOf(first, func(p *site.Page) ([]byte, error) {
		return bodies[p.SHA256], nil
	})})
	if got, want := pageURLs(second), pageURLs(first); len(got) != len(want) {
		t.Fatalf("second crawl pages = %v, want %v", got, want)
	}
	for _, p := range second.Pages {
		old := first.Page(p.URL)
		if !p.NotModified || p.Size != 0 || !p.OK() || p.Status != 200 {
			t.Errorf("%s: NotModified=%v Size=%d Status=%d, want a 304 recorded as the 200 page with 0 bytes", p.URL, p.NotModified, p.Size, p.Status)
		}
		if p.SHA256 != old.SHA256 || string(p.Body) != string(old.Body) || p.Title != old.Title || len(p.Links) != len(old.Links) {
			t.Errorf("%s: reused page differs from the first crawl's: %+v", p.URL, p)
		}
	}
	if probeByPath(second, "/c.pdf") == nil {
		t.Error("the probe behind a 304 page is missing: links not extracted from the stored body")
	}
	for _, path := range []string{"/", "/a.html", "/b.html"} {
		if v.full[path] != 1 || v.nm[path] != 1 {
			t.Errorf("%s: %d full and %d 304 answers, want 1 and 1", path, v.full[path], v.nm[path])
		}
	}
}

// Ensure that a 304 whose stored body cannot be loaded, or does not match
// its hash, makes the crawl fetch the page again without validators.
func TestCrawl_NotModifiedMissingBodyRefetches(t *testing.T) {
	v, entry := newValidatorServer(t)
	first := mustCrawl(t, entry, Options{})
	second := mustCrawl(t, entry, Options{Previous: previousOf(first, func(p *site.Page) ([]byte, error) {
		switch pathOf(p.URL) {
		case "/a.html":
			return nil, errors.New("store: body: not found")
		case "/b.html":
			return []byte("<html>damaged</html>"), nil
		}
		return first.Page(p.URL).Body, nil
	})})
	for _, path := range []string{"/a.html", "/b.html"} {
		p := pageByPath(second, path)
		if p == nil || p.NotModified || !p.OK() || p.SHA256 != first.Page(p.URL).SHA256 || p.Size == 0 {
			t.Errorf("%s = %+v, want it fetched in full again", path, p)
			continue
		}
		if v.full[path] != 2 || v.nm[path] != 1 {
			t.Errorf("%s: %d full and %d 304 answers, want 2 and 1", path, v.full[path], v.nm[path])
		}
	}
	if p := pageByPath(second, "/"); p == nil || !p.NotModified {
		t.Errorf("entry = %+v, want a 304 with its body reused", p)
	}
}
