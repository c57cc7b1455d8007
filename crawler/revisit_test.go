package crawler

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"gkaudit/site"
)

// entriesOf is a test's list-entry reader: <li><a href=URL>TITLE</a> DATE</li>.
func entriesOf(p *site.Page) []ListEntry {
	re := regexp.MustCompile(`<li><a href="([^"]+)">([^<]+)</a> ([0-9-]+)</li>`)
	var out []ListEntry
	base := strings.TrimSuffix(p.FinalURL, "/list.html")
	for _, m := range re.FindAllStringSubmatch(string(p.Body), -1) {
		out = append(out, ListEntry{URL: base + m[1], Title: m[2], Date: m[3]})
	}
	return out
}

// Ensure that a re-crawl under the revisit policy asks again for the list
// page and for new or changed entries, and sends no request for an article
// whose entry is unchanged and which is not due, carrying its record and its
// attachment's probe forward; a due one is asked for. The traps: carrying an
// article whose entry changed (a new title), and carrying the list itself.
func TestRevisit_CarriesUnchangedEntriesOnly(t *testing.T) {
	v, _ := newValidatorServer(t)
	v.pages = map[string]string{
		"/list.html": `<html><body><ul><li><a href="/a1.html">通知一</a> 2020-01-01</li><li><a href="/a2.html">通知二</a> 2020-01-02</li><li><a href="/a3.html">通知三</a> 2020-01-03</li></ul></body></html>`,
		"/a1.html":   `<html><body>正文一 <a href="/f1.pdf">附件</a></body></html>`,
		"/a2.html":   `<html><body>正文二</body></html>`,
		"/a3.html":   `<html><body>正文三</body></html>`,
		"/a4.html":   `<html><body>正文四</body></html>`,
		"/f1.pdf":    `%PDF-1.4`,
	}
	mux := http.NewServeMux()
	mux.Handle("/", v)
	srv := newServer(t, mux)
	entry := srv.URL + "/list.html"
	pol := testPolicy()
	pol.Robots = false
	first := mustCrawl(t, entry, Options{Policy: pol})
	bodies := map[string][]byte{}
	for _, p := range first.Pages {
		bodies[p.SHA256] = p.Body
	}
	prev := previousOf(first, func(p *site.Page) ([]byte, error) { return bodies[p.SHA256], nil })
	probes := map[string]site.Probe{}
	for _, p := range first.Probes {
		probes[p.URL] = p
	}

	// Next night: a3's title changed and a4 is new; a2 is due tonight.
	v.pages["/list.html"] = `<html><body><ul><li><a href="/a4.html">通知四</a> 2020-02-01</li><li><a href="/a1.html">通知一</a> 2020-01-01</li><li><a href="/a2.html">通知二</a> 2020-01-02</li><li><a href="/a3.html">通知三（修订）</a> 2020-01-03</li></ul></body></html>`
	v.mu.Lock()
	v.full, v.nm = map[string]int{}, map[string]int{}
	v.mu.Unlock()
	rev := &Revisit{
		Entries:       entriesOf,
		Due:           func(u string, last time.Time) bool { return strings.HasSuffix(u, "/a2.html") },
		PreviousProbe: func(u string) (site.Probe, bool) { p, ok := probes[u]; return p, ok },
	}
	s := mustCrawl(t, entry, Options{Policy: pol, Previous: prev, Revisit: rev})

	asked := func(path string) int { v.mu.Lock(); defer v.mu.Unlock(); return v.full[path] + v.nm[path] }
	tests := []struct {
		path    string
		asked   int
		carried bool
	}{
		{"/list.html", 1, false}, // lists every night
		{"/a1.html", 0, true},    // unchanged, not due
		{"/a2.html", 1, false},   // unchanged, due tonight
		{"/a3.html", 1, false},   // entry changed
		{"/a4.html", 1, false},   // new entry
	}
	for _, tt := range tests {
		p := pageByPath(s, tt.path)
		if p == nil {
			t.Errorf("%s: not in the snapshot", tt.path)
			continue
		}
		if got := asked(tt.path); got != tt.asked || p.CarriedForward != tt.carried {
			t.Errorf("%s: asked %d times, carried %v; want %d, %v", tt.path, got, p.CarriedForward, tt.asked, tt.carried)
		}
	}
	a1, old := pageByPath(s, "/a1.html"), pageByPath(first, "/a1.html")
	if !a1.FetchedAt.Equal(old.FetchedAt) || a1.SHA256 != old.SHA256 || a1.Exchanges != nil || len(a1.Origin) == 0 || len(a1.Links) == 0 {
		t.Errorf("carried a1 = %+v, want the first night's fetch time and hash, no exchanges, its origin and its links", a1)
	}
	if asked("/f1.pdf") != 0 || probeByPath(s, "/f1.pdf") == nil {
		t.Errorf("attachment of a carried article: asked %d times, probe %v; want carried, not asked", asked("/f1.pdf"), probeByPath(s, "/f1.pdf"))
	}
}
