package crawler

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gkaudit/config"
	"gkaudit/site"
)

// Ensure that a crawl follows in-scope links breadth first from the entry,
// records each page's facts, and probes attachments and other hosts.
func TestCrawl_Basic(t *testing.T) {
	other := newServer(t, http.NewServeMux())
	mux := http.NewServeMux()
	srv := newServer(t, mux)
	mux.HandleFunc("/xxgk/", htmlPage("信息公开", `
		<a href="a.html">  政策
		文件 </a>
		<a href="/xxgk/b.html#top">B</a>
		<a href="javascript:void(0)">js</a><a href="mailto:x@y.cn">mail</a><a href="tel:123">tel</a>
		<a href="`+other.URL+`/elsewhere">外站</a>
		<a href="/files/doc.pdf">附件</a>
		<iframe src="/xxgk/frame.html"></iframe>`))
	mux.HandleFunc("/xxgk/a.html", htmlPage("A", `<a href="c.html">C</a>`))
	mux.HandleFunc("/xxgk/b.html", htmlPage("B", `<a href="a.html">A again</a>`))
	mux.HandleFunc("/xxgk/c.html", htmlPage("C", `back <a href="/xxgk/">home</a>`))
	mux.HandleFunc("/xxgk/frame.html", htmlPage("Frame", ``))
	mux.HandleFunc("/files/doc.pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
	})

	var ticks []Progress
	s := mustCrawl(t, srv.URL+"/xxgk/", Options{Progress: func(p Progress) { ticks = append(ticks, p) }})

	if got := pageURLs(s); len(got) != 5 || got[0] != "/xxgk/" {
		t.Fatalf("pages = %v, want entry first and 5 pages", got)
	}
	if s.StopReason != "" {
		t.Errorf("StopReason = %q, want empty", s.StopReason)
	}
	e := s.EntryPage()
	if e == nil || !e.OK() || e.Title != "信息公开" || e.Depth != 0 || e.Attempts != 1 || e.Charset != "utf-8" || e.SHA256 == "" {
		t.Fatalf("entry = %+v", e)
	}
	wantLinks := []site.Link{
		{URL: srv.URL + "/xxgk/a.html", Text: "政策 文件"},
		{URL: srv.URL + "/xxgk/b.html", Text: "B"},
		{URL: other.URL + "/elsewhere", Text: "外站"},
		{URL: srv.URL + "/files/doc.pdf", Text: "附件"},
		{URL: srv.URL + "/xxgk/frame.html", Text: ""},
	}
	if !slices.Equal(e.Links, wantLinks) {
		t.Errorf("entry links = %v, want %v", e.Links, wantLinks)
	}
	if c := pageByPath(s, "/xxgk/c.html"); c == nil || c.Depth != 2 {
		t.Errorf("c.html = %+v, want depth 2", c)
	}
	if p := probeByPath(s, "/files/doc.pdf"); p == nil || p.Status != 200 || p.Method != "HEAD" || p.External {
		t.Errorf("attachment probe = %+v", p)
	}
	if p := probeByPath(s, "/elsewhere"); p == nil || p.Status != 404 || !p.External || len(p.Referrers) != 1 {
		t.Errorf("external probe = %+v", p)
	}
	if len(ticks) == 0 || !ticks[len(ticks)-1].Done || ticks[len(ticks)-1].Pages != 5 || ticks[len(ticks)-1].Unit != "u1" {
		t.Errorf("progress = %+v, want a final Done tick with 5 pages", ticks)
	}
	if s.Started.IsZero() || s.Finished.Before(s.Started) {
		t.Errorf("Started/Finished = %v/%v", s.Started, s.Finished)
	}
}

