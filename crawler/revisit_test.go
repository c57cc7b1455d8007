package crawler

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
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

// listsAt is a test's list-entry reader for pages on host (srv.URL):
// <li><a href=PATH>TITLE</a> DATE</li> anywhere in the page.
func listsAt(host string) func(p *site.Page) []ListEntry {
	re := regexp.MustCompile(`<li><a href="([^"]+)">([^<]+)</a> ([0-9-]+)</li>`)
	return func(p *site.Page) []ListEntry {
		var out []ListEntry
		for _, m := range re.FindAllStringSubmatch(string(p.Body), -1) {
			out = append(out, ListEntry{URL: host + m[1], Title: m[2], Date: m[3]})
		}
		return out
	}
}

// pagerOf is a test's pagination reader: the links titled 下一页.
func pagerOf(p *site.Page) []string {
	var out []string
	for _, l := range p.Links {
		if l.Text == "下一页" {
			out = append(out, l.URL)
		}
	}
	return out
}

// firstNight crawls v's pages from path as the first night (no robots.txt):
// the host (scheme and authority), the entry URL and the snapshot.
func firstNight(t *testing.T, v *validatorServer, root, path string) (host, entry string, first *site.Snapshot) {
	t.Helper()
	host = strings.TrimSuffix(root, "/")
	entry = host + path
	pol := testPolicy()
	pol.Robots = false
	return host, entry, mustCrawl(t, entry, Options{Policy: pol})
}

// revisitNight crawls entry again as the next night under a revisit policy
// over the previous night's snapshot, with due deciding the rotation, after
// resetting v's request counts.
func revisitNight(t *testing.T, v *validatorServer, host, entry string, prevNight *site.Snapshot, due func(string, time.Time) bool) *site.Snapshot {
	t.Helper()
	bodies := map[string][]byte{}
	for _, p := range prevNight.Pages {
		bodies[p.SHA256] = p.Body
	}
	v.mu.Lock()
	v.full, v.nm = map[string]int{}, map[string]int{}
	v.mu.Unlock()
	pol := testPolicy()
	pol.Robots = false
	return mustCrawl(t, entry, Options{Policy: pol,
		Previous: previousOf(prevNight, func(p *site.Page) ([]byte, error) { return bodies[p.SHA256], nil }),
		Revisit:  &Revisit{Entries: listsAt(host), Pager: pagerOf, Due: due, PreviousProbe: func(string) (site.Probe, bool) { return site.Probe{}, false }}})
}

// Ensure that the further pages of a list whose first page is unchanged are
// carried forward like its articles (no request unless due), with the
// articles they list, and that a new entry on the first page has every page
// of the list fetched that night. The traps: carrying the first page itself
// (it is a column, fetched every run), and carrying page 2 behind a changed
// first page (where the entry pushed off page 1 now sits).
func TestRevisit_FurtherListPagesFollowTheFirst(t *testing.T) {
	v, root := newValidatorServer(t)
	v.pages = map[string]string{
		"/index.html":  `<html><body><a href="/list.html">工作动态</a></body></html>`,
		"/list.html":   `<html><body><ul><li><a href="/a3.html">第三篇通知</a> 2020-01-03</li></ul><a href="/list_2.html">下一页</a></body></html>`,
		"/list_2.html": `<html><body><ul><li><a href="/a2.html">第二篇通知</a> 2020-01-02</li></ul><a href="/list_3.html">下一页</a></body></html>`,
		"/list_3.html": `<html><body><ul><li><a href="/a1.html">第一篇通知</a> 2020-01-01</li></ul></body></html>`,
		"/a1.html":     `<html><body>正文一</body></html>`,
		"/a2.html":     `<html><body>正文二</body></html>`,
		"/a3.html":     `<html><body>正文三</body></html>`,
		"/a4.html":     `<html><body>正文四</body></html>`,
	}
	host, entry, first := firstNight(t, v, root, "/index.html")
	never := func(string, time.Time) bool { return false }
	asked := func(path string) int { v.mu.Lock(); defer v.mu.Unlock(); return v.full[path] + v.nm[path] }

	second := revisitNight(t, v, host, entry, first, never)
	for path, want := range map[string]int{"/index.html": 1, "/list.html": 1, "/list_2.html": 0, "/list_3.html": 0, "/a1.html": 0, "/a2.html": 0, "/a3.html": 0} {
		if got := asked(path); got != want {
			t.Errorf("unchanged night: %s asked %d times, want %d", path, got, want)
		}
		if p := pageByPath(second, path); p == nil || !p.OK() {
			t.Errorf("unchanged night: %s missing from the snapshot (%+v)", path, p)
		}
	}

	// The next night a4 is new: every entry moves one page down.
	v.pages["/list.html"] = `<html><body><ul><li><a href="/a4.html">第四篇通知</a> 2020-01-04</li></ul><a href="/list_2.html">下一页</a></body></html>`
	v.pages["/list_2.html"] = `<html><body><ul><li><a href="/a3.html">第三篇通知</a> 2020-01-03</li></ul><a href="/list_3.html">下一页</a></body></html>`
	v.pages["/list_3.html"] = `<html><body><ul><li><a href="/a2.html">第二篇通知</a> 2020-01-02</li></ul><a href="/list_4.html">下一页</a></body></html>`
	v.pages["/list_4.html"] = `<html><body><ul><li><a href="/a1.html">第一篇通知</a> 2020-01-01</li></ul></body></html>`
	third := revisitNight(t, v, host, entry, second, never)
	for path, want := range map[string]int{"/list.html": 1, "/list_2.html": 1, "/list_3.html": 1, "/list_4.html": 1, "/a4.html": 1, "/a1.html": 1} {
		if got := asked(path); got != want {
			t.Errorf("night with a new entry: %s asked %d times, want %d", path, got, want)
		}
	}
	if p := pageByPath(third, "/list_4.html"); p == nil || !p.OK() {
		t.Errorf("night with a new entry: the new last page is missing (%+v)", p)
	}
}

