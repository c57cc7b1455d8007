package crawler

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"syscall"
	"time"
)

// The SSRF guard: a crawl follows links and redirects that anyone who edits
// a crawled page chooses, so it must not be steered into the auditor's own
// network (an intranet admin page, the cloud metadata service). Addresses
// are checked when the connection is dialled, after DNS and on every
// redirect hop, so neither a name that resolves to 127.0.0.1 nor a redirect
// to http://10.0.0.1/ gets through.

// blockedNets are the address ranges a crawl never connects to unless
// crawl.allow_networks lists them, with the word the message uses.
var blockedNets = []struct {
	prefix netip.Prefix
	class  string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "未指定地址"},
	{netip.MustParsePrefix("127.0.0.0/8"), "本机回环地址"},
	{netip.MustParsePrefix("10.0.0.0/8"), "内网地址"},
	{netip.MustParsePrefix("172.16.0.0/12"), "内网地址"},
	{netip.MustParsePrefix("192.168.0.0/16"), "内网地址"},
	{netip.MustParsePrefix("100.64.0.0/10"), "运营商级 NAT 地址"},
	{netip.MustParsePrefix("169.254.0.0/16"), "链路本地地址（含云平台元数据地址）"},
	{netip.MustParsePrefix("224.0.0.0/4"), "组播地址"},
	{netip.MustParsePrefix("255.255.255.255/32"), "广播地址"},
	{netip.MustParsePrefix("::/128"), "未指定地址"},
	{netip.MustParsePrefix("::1/128"), "本机回环地址"},
	{netip.MustParsePrefix("fc00::/7"), "内网地址"},
	{netip.MustParsePrefix("fe80::/10"), "链路本地地址"},
	{netip.MustParsePrefix("ff00::/8"), "组播地址"},
}

// nat64 is the well-known NAT64 prefix (RFC 6052).
var nat64 = netip.MustParsePrefix("64:ff9b::/96")

// BlockedError is the error of a dial the guard refused.
type BlockedError struct {
	Addr  netip.Addr
	Class string // 内网地址, 本机回环地址 ...
}

func (e *BlockedError) Error() string {
	return fmt.Sprintf("目标地址 %s 属于%s，已按安全策略拒绝连接；如需审计内网站点，请在 crawl.allow_networks 中加入该网段", e.Addr, e.Class)
}

// IsBlocked reports whether err (or an error it wraps) is a dial the guard
// refused.
func IsBlocked(err error) bool {
	var b *BlockedError
	return errors.As(err, &b)
}

// DialGuard decides which addresses a crawl may connect to.
type DialGuard struct {
	allow []netip.Prefix
}

// NewDialGuard builds a guard that lets through the listed networks (CIDR
// prefixes such as 127.0.0.0/8 or ::1/128, or single addresses).
func NewDialGuard(allow []string) (*DialGuard, error) {
	g := &DialGuard{}
	for _, s := range allow {
		p, err := ParseNetwork(s)
		if err != nil {
			return nil, err
		}
		g.allow = append(g.allow, p)
	}
	return g, nil
}

// ParseNetwork parses one crawl.allow_networks entry: a CIDR prefix or a
// single address.
func ParseNetwork(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, fmt.Errorf("%q 不是有效的网段（应如 127.0.0.0/8 或 ::1/128）", s)
		}
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("%q 不是有效的网段（应如 127.0.0.0/8 或 ::1/128）", s)
	}
	return netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()), nil
}

// Check returns a *BlockedError when the address may not be dialled.
func (g *DialGuard) Check(a netip.Addr) error {
	a = a.Unmap().WithZone("")
	if nat64.Contains(a) {
		// The well-known NAT64 prefix reaches the IPv4 address it embeds.
		b := a.As16()
		a = netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]})
	}
	for _, p := range g.allow {
		if p.Contains(a) {
			return nil
		}
	}
	for _, b := range blockedNets {
		if b.prefix.Contains(a) {
			return &BlockedError{Addr: a, Class: b.class}
		}
	}
	return nil
}

// control is a net.Dialer Control hook: it runs after DNS, for the very
// address about to be connected to.
func (g *DialGuard) control(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		host = address
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return fmt.Errorf("dial guard: address %q: %w", address, err)
	}
	return g.Check(a)
}

// Dialer returns a dialer whose every connection passes the guard.
func (g *DialGuard) Dialer(timeout time.Duration) *net.Dialer {
	return &net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second, Control: g.control}
}

// Transport returns a clone of http.DefaultTransport that dials through
// the guard. A proxy from the environment is dialled through it too, so a
// proxy on a private address must be listed in crawl.allow_networks.
func (g *DialGuard) Transport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	d := g.Dialer(30 * time.Second)
	t.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		return d.DialContext(ctx, network, addr)
	}
	return t
}

// GuardedTransport is the transport crawls and probes use by default: the
// guard with the config's allow_networks. A bad entry is an error (the
// config's validation reports it with its line first).
func GuardedTransport(allow []string) (*http.Transport, error) {
	g, err := NewDialGuard(allow)
	if err != nil {
		return nil, fmt.Errorf("crawl.allow_networks: %w", err)
	}
	return g.Transport(), nil
}