// Ensure that MaxDepth and MaxPagesPerUnit stop the crawl and say so.
func TestCrawl_DepthAndPageBudget(t *testing.T) {
	mux := http.NewServeMux()
	srv := newServer(t, mux)
	// A chain /p/0 -> /p/1 -> ... and a fan of ten links on each page.
	mux.HandleFunc("/p/", func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscanf(strings.TrimPrefix(r.URL.Path, "/p/"), "%d", &n)
		var b strings.Builder
		fmt.Fprintf(&b, `<a href="/p/%d">next</a>`, n+1)
		for i := range 10 {
			fmt.Fprintf(&b, `<a href="/leaf/%d-%d">leaf</a>`, n, i)
		}
		htmlPage(fmt.Sprint(n), b.String())(w, r)
	})
	mux.HandleFunc("/leaf/", htmlPage("leaf", ""))

	pol := testPolicy()
	pol.MaxDepth = 2
	s := mustCrawl(t, srv.URL+"/p/0", Options{Policy: pol})
	for _, p := range s.Pages {
		if p.Depth > 2 {
			t.Errorf("page %s at depth %d > 2", p.URL, p.Depth)
		}
	}
	if len(s.Pages) != 23 || s.StopReason != "depth limit 2 reached" {
		t.Errorf("depth: %d pages, StopReason %q; want 23, depth limit", len(s.Pages), s.StopReason)
	}

	pol = testPolicy()
	pol.MaxPagesPerUnit = 7
	s = mustCrawl(t, srv.URL+"/p/0", Options{Policy: pol})
	if len(s.Pages) != 7 || s.StopReason != "page budget 7 reached" {
		t.Errorf("pages: %d pages, StopReason %q; want 7, page budget", len(s.Pages), s.StopReason)
	}
}

// Ensure that HTTP error statuses are recorded as pages, not dropped, after
// no immediate retry but one second try at the end of the crawl, and that a
// page redirected elsewhere records where it ended.
func TestCrawl_ErrorStatusAndRedirect(t *testing.T) {
	mux := http.NewServeMux()
	srv := newServer(t, mux)
	mux.HandleFunc("/{$}", htmlPage("home", `<a href="/missing.html">x</a><a href="/err">y</a><a href="/old">z</a>`))
	mux.HandleFunc("/err", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", 500) })
	mux.HandleFunc("/old", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/new.html", http.StatusFound) })
	mux.HandleFunc("/new.html", htmlPage("new", ""))

	s := mustCrawl(t, srv.URL+"/", Options{})
	if p := pageByPath(s, "/missing.html"); p == nil || p.Status != 404 || p.Err != "" || p.Attempts != 2 || p.FirstTry == nil || p.FirstTry.Status != 404 {
		t.Errorf("404 page = %+v", p)
	}
	if p := pageByPath(s, "/err"); p == nil || p.Status != 500 || p.Attempts != 2 || p.FirstTry == nil {
		t.Errorf("500 page = %+v, want status 500 without retries but the second try", p)
	}
	if p := pageByPath(s, "/old"); p == nil || p.Status != 200 || p.FinalURL != srv.URL+"/new.html" || p.Title != "new" {
		t.Errorf("redirected page = %+v", p)
	}
}

// Ensure that robots.txt is respected when the policy says so and that a
// blocked URL is skipped, not recorded as an error.
func TestCrawl_Robots(t *testing.T) {
	mux := http.NewServeMux()
	srv := newServer(t, mux)
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "User-agent: *\nDisallow: /private/\n")
	})
	mux.HandleFunc("/{$}", htmlPage("home", `<a href="/private/x.html">x</a><a href="/public.html">y</a>`))
	mux.HandleFunc("/private/x.html", htmlPage("private", ""))
	mux.HandleFunc("/public.html", htmlPage("public", ""))

	s := mustCrawl(t, srv.URL+"/", Options{})
	if got := pageURLs(s); !slices.Equal(got, []string{"/", "/public.html"}) {
		t.Errorf("with robots: pages = %v", got)
	}
	if len(s.Skipped) != 1 || !strings.HasSuffix(s.Skipped[0].URL, "/private/x.html") || s.Skipped[0].Reason != "robots.txt" {
		t.Errorf("with robots: skipped = %+v, want /private/x.html for robots.txt", s.Skipped)
	}
	pol := testPolicy()
	pol.Robots = false
	s = mustCrawl(t, srv.URL+"/", Options{Policy: pol})
	if len(s.Pages) != 3 {
		t.Errorf("without robots: pages = %v, want 3", pageURLs(s))
	}

	pol = testPolicy()
	mux2 := http.NewServeMux()
	srv2 := newServer(t, mux2)
	mux2.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "User-agent: *\nDisallow: /\n") })
	mux2.HandleFunc("/", htmlPage("home", ""))
	s = mustCrawl(t, srv2.URL+"/", Options{Policy: pol})
	if len(s.Pages) != 0 || s.StopReason != "entry blocked by robots.txt" {
		t.Errorf("blocked entry: pages %v, StopReason %q", pageURLs(s), s.StopReason)
	}
}

