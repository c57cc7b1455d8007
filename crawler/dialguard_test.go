package crawler

import (
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"

	"gkaudit/config"
	"gkaudit/site"
)

// countingServer is a loopback server on addr ("127.0.0.1:0", "127.0.0.2:0")
// that counts the requests it gets and serves h.
func countingServer(t *testing.T, addr string, h http.Handler) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("cannot listen on %s: %v", addr, err)
	}
	var hits atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		h.ServeHTTP(w, r)
	}))
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, &hits
}

// guardPolicy is testPolicy with allow_networks replaced.
func guardPolicy(allow ...string) config.Crawl {
	p := testPolicy()
	p.AllowNetworks = allow
	p.Retries = 0
	return p
}

func TestDialGuard_Check(t *testing.T) {
	tests := []struct {
		addr  string
		allow []string
		class string // "" when allowed
	}{
		{"127.0.0.1", nil, "本机回环地址"},
		{"127.0.0.2", []string{"127.0.0.1/32"}, "本机回环地址"},
		{"127.0.0.1", []string{"127.0.0.1/32"}, ""},
		{"::1", nil, "本机回环地址"},
		{"::ffff:127.0.0.1", nil, "本机回环地址"},
		{"10.0.0.1", nil, "内网地址"},
		{"10.0.0.1", []string{"10.0.0.0/8"}, ""},
		{"172.16.5.4", nil, "内网地址"},
		{"172.32.0.1", nil, ""},
		{"192.168.1.1", nil, "内网地址"},
		{"fc00::1", nil, "内网地址"},
		{"fd12:3456::1", nil, "内网地址"},
		{"169.254.169.254", nil, "链路本地地址（含云平台元数据地址）"},
		{"fe80::1", nil, "链路本地地址"},
		{"100.64.0.1", nil, "运营商级 NAT 地址"},
		{"224.0.0.1", nil, "组播地址"},
		{"ff02::1", nil, "组播地址"},
		{"0.0.0.0", nil, "未指定地址"},
		{"::", nil, "未指定地址"},
		{"64:ff9b::10.0.0.1", nil, "内网地址"},
		{"64:ff9b::8.8.8.8", nil, ""},
		{"fe80::1%eth0", nil, "链路本地地址"},
		{"8.8.8.8", nil, ""},
		{"2001:4860:4860::8888", nil, ""},
		{"202.107.200.1", nil, ""},
	}
	for _, tt := range tests {
		g, err := NewDialGuard(tt.allow)
		if err != nil {
			t.Fatal(err)
		}
		err = g.Check(netip.MustParseAddr(tt.addr))
		switch {
		case tt.class == "" && err != nil:
			t.Errorf("Check(%s, allow %v) = %v, want allowed", tt.addr, tt.allow, err)
		case tt.class != "" && (err == nil || !strings.Contains(err.Error(), "属于"+tt.class+"，已按安全策略拒绝连接") || !IsBlocked(err)):
			t.Errorf("Check(%s, allow %v) = %v, want blocked as %s", tt.addr, tt.allow, err, tt.class)
		}
	}
	if _, err := NewDialGuard([]string{"10.0.0.0/33"}); err == nil {
		t.Error("NewDialGuard(10.0.0.0/33) = nil error, want a bad network")
	}
}

// Ensure that by default a crawl does not connect to loopback: the entry page
// records the guard's reason in Chinese, and the server sees no request.
func TestDial_BlocksLoopbackByDefault(t *testing.T) {
	srv, hits := countingServer(t, "127.0.0.1:0", htmlPage("首页", "hi"))
	s := mustCrawl(t, srv.URL+"/", Options{Policy: guardPolicy()})
	p := s.EntryPage()
	if p == nil || !isBlockedPage(p) || !strings.Contains(p.Cause, "目标地址 127.0.0.1 属于本机回环地址，已按安全策略拒绝连接") ||
		!strings.Contains(p.Cause, "crawl.allow_networks") {
		t.Fatalf("entry page = %+v, want blocked with the Chinese reason", p)
	}
	if p.Attempts > 1 {
		t.Errorf("entry attempts = %d, want 1 (a blocked address is not retried)", p.Attempts)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("server got %d requests, want none", n)
	}
}

