package sim

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"
	"sync"
	"testing"

	"gkaudit/platform"
)

// crawlUnit walks a unit's site over HTTP the way a crawler with a scope
// would: from the entry, on the entry's host, never into another unit's
// entry, the calendar visited once. It returns the pages fetched and the
// links that failed (status >= 400, or a redirect loop).
func crawlUnit(t *testing.T, d *District, s *unitSite, entries map[string]bool) (pages map[string]bool, broken []string) {
	hc := &http.Client{}
	status := map[string]bool{} // link -> ok
	check := func(link string) bool {
		if ok, seen := status[link]; seen {
			return ok
		}
		resp, err := hc.Head(link)
		ok := err == nil && resp.StatusCode < 400
		if err == nil {
			resp.Body.Close()
		}
		status[link] = ok
		return ok
	}
	pages = map[string]bool{}
	queue := []string{s.url(s.entry)}
	pages[queue[0]] = true
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		resp, err := hc.Get(u)
		if err != nil || resp.StatusCode >= 400 {
			if err == nil {
				resp.Body.Close()
			}
			continue
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		base, _ := url.Parse(u)
		// What a list's platform script loads: the dataproxy answers of a
		// Hanweb list (their records' links join the page's), the static
		// pages of a TRS pager.
		if h, found := platform.ParseHanweb(body); found && h.Readable() {
			for _, r := range h.Remaining(1000) {
				pu, err := h.RequestURL(base, r)
				if err != nil {
					t.Fatal(err)
				}
				resp, err := hc.Post(pu, "application/x-www-form-urlencoded", strings.NewReader(h.FormBody()))
				if err != nil || resp.StatusCode != http.StatusOK {
					t.Errorf("dataproxy %s: %v %v", pu, err, resp)
					continue
				}
				ans, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				body = append(body, ans...)
			}
		}
		if p, ok := platform.ParseTRSPager(body); ok {
			for _, pu := range p.PageURLs(base, 1000) {
				body = append(body, fmt.Sprintf(` href="%s"`, pu)...)
			}
		}
		for _, m := range linkAttr.FindAllSubmatch(body, -1) {
			ref, err := url.Parse(strings.ReplaceAll(string(m[1]), "&amp;", "&"))
			if err != nil {
				continue
			}
			l := base.ResolveReference(ref)
			l.Fragment = ""
			link := l.String()
			if !check(link) {
				broken = append(broken, link)
				continue
			}
			inScope := l.Host == base.Host && !entries[link] && !pages[link]
			skip := strings.HasPrefix(l.Path, "/images/") || path.Ext(l.Path) != ".html" && l.Path != "/" ||
				l.Query().Get("date") != "" || strings.HasSuffix(l.Path, "data_all.html") || strings.HasPrefix(l.Path, "/search/")
			if inScope && !skip {
				pages[link] = true
				queue = append(queue, link)
			}
		}
	}
	slices.Sort(broken)
	return pages, slices.Compact(broken)
}

// Ensure that what the server serves matches the truth: a crawl of each
// unit finds exactly the broken links of the manifest and reaches every page
// the sim generated for the unit.
func TestCrawl_MatchesTruth(t *testing.T) {
	if testing.Short() {
		t.Skip("crawls the whole demo district")
	}
	d := startDemo(t)
	entries := map[string]bool{}
	for _, u := range d.Units() {
		entries[u.URL] = true
	}
	truth := map[string][]string{}
	for _, tr := range d.Truth() {
		if tr.Check == "link.broken" {
			truth[tr.Unit] = slices.Sorted(slices.Values(tr.Subjects))
		}
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	for _, s := range d.units {
		if s.trap != trapNone {
			continue
		}
		wg.Go(func() {
			pages, broken := crawlUnit(t, d, s, entries)
			mu.Lock()
			defer mu.Unlock()
			total += len(pages)
			if !slices.Equal(broken, truth[s.u.ID]) {
				t.Errorf("%s: crawl found broken %v, truth says %v", s.u.ID, broken, truth[s.u.ID])
			}
			for _, p := range d.unitPages(s) {
				if !pages[s.url(p.url)] {
					t.Errorf("%s: page %s not reached by the crawl", s.u.ID, p.url)
				}
			}
		})
	}
	wg.Wait()
	t.Logf("crawled %d pages over %d units; Pages() = %d", total, len(d.units)-2, d.Pages())
}