// Ensure that a redirect loop ends as a page error, without retries.
func TestCrawl_RedirectLoop(t *testing.T) {
	mux := http.NewServeMux()
	srv := newServer(t, mux)
	var hits atomic.Int32
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Redirect(w, r, fmt.Sprintf("/loop?n=%d", hits.Load()), http.StatusFound)
	})
	start := time.Now()
	s := mustCrawl(t, srv.URL+"/loop", Options{})
	e := s.EntryPage()
	if e == nil || e.Status != 0 || !strings.Contains(e.Err, "redirects") || e.Attempts != 1 {
		t.Fatalf("entry = %+v, want a redirect error", e)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("crawl took %v", d)
	}
}

// Ensure that a server that never answers yields an entry page with Err
// within the timeouts, and that robots.txt counts among the tries of a host
// that has answered nothing: with retries 1 that host gets two requests in
// all (robots.txt, the entry page once), the page saying why it was not
// tried again. The trap: robots.txt's timeout, then 1 + retries for the
// entry page, every night, for a host known to be down.
func TestCrawl_Hanging(t *testing.T) {
	mux := http.NewServeMux()
	srv := newServer(t, mux)
	mux.HandleFunc("/", hang(t))
	pol := testPolicy()
	pol.Timeout = config.Duration(200 * time.Millisecond)
	pol.Retries = 1
	hosts := NewHostBudget(pol)
	start := time.Now()
	s := mustCrawl(t, srv.URL+"/xxgk/", Options{Policy: pol, Hosts: hosts})
	d := time.Since(start)
	e := s.EntryPage()
	if e == nil || e.Status != 0 || e.Err == "" || e.Attempts != 1 || e.HostSilent != 2 || len(s.Pages) != 1 {
		t.Fatalf("entry = %+v (pages %d), want Err after 1 attempt, host silent for 2 requests", e, len(s.Pages))
	}
	if st := hosts.Stats(); len(st) != 1 || st[0].Requests != 2 {
		t.Errorf("host stats %+v, want 2 requests (robots.txt, the entry page)", st)
	}
	// robots.txt (200ms) + 1 try (200ms), with slack.
	if d > 3*time.Second {
		t.Errorf("crawl took %v", d)
	}
}

// Ensure that a host's silence counts only until it answers: with robots.txt
// answering 404, a hanging entry page gets 1 + retries tries as before; with
// everything hanging and retries 2, robots.txt and two tries of the entry
// page make the three requests. The trap: counting every timeout of a host
// that answers, which would give up on a live site after one slow page.
func TestCrawl_SilentHostRetries(t *testing.T) {
	tests := []struct {
		name             string
		robotsAnswers    bool
		retries          int
		attempts, silent int
		requests         int
	}{
		{"robots.txt answers", true, 1, 2, 0, 3},
		{"nothing answers, retries 2", false, 2, 2, 3, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mux := http.NewServeMux()
			srv := newServer(t, mux)
			mux.HandleFunc("/", hang(t))
			if tt.robotsAnswers {
				mux.HandleFunc("/robots.txt", http.NotFound)
			}
			pol := testPolicy()
			pol.Timeout = config.Duration(200 * time.Millisecond)
			pol.Retries = tt.retries
			hosts := NewHostBudget(pol)
			s := mustCrawl(t, srv.URL+"/xxgk/", Options{Policy: pol, Hosts: hosts})
			e := s.EntryPage()
			if e == nil || e.Err == "" || e.Attempts != tt.attempts || e.HostSilent != tt.silent {
				t.Fatalf("entry = %+v, want Err after %d attempts, HostSilent %d", e, tt.attempts, tt.silent)
			}
			if st := hosts.Stats(); len(st) != 1 || st[0].Requests != tt.requests {
				t.Errorf("host stats %+v, want %d requests", st, tt.requests)
			}
		})
	}
}