// Ensure that an article deleted on the server behind an unchanged list
// entry and list page, which no list tells of, is carried forward on the
// nights it is not due and found broken on its night of the rotation, and
// that the rotation comes round: a page last confirmed a period ago is due
// whatever its slot (audit's dueFunc; here the slot is the test's).
func TestRevisit_SilentDeletionFoundOnItsNight(t *testing.T) {
	v, root := newValidatorServer(t)
	v.pages = map[string]string{
		"/list.html": `<html><body><ul><li><a href="/a1.html">第一篇通知</a> 2020-01-01</li><li><a href="/a2.html">第二篇通知</a> 2020-01-02</li></ul></body></html>`,
		"/a1.html":   `<html><body>正文一</body></html>`,
		"/a2.html":   `<html><body>正文二</body></html>`,
	}
	host, entry, first := firstNight(t, v, root, "/list.html")
	delete(v.pages, "/a2.html")

	notTonight := revisitNight(t, v, host, entry, first, func(string, time.Time) bool { return false })
	if p := pageByPath(notTonight, "/a2.html"); p == nil || !p.CarriedForward || !p.OK() {
		t.Errorf("not its night: a2 = %+v, want carried forward from the stored record", p)
	}
	itsNight := revisitNight(t, v, host, entry, notTonight, func(u string, _ time.Time) bool { return strings.HasSuffix(u, "/a2.html") })
	if p := pageByPath(itsNight, "/a2.html"); p == nil || p.CarriedForward || p.Status != http.StatusNotFound {
		t.Errorf("its night: a2 = %+v, want fetched and 404", p)
	}
	if p := pageByPath(itsNight, "/a1.html"); p == nil || !p.CarriedForward {
		t.Errorf("its night: a1 = %+v, want carried forward (not due)", p)
	}
}

