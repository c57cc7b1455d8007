package site

import "testing"

// Ensure that recorded errors (records stored before causes were) read as
// the same Chinese causes, and the crawl's stop reasons in Chinese.
func TestCauseText(t *testing.T) {
	for _, tc := range []struct{ err, want string }{
		{"", ""},
		{`Get "http://h/": dial tcp 127.0.0.1:9: connect: connection refused`, CauseRefused},
		{`Get "http://h/": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`, CauseReadTimeout},
		{`Get "http://h/": dial tcp 10.255.255.1:80: i/o timeout`, CauseConnectTimeout},
		{`Get "http://x.invalid/": dial tcp: lookup x.invalid on 10.0.0.53:53: no such host`, CauseDNS},
		{`Get "https://h/": tls: failed to verify certificate: x509: certificate signed by unknown authority`, CauseTLSUnknown},
		{`Get "https://h/": x509: certificate has expired or is not yet valid: current time …`, CauseTLSExpired},
		{`Get "https://h/": x509: certificate is valid for a.gov.cn, not b.gov.cn`, CauseTLSHostname},
		{`Get "/loop": stopped after 10 redirects`, CauseRedirects},
		{`read tcp 127.0.0.1:1->127.0.0.1:2: read: connection reset by peer`, CauseReset},
		{`Get "http://h/": EOF`, CauseClosed},
		{`Get "http://h/": context canceled`, CauseCanceled},
		{`Get "http://10.0.0.1/": dial tcp 10.0.0.1:80: 目标地址 10.0.0.1 属于内网地址，已按安全策略拒绝连接；如需审计内网站点，请在 crawl.allow_networks 中加入该网段`,
			"目标地址 10.0.0.1 属于内网地址，已按安全策略拒绝连接；如需审计内网站点，请在 crawl.allow_networks 中加入该网段"},
		{"not fetched: time budget 10m0s reached", "未抓取（已达单位抓取时限 10m0s）"},
		{"something else entirely", CauseOther},
	} {
		if got := CauseText(tc.err); got != tc.want {
			t.Errorf("CauseText(%q) = %q, want %q", tc.err, got, tc.want)
		}
	}
	if got := StopReasonText("cancelled; store: save interrupted, 3 of 9 pages saved"); got != "审计被中断；store: save interrupted, 3 of 9 pages saved" {
		t.Errorf("StopReasonText = %q", got)
	}
}
