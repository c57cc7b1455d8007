package crawler

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

const (
	backoffBase = 250 * time.Millisecond
	backoffMax  = 4 * time.Second
	// retryAfterMax caps a server's Retry-After: a crawl does not sleep for
	// minutes on one page.
	retryAfterMax = 10 * time.Second
)

// transientStatus reports whether an HTTP status is worth another try.
func transientStatus(code int) bool {
	switch code {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// transientErr reports whether a failed request is worth another try:
// network errors and timeouts are; a redirect loop, an unknown host or a bad
// certificate are not.
func transientErr(err error) bool {
	if err == nil || errors.Is(err, errTooManyRedirects) || IsBlocked(err) {
		return false
	}
	if _, paused := isHostPaused(err); paused {
		return false // the budget gave the host up: asking again is what it forbids
	}
	var dns *net.DNSError
	if errors.As(err, &dns) && dns.IsNotFound {
		return false
	}
	var cv *tls.CertificateVerificationError
	if errors.As(err, &cv) {
		return false
	}
	var ua x509.UnknownAuthorityError
	var hn x509.HostnameError
	var ci x509.CertificateInvalidError
	if errors.As(err, &ua) || errors.As(err, &hn) || errors.As(err, &ci) {
		return false
	}
	return true
}

// timeoutErr reports whether err is a timeout.
func timeoutErr(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// backoff is the wait before try attempts+1: 250ms, 500ms, 1s ... capped at
// 4s, or the server's Retry-After when longer (capped at 10s).
func backoff(attempts int, retryAfter time.Duration) time.Duration {
	d := backoffBase
	for i := 1; i < attempts && d < backoffMax; i++ {
		d *= 2
	}
	d = min(d, backoffMax)
	return max(d, min(retryAfter, retryAfterMax))
}

// retryAfter reads a Retry-After header given in seconds.
func retryAfter(h *http.Header) time.Duration {
	if h == nil {
		return 0
	}
	s, err := strconv.Atoi(strings.TrimSpace(h.Get("Retry-After")))
	if err != nil || s < 0 {
		return 0
	}
	return time.Duration(s) * time.Second
}
