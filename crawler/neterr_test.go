package crawler

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gkaudit/site"
)

// guardedClient is a client as the crawl builds it: the SSRF guard with
// loopback allowed, a short timeout, and tlsConf when set.
func guardedClient(t *testing.T, timeout time.Duration, tlsConf *tls.Config) *http.Client {
	t.Helper()
	tr, err := GuardedTransport([]string{"127.0.0.0/8", "::1/128"})
	if err != nil {
		t.Fatal(err)
	}
	tr.TLSClientConfig = tlsConf
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: timeout, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if len(via) >= 10 {
			return errTooManyRedirects
		}
		return nil
	}}
}

// expiredCert is a self-signed certificate for 127.0.0.1 that expired
// yesterday, and a pool that trusts it.
func expiredCert(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "gkaudit test"},
		NotBefore: time.Now().Add(-48 * time.Hour), NotAfter: time.Now().Add(-24 * time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool
}

// Ensure that the errors real failures produce are worded as the Chinese
// causes findings and progress show, from the error values and from their
// recorded text alike, and never as Go's English.
func TestNetErr_ChineseCauses(t *testing.T) {
	hang := make(chan struct{})
	t.Cleanup(func() { close(hang) })
	mux := http.NewServeMux()
	mux.HandleFunc("/hang", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-hang:
		case <-r.Context().Done():
		}
	})
	mux.HandleFunc("/hang-body", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1000")
		w.Write([]byte("<html>"))
		w.(http.Flusher).Flush()
		select {
		case <-hang:
		case <-r.Context().Done():
		}
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	mux.HandleFunc("/close", func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	})
	mux.HandleFunc("/reset", func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.(*net.TCPConn).SetLinger(0) // close with RST
			conn.Close()
		}
	})
	srv := newServer(t, mux)

	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + closed.Addr().String() + "/"
	closed.Close()

	tlsSrv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes are the point
	tlsSrv.StartTLS()
	t.Cleanup(tlsSrv.Close)
	trusted := tlsSrv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs

	cert, pool := expiredCert(t)
	expSrv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	expSrv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	expSrv.Config.ErrorLog = log.New(io.Discard, "", 0)
	expSrv.StartTLS()
	t.Cleanup(expSrv.Close)

	cancelled, cancel := context.WithCancel(context.Background())
	cancel()

	blockedClient := guardedClient(t, time.Second, nil)
	blockedClient.Transport.(*http.Transport).DialContext = func() func(context.Context, string, string) (net.Conn, error) {
		g, _ := NewDialGuard(nil)
		return g.Dialer(time.Second).DialContext
	}()

	tests := []struct {
		name   string
		client *http.Client
		ctx    context.Context
		url    string
		want   []string // any of
	}{
		{"refused port", guardedClient(t, 2*time.Second, nil), nil, refused, []string{site.CauseRefused}},
		{"server hangs before answering", guardedClient(t, 100*time.Millisecond, nil), nil, srv.URL + "/hang", []string{site.CauseReadTimeout}},
		{"server hangs in the body", guardedClient(t, 100*time.Millisecond, nil), nil, srv.URL + "/hang-body", []string{site.CauseReadTimeout}},
		{"redirect loop", guardedClient(t, 2*time.Second, nil), nil, srv.URL + "/loop", []string{site.CauseRedirects}},
		{"closed without answer", guardedClient(t, 2*time.Second, nil), nil, srv.URL + "/close", []string{site.CauseClosed, site.CauseReset}},
		{"reset", guardedClient(t, 2*time.Second, nil), nil, srv.URL + "/reset", []string{site.CauseReset, site.CauseClosed}},
		{"untrusted certificate", guardedClient(t, 2*time.Second, nil), nil, tlsSrv.URL + "/", []string{site.CauseTLSUnknown}},
		{"certificate for another name", guardedClient(t, 2*time.Second, &tls.Config{RootCAs: trusted, ServerName: "www.beilun.gov.cn"}), nil, tlsSrv.URL + "/", []string{site.CauseTLSHostname}},
		{"expired certificate", guardedClient(t, 2*time.Second, &tls.Config{RootCAs: pool}), nil, expSrv.URL + "/", []string{site.CauseTLSExpired}},
		{"unresolvable name", nxdomainClient(t), nil, "http://gkaudit-test.invalid/", []string{site.CauseDNS}},
		{"cancelled", guardedClient(t, 2*time.Second, nil), cancelled, srv.URL + "/", []string{site.CauseCanceled}},
		{"blocked by the guard", blockedClient, nil, srv.URL + "/", []string{"目标地址 127.0.0.1 属于本机回环地址，已按安全策略拒绝连接"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := tt.ctx
			if ctx == nil {
				ctx = t.Context()
			}
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, tt.url, nil)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := tt.client.Do(req)
			if err == nil {
				_, err = io.ReadAll(resp.Body)
				resp.Body.Close()
			}
			if err == nil {
				t.Fatalf("GET %s: no error", tt.url)
			}
			for _, got := range []string{Cause(err), site.CauseText(err.Error())} {
				if !matchesAny(got, tt.want) {
					t.Errorf("cause of %q = %q, want one of %q", err, got, tt.want)
				}
				if strings.ContainsAny(got, "abcdefghijklmnopqrstuvwxyz") && !strings.Contains(got, "crawl.allow_networks") {
					t.Errorf("cause of %q = %q, want Chinese only", err, got)
				}
			}
		})
	}
	// A dial timeout cannot be provoked on loopback; its value is built.
	dialTimeout := &net.OpError{Op: "dial", Net: "tcp", Err: os.ErrDeadlineExceeded}
	if got := Cause(dialTimeout); got != site.CauseConnectTimeout {
		t.Errorf("Cause(dial timeout) = %q, want %q", got, site.CauseConnectTimeout)
	}
	if got := Cause(errors.Join(errors.New("x"), errTooManyRedirects)); got != site.CauseRedirects {
		t.Errorf("Cause(joined redirects) = %q, want %q", got, site.CauseRedirects)
	}
}

func matchesAny(got string, want []string) bool {
	for _, w := range want {
		if strings.Contains(got, w) {
			return true
		}
	}
	return false
}

// nxdomainClient is a guarded client whose DNS server is a loopback one
// that answers every query "no such name" (tests stay on loopback).
func nxdomainClient(t *testing.T) *http.Client {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var queries atomic.Int64
	t.Cleanup(func() {
		pc.Close()
		if queries.Load() == 0 {
			t.Error("the loopback DNS server got no query")
		}
	})
	go func() {
		buf := make([]byte, 512)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			if n < 12 {
				continue
			}
			queries.Add(1)
			// The query back with QR set and RCODE 3 (NXDOMAIN), no answers.
			resp := append([]byte(nil), buf[:n]...)
			resp[2] = 0x81 | (buf[2] & 0x01) // QR, RD as asked
			resp[3] = 0x83                   // RA, NXDOMAIN
			for i := 6; i < 12; i++ {
				resp[i] = 0 // no answer, authority or additional records
			}
			pc.WriteTo(resp[:n], from)
		}
	}()
	g, err := NewDialGuard(nil)
	if err != nil {
		t.Fatal(err)
	}
	d := g.Dialer(2 * time.Second)
	d.Resolver = &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
		var nd net.Dialer
		return nd.DialContext(ctx, "udp", pc.LocalAddr().String())
	}}
	tr := g.Transport()
	tr.DialContext = d.DialContext
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 5 * time.Second}
}
