package crawler

import (
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"gkaudit/site"
)

// fetchHeader marks a request whose exchanges are recorded: its value names
// the fetch (one attempt of a page or a probe). colly gives a request no
// context of its own, and net/http copies a request's header to every
// redirect it follows, so a header is what reaches each hop. recordTransport
// takes it out before the request is sent.
const fetchHeader = "X-Gkaudit-Fetch"

// exchangeLog collects the exchanges of each fetch of a crawl by its token.
type exchangeLog struct {
	mu   sync.Mutex
	next int
	m    map[string][]site.Exchange
}

func newExchangeLog() *exchangeLog { return &exchangeLog{m: map[string][]site.Exchange{}} }

// token returns a new fetch token.
func (l *exchangeLog) token() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.next++
	return strconv.Itoa(l.next)
}

func (l *exchangeLog) add(token string, ex site.Exchange) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.m[token] = append(l.m[token], ex)
}

// get returns a copy of the fetch's exchanges so far.
func (l *exchangeLog) get(token string) []site.Exchange {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.m[token]) == 0 {
		return nil
	}
	return append([]site.Exchange(nil), l.m[token]...)
}

// drop forgets a finished fetch.
func (l *exchangeLog) drop(token string) {
	if token == "" {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.m, token)
}

// recordTransport records the request as it goes to the network and the
// response head as it comes back, for requests marked with fetchHeader.
//
// It also makes compression explicit: net/http would otherwise add
// Accept-Encoding: gzip below any header we can see and strip
// Content-Encoding from the answer, so neither record would say what
// really crossed the wire. With the header set by us, colly (pages) undoes
// the gzip itself; probes read no body.
type recordTransport struct {
	base http.RoundTripper
	log  *exchangeLog
}

func (t *recordTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	token := req.Header.Get(fetchHeader)
	if token == "" {
		return t.base.RoundTrip(req)
	}
	req = req.Clone(req.Context())
	req.Header.Del(fetchHeader)
	if req.Method != http.MethodHead && req.Header.Get("Accept-Encoding") == "" && req.Header.Get("Range") == "" {
		req.Header.Set("Accept-Encoding", "gzip")
	}
	ex := site.Exchange{At: time.Now(), Request: site.Request{Method: req.Method, URL: req.URL.String(), Header: sentHeader(req), Body: sentBody(req)}}
	resp, err := t.base.RoundTrip(req)
	if err == nil {
		ex.Response = &site.Response{Proto: resp.Proto, Status: resp.Status, Header: site.Header(resp.Header.Clone())}
	}
	t.log.add(token, ex)
	return resp, err
}

// sentBody is the body of req as sent (a POST form), read through GetBody so
// that the request keeps its own; "" when there is none or it cannot be
// read again.
func sentBody(req *http.Request) string {
	if req.Body == nil || req.Body == http.NoBody || req.GetBody == nil {
		return ""
	}
	rc, err := req.GetBody()
	if err != nil {
		return ""
	}
	defer rc.Close()
	b, _ := io.ReadAll(io.LimitReader(rc, site.MaxRequestBody))
	return string(b)
}

// sentHeader is the header net/http writes for req: its fields plus Host.
// (It adds User-Agent only when absent, and the crawler always sets one.)
func sentHeader(req *http.Request) site.Header {
	h := site.Header(req.Header.Clone())
	if h == nil {
		h = site.Header{}
	}
	host := req.Host
	if host == "" {
		host = req.URL.Host
	}
	h["Host"] = []string{host}
	if req.ContentLength > 0 && h.Get("Content-Length") == "" {
		h["Content-Length"] = []string{strconv.FormatInt(req.ContentLength, 10)}
	}
	return h
}