// Ensure that cancelling the context stops a crawl promptly.
func TestCrawl_Cancel(t *testing.T) {
	mux := http.NewServeMux()
	srv := newServer(t, mux)
	mux.HandleFunc("/", hang(t))
	pol := testPolicy()
	pol.Timeout = config.Duration(30 * time.Second)
	pol.Robots = false
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	start := time.Now()
	s, err := Crawl(ctx, config.Unit{ID: "u", URL: srv.URL + "/"}, Options{Policy: pol})
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Crawl returned after %v, want promptly", d)
	}
	if s.StopReason != "cancelled" {
		t.Errorf("StopReason = %q, want cancelled", s.StopReason)
	}
	if e := s.EntryPage(); e == nil || e.Err == "" {
		t.Errorf("entry = %+v, want Err", e)
	}
}

// Ensure that the unit's time budget ends a crawl of a hanging site.
func TestCrawl_TimeBudget(t *testing.T) {
	mux := http.NewServeMux()
	srv := newServer(t, mux)
	mux.HandleFunc("/{$}", htmlPage("home", `<a href="/slow">slow</a>`))
	mux.HandleFunc("/slow", hang(t))
	pol := testPolicy()
	pol.Timeout = config.Duration(30 * time.Second)
	pol.UnitBudget = config.Duration(300 * time.Millisecond)
	start := time.Now()
	s := mustCrawl(t, srv.URL+"/", Options{Policy: pol})
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("crawl took %v", d)
	}
	if s.StopReason != "time budget 300ms reached" || len(s.Pages) != 1 {
		t.Errorf("StopReason %q, pages %v", s.StopReason, pageURLs(s))
	}
}

// Ensure that a body larger than MaxBodyBytes is cut and marked.
func TestCrawl_HugeBody(t *testing.T) {
	mux := http.NewServeMux()
	srv := newServer(t, mux)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, "<html><head><title>big</title></head><body>")
		chunk := []byte(strings.Repeat("<p>政务公开</p>\n", 1000))
		for r.Context().Err() == nil {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	pol := testPolicy()
	pol.MaxBodyBytes = 64 << 10
	s := mustCrawl(t, srv.URL+"/", Options{Policy: pol})
	e := s.EntryPage()
	if e == nil || !e.Truncated || e.Size != 64<<10 || e.Title != "big" || e.Err != "" {
		t.Fatalf("entry = %+v, want truncated at 64KiB", e)
	}
}

// Ensure that a 10 MB data dump of table rows outside any table — text the
// HTML parser coalesces quadratically — is parsed only up to site.ParseLimit,
// so the crawl ends on its own instead of at the time budget.
func TestCrawl_HugeTextDump(t *testing.T) {
	mux := http.NewServeMux()
	srv := newServer(t, mux)
	mux.HandleFunc("/", htmlPage("home", `<a href="/dump.html">历年数据汇总</a>`))
	mux.HandleFunc("/dump.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		row := "<tr><td>2019-01-01</td><td>data row</td><td>0000000000</td></tr>\n"
		w.Write([]byte(strings.Repeat(row, (10<<20)/len(row))))
	})
	pol := testPolicy()
	pol.MaxBodyBytes = 16 << 20
	pol.UnitBudget = config.Duration(2 * time.Minute)
	s := mustCrawl(t, srv.URL+"/", Options{Policy: pol})
	if s.StopReason != "" || len(s.Pages) != 2 {
		t.Errorf("crawl of a huge text dump: %d pages, StopReason %q; want both pages and no budget hit", len(s.Pages), s.StopReason)
	}
}

