package onboard

import (
	"net/url"
	"path"
	"regexp"
	"strings"

	"gkaudit/config"
	"gkaudit/crawler"
)

var hanwebColumn = regexp.MustCompile(`^/col/col\d+(?:/|$)`)

// withScope returns units with the found URLs set, and a scope for each
// unit whose column is a directory of a shared portal host that no other
// unit's column shares (TRS-style /xxgk/bm/czj/): the crawl then keeps to
// that directory rather than wandering the portal.
//
// The portal's own host counts as shared even when only one unit was found
// on it: the portal's pages are not that unit's.
//
// A Hanweb column (/col/col1234/index.html) gets none: its articles live
// under /art/YYYY/M/D/ and its sub-columns under other /col/ ids, which no
// prefix covers; the crawler keeps the units of one host apart by their
// entries (DESIGN.md, crawl scope). A unit alone on its host needs none.
func withScope(units []config.Unit, found []Found, portalHost string) []config.Unit {
	byID := map[string]string{}
	for _, f := range found {
		byID[f.Unit.ID] = f.Unit.URL
	}
	perHost := map[string]int{strings.ToLower(portalHost): 1}
	perDir := map[string]int{}
	for _, raw := range byID {
		if u, err := url.Parse(raw); err == nil {
			perHost[strings.ToLower(u.Host)]++
			perDir[dirPrefix(u)]++
		}
	}
	out := make([]config.Unit, len(units))
	for i, unit := range units {
		out[i] = unit
		raw, ok := byID[unit.ID]
		if !ok {
			continue
		}
		out[i].URL = raw
		u, err := url.Parse(raw)
		if err != nil || perHost[strings.ToLower(u.Host)] < 2 || len(unit.Scope) > 0 {
			continue
		}
		if hanwebColumn.MatchString(u.EscapedPath()) || !crawler.IsPortalColumn(u) {
			continue
		}
		if d := dirPrefix(u); perDir[d] == 1 {
			out[i].Scope = []string{d}
		}
	}
	return out
}

// dirPrefix is the URL's scheme, host and directory: the scope prefix of
// its column.
func dirPrefix(u *url.URL) string {
	p := u.EscapedPath()
	if !strings.HasSuffix(p, "/") {
		p = path.Dir(p)
		if !strings.HasSuffix(p, "/") {
			p += "/"
		}
	}
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host) + p
}
