package crawler

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"sync"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"gkaudit/site"
)

// exchangeServer serves a redirect, a GBK page, a gzip'd page and an
// attachment that refuses HEAD, and remembers whether any request reached
// it with the crawler's internal fetch header.
type exchangeServer struct {
	mu     sync.Mutex
	leaked bool
}

func (x *exchangeServer) mux(t *testing.T) *http.ServeMux {
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(`<html><head><title>机构信息</title></head><body>办公地址：新碶街道</body></html>`)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		x.mu.Lock()
		x.leaked = x.leaked || r.Header.Get(fetchHeader) != ""
		x.mu.Unlock()
		switch r.URL.Path {
		case "/":
			http.Redirect(w, r, "/index.html", http.StatusMovedPermanently)
		case "/index.html":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Set-Cookie", "JSESSIONID=abc; Path=/")
			w.Write([]byte(`<html><body><a href="/gbk.html">机构信息</a> <a href="/gz.html">公开指南</a> <a href="/f.doc">附件</a></body></html>`))
		case "/gbk.html":
			w.Header().Set("Content-Type", "text/html; charset=gbk")
			w.Write([]byte(gbk))
		case "/gz.html":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
				w.Header().Set("Content-Encoding", "gzip")
				zw := gzip.NewWriter(w)
				zw.Write([]byte(`<html><head><title>公开指南</title></head><body>指南</body></html>`))
				zw.Close()
				return
			}
			w.Write([]byte(`<html><head><title>公开指南</title></head><body>指南</body></html>`))
		case "/f.doc":
			if r.Method == http.MethodHead {
				w.WriteHeader(http.StatusMethodNotAllowed)
				return
			}
			w.Header().Set("Content-Type", "application/msword")
			w.Write(bytes.Repeat([]byte("x"), 2048))
		default:
			http.NotFound(w, r)
		}
	})
	return mux
}

// Ensure that every page and probe keeps its exchanges as sent and
// received: redirects hop by hop, the User-Agent, Host and Accept-Encoding
// actually sent, the response's status line and header (Content-Encoding
// included), and the internal fetch header never reaches the server.
func TestCrawl_RecordsExchanges(t *testing.T) {
	x := &exchangeServer{}
	srv := newServer(t, x.mux(t))
	s := mustCrawl(t, srv.URL+"/", Options{})

	entry := pageByPath(s, "/")
	if entry == nil || !entry.OK() {
		t.Fatalf("entry page = %+v", entry)
	}
	if len(entry.Exchanges) != 2 {
		t.Fatalf("entry exchanges = %d, want 2 (redirect, page): %+v", len(entry.Exchanges), entry.Exchanges)
	}
	red, fin := entry.Exchanges[0], entry.Exchanges[1]
	if red.Response == nil || red.Response.Status != "301 Moved Permanently" || red.Response.Header.Get("Location") != "/index.html" {
		t.Errorf("redirect response = %+v", red.Response)
	}
	if fin.Request.URL != srv.URL+"/index.html" || fin.Response == nil || fin.Response.Proto != "HTTP/1.1" || fin.Response.Status != "200 OK" {
		t.Errorf("final exchange = %+v", fin)
	}
	for _, ex := range entry.Exchanges {
		h := ex.Request.Header
		if h.Get("User-Agent") != "gkaudit-test" || h.Get("Host") != strings.TrimPrefix(srv.URL, "http://") || h.Get("Accept-Encoding") != "gzip" {
			t.Errorf("request header of %s = %v", ex.Request.URL, h)
		}
		if h.Get(fetchHeader) != "" {
			t.Errorf("request header of %s keeps %s", ex.Request.URL, fetchHeader)
		}
		if ex.At.IsZero() || ex.Request.Method != http.MethodGet {
			t.Errorf("exchange %s: At %v, method %q", ex.Request.URL, ex.At, ex.Request.Method)
		}
	}
	if fin.Response.Header.Get("Set-Cookie") == "" || fin.Response.Header.Get("Date") == "" {
		t.Errorf("final response header = %v, want Set-Cookie and Date", fin.Response.Header)
	}
	if entry.RawSHA256 != "" {
		t.Errorf("UTF-8 entry has RawSHA256 %s, want none", entry.RawSHA256)
	}

	gbk := pageByPath(s, "/gbk.html")
	if gbk == nil || gbk.Charset != "gbk" || gbk.RawBody == nil {
		t.Fatalf("GBK page = %+v", gbk)
	}
	sum := sha256.Sum256(gbk.RawBody)
	if gbk.RawSHA256 != hex.EncodeToString(sum[:]) || bytes.Equal(gbk.RawBody, gbk.Body) || !strings.Contains(string(gbk.Body), "办公地址") {
		t.Errorf("GBK page raw %s (%d bytes), body %q", gbk.RawSHA256, len(gbk.RawBody), gbk.Body)
	}
	if got := gbk.Exchanges[len(gbk.Exchanges)-1].Response.Header.Get("Cookie"); got != "" {
		t.Errorf("response header has Cookie %q", got)
	}
	if got := gbk.Exchanges[0].Request.Header.Get("Cookie"); got != "JSESSIONID=abc" {
		t.Errorf("GBK request Cookie = %q, want the jar's JSESSIONID=abc", got)
	}

	gz := pageByPath(s, "/gz.html")
	if gz == nil || !strings.Contains(string(gz.Body), "指南") || gz.RawBody != nil {
		t.Fatalf("gzip page = %+v body %q", gz, gz.Body)
	}
	if got := gz.Exchanges[0].Response.Header.Get("Content-Encoding"); got != "gzip" {
		t.Errorf("gzip page Content-Encoding recorded = %q, want gzip", got)
	}

	pr := probeByPath(s, "/f.doc")
	if pr == nil || pr.Status != http.StatusOK || len(pr.Exchanges) != 2 {
		t.Fatalf("probe = %+v", pr)
	}
	if pr.Exchanges[0].Request.Method != http.MethodHead || pr.Exchanges[0].Response.Status != "405 Method Not Allowed" ||
		pr.Exchanges[1].Request.Method != http.MethodGet || pr.Exchanges[1].Response.Header.Get("Content-Type") != "application/msword" {
		t.Errorf("probe exchanges = %+v", pr.Exchanges)
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.leaked {
		t.Errorf("a request reached the server with %s", fetchHeader)
	}
}

// Ensure that a 304 keeps the conditional exchange as this fetch's and the
// previous full fetch's exchanges as its Origin, and carries RawSHA256 over.
func TestCrawl_NotModifiedKeepsOrigin(t *testing.T) {
	_, entry := newValidatorServer(t)
	first := mustCrawl(t, entry, Options{})
	second := mustCrawl(t, entry, Options{Previous: previousOf(first, func(p *site.Page) ([]byte, error) {
		return first.Page(p.URL).Body, nil
	})})
	p := pageByPath(second, "/a.html")
	if p == nil || !p.NotModified {
		t.Fatalf("second crawl /a.html = %+v", p)
	}
	last := p.Exchanges[len(p.Exchanges)-1]
	if last.Response == nil || last.Response.Status != "304 Not Modified" || last.Request.Header.Get("If-None-Match") == "" {
		t.Errorf("304 exchange = %+v", last)
	}
	old := pageByPath(first, "/a.html")
	if len(p.Origin) != len(old.Exchanges) || p.Origin[0].Response.Status != "200 OK" {
		t.Errorf("Origin = %+v, want the first crawl's exchanges", p.Origin)
	}
}
