package store_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"reflect"
	"testing"
	"time"

	"gkaudit/internal/testutil"
	"gkaudit/site"
	"gkaudit/store"
)

// withExchanges gives every page of s a redirect and a final exchange, with
// the volatile fields a real server sends, the GBK bytes as received, and
// every probe a HEAD refused and a GET.
func withExchanges(s *site.Snapshot) *site.Snapshot {
	for _, p := range s.Pages {
		at := p.FetchedAt.Add(2 * time.Millisecond)
		req := func(u string) site.Request {
			return site.Request{Method: http.MethodGet, URL: u, Header: site.Header{
				"Host": {"u1.example"}, "User-Agent": {"gkaudit/0.1"}, "Accept-Encoding": {"gzip"}, "Cookie": {"JSESSIONID=1"}}}
		}
		p.Exchanges = []site.Exchange{
			{At: at, Request: req(p.URL + "?r"), Response: &site.Response{Proto: "HTTP/1.1", Status: "302 Found",
				Header: site.Header{"Location": {p.URL}, "Date": {at.UTC().Format(http.TimeFormat)}}}},
			{At: at.Add(1500 * time.Microsecond), Request: req(p.URL), Response: &site.Response{Proto: "HTTP/1.1", Status: "200 OK",
				Header: site.Header{"Content-Type": {"text/html; charset=gbk"}, "Server": {"nginx"}, "Etag": {`"abc"`},
					"Date": {"Mon, 30 Jun 2025 09:00:01 GMT"}, "Set-Cookie": {"a=1; Path=/", "b=2"}}}},
		}
		if p.Err != "" {
			p.Exchanges = []site.Exchange{{At: at, Request: req(p.URL)}}
		}
		if p.Body != nil {
			p.ETag = `"abc"`
			p.RawBody = append([]byte("GBK:"), p.Body...)
			sum := sha256.Sum256(p.RawBody)
			p.RawSHA256 = hex.EncodeToString(sum[:])
		}
	}
	for i := range s.Probes {
		pr := &s.Probes[i]
		pr.Exchanges = []site.Exchange{
			{At: pr.FetchedAt, Request: site.Request{Method: http.MethodHead, URL: pr.URL, Header: site.Header{"Host": {"u1.example"}}},
				Response: &site.Response{Proto: "HTTP/1.1", Status: "405 Method Not Allowed", Header: site.Header{"Date": {"Odd date"}}}},
			{At: pr.FetchedAt.Add(time.Millisecond), Request: site.Request{Method: http.MethodGet, URL: pr.URL},
				Response: &site.Response{Proto: "HTTP/1.1", Status: "200 OK", Header: site.Header{"Content-Length": {"99"}}}},
		}
	}
	return s
}

// Ensure that pages and probes read back with their exchanges exactly as
// saved (to the millisecond), and that the raw body is stored by its own
// hash beside the decoded one.
func TestSaveSnapshot_ExchangesRoundTrip(t *testing.T) {
	db := testutil.MustOpenStore(t)
	s := withExchanges(newSnapshot("u1", 20, func(i int) []byte {
		if i == 3 {
			return nil
		}
		return htmlBody(i)
	}))
	r := mustBeginRun(t, db)
	if err := db.SaveSnapshot(r.ID, s); err != nil {
		t.Fatal(err)
	}
	got, err := db.Snapshot(r.ID, "u1")
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range got.Pages {
		want := s.Pages[i]
		if !reflect.DeepEqual(p.Exchanges, msExchanges(want.Exchanges, want.FetchedAt)) {
			t.Errorf("page %d exchanges =\n%+v\nwant\n%+v", i, p.Exchanges, want.Exchanges)
		}
		if p.RawSHA256 != want.RawSHA256 {
			t.Errorf("page %d RawSHA256 = %q, want %q", i, p.RawSHA256, want.RawSHA256)
		}
		if want.RawBody != nil {
			raw, err := db.Body(want.RawSHA256)
			if err != nil || !bytes.Equal(raw, want.RawBody) {
				t.Errorf("Body(raw of page %d) = %q, %v", i, raw, err)
			}
		}
	}
	if !reflect.DeepEqual(got.Probes[0].Exchanges, msExchanges(s.Probes[0].Exchanges, s.Probes[0].FetchedAt)) {
		t.Errorf("probe exchanges =\n%+v\nwant\n%+v", got.Probes[0].Exchanges, s.Probes[0].Exchanges)
	}
}

