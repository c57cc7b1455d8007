package onboard

import (
	"net"
	"net/url"
	"path"
	"strings"
)

// indexLink reports whether a link leads to a list of units, and how
// strongly (the index of its words in indexWords): its text says
// 部门信息公开, 乡镇（街道）, 信息公开 ... and names no unit.
func indexLink(l link, nm *namer, unitKeys map[string]bool) (int, bool) {
	t := strings.Join(strings.Fields(l.text+" "+l.title), "")
	if t == "" || unitKeys[nm.key(l.text)] || unitKeys[nm.key(l.title)] {
		return 0, false
	}
	for _, w := range notIndexWords {
		if strings.Contains(t, w) {
			return 0, false
		}
	}
	for prio, words := range indexWords {
		for _, w := range words {
			if strings.Contains(t, w) {
				return prio, true
			}
		}
	}
	return 0, false
}

// isRoot reports whether a URL is a site's home page.
func isRoot(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Path) {
	case "", "/", "/index.html", "/index.htm", "/index.shtml", "/index.jsp", "/default.htm", "/default.html":
		return u.RawQuery == ""
	}
	return false
}

// sameSite reports whether raw is on the portal's site: the same host name
// (any port; an address only with its port), or the same registered domain (xxgk.bl.gov.cn and
// www.bl.gov.cn), which is where a portal keeps its 信息公开 platform.
func sameSite(portal *url.URL, raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	a, b := strings.ToLower(portal.Hostname()), strings.ToLower(u.Hostname())
	if a == b && net.ParseIP(a) == nil {
		return true
	}
	if net.ParseIP(a) != nil || net.ParseIP(b) != nil {
		// An address names no domain: only its own host and port are the site.
		return strings.EqualFold(portal.Host, u.Host)
	}
	return registered(a) == registered(b)
}

// registered is a host's registered domain: the last three labels under
// gov.cn, edu.cn, com.cn, org.cn, net.cn, the last two elsewhere.
func registered(host string) string {
	labels := strings.Split(host, ".")
	n := 2
	if len(labels) >= 3 && labels[len(labels)-1] == "cn" && len(labels[len(labels)-2]) <= 3 {
		n = 3
	}
	if len(labels) <= n {
		return host
	}
	return strings.Join(labels[len(labels)-n:], ".")
}

// nonUnitHosts are sites every government page links to, never a unit's:
// the 党政机关网站 mark, ICP and police filings, 中国政府网 and its 网站找错.
var nonUnitHosts = []string{"conac.cn", "beian.gov.cn", "miit.gov.cn", "www.gov.cn", "12377.cn", "cyberpolice.cn", "kaipuyun.cn"}

// notUnitPage reports whether a generic link is not worth fetching for its
// title: an attachment, or a page of a site that is never a unit's.
func notUnitPage(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return true
	}
	switch strings.ToLower(path.Ext(u.Path)) {
	case ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".wps", ".zip", ".rar", ".jpg", ".jpeg", ".png", ".gif", ".mp4", ".js", ".css", ".xml":
		return true
	}
	h := strings.ToLower(u.Hostname())
	for _, n := range nonUnitHosts {
		if h == n || strings.HasSuffix(h, "."+n) {
			return true
		}
	}
	return false
}

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Host
}
