package main

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"gkaudit/config"
)

// urlIDRE is what an --id may look like: the config's ids (xinqi) and the
// ids audit --url derives from a URL (www.beilun.gov.cn-col1229412).
var urlIDRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,99}$`)

// hanwebCol finds a Hanweb column id in a path (/col/col1229412/...).
var hanwebCol = regexp.MustCompile(`/col/(col\d+)(?:/|$)`)

// urlUnit is the unit audit --url audits: the URL, the id given or derived
// from it, the kind given (checked against the config's kinds) and the name
// given. A unit the config knows by that id (or, without --id, at that URL)
// lends its id, name and kind. An
// empty name is filled in by the audit from the entry page's title.
func urlUnit(cfg *config.Config, rawURL, id, name, kind string) (config.Unit, error) {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return config.Unit{}, fmt.Errorf("--url %q 不是完整的 http(s) 网址；请给出如 http://www.beilun.gov.cn/col/col1229412/index.html 的地址", rawURL)
	}
	if id == "" {
		id = urlUnitID(u)
		// The config's unit at this very URL keeps its id, and its history.
		for _, cu := range cfg.Units {
			if strings.TrimSpace(cu.URL) == u.String() {
				id = cu.ID
				break
			}
		}
	} else if !urlIDRE.MatchString(id) {
		return config.Unit{}, fmt.Errorf("--id %q 不可用：只能由小写字母、数字和 . _ - 组成（如 fgj 或 www.beilun.gov.cn-col1229412）", id)
	}
	known, ok := cfg.UnitByID(id)
	if kind == "" && ok {
		kind = known.Kind
	}
	if kind == "" {
		kind = config.KindDepartment
	}
	if !slices.Contains(config.UnitKinds(), kind) {
		return config.Unit{}, fmt.Errorf("--kind %q 不是单位类型；可选：%s", kind, strings.Join(config.UnitKinds(), "、"))
	}
	if name == "" && ok {
		name = known.Name
	}
	unit := config.Unit{ID: id, Name: strings.TrimSpace(name), Kind: kind, URL: u.String()}
	if ok && known.URL == unit.URL {
		unit.KeyAreas, unit.Scope, unit.Exclude = known.KeyAreas, known.Scope, known.Exclude
	}
	return unit, nil
}

// urlUnitID derives a stable id from a URL: the host (port kept, ":" as
// "-") and, for a column of a portal, the column (col1229412 for Hanweb,
// else the column's directory), so that two sites never share an id and a
// site audited again keeps its history.
func urlUnitID(u *url.URL) string {
	id := idPart(u.Host)
	if m := hanwebCol.FindStringSubmatch(u.EscapedPath()); m != nil {
		id += "-" + m[1]
	} else if d := idPart(dirOf(u.Path)); d != "" {
		id += "-" + d
	}
	if len(id) > 100 {
		id = strings.TrimRight(id[:100], "-")
	}
	if id == "" || !urlIDRE.MatchString(id) {
		id = "site-" + id // a host of symbols only (an IPv6 literal's brackets)
	}
	return id
}

// idPart is s in the characters ids allow: lower-case ASCII letters and
// digits, "." and "_"; anything else (":", "/", a Chinese host name) is
// "-", runs of it one "-", none at the ends.
func idPart(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '.', r == '_':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
	}
	return b.String()
}

// dirOf is the directory part of a URL path ("/xxgk/zfxxgk/" of
// "/xxgk/zfxxgk/index.html").
func dirOf(p string) string {
	if strings.HasSuffix(p, "/") {
		return p
	}
	if i := strings.LastIndex(p, "/"); i >= 0 {
		return p[:i+1]
	}
	return "/"
}
