package crawler

import (
	"net/url"
	"path"
	"regexp"
	"strings"

	"gkaudit/config"
)

// scope decides which URLs a unit's crawl may fetch as pages. It is built once
// per crawl and used under the crawl's lock (c.mu), which also covers what
// changes it: addEntry (the entry's redirect) and admitColumns (column scope).
type scope struct {
	hosts    map[string]bool // hosts (host[:port], default port removed) of the entry
	patterns []*pattern      // Unit.Scope; when set it replaces the host rule
	exclude  []*pattern      // Unit.Exclude
	own      []string        // our entry URLs (configured and final)
	ownDirs  []string        // their directories, host + path up to the last "/"
	others   map[string]bool // other units' entry URLs, normalised
	avoid    []string        // other units' entry directories, host + path
	// column is set for column scope (colscope.go); columns then holds the
	// unit's Hanweb column ids, host + "#" + id.
	column  bool
	columns map[string]bool
}

func newScope(entry *url.URL, u config.Unit, avoid []string) *scope {
	s := &scope{hosts: map[string]bool{}, others: map[string]bool{}}
	s.addEntry(entry)
	for _, p := range u.Scope {
		s.patterns = append(s.patterns, compilePattern(p))
	}
	for _, p := range u.Exclude {
		s.exclude = append(s.exclude, compilePattern(p))
	}
	own := normURL(entry)
	for _, a := range avoid {
		au, err := url.Parse(strings.TrimSpace(a))
		if err != nil || au.Host == "" {
			continue
		}
		n := normURL(au)
		if n == own {
			continue
		}
		s.others[n] = true
		// A unit whose entry is a host's root (the portal's home page) does not
		// own the whole host: only the exact page is avoided.
		if d := entryDir(au); strings.Count(d, "/") > 1 {
			s.avoid = append(s.avoid, d)
		}
	}
	return s
}

// addEntry adds an entry URL (the configured one, or where it redirected to)
// to the crawl's own hosts and directories.
func (s *scope) addEntry(u *url.URL) {
	s.hosts[hostKey(u)] = true
	s.own = append(s.own, normURL(u))
	s.ownDirs = append(s.ownDirs, entryDir(u))
	if id, art := hanwebColumnID(u); s.column && id != "" && !art {
		s.columns[hostKey(u)+"#"+id] = true
	}
}

// contains reports whether u may be crawled as a page of the unit.
func (s *scope) contains(u *url.URL) bool {
	if u.Scheme != "http" && u.Scheme != "https" {
		return false
	}
	n := normURL(u)
	for _, o := range s.own {
		if n == o {
			return true
		}
	}
	if s.others[n] {
		return false
	}
	if len(s.patterns) > 0 {
		ok := false
		for _, p := range s.patterns {
			if p.match(u) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	} else if !s.hosts[hostKey(u)] {
		return false
	}
	for _, p := range s.exclude {
		if p.match(u) {
			return false
		}
	}
	if in, decided := s.columnContains(u); decided && !in {
		return false
	}
	// On a shared portal host the URL belongs to the unit whose entry directory
	// is the longest prefix of it; ours wins a tie.
	key := hostKey(u) + u.EscapedPath()
	mine := -1
	for _, d := range s.ownDirs {
		if strings.HasPrefix(key, d) && len(d) > mine {
			mine = len(d)
		}
	}
	for _, d := range s.avoid {
		if strings.HasPrefix(key, d) && len(d) > mine {
			return false
		}
	}
	return true
}

// entryDir is host + the directory of the URL's path ("h/col/col1234/").
func entryDir(u *url.URL) string {
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	}
	if !strings.HasSuffix(p, "/") {
		p = path.Dir(p)
		if !strings.HasSuffix(p, "/") {
			p += "/"
		}
	}
	return hostKey(u) + p
}

// hostKey is the lower-cased host with the scheme's default port removed.
func hostKey(u *url.URL) string {
	h := strings.ToLower(u.Host)
	switch {
	case u.Scheme == "http" && strings.HasSuffix(h, ":80"):
		h = strings.TrimSuffix(h, ":80")
	case u.Scheme == "https" && strings.HasSuffix(h, ":443"):
		h = strings.TrimSuffix(h, ":443")
	}
	return h
}

// normURL is the URL without fragment, with scheme and host normalised, used
// as the identity of a page.
func normURL(u *url.URL) string {
	v := *u
	v.Fragment, v.RawFragment = "", ""
	v.Scheme = strings.ToLower(v.Scheme)
	v.Host = hostKey(u)
	if v.Path == "" && v.Opaque == "" {
		v.Path = "/"
	}
	return v.String()
}

// pattern is one Scope/Exclude entry: a URL prefix, or a pattern where **
// matches anything and * anything but "/". A pattern starting with "/" is
// matched against the path and query only.
type pattern struct {
	prefix   string
	re       *regexp.Regexp
	pathOnly bool
}

func compilePattern(p string) *pattern {
	p = strings.TrimSpace(p)
	pt := &pattern{pathOnly: strings.HasPrefix(p, "/")}
	if !strings.Contains(p, "*") {
		pt.prefix = p
		return pt
	}
	var b strings.Builder
	b.WriteString("^")
	for i := 0; i < len(p); i++ {
		switch {
		case strings.HasPrefix(p[i:], "**"):
			b.WriteString(".*")
			i++
		case p[i] == '*':
			b.WriteString("[^/]*")
		default:
			b.WriteString(regexp.QuoteMeta(p[i : i+1]))
		}
	}
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	if err != nil {
		// Only bytes that are not UTF-8 get here (found by FuzzNormURL): a
		// URL never matches them, so the pattern is kept as a literal prefix.
		pt.prefix = p
		return pt
	}
	pt.re = re
	return pt
}

func (p *pattern) match(u *url.URL) bool {
	s := normURL(u)
	if p.pathOnly {
		s = u.EscapedPath()
		if u.RawQuery != "" {
			s += "?" + u.RawQuery
		}
	}
	if p.re != nil {
		return p.re.MatchString(s)
	}
	return strings.HasPrefix(s, p.prefix) || (!p.pathOnly && strings.HasPrefix(s, normPrefix(p.prefix)))
}

// normPrefix normalises the scheme and host of a URL prefix the way normURL
// does, so "HTTP://Example.gov.cn:80/x" matches.
func normPrefix(p string) string {
	u, err := url.Parse(p)
	if err != nil || u.Host == "" {
		return p
	}
	return normURL(u)
}

// attachmentExt lists file extensions that are checked, not crawled.
var attachmentExt = map[string]bool{
	".pdf": true, ".doc": true, ".docx": true, ".xls": true, ".xlsx": true,
	".wps": true, ".et": true, ".dps": true, ".ofd": true, ".ppt": true,
	".pptx": true, ".txt": true, ".csv": true, ".rtf": true, ".zip": true,
	".rar": true, ".7z": true, ".gz": true, ".tar": true, ".jpg": true,
	".jpeg": true, ".png": true, ".gif": true, ".bmp": true, ".tif": true,
	".tiff": true, ".mp3": true, ".mp4": true, ".avi": true, ".flv": true,
	".wmv": true, ".swf": true, ".exe": true, ".apk": true, ".xml": true,
	".js": true, ".css": true, ".ceb": true, ".caj": true,
}

// isAttachment reports whether the URL's path names a file to probe rather
// than a page to crawl.
func isAttachment(u *url.URL) bool {
	return attachmentExt[strings.ToLower(path.Ext(u.Path))]
}