// msExchanges is xs with each time as the store keeps it: whole
// milliseconds after the record's fetch time.
func msExchanges(xs []site.Exchange, at time.Time) []site.Exchange {
	out := make([]site.Exchange, len(xs))
	for i, x := range xs {
		x.At = at.Add(x.At.Sub(at).Truncate(time.Millisecond))
		out[i] = x
	}
	return out
}

// Ensure that a re-run whose pages all answer 304 (new Date, new cookies,
// conditionals sent) stores no new metadata blob: the stable part is that
// of the full fetch, and the 304 exchange reads back as it was.
func TestSaveSnapshot_NotModifiedExchangesShareBlobs(t *testing.T) {
	db := testutil.MustOpenStore(t)
	first := withExchanges(newSnapshot("u1", 300, htmlBody))
	r1 := mustBeginRun(t, db)
	if err := db.SaveSnapshot(r1.ID, first); err != nil {
		t.Fatal(err)
	}
	st1, err := db.Stats()
	if err != nil {
		t.Fatal(err)
	}
	stored, err := db.Snapshot(r1.ID, "u1")
	if err != nil {
		t.Fatal(err)
	}
	second := revisit(first)
	for _, p := range second.Pages {
		old := stored.Page(p.URL)
		p.Origin, p.RawBody = old.Exchanges, nil
		at := p.FetchedAt.Add(time.Millisecond)
		p.Exchanges = []site.Exchange{{At: at,
			Request: site.Request{Method: http.MethodGet, URL: p.URL, Header: site.Header{"Host": {"u1.example"},
				"User-Agent": {"gkaudit/0.1"}, "Accept-Encoding": {"gzip"}, "If-None-Match": {`"abc"`}}},
			Response: &site.Response{Proto: "HTTP/1.1", Status: "304 Not Modified",
				Header: site.Header{"Server": {"nginx"}, "Etag": {`"abc"`}, "Date": {at.UTC().Format(http.TimeFormat)}}}}}
	}
	r2 := mustBeginRun(t, db)
	if err := db.SaveSnapshot(r2.ID, second); err != nil {
		t.Fatal(err)
	}
	st2, err := db.Stats()
	if err != nil {
		t.Fatal(err)
	}
	if st2.Blobs != st1.Blobs || st2.Bodies != st1.Bodies {
		t.Errorf("after the 304 run: %d blobs, %d bodies; want %d, %d", st2.Blobs, st2.Bodies, st1.Blobs, st1.Bodies)
	}
	got, err := db.Snapshot(r2.ID, "u1")
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range got.Pages {
		want := second.Pages[i]
		if !reflect.DeepEqual(p.Exchanges, msExchanges(want.Exchanges, want.FetchedAt)) {
			t.Fatalf("page %s exchanges =\n%+v\nwant\n%+v", p.URL, p.Exchanges, want.Exchanges)
		}
		if len(p.Origin) != 2 || p.Origin[1].Response.Status != "200 OK" || p.Origin[1].Response.Header.Get("Date") != "" ||
			p.Origin[1].Response.Header.Get("Etag") != `"abc"` {
			t.Fatalf("page %s origin = %+v, want the first run's exchanges without volatile fields", p.URL, p.Origin)
		}
		if p.RawSHA256 != want.RawSHA256 {
			t.Fatalf("page %s RawSHA256 = %q, want %q", p.URL, p.RawSHA256, want.RawSHA256)
		}
	}
}

// Ensure that gc keeps the raw body of a page it keeps.
func TestGC_KeepsRawBodies(t *testing.T) {
	path := tempPath(t)
	db := mustOpen(t, path)
	s := withExchanges(newSnapshot("u1", 3, htmlBody))
	for range 2 {
		r := mustBeginRun(t, db)
		if err := db.SaveSnapshot(r.ID, s); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := store.GC(path, 1); err != nil {
		t.Fatal(err)
	}
	db = mustOpen(t, path)
	defer db.Close()
	for _, p := range s.Pages {
		if raw, err := db.Body(p.RawSHA256); err != nil || !bytes.Equal(raw, p.RawBody) {
			t.Errorf("after gc: Body(raw of %s) = %q, %v", p.URL, raw, err)
		}
	}
}
