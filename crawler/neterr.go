package crawler

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"syscall"

	"gkaudit/site"
)

// Cause words a failed request's error as the Chinese cause a finding's
// detail and the progress display show (site.Cause*). It reads the error
// values where Go keeps them and falls back to the text where it does not
// (http.Client's timeout replaces the error by its text).
func Cause(err error) string {
	if err == nil {
		return ""
	}
	var blocked *BlockedError
	if errors.As(err, &blocked) {
		return blocked.Error()
	}
	if errors.Is(err, errTooManyRedirects) {
		return site.CauseRedirects
	}
	var inv x509.CertificateInvalidError
	if errors.As(err, &inv) {
		if inv.Reason == x509.Expired {
			return site.CauseTLSExpired
		}
		return site.CauseTLSUnknown
	}
	var hn x509.HostnameError
	if errors.As(err, &hn) {
		return site.CauseTLSHostname
	}
	var ua x509.UnknownAuthorityError
	if errors.As(err, &ua) {
		return site.CauseTLSUnknown
	}
	var cv *tls.CertificateVerificationError
	if errors.As(err, &cv) {
		return site.CauseTLSUnknown
	}
	var rh tls.RecordHeaderError
	var alert tls.AlertError
	if errors.As(err, &rh) || errors.As(err, &alert) {
		return site.CauseTLS
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		if dns.IsTimeout {
			return site.CauseDNSTimeout
		}
		return site.CauseDNS
	}
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return site.CauseRefused
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return site.CauseReset
	case errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.EHOSTUNREACH):
		return site.CauseUnreachable
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Timeout() {
		if op.Op == "dial" {
			return site.CauseConnectTimeout
		}
		return site.CauseReadTimeout
	}
	switch {
	case errors.Is(err, context.Canceled):
		return site.CauseCanceled
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return site.CauseClosed
	}
	// The client's own timeout and colly's errors keep only the text.
	return site.CauseText(err.Error())
}