// Ensure that the check happens after DNS: a name that resolves to
// loopback (localhost) is blocked as the address itself is.
func TestDial_BlocksNameResolvingToLoopback(t *testing.T) {
	srv, hits := countingServer(t, "127.0.0.1:0", htmlPage("首页", "hi"))
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	s := mustCrawl(t, "http://localhost:"+port+"/", Options{Policy: guardPolicy()})
	p := s.EntryPage()
	if p == nil || !isBlockedPage(p) || !strings.Contains(p.Cause, "本机回环地址") {
		t.Fatalf("entry page = %+v, want blocked after resolving localhost", p)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("server got %d requests, want none", n)
	}
}

// Ensure that every redirect hop is checked: an allowed server (127.0.0.1)
// that redirects the entry, and links to, a blocked address (127.0.0.2)
// gets neither fetched nor probed there.
func TestDial_BlocksRedirectToPrivate(t *testing.T) {
	inner, innerHits := countingServer(t, "127.0.0.2:0", htmlPage("内网", "secret"))
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, inner.URL+"/admin", http.StatusFound)
	})
	mux.HandleFunc("/xxgk/", htmlPage("信息公开", `<a href="/go">办事</a><a href="`+inner.URL+`/file.pdf">附件</a>`))
	mux.HandleFunc("/go", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, inner.URL+"/page", http.StatusFound)
	})
	outer, _ := countingServer(t, "127.0.0.1:0", mux)
	pol := guardPolicy("127.0.0.1/32")

	s := mustCrawl(t, outer.URL+"/", Options{Policy: pol})
	if p := s.EntryPage(); p == nil || !isBlockedPage(p) || !strings.Contains(p.Cause, "目标地址 127.0.0.2") {
		t.Errorf("redirected entry = %+v, want blocked at 127.0.0.2", p)
	}

	s = mustCrawl(t, outer.URL+"/xxgk/", Options{Policy: pol})
	if p := s.EntryPage(); p == nil || !p.OK() {
		t.Fatalf("entry = %+v, want fetched (127.0.0.1/32 is allowed)", p)
	}
	var page *site.Page
	for _, p := range s.Pages {
		if strings.HasSuffix(p.URL, "/go") {
			page = p
		}
	}
	if page == nil || !isBlockedPage(page) {
		t.Errorf("page /go = %+v, want blocked at its redirect", page)
	}
	var probe *site.Probe
	for i := range s.Probes {
		if strings.HasSuffix(s.Probes[i].URL, "/file.pdf") {
			probe = &s.Probes[i]
		}
	}
	if probe == nil || !site.BlockedText(probe.Err) || !strings.Contains(probe.Cause, "已按安全策略拒绝连接") {
		t.Errorf("probe of the attachment = %+v, want blocked", probe)
	}
	if n := innerHits.Load(); n != 0 {
		t.Errorf("blocked server got %d requests, want none", n)
	}
}

// Ensure that networks listed in allow_networks are reached, redirects
// included.
func TestDial_AllowNetworks(t *testing.T) {
	inner, innerHits := countingServer(t, "127.0.0.2:0", htmlPage("信息公开", "内容"))
	outer, _ := countingServer(t, "127.0.0.1:0", http.RedirectHandler(inner.URL+"/xxgk/", http.StatusFound))
	for _, allow := range [][]string{{"127.0.0.0/8"}, {"127.0.0.1/32", "127.0.0.2"}} {
		s := mustCrawl(t, outer.URL+"/", Options{Policy: guardPolicy(allow...)})
		if p := s.EntryPage(); p == nil || !p.OK() || p.Title != "信息公开" {
			t.Errorf("allow %v: entry = %+v, want the redirect followed to 127.0.0.2", allow, p)
		}
	}
	if innerHits.Load() == 0 {
		t.Error("allowed server got no request")
	}
}

// isBlockedPage reports whether the page's fetch was refused by the guard.
func isBlockedPage(p *site.Page) bool { return p != nil && site.BlockedText(p.Err) && p.Cause != "" }
