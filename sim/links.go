package sim

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// sitePage is one HTML page of a unit, by path (and query) on its host.
type sitePage struct {
	url string // path and query
	rt  route
}

// unitPages lists every HTML page a crawl of the unit can reach, each list
// page of each column included, the endless calendar as its first day.
func (d *District) unitPages(s *unitSite) []sitePage {
	var out []sitePage
	if s.own {
		out = append(out, sitePage{"/", route{kind: rHome, s: s}})
	}
	out = append(out, sitePage{s.entry, route{kind: rEntry, s: s}})
	for _, c := range s.cols {
		for i := range c.pageCount() {
			if i > 0 && s.hanweb(c) {
				break // served, but no page links them: the proxy has the records
			}
			out = append(out, sitePage{s.pagePath(c, i), route{kind: rColumn, s: s, c: c, page: i}})
		}
		for _, it := range c.items {
			if it.col == c && !it.deleted && !it.fails500 {
				out = append(out, sitePage{it.path, route{kind: rArticle, s: s, it: it}})
			}
		}
	}
	for _, e := range s.extra {
		switch e.kind {
		case "form":
			out = append(out, sitePage{e.path, route{kind: rForm, s: s}})
		case "calendar":
			out = append(out, sitePage{e.path, route{kind: rCalendar, s: s}})
		}
	}
	return out
}

var linkAttr = regexp.MustCompile(`(?:href|src)="([^"]*)"`)

// pageLinks renders a page and returns the absolute URLs it links to.
func (d *District) pageLinks(s *unitSite, p sitePage) []string {
	base, err := url.Parse(s.h.base + p.url)
	if err != nil {
		return nil
	}
	req := fakeRequest(p.url)
	body, ok := d.renderRoute(s.h, p.rt, req)
	if !ok {
		return nil
	}
	var out []string
	for _, m := range linkAttr.FindAllStringSubmatch(body, -1) {
		ref, err := url.Parse(strings.ReplaceAll(m[1], "&amp;", "&"))
		if err != nil {
			continue
		}
		u := base.ResolveReference(ref)
		u.Fragment = ""
		out = append(out, u.String())
	}
	return out
}

// broken reports whether a link of the unit fails: 404, 500 or a redirect
// loop. Only the district's hosts and the external host are linked.
func (d *District) broken(s *unitSite, link string) bool {
	u, err := url.Parse(link)
	if err != nil {
		return true
	}
	base := u.Scheme + "://" + u.Host
	if base == d.ext.base {
		return strings.HasPrefix(u.Path, "/www.nbdpc.gov.cn/old/")
	}
	var h *host
	for _, x := range d.hosts {
		if x.base == base {
			h = x
		}
	}
	if h == nil {
		return true
	}
	if strings.HasPrefix(u.Path, "/images/") || u.Path == "/robots.txt" {
		return false
	}
	rt, ok := h.routes[u.Path]
	if !ok {
		return true
	}
	switch rt.kind {
	case rFail, rLoopA, rLoopB:
		return true
	case rColumn:
		if pn := u.Query().Get("pageNum"); pn != "" && !rt.s.own && rt.s.tpl == 0 {
			n, err := strconv.Atoi(pn)
			return err != nil || n < 1 || n > rt.c.pageCount()
		}
	}
	return false
}
