package site

import (
	"regexp"
	"strings"
)

// Causes of a failed fetch in the words a unit's editor reads in a finding.
// The crawler (crawler.Cause) picks them from the error values; CauseText
// picks them from a recorded error's text, for records stored without a
// cause. The raw error stays in Page.Err / Probe.Err.
const (
	CauseConnectTimeout = "连接超时"
	CauseReadTimeout    = "读取超时"
	CauseDNS            = "无法解析域名"
	CauseDNSTimeout     = "域名解析超时"
	CauseRefused        = "连接被拒绝"
	CauseReset          = "连接被重置"
	CauseClosed         = "服务器未返回响应即关闭连接"
	CauseTLSExpired     = "TLS 证书错误（证书已过期）"
	CauseTLSHostname    = "TLS 证书错误（证书与域名不匹配）"
	CauseTLSUnknown     = "TLS 证书错误（证书不受信任）"
	CauseTLS            = "TLS 握手失败"
	CauseRedirects      = "重定向次数过多"
	CauseTruncated      = "响应过大已截断"
	CauseBlocked        = "被安全策略拒绝"
	CauseCanceled       = "审计中断，请求已取消"
	CauseUnreachable    = "网络不可达"
	CauseOther          = "访问失败"
)

// blockedMark starts the crawler's message for a refused dial
// (crawler.BlockedError), which is itself the cause.
const blockedMark = "目标地址 "

// BlockedText reports whether a recorded error is a dial the SSRF guard
// refused (crawler.BlockedError).
func BlockedText(err string) bool {
	i := strings.Index(err, blockedMark)
	return i >= 0 && strings.Contains(err[i:], "安全策略")
}

// CauseText is the cause of a recorded fetch error, read from its text:
// what Cause would have said of the error value, as far as the text tells.
func CauseText(err string) string {
	if err == "" {
		return ""
	}
	if BlockedText(err) {
		return err[strings.Index(err, blockedMark):]
	}
	e := strings.ToLower(err)
	switch {
	case strings.HasPrefix(e, "not fetched"):
		return "未抓取（" + StopReasonText(strings.TrimSpace(strings.TrimPrefix(err[len("not fetched"):], ":"))) + "）"
	case strings.Contains(e, "redirects"):
		return CauseRedirects
	case strings.Contains(e, "certificate has expired"), strings.Contains(e, "certificate is not yet valid"):
		return CauseTLSExpired
	case strings.Contains(e, "certificate is valid for"), strings.Contains(e, "certificate is not valid for"):
		return CauseTLSHostname
	case strings.Contains(e, "unknown authority"), strings.Contains(e, "not trusted"):
		return CauseTLSUnknown
	case strings.Contains(e, "x509:"), strings.Contains(e, "tls:"):
		return CauseTLS
	case strings.Contains(e, "no such host"), strings.Contains(e, "server misbehaving"):
		return CauseDNS
	case strings.Contains(e, "lookup ") && (strings.Contains(e, "timeout") || strings.Contains(e, "timed out")):
		return CauseDNSTimeout
	case strings.Contains(e, "connection refused"):
		return CauseRefused
	case strings.Contains(e, "connection reset"), strings.Contains(e, "broken pipe"):
		return CauseReset
	case strings.Contains(e, "network is unreachable"), strings.Contains(e, "no route to host"):
		return CauseUnreachable
	case strings.Contains(e, "dial tcp") && (strings.Contains(e, "timeout") || strings.Contains(e, "deadline exceeded")):
		return CauseConnectTimeout
	case strings.Contains(e, "timeout"), strings.Contains(e, "deadline exceeded"):
		return CauseReadTimeout
	case strings.Contains(e, "context canceled"):
		return CauseCanceled
	case strings.HasSuffix(e, "eof"), strings.Contains(e, "server closed"):
		return CauseClosed
	}
	return CauseOther
}

// ErrCause is the Chinese cause of the page's fetch error ("" when none).
func (p *Page) ErrCause() string {
	if p == nil || p.Err == "" {
		return ""
	}
	if p.Cause != "" {
		return p.Cause
	}
	return CauseText(p.Err)
}

// ErrCause is the Chinese cause of the probe's error ("" when none).
func (p Probe) ErrCause() string {
	if p.Err == "" {
		return ""
	}
	if p.Cause != "" {
		return p.Cause
	}
	return CauseText(p.Err)
}

// stopReasons are the crawler's reasons for stopping a crawl
// (Snapshot.StopReason) with their Chinese wording; $1 is the limit.
var stopReasons = []struct {
	re   *regexp.Regexp
	text string
}{
	{regexp.MustCompile(`^entry blocked by robots\.txt$`), "入口页被 robots.txt 禁止抓取"},
	{regexp.MustCompile(`^cancelled$`), "审计被中断"},
	{regexp.MustCompile(`^time budget (\S+) reached$`), "已达单位抓取时限 $1"},
	{regexp.MustCompile(`^page budget (\d+) reached$`), "已达单位页面上限 $1 页"},
	{regexp.MustCompile(`^depth limit (\d+) reached$`), "已达抓取深度上限 $1 层"},
	{regexp.MustCompile(`^probe budget (\d+) reached$`), "已达链接检查上限 $1 个"},
}

// StopReasonText is a crawl's stop reason in Chinese; a reason it does
// not know is returned as it is.
func StopReasonText(reason string) string {
	head, rest, _ := strings.Cut(reason, "; ")
	for _, r := range stopReasons {
		if r.re.MatchString(head) {
			head = r.re.ReplaceAllString(head, r.text)
			break
		}
	}
	if rest != "" {
		return head + "；" + rest
	}
	return head
}
