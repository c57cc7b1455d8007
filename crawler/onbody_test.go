package crawler

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"gkaudit/site"
)

// bodyLog is an OnBody hook that records, per page record, how often it was
// called and the body it was given then.
type bodyLog struct {
	mu     sync.Mutex
	calls  map[*site.Page]int
	bodies map[*site.Page][]byte
}

func newBodyLog() *bodyLog {
	return &bodyLog{calls: map[*site.Page]int{}, bodies: map[*site.Page][]byte{}}
}

func (l *bodyLog) hook(p *site.Page) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls[p]++
	l.bodies[p] = slices.Clone(p.Body)
}

// check fails the test unless the hook fired exactly once for every page of
// s that has a body (want: true, or the hook's own copy when s's bodies were
// released) and never for a page without one or not in s.
func (l *bodyLog) check(t *testing.T, s *site.Snapshot, released bool) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	withBody := 0
	for _, p := range s.Pages {
		hasBody := p.SHA256 != ""
		if !hasBody {
			if l.calls[p] != 0 {
				t.Errorf("%s (no body): hook called %d times", p.URL, l.calls[p])
			}
			continue
		}
		withBody++
		if l.calls[p] != 1 {
			t.Errorf("%s: hook called %d times, want once", p.URL, l.calls[p])
			continue
		}
		sum := sha256.Sum256(l.bodies[p])
		if hex.EncodeToString(sum[:]) != p.SHA256 {
			t.Errorf("%s: hook got a body of digest %x, page says %s", p.URL, sum, p.SHA256)
		}
		if released && (p.Body != nil || p.RawBody != nil) {
			t.Errorf("%s: body kept with ReleaseBodies", p.URL)
		}
		if !released && string(p.Body) != string(l.bodies[p]) {
			t.Errorf("%s: hook got %q, page holds %q", p.URL, l.bodies[p], p.Body)
		}
	}
	if len(l.calls) != withBody {
		t.Errorf("hook called for %d page records, the snapshot has %d with a body", len(l.calls), withBody)
	}
}

// Ensure that OnBody fires once for every page fetched with a body (not for
// a failed fetch), for every page answered 304 and every page carried
// forward on the next night, with the page's body, and that ReleaseBodies
// drops the bodies after the hook without changing what is crawled: the
// same pages, titles and links (links are read before the release).
func TestCrawl_OnBodyOncePerPage(t *testing.T) {
	v, _ := newValidatorServer(t)
	v.pages = map[string]string{
		"/list.html": `<html><head><title>通知公告</title></head><body><ul><li><a href="/a1.html">通知一</a> 2020-01-01</li><li><a href="/a2.html">通知二</a> 2020-01-02</li><li><a href="/gone.html">通知三</a> 2020-01-03</li></ul></body></html>`,
		"/a1.html":   `<html><head><title>通知一</title></head><body>正文一 <a href="/a3.html">相关</a></body></html>`,
		"/a2.html":   `<html><head><title>通知二</title></head><body>正文二</body></html>`,
		"/a3.html":   `<html><head><title>相关</title></head><body>正文三</body></html>`,
	}
	mux := http.NewServeMux()
	mux.Handle("/", v)
	srv := newServer(t, mux)
	entry := srv.URL + "/list.html"
	pol := testPolicy()
	pol.Robots = false

	night1 := newBodyLog()
	first := mustCrawl(t, entry, Options{Policy: pol, OnBody: night1.hook})
	if len(first.Pages) != 5 || first.Page(srv.URL+"/gone.html") == nil {
		t.Fatalf("first crawl pages = %v, want the list, three articles and the missing page", pageURLs(first))
	}
	night1.check(t, first, false)

	// The next night: everything unchanged; a1 and a3 due (asked, 304), a2
	// carried forward without a request.
	bodies := map[string][]byte{}
	for _, p := range first.Pages {
		bodies[p.SHA256] = p.Body
	}
	night2 := newBodyLog()
	second := mustCrawl(t, entry, Options{Policy: pol, OnBody: night2.hook,
		Previous: previousOf(first, func(p *site.Page) ([]byte, error) { return bodies[p.SHA256], nil }),
		Revisit: &Revisit{Entries: entriesOf, Due: func(u string, _ time.Time) bool { return !strings.HasSuffix(u, "/a2.html") },
			PreviousProbe: func(string) (site.Probe, bool) { return site.Probe{}, false }}})
	nm, carried := 0, 0
	for _, p := range second.Pages {
		if p.NotModified {
			nm++
		}
		if p.CarriedForward {
			carried++
		}
	}
	if nm != 3 || carried != 1 {
		t.Fatalf("second crawl: %d pages 304 and %d carried, want 3 and 1 (pages %v)", nm, carried, pageURLs(second))
	}
	night2.check(t, second, false)

	night3 := newBodyLog()
	released := mustCrawl(t, entry, Options{Policy: pol, OnBody: night3.hook, ReleaseBodies: true})
	night3.check(t, released, true)
	if got, want := pageURLs(released), pageURLs(first); !slices.Equal(sorted(got), sorted(want)) {
		t.Errorf("crawl with ReleaseBodies reached %v, without %v", got, want)
	}
	for _, p := range first.Pages {
		r := released.Page(p.URL)
		if r == nil || r.Title != p.Title || len(r.Links) != len(p.Links) || r.SHA256 != p.SHA256 {
			t.Errorf("%s with ReleaseBodies = %+v, want title, links and digest as without", p.URL, r)
		}
	}

	// ReleaseBodies without OnBody keeps the bodies: nothing would hold them.
	kept := mustCrawl(t, entry, Options{Policy: pol, ReleaseBodies: true})
	if p := kept.Page(entry); p == nil || p.Body == nil {
		t.Error("ReleaseBodies without OnBody dropped the entry page's body")
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
