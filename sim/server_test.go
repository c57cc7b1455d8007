package sim

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Ensure that GBK units serve GBK bytes, declared by header and meta or by
// the meta alone.
func TestServe_GBK(t *testing.T) {
	d := startDemo(t)
	modes := map[encMode]int{}
	for i, s := range d.units {
		if s.trap != trapNone || s.enc == encUTF8 {
			continue
		}
		modes[s.enc]++
		resp, raw := get(t, d.Units()[i].URL)
		if utf8.Valid(raw) {
			t.Errorf("%s: body is valid UTF-8, want GBK", s.u.ID)
		}
		text, err := simplifiedchinese.GBK.NewDecoder().Bytes(raw)
		if err != nil {
			t.Fatalf("%s: decode GBK: %v", s.u.ID, err)
		}
		want, _ := d.renderRoute(s.h, route{kind: rEntry, s: s}, fakeRequest(s.entry))
		if string(text) != want {
			t.Errorf("%s: decoded body differs from the page", s.u.ID)
		}
		ct := resp.Header.Get("Content-Type")
		wantCT := map[encMode]string{encGBKHeader: "text/html; charset=gbk", encGBKEquiv: "text/html", encGBKMetaOnly: "text/html"}[s.enc]
		if ct != wantCT {
			t.Errorf("%s: Content-Type %q, want %q", s.u.ID, ct, wantCT)
		}
		meta := map[encMode]string{encGBKHeader: "charset=gbk", encGBKEquiv: "charset=gb2312", encGBKMetaOnly: `<meta charset="gbk">`}[s.enc]
		if !bytes.Contains(raw, []byte(meta)) {
			t.Errorf("%s: no %s in the page", s.u.ID, meta)
		}
	}
	if len(modes) != 3 || modes[encGBKHeader]+modes[encGBKEquiv]+modes[encGBKMetaOnly] < 5 {
		t.Errorf("GBK units by mode = %v, want >= 5 over all three modes", modes)
	}
}

// Ensure that conditional GETs are answered with 304.
func TestServe_ConditionalGet(t *testing.T) {
	d := startDemo(t)
	u := d.Units()[12].URL
	resp, _ := get(t, u)
	etag, lm := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	if resp.StatusCode != 200 || etag == "" || lm == "" {
		t.Fatalf("GET %s = %d, ETag %q, Last-Modified %q", u, resp.StatusCode, etag, lm)
	}
	if r, _ := get(t, u, "If-None-Match", etag); r.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: status %d, want 304", r.StatusCode)
	}
	if r, _ := get(t, u, "If-Modified-Since", lm); r.StatusCode != http.StatusNotModified {
		t.Errorf("If-Modified-Since: status %d, want 304", r.StatusCode)
	}
	if r, _ := get(t, u, "If-None-Match", `"stale"`); r.StatusCode != http.StatusOK {
		t.Errorf("stale If-None-Match: status %d, want 200", r.StatusCode)
	}
}

// Ensure that a unit's entry page links to its sub-columns and carries a
// breadcrumb, on a portal unit and on an own-host unit.
func TestServe_EntryLinksSubColumns(t *testing.T) {
	d := startDemo(t)
	for _, id := range []string{"xinqi", "audit"} {
		s := d.unit(id)
		resp, body := get(t, s.url(s.entry))
		if resp.StatusCode != 200 {
			t.Fatalf("%s entry: status %d", id, resp.StatusCode)
		}
		page := string(body)
		if s.enc != encUTF8 {
			b, _ := simplifiedchinese.GBK.NewDecoder().Bytes(body)
			page = string(b)
		}
		for _, c := range s.cols {
			if !strings.Contains(page, c.name) {
				t.Errorf("%s entry lacks column %s", id, c.name)
			}
			if r, _ := get(t, s.url(c.path)); r.StatusCode != 200 {
				t.Errorf("%s column %s: status %d", id, c.path, r.StatusCode)
			}
		}
		if !strings.Contains(page, "首页</a>") || !strings.Contains(page, "信息公开") {
			t.Errorf("%s entry lacks its breadcrumb", id)
		}
	}
}

// Ensure that the trap pages behave: a redirect loop, a 50 MB body, an
// endless calendar, robots.txt with a disallowed path.
func TestServe_Traps(t *testing.T) {
	d := startDemo(t)
	for _, s := range d.units {
		switch {
		case s.def.loop:
			r, _ := get(t, s.url(s.extraPath("loopA")))
			if r.StatusCode != http.StatusFound || !strings.HasSuffix(r.Header.Get("Location"), "zt_b.html") {
				t.Errorf("loop: %d -> %q", r.StatusCode, r.Header.Get("Location"))
			}
		case s.def.huge:
			req, _ := http.NewRequest(http.MethodHead, s.url(s.extraPath("huge")), nil)
			r, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			r.Body.Close()
			if r.ContentLength != hugeSize {
				t.Errorf("huge page: Content-Length %d", r.ContentLength)
			}
		case s.def.calendar:
			_, body := get(t, s.url(s.extraPath("calendar"))+"?date=2031-05-06")
			if !bytes.Contains(body, []byte("date=2031-05-07")) {
				t.Error("calendar page lacks the link to the next day")
			}
		}
	}
	_, robots := get(t, d.portal.base+"/robots.txt")
	if !bytes.Contains(robots, []byte("Disallow: /search/")) {
		t.Errorf("robots.txt = %q", robots)
	}
}

// Ensure that the hanging host holds a request open until Close, and that
// Close releases it and leaks no goroutines.
func TestServe_HangingAndClose(t *testing.T) {
	before := runtime.NumGoroutine()
	d, err := New(Options{ItemsPerColumn: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Start(); err != nil {
		t.Fatal(err)
	}
	var hang, closed string
	for i, s := range d.units {
		switch s.trap {
		case trapHanging:
			hang = d.Units()[i].URL
		case trapUnreachable:
			closed = d.Units()[i].URL
		}
	}
	if _, err := (&http.Client{Timeout: time.Second}).Get(closed); err == nil {
		t.Error("closed port answered")
	}
	done := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, hang, nil)
		tr := &http.Transport{}
		defer tr.CloseIdleConnections()
		_, err := (&http.Client{Transport: tr}).Do(req)
		done <- err
	}()
	select {
	case err := <-done:
		t.Fatalf("hanging host answered: %v", err)
	case <-time.After(300 * time.Millisecond):
	}
	start := time.Now()
	if err := d.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if err := <-done; err == nil {
		t.Error("request to the hanging host succeeded after Close")
	}
	if el := time.Since(start); el > 3*time.Second {
		t.Errorf("Close took %v", el)
	}
	if _, err := net.DialTimeout("tcp", strings.TrimPrefix(strings.Split(hang, "/xxgk")[0], "http://"), time.Second); err == nil {
		t.Error("hanging host still accepts after Close")
	}
	deadline := time.Now().Add(3 * time.Second)
	for runtime.NumGoroutine() > before+2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before+2 {
		t.Errorf("goroutines: %d before, %d after Close", before, n)
	}
}