// Ensure that an endless calendar (ever new ?date= URLs) ends at the page
// budget.
func TestCrawl_EndlessCalendar(t *testing.T) {
	mux := http.NewServeMux()
	srv := newServer(t, mux)
	mux.HandleFunc("/cal", func(w http.ResponseWriter, r *http.Request) {
		d, err := time.Parse("2006-01-02", r.URL.Query().Get("date"))
		if err != nil {
			d = time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)
		}
		var b strings.Builder
		for _, n := range []time.Time{d.AddDate(0, 0, 1), d.AddDate(0, 0, -1), d.AddDate(0, 1, 0), d.AddDate(1, 0, 0)} {
			fmt.Fprintf(&b, `<a href="/cal?date=%s">%s</a>`, n.Format("2006-01-02"), n.Format("2006-01-02"))
		}
		htmlPage(d.Format("2006-01-02"), b.String())(w, r)
	})
	pol := testPolicy()
	pol.MaxPagesPerUnit = 40
	pol.MaxDepth = 1000
	start := time.Now()
	s := mustCrawl(t, srv.URL+"/cal", Options{Policy: pol})
	if len(s.Pages) != 40 || s.StopReason != "page budget 40 reached" {
		t.Errorf("%d pages, StopReason %q", len(s.Pages), s.StopReason)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("crawl took %v", d)
	}
}

// Ensure that attachments are probed once each, with HEAD or a GET fallback
// when HEAD is refused, listing every page that links to them, and that a
// link without an extension that serves a file becomes a probe.
func TestCrawl_Attachments(t *testing.T) {
	mux := http.NewServeMux()
	srv := newServer(t, mux)
	var mu sync.Mutex
	hits := map[string]int{}
	count := func(r *http.Request) {
		mu.Lock()
		hits[r.Method+" "+r.URL.Path]++
		mu.Unlock()
	}
	links := `<a href="/f/a.pdf">a</a><a href="/f/b.doc">b</a><a href="/f/gone.xls">gone</a><a href="/download?id=1">dl</a>`
	mux.HandleFunc("/{$}", htmlPage("home", links+`<a href="/p1.html">1</a><a href="/p2.html">2</a>`))
	mux.HandleFunc("/p1.html", htmlPage("p1", links))
	mux.HandleFunc("/p2.html", htmlPage("p2", links))
	mux.HandleFunc("/f/a.pdf", func(w http.ResponseWriter, r *http.Request) {
		count(r)
		w.Header().Set("Content-Type", "application/pdf")
		w.Write(make([]byte, 1<<20))
	})
	mux.HandleFunc("/f/b.doc", func(w http.ResponseWriter, r *http.Request) {
		count(r)
		if r.Method == http.MethodHead {
			w.WriteHeader(http.StatusMethodNotAllowed)
			return
		}
		w.Header().Set("Content-Type", "application/msword")
		w.Write(make([]byte, 1<<20))
	})
	mux.HandleFunc("/f/gone.xls", func(w http.ResponseWriter, r *http.Request) { count(r); http.NotFound(w, r) })
	mux.HandleFunc("/download", func(w http.ResponseWriter, r *http.Request) {
		count(r)
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Write(make([]byte, 1<<20))
	})

	s := mustCrawl(t, srv.URL+"/", Options{})
	if got := pageURLs(s); len(got) != 3 {
		t.Errorf("pages = %v, want 3 HTML pages", got)
	}
	wantRefs := []string{srv.URL + "/", srv.URL + "/p1.html", srv.URL + "/p2.html"}
	for _, c := range []struct {
		path, method string
		status       int
	}{
		{"/f/a.pdf", "HEAD", 200},
		{"/f/b.doc", "GET", 200},
		{"/f/gone.xls", "HEAD", 404},
		{"/download?id=1", "GET", 200},
	} {
		p := probeByPath(s, c.path)
		if p == nil {
			t.Errorf("no probe of %s", c.path)
			continue
		}
		if p.Method != c.method || p.Status != c.status || p.External {
			t.Errorf("probe %s = %+v, want %s %d", c.path, p, c.method, c.status)
		}
		refs := slices.Clone(p.Referrers)
		slices.Sort(refs)
		if !slices.Equal(refs, wantRefs) {
			t.Errorf("probe %s referrers = %v, want %v", c.path, refs, wantRefs)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	for k, want := range map[string]int{"HEAD /f/a.pdf": 1, "GET /f/a.pdf": 0, "HEAD /f/b.doc": 1, "GET /f/b.doc": 1, "GET /download": 1} {
		if hits[k] != want {
			t.Errorf("%s requested %d times, want %d", k, hits[k], want)
		}
	}
}

// Ensure that a 503 is retried with backoff and the page counts its tries.
func TestCrawl_RetryThenSuccess(t *testing.T) {
	mux := http.NewServeMux()
	srv := newServer(t, mux)
	var n atomic.Int32
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		htmlPage("ok", "")(w, r)
	})
	pol := testPolicy()
	pol.Robots = false
	start := time.Now()
	s := mustCrawl(t, srv.URL+"/", Options{Policy: pol})
	e := s.EntryPage()
	if e == nil || e.Status != 200 || e.Attempts != 2 || e.Title != "ok" {
		t.Fatalf("entry = %+v, want 200 after 2 attempts", e)
	}
	if d := time.Since(start); d < backoffBase {
		t.Errorf("retried after %v, want a backoff of at least %v", d, backoffBase)
	}

	// Retries exhausted: the last 503 is the page.
	mux2 := http.NewServeMux()
	srv2 := newServer(t, mux2)
	mux2.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "busy", http.StatusServiceUnavailable) })
	s = mustCrawl(t, srv2.URL+"/", Options{Policy: pol})
	if e := s.EntryPage(); e == nil || e.Status != 503 || e.Attempts != 2 {
		t.Errorf("entry = %+v, want 503 after 2 attempts", e)
	}
}

