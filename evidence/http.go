package evidence

import (
	"bytes"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"gkaudit/site"
)

// The HTTP messages of request and response records are written back from
// what the crawler recorded: the request line and status line, and every
// header field, one line per value, Host first and then by name (net/http
// keeps no order). Transfer-Encoding was never recorded: the body was
// kept without its chunking.

// origHeaderPrefix names the header fields a response record keeps as
// received when its payload is not what crossed the wire: the crawler keeps
// bodies without their content coding (gzip), so the record says
// Content-Length of what it carries and keeps the server's
// Content-Encoding and Content-Length under this prefix.
const origHeaderPrefix = "X-Gkaudit-Orig-"

// requestMessage is the HTTP request of an exchange: request line, header
// fields, blank line, and the body a POST sent (a GET has none).
func requestMessage(x site.Exchange) []byte {
	var b bytes.Buffer
	target := x.Request.URL
	if u, err := url.Parse(x.Request.URL); err == nil && u.Host != "" {
		target = u.RequestURI()
	}
	b.WriteString(clean(x.Request.Method) + " " + clean(target) + " " + protoOf(x) + "\r\n")
	h := x.Request.Header
	if host := h["Host"]; len(host) > 0 {
		writeField(&b, "Host", host)
	}
	for _, k := range sortedNames(h) {
		if k != "Host" {
			writeField(&b, k, h[k])
		}
	}
	b.WriteString("\r\n")
	b.WriteString(x.Request.Body)
	return b.Bytes()
}

// responseHead is the status line and header of a response carrying
// payloadLen bytes of payload (-1 when the payload was not kept).
func responseHead(r *site.Response, payloadLen int) []byte {
	var b bytes.Buffer
	b.WriteString(clean(r.Proto) + " " + clean(r.Status) + "\r\n")
	h := r.Header
	if payloadLen >= 0 && decoded(r) {
		h = make(site.Header, len(r.Header)+2)
		for k, v := range r.Header {
			switch k {
			case "Content-Encoding", "Content-Length":
				h[origHeaderPrefix+k] = v
			default:
				h[k] = v
			}
		}
		h["Content-Length"] = []string{strconv.Itoa(payloadLen)}
	}
	for _, k := range sortedNames(h) {
		writeField(&b, k, h[k])
	}
	b.WriteString("\r\n")
	return b.Bytes()
}

// decoded reports whether the response came with a content coding the kept
// payload no longer has.
func decoded(r *site.Response) bool {
	ce := strings.TrimSpace(r.Header.Get("Content-Encoding"))
	return ce != "" && !strings.EqualFold(ce, "identity")
}

// protoOf is the HTTP version of the exchange: the response's, else 1.1.
func protoOf(x site.Exchange) string {
	if x.Response != nil && x.Response.Proto != "" {
		return clean(x.Response.Proto)
	}
	return "HTTP/1.1"
}

// bodyless reports whether a response has no body by the protocol (RFC
// 9110 §6.4.1): to HEAD, 1xx, 204, 304, or Content-Length 0.
func bodyless(x site.Exchange) bool {
	if x.Request.Method == "HEAD" || x.Response == nil {
		return true
	}
	code := statusCode(x.Response.Status)
	return code/100 == 1 || code == 204 || code == 304 || strings.TrimSpace(x.Response.Header.Get("Content-Length")) == "0"
}

// statusCode reads the code of a status ("404 Not Found"), 0 if none.
func statusCode(status string) int {
	code, _, _ := strings.Cut(strings.TrimSpace(status), " ")
	n, err := strconv.Atoi(code)
	if err != nil {
		return 0
	}
	return n
}

func sortedNames(h site.Header) []string {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	slices.Sort(names)
	return names
}

func writeField(b *bytes.Buffer, name string, values []string) {
	for _, v := range values {
		b.WriteString(clean(name) + ": " + clean(v) + "\r\n")
	}
}

// clean keeps a recorded value from breaking the message's framing. net/http
// never hands us CR or LF in a field, so this changes nothing in practice.
func clean(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.NewReplacer("\r", " ", "\n", " ").Replace(s)
}
