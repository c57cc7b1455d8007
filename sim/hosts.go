package sim

import (
	"net"
	"net/http"
	"slices"
	"time"
)

// host is one listener of the district: the shared portal, a unit's own
// site, or the external host.
type host struct {
	name     string
	listen   string
	ln       net.Listener
	srv      *http.Server
	base     string // http://127.0.0.1:port once started
	routes   map[string]route
	robots   string
	pages    int
	external bool
}

type routeKind int

const (
	rPortalHome routeKind = iota
	rHome
	rEntry
	rColumn
	rArticle
	rAttach
	rFail
	rForm
	rLoopA
	rLoopB
	rHuge
	rCalendar
	rSearch
	rScript // jpage.js (platforms.go)
	rProxy  // Hanweb dataproxy.jsp (platforms.go)
)

// route is what a path of a host serves.
type route struct {
	kind routeKind
	s    *unitSite
	c    *column
	it   *item
	page int
	att  *attachment
}

// html reports whether the route serves a crawlable HTML page.
func (r route) html() bool {
	switch r.kind {
	case rAttach, rFail, rLoopA, rLoopB, rHuge, rSearch, rScript, rProxy:
		return false
	}
	return true
}

const robotsAll = "User-agent: *\nDisallow: /search/\n"

// buildHosts assigns the units to hosts and registers every path.
func (d *District) buildHosts() {
	d.portal = &host{name: "portal", listen: d.opt.Listen, routes: map[string]route{}, robots: robotsAll}
	d.portal.routes["/"] = route{kind: rPortalHome}
	d.portal.routes["/index.html"] = route{kind: rPortalHome}
	d.portal.routes["/search/index.html"] = route{kind: rSearch}
	d.portal.routes[jpageJS] = route{kind: rScript}
	d.portal.routes[proxyPath] = route{kind: rProxy}
	d.hosts = []*host{d.portal}
	disallowed := false
	for _, s := range d.units {
		if s.trap != trapNone {
			continue
		}
		h := d.portal
		if s.own {
			h = &host{name: s.u.ID, listen: "127.0.0.1:0", routes: map[string]route{}, robots: robotsAll}
			if !disallowed {
				// One site keeps its CMS preview directory out of crawlers' way.
				h.robots += "Disallow: /xxgk/preview/\n"
				disallowed = true
			}
			h.routes["/"] = route{kind: rHome, s: s}
			h.routes["/index.html"] = route{kind: rHome, s: s}
			h.routes["/search/index.html"] = route{kind: rSearch, s: s}
			d.hosts = append(d.hosts, h)
		}
		s.h = h
		d.addRoutes(h, s)
	}
	d.ext = &host{name: "external", listen: "127.0.0.1:0", external: true, robots: "User-agent: *\nDisallow:\n"}
	d.hosts = append(d.hosts, d.ext)
	for _, h := range d.hosts {
		for p, r := range h.routes {
			if r.html() && p != "/index.html" { // the home page is counted as "/"
				h.pages++
			}
		}
	}
}

func (d *District) addRoutes(h *host, s *unitSite) {
	h.routes[s.entry] = route{kind: rEntry, s: s}
	for _, c := range s.cols {
		if s.hanweb(c) {
			h.pages += c.proxyRequests() // the dataproxy answers a crawl stores
		}
		for i := range c.pageCount() {
			if i > 0 && !s.own && s.tpl == 0 {
				if !s.hanweb(c) {
					h.pages++ // ?pageNum= pages share the path
				}
				continue
			}
			h.routes[s.pagePath(c, i)] = route{kind: rColumn, s: s, c: c, page: i}
		}
		for _, it := range c.items {
			if it.col != c || it.deleted {
				continue
			}
			kind := rArticle
			if it.fails500 {
				kind = rFail
			}
			h.routes[it.path] = route{kind: kind, s: s, it: it}
			for i := range it.attach {
				if a := &it.attach[i]; !a.missing {
					h.routes[a.path] = route{kind: rAttach, s: s, att: a}
				}
			}
		}
	}
	kinds := map[string]routeKind{"form": rForm, "loopA": rLoopA, "loopB": rLoopB, "huge": rHuge, "calendar": rCalendar}
	for _, e := range s.extra {
		h.routes[e.path] = route{kind: kinds[e.kind], s: s}
	}
}

// lastModified is the date a route's content last changed: its newest item.
func (d *District) lastModified(r route) time.Time {
	fallback := time.Date(d.year, 6, 1, 9, 0, 0, 0, d.asOf.Location())
	switch {
	case r.it != nil:
		return r.it.date
	case r.c != nil && len(r.c.items) > 0:
		return slices.MaxFunc(r.c.items, func(a, b *item) int { return a.date.Compare(b.date) }).date
	case r.c != nil || r.kind == rForm:
		// A page without items (机构信息, 依申请公开, the guide, the form)
		// does not change when the unit posts something.
		return fallback
	case r.s != nil && len(r.s.items) > 0:
		return slices.MaxFunc(r.s.items, func(a, b *item) int { return a.date.Compare(b.date) }).date
	}
	return fallback
}

func sortNewest(items []*item) {
	slices.SortStableFunc(items, func(a, b *item) int { return b.date.Compare(a.date) })
}