// Ensure that bad input is the only error Crawl returns.
func TestCrawl_BadURL(t *testing.T) {
	for _, u := range []string{"", "not a url", "ftp://x/", "/relative", "http://%zz"} {
		if _, err := Crawl(context.Background(), config.Unit{ID: "x", URL: u}, Options{}); err == nil {
			t.Errorf("Crawl(%q) error = nil, want an error", u)
		}
	}
}

// Ensure that an entry that moved to another host is crawled at its new
// place.
func TestCrawl_EntryMoved(t *testing.T) {
	muxB := http.NewServeMux()
	srvB := newServer(t, muxB)
	muxB.HandleFunc("/xxgk/", htmlPage("new home", `<a href="/xxgk/a.html">a</a>`))
	muxA := http.NewServeMux()
	srvA := newServer(t, muxA)
	muxA.HandleFunc("/xxgk/", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, srvB.URL+"/xxgk/", http.StatusMovedPermanently)
	})
	s := mustCrawl(t, srvA.URL+"/xxgk/", Options{})
	e := s.EntryPage()
	if e == nil || e.FinalURL != srvB.URL+"/xxgk/" || e.Title != "new home" {
		t.Fatalf("entry = %+v", e)
	}
	if got := pageURLs(s); len(got) != 2 || got[1] != "/xxgk/a.html" {
		t.Errorf("pages = %v, want the moved entry's links crawled", got)
	}
}

// Ensure that the per-host delay paces requests and does not count as the
// site's latency.
func TestCrawl_Delay(t *testing.T) {
	mux := http.NewServeMux()
	srv := newServer(t, mux)
	mux.HandleFunc("/{$}", htmlPage("home", `<a href="/1">1</a><a href="/2">2</a><a href="/3">3</a>`))
	mux.HandleFunc("/1", htmlPage("1", ""))
	mux.HandleFunc("/2", htmlPage("2", ""))
	mux.HandleFunc("/3", htmlPage("3", ""))
	pol := testPolicy()
	pol.ParallelPerHost = 1
	// The delay is long next to a loopback fetch, so that a busy machine
	// cannot make a fetch look as slow as the delay.
	pol.Delay = config.Duration(500 * time.Millisecond)
	start := time.Now()
	s := mustCrawl(t, srv.URL+"/", Options{Policy: pol})
	if d := time.Since(start); d < 1500*time.Millisecond {
		t.Errorf("4 pages with a 500ms delay took %v", d)
	}
	for _, p := range s.Pages {
		if p.Latency >= 500*time.Millisecond || p.Latency < 0 {
			t.Errorf("%s latency %v includes the delay", p.URL, p.Latency)
		}
	}
}
