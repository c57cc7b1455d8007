package crawler

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"gkaudit/config"
)

// Ensure that a failed page or link is tried a second time once the crawl's
// frontier is exhausted, no sooner than recheck_after after the first try:
// one that works the second time is recorded as working (with the failed
// first try kept), one that fails twice as failed with both tries, and a
// refusal of the crawler (429) is not tried again. The trap: a second try
// sent at once, inside the outage it is meant to outwait.
func TestRecheck_SecondTryLaterInTheCrawl(t *testing.T) {
	var mu sync.Mutex
	hits := map[string][]time.Time{}
	hit := func(path string) int {
		mu.Lock()
		defer mu.Unlock()
		hits[path] = append(hits[path], time.Now())
		return len(hits[path])
	}
	mux := http.NewServeMux()
	srv := newServer(t, mux)
	mux.HandleFunc("/{$}", htmlPage("入口", `<a href="/flaky.html">a</a><a href="/gone.html">b</a><a href="/busy.html">c</a><a href="/f/flaky.pdf">d</a><a href="/f/gone.pdf">e</a>`))
	mux.HandleFunc("/flaky.html", func(w http.ResponseWriter, r *http.Request) {
		if hit("/flaky.html") == 1 {
			http.Error(w, "bad gateway", http.StatusInternalServerError)
			return
		}
		htmlPage("恢复", "")(w, r)
	})
	mux.HandleFunc("/gone.html", func(w http.ResponseWriter, r *http.Request) { hit("/gone.html"); http.NotFound(w, r) })
	mux.HandleFunc("/busy.html", func(w http.ResponseWriter, r *http.Request) {
		hit("/busy.html")
		http.Error(w, "slow down", http.StatusTooManyRequests)
	})
	mux.HandleFunc("/f/flaky.pdf", func(w http.ResponseWriter, r *http.Request) {
		if hit("/f/flaky.pdf") <= 2 { // the first try's HEAD and its GET fallback
			http.Error(w, "boom", http.StatusInternalServerError)
			return
		}
		fmt.Fprint(w, "%PDF-1.4")
	})
	mux.HandleFunc("/f/gone.pdf", func(w http.ResponseWriter, r *http.Request) { hit("/f/gone.pdf"); http.NotFound(w, r) })

	pol := testPolicy()
	pol.Robots = false
	pol.Retries = 0 // no transient retries: every second request is the second try
	pol.RecheckAfter = config.Duration(300 * time.Millisecond)
	s := mustCrawl(t, srv.URL+"/", Options{Policy: pol})
	if !s.SecondTries {
		t.Errorf("SecondTries not set")
	}

	if p := pageByPath(s, "/flaky.html"); p == nil || !p.OK() || p.FirstTry == nil || p.FirstTry.Status != 500 || p.Title != "恢复" {
		t.Errorf("flaky page = %+v, want OK on the second try with the 500 kept as FirstTry", p)
	}
	if p := pageByPath(s, "/gone.html"); p == nil || p.Status != 404 || p.FirstTry == nil || p.FirstTry.Status != 404 {
		t.Errorf("gone page = %+v, want 404 twice", p)
	}
	if p := pageByPath(s, "/busy.html"); p == nil || p.FirstTry != nil {
		t.Errorf("429 page = %+v, want no second try", p)
	}
	if pr := probeByPath(s, "/f/flaky.pdf"); pr == nil || pr.Status != 200 || pr.FirstTry == nil || pr.FirstTry.Status != 500 {
		t.Errorf("flaky attachment = %+v, want 200 on the second try", pr)
	}
	if pr := probeByPath(s, "/f/gone.pdf"); pr == nil || pr.Status != 404 || pr.FirstTry == nil {
		t.Errorf("gone attachment = %+v, want 404 twice", pr)
	}
	mu.Lock()
	defer mu.Unlock()
	if n := len(hits["/busy.html"]); n != 1 {
		t.Errorf("429 page asked %d times, want 1", n)
	}
	for _, path := range []string{"/flaky.html", "/gone.html", "/f/gone.pdf"} {
		h := hits[path]
		if len(h) < 2 {
			t.Errorf("%s asked %d times, want 2", path, len(h))
			continue
		}
		// The wait counts from when the first request was sent, a moment
		// before its handler ran: a little slack, not the whole wait.
		if gap := h[len(h)-1].Sub(h[0]); gap < 250*time.Millisecond {
			t.Errorf("%s: second try %v after the first, want about recheck_after (300ms) at least", path, gap)
		}
	}
}

// Ensure that links matching the unit's or the policy's link_ignore are
// neither crawled nor probed and are recorded as skipped, once each.
func TestRecheck_LinkIgnore(t *testing.T) {
	var mu sync.Mutex
	asked := map[string]int{}
	mux := http.NewServeMux()
	srv := newServer(t, mux)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked[r.URL.Path]++
		mu.Unlock()
		if r.URL.Path == "/" {
			htmlPage("入口", `<a href="/hall/login.html">办事大厅</a><a href="/hall/login.html">办事大厅</a><a href="/docs/a.pdf">附件</a><a href="/ok.html">正常</a>`)(w, r)
			return
		}
		htmlPage("页", "")(w, r)
	})
	pol := testPolicy()
	pol.Robots = false
	pol.LinkIgnore = []string{"/docs/*.pdf"}
	s, err := Crawl(context.Background(), config.Unit{ID: "u1", Name: "测试单位", URL: srv.URL + "/", LinkIgnore: []string{srv.URL + "/hall/"}}, Options{Policy: pol})
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if asked["/hall/login.html"] != 0 || asked["/docs/a.pdf"] != 0 || asked["/ok.html"] != 1 {
		t.Errorf("requests = %v, want none for the ignored links", asked)
	}
	var skipped []string
	for _, k := range s.Skipped {
		if k.Reason == SkipLinkIgnore {
			skipped = append(skipped, pathOf(k.URL))
		}
	}
	if len(skipped) != 2 {
		t.Errorf("skipped = %v, want /hall/login.html and /docs/a.pdf once each", skipped)
	}
}
