package platform

import (
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
)

// maxTRSPages bounds the page count believed from a createPageHTML call.
const maxTRSPages = 100_000

// TRSPager is what a TRS WCM list page's createPageHTML call says: Count
// pages in all, this one Current (0-based), named Prefix.Ext for the first
// and Prefix_N.Ext for page N (index.html, index_1.html … index_{Count-1}.html).
//
// Modelled on TRS WCM templates as public sites serve them:
//
//	<script>
//	var currentPage = 0;//所在页从0开始
//	var countPage = 8//共多少页
//	createPageHTML(countPage, currentPage, "index", "html");
//	</script>
//
// with literal arguments (createPageHTML(8, 0, "index", "html")) as well, and
// the newer form that first names the pager's element and ends with the
// record count: createPageHTML('page_div', 8, 0, 'index', 'html', 150).
type TRSPager struct {
	Count, Current int
	Prefix, Ext    string
}

var (
	createPageRe = regexp.MustCompile(`(?s)(function\s+)?createPageHTML\s*\(([^()]{0,300})\)`)
	jsVarRe      = regexp.MustCompile(`(?:\bvar\s+|[;\n{]\s*)([A-Za-z_$][\w$]*)\s*=\s*(\d{1,6})\b`)
	identRe      = regexp.MustCompile(`^[A-Za-z_$][\w$]*$`)
	prefixRe     = regexp.MustCompile(`^[A-Za-z0-9_\-]{1,40}$`)
	extRe        = regexp.MustCompile(`^[A-Za-z]{2,6}$`)
)

// ParseTRSPager reads the createPageHTML call of a page; ok is false when
// there is none or its arguments cannot be made out. The function's own
// definition (function createPageHTML(…)) is not a call.
func ParseTRSPager(body []byte) (p TRSPager, ok bool) {
	text := string(body)
	if !strings.Contains(text, "createPageHTML") {
		return p, false
	}
	vars := map[string]int{}
	for _, m := range jsVarRe.FindAllStringSubmatch(text, -1) {
		if n, err := strconv.Atoi(m[2]); err == nil {
			vars[m[1]] = n
		}
	}
	for _, m := range createPageRe.FindAllStringSubmatch(text, -1) {
		if m[1] != "" {
			continue // the definition
		}
		if p, ok := trsArgs(splitArgs(m[2]), vars); ok {
			return p, true
		}
	}
	return p, false
}

// arg is one argument of a script call: its text and whether it was quoted.
type arg struct {
	text   string
	quoted bool
}

func splitArgs(s string) []arg {
	var out []arg
	for _, part := range strings.Split(s, ",") {
		t := strings.TrimSpace(part)
		a := arg{text: t}
		if len(t) >= 2 && (t[0] == '"' || t[0] == '\'') && t[len(t)-1] == t[0] {
			a = arg{text: t[1 : len(t)-1], quoted: true}
		}
		out = append(out, a)
	}
	return out
}

func trsArgs(args []arg, vars map[string]int) (TRSPager, bool) {
	num := func(a arg) (int, bool) {
		t := strings.Trim(a.text, " ")
		if n, err := strconv.Atoi(t); err == nil {
			return n, true
		}
		if !a.quoted && identRe.MatchString(t) {
			n, ok := vars[t]
			return n, ok
		}
		return 0, false
	}
	// createPageHTML('page_div', count, current, prefix, ext, total): the
	// first argument names the pager element.
	if len(args) >= 5 && args[0].quoted {
		if _, isNum := num(args[0]); !isNum {
			args = args[1:]
		}
	}
	if len(args) < 4 {
		return TRSPager{}, false
	}
	count, ok1 := num(args[0])
	cur, ok2 := num(args[1])
	prefix, ext := args[2].text, args[3].text
	if !ok1 || !ok2 || count < 1 || count > maxTRSPages || cur < 0 || cur >= count ||
		!prefixRe.MatchString(prefix) || !extRe.MatchString(ext) {
		return TRSPager{}, false
	}
	return TRSPager{Count: count, Current: cur, Prefix: prefix, Ext: ext}, true
}

// PageURL is the URL of page i (0-based) in the directory of the page at
// base: Prefix.Ext for page 0, Prefix_i.Ext after.
func (p TRSPager) PageURL(base *url.URL, i int) (string, error) {
	if i < 0 || i >= p.Count {
		return "", fmt.Errorf("platform: trs page %d of %d", i, p.Count)
	}
	name := p.Prefix + "." + p.Ext
	if i > 0 {
		name = fmt.Sprintf("%s_%d.%s", p.Prefix, i, p.Ext)
	}
	dir := base.Path
	if !strings.HasSuffix(dir, "/") {
		dir = path.Dir(dir) + "/"
	}
	u := *base
	u.Path, u.RawPath, u.RawQuery, u.Fragment = dir+name, "", "", ""
	return u.String(), nil
}

// PageURLs returns the URLs of pages 1 … Count-1 (page 0 is the column's
// own), at most max of them.
func (p TRSPager) PageURLs(base *url.URL, max int) []string {
	var out []string
	for i := 1; i < p.Count && len(out) < max; i++ {
		if u, err := p.PageURL(base, i); err == nil {
			out = append(out, u)
		}
	}
	return out
}
