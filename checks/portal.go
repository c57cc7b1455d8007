package checks

import (
	"net/url"
	"strings"

	"gkaudit/config"
	"gkaudit/site"
)

// This file tells whether a unit's pages belong to the unit or to the
// district portal that hosts it.

// sharedPortal reports whether the unit's entry host also serves other
// configured units' columns (a district portal): its home page and template
// then belong to the district, not the unit. Without a config it cannot
// tell and says no.
func sharedPortal(s *site.Snapshot, env Env) bool {
	if env.Config == nil {
		return false
	}
	host := hostOf(s.Entry)
	if host == "" {
		return false
	}
	return sharesHost(env.Config.Units, env.Unit.ID, host)
}

func sharesHost(units []config.Unit, self, host string) bool {
	for _, u := range units {
		if u.ID != self && strings.EqualFold(hostOf(u.URL), host) {
			return true
		}
	}
	return false
}

// portalHome returns the fetched home page of the entry's host when it is not
// the unit's own entry page, or nil.
func portalHome(s *site.Snapshot) *site.Page {
	pu, err := url.Parse(s.Entry)
	if err != nil || pu.Host == "" {
		return nil
	}
	home := pu.Scheme + "://" + pu.Host + "/"
	if home == s.Entry {
		return nil
	}
	for _, u := range []string{home, home + "index.html", home + "index.htm", home + "index.shtml", pu.Scheme + "://" + pu.Host} {
		if p := s.Page(u); p != nil && p.OK() && pageURL(p) != pageURL(s.EntryPage()) {
			return p
		}
	}
	return nil
}
