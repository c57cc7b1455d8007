package crawler

import (
	"gkaudit/page"
	"net/url"
	"path"
	"regexp"
	"strings"
)

// Column scope: a unit audited by its URL alone (audit --url) whose entry is
// one column of a shared portal. The other units of the host are unknown,
// so the crawl cannot avoid their entries as a configured unit's does;
// instead it keeps to what the URLs say belongs to the unit:
//
//   - the entry's directory (/col/col1229412/ with index_2.html and
//     ?pageNum= pages; a TRS column's index_1.html and t20190305_1.html);
//   - Hanweb columns (/col/colNNN/) linked from the unit's own column pages,
//     its sub-columns, and their directories — unless the column's page has
//     a location trail (当前位置) that does not pass through the unit: a
//     portal-wide column linked from the nav bar (政务公开, 部门信息公开)
//     is disowned, not followed;
//   - Hanweb articles (/art/YYYY/M/D/art_NNN_MMM.html) whose column NNN is
//     one of the unit's;
//   - other pages of the host that the unit's pages link to (a form, a
//     special page), fetched but not followed further;
//
// never the portal's root pages (/, /index.html), whose links lead to every
// other unit.

var (
	hanwebColumn  = regexp.MustCompile(`^/col/col(\d+)(?:/|$)`)
	hanwebArticle = regexp.MustCompile(`^/art/\d{4}/\d{1,2}/\d{1,2}/art_(\d+)_\d+\.s?html?$`)
)

// hanwebColumnID is the column id of a Hanweb column or article URL.
func hanwebColumnID(u *url.URL) (id string, article bool) {
	p := u.EscapedPath()
	if m := hanwebColumn.FindStringSubmatch(p); m != nil {
		return m[1], false
	}
	if m := hanwebArticle.FindStringSubmatch(p); m != nil {
		return m[1], true
	}
	return "", false
}

// IsPortalColumn reports whether an entry URL is a unit's column on a shared
// portal rather than a site of its own: a Hanweb column (/col/colNNN/), or
// a directory at least two levels deep (/zwgk/bm/fgj/). A site's own
// disclosure column one level below its root (/xxgk/) is not.
func IsPortalColumn(u *url.URL) bool {
	if id, art := hanwebColumnID(u); id != "" && !art {
		return true
	}
	d := entryDir(u)
	return strings.Count(d[strings.Index(d, "/"):], "/") > 2
}

// keepToColumn switches the scope to column scope for entry, when the
// entry is a portal column (IsPortalColumn).
func (s *scope) keepToColumn(entry *url.URL) {
	if !IsPortalColumn(entry) {
		return
	}
	s.column = true
	s.columns = map[string]bool{}
	if id, _ := hanwebColumnID(entry); id != "" {
		s.columns[hostKey(entry)+"#"+id] = true
	}
}

// columnContains is contains' answer under column scope for an in-host
// URL; decided reports false when the ordinary rules apply.
func (s *scope) columnContains(u *url.URL) (in, decided bool) {
	if !s.column {
		return false, false
	}
	key := hostKey(u) + u.EscapedPath()
	for _, d := range s.ownDirs {
		if strings.HasPrefix(key, d) {
			return true, true
		}
	}
	if id, _ := hanwebColumnID(u); id != "" {
		return s.columns[hostKey(u)+"#"+id], true
	}
	if dir := path.Dir(u.EscapedPath()); dir == "/" || dir == "." {
		return false, true // the portal's root pages
	}
	return false, false
}

// ownColumnPage reports whether u is one of the unit's column pages, whose
// links to Hanweb columns name its sub-columns.
func (s *scope) ownColumnPage(u *url.URL) bool {
	key := hostKey(u) + u.EscapedPath()
	for _, d := range s.ownDirs {
		if strings.HasPrefix(key, d) {
			return true
		}
	}
	id, art := hanwebColumnID(u)
	return id != "" && !art && s.columns[hostKey(u)+"#"+id]
}

// admitColumns adds the Hanweb columns a page links to, when the page is
// one of the unit's column pages (column scope only). Callers hold the
// crawl's lock.
func (s *scope) admitColumns(page *url.URL, links []string) {
	if !s.column || !s.ownColumnPage(page) {
		return
	}
	for _, l := range links {
		lu, err := url.Parse(l)
		if err != nil || !s.hosts[hostKey(lu)] {
			continue
		}
		if id, art := hanwebColumnID(lu); id != "" && !art {
			s.columns[hostKey(lu)+"#"+id] = true
		}
	}
}

// leaf reports whether a page's links are not followed: under column
// scope, a page that is neither the unit's column nor its article.
func (s *scope) leaf(u *url.URL) bool {
	if !s.column || s.ownColumnPage(u) {
		return false
	}
	id, _ := hanwebColumnID(u)
	return id == "" || !s.columns[hostKey(u)+"#"+id]
}

// disowns reports whether a column page admitted by a link turns out not
// to be the unit's: its breadcrumb names a trail that passes through none
// of the unit's pages. The column is then dropped (column scope only). A
// page without a breadcrumb is given the benefit of the doubt. Callers hold
// the crawl's lock.
func (s *scope) disowns(page *url.URL, crumbs []page.Crumb) bool {
	if !s.column || len(crumbs) == 0 {
		return false
	}
	id, art := hanwebColumnID(page)
	key := hostKey(page) + page.EscapedPath()
	for _, d := range s.ownDirs {
		if strings.HasPrefix(key, d) {
			return false // the entry's own directory
		}
	}
	if id == "" || art || !s.columns[hostKey(page)+"#"+id] {
		return false
	}
	for _, c := range crumbs {
		cu, err := url.Parse(c.URL)
		if err != nil || c.URL == "" {
			continue
		}
		cid, cart := hanwebColumnID(cu)
		if cid == id {
			continue // the page itself
		}
		if s.ownColumnPage(cu) || (cid != "" && !cart && s.columns[hostKey(cu)+"#"+cid]) {
			return false
		}
	}
	delete(s.columns, hostKey(page)+"#"+id)
	return true
}