// Ensure that an attachment whose text was read last run is carried forward
// with that text and no request when it is not due, and read again when it
// is; one that could not be fetched last run is fetched again.
func TestRevisit_AttachmentsCarried(t *testing.T) {
	var mu sync.Mutex
	asked := map[string]int{}
	mux := http.NewServeMux()
	srv := newServer(t, mux)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked[r.URL.Path]++
		mu.Unlock()
		switch r.URL.Path {
		case "/":
			htmlPage("入口", `<a href="/f/mingdan.csv">名单</a><a href="/f/gone.csv">旧名单</a>`)(w, r)
		case "/f/mingdan.csv":
			w.Header().Set("Content-Type", "text/csv")
			fmt.Fprint(w, "姓名,单位\n张三,新碶街道\n")
		default:
			http.NotFound(w, r)
		}
	})
	pol := testPolicy()
	pol.Robots = false
	pol.MaxAttachments, pol.MaxAttachmentBytes = 10, 1<<20
	first := mustCrawl(t, srv.URL+"/", Options{Policy: pol})
	prev := map[string]site.Attachment{}
	probes := map[string]site.Probe{}
	for _, p := range first.Probes {
		probes[p.URL] = p
	}
	texts := map[string]string{}
	for _, a := range first.Attachments {
		if a.Text != "" {
			a.TextSHA256 = "sha-of-" + a.URL
			texts[a.TextSHA256] = a.Text
		}
		a.Text = ""
		prev[a.URL] = a
	}
	night := func(due func(string, time.Time) bool) *site.Snapshot {
		mu.Lock()
		asked = map[string]int{}
		mu.Unlock()
		return mustCrawl(t, srv.URL+"/", Options{Policy: pol, Previous: previousOf(first, func(p *site.Page) ([]byte, error) { return p.Body, nil }),
			Revisit: &Revisit{Entries: listsAt(srv.URL), Due: due,
				PreviousProbe:      func(u string) (site.Probe, bool) { p, ok := probes[u]; return p, ok },
				PreviousAttachment: func(u string) (site.Attachment, bool) { a, ok := prev[u]; return a, ok },
				AttachmentText:     func(a site.Attachment) (string, error) { return texts[a.TextSHA256], nil }}})
	}
	attachment := func(s *site.Snapshot, path string) *site.Attachment {
		for i := range s.Attachments {
			if pathOf(s.Attachments[i].URL) == path {
				return &s.Attachments[i]
			}
		}
		return nil
	}

	s := night(func(string, time.Time) bool { return false })
	mu.Lock()
	got, gone := asked["/f/mingdan.csv"], asked["/f/gone.csv"]
	mu.Unlock()
	if a := attachment(s, "/f/mingdan.csv"); a == nil || !a.CarriedForward || !strings.Contains(a.Text, "张三") || got != 0 {
		t.Errorf("not due: attachment %+v asked %d times, want carried with its text, not asked", a, got)
	}
	if gone == 0 {
		t.Errorf("an attachment that failed last run was not asked again")
	}
	s = night(func(u string, _ time.Time) bool { return strings.HasSuffix(u, ".csv") })
	mu.Lock()
	got = asked["/f/mingdan.csv"]
	mu.Unlock()
	if a := attachment(s, "/f/mingdan.csv"); a == nil || a.CarriedForward || got == 0 {
		t.Errorf("due: attachment %+v asked %d times, want fetched", a, got)
	}
}

// Ensure that an article withdrawn deep in a list whose first page did not
// change is not blamed on the unit: on the article's night it answers 404
// while only the carried further page still lists it; that page is fetched
// again, no longer lists it, and the article leaves the snapshot. When the
// fresh page still lists it, the 404 stays. The trap is the false broken
// link: a stale carried list blaming the unit for an entry it removed.
func TestRevisit_WithdrawnBehindCarriedPage(t *testing.T) {
	for _, stillListed := range []bool{false, true} {
		v, root := newValidatorServer(t)
		v.pages = map[string]string{
			"/index.html":  `<html><body><a href="/list.html">工作动态</a></body></html>`,
			"/list.html":   `<html><body><ul><li><a href="/a3.html">第三篇通知</a> 2020-01-03</li></ul><a href="/list_2.html">下一页</a></body></html>`,
			"/list_2.html": `<html><body><ul><li><a href="/a2.html">第二篇通知</a> 2020-01-02</li><li><a href="/a1.html">第一篇通知</a> 2020-01-01</li></ul></body></html>`,
			"/a1.html":     `<html><body>正文一</body></html>`,
			"/a2.html":     `<html><body>正文二</body></html>`,
			"/a3.html":     `<html><body>正文三</body></html>`,
		}
		host, entry, first := firstNight(t, v, root, "/index.html")
		delete(v.pages, "/a2.html")
		if !stillListed {
			v.pages["/list_2.html"] = `<html><body><ul><li><a href="/a1.html">第一篇通知</a> 2020-01-01</li></ul></body></html>`
		}
		s := revisitNight(t, v, host, entry, first, func(u string, _ time.Time) bool { return strings.HasSuffix(u, "/a2.html") })
		a2, l2 := pageByPath(s, "/a2.html"), pageByPath(s, "/list_2.html")
		switch {
		case l2 == nil || l2.CarriedForward:
			t.Errorf("still listed %v: list_2 = %+v, want fetched again", stillListed, l2)
		case !stillListed && a2 != nil:
			t.Errorf("withdrawn: a2 = %+v, want it out of the snapshot (no page links it)", a2)
		case stillListed && (a2 == nil || a2.Status != http.StatusNotFound):
			t.Errorf("still listed: a2 = %+v, want its 404 kept", a2)
		}
	}
}
