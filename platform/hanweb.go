package platform

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// DefaultProxy is where Hanweb JCMS answers the jpage list requests.
const DefaultProxy = "/module/web/jpage/dataproxy.jsp"

// maxTotal bounds the record count believed from a page (a typo or a hostile
// page must not make the crawler plan millions of requests).
const maxTotal = 1_000_000

// Hanweb is what a Hanweb JCMS list page says about its jpage list: the
// records its datastore carries, how many there are in all, and the POST
// form dataproxy.jsp needs for the others.
//
// Modelled on public pages and scrapers of real Hanweb sites: the list page
// ships <div id="{unitid}"><script type="text/xml"><datastore><nextgroup>
// <![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=…
// &path=/&columnid=…&unitid=…&webname=…&permissiontype=0"></a>]]></nextgroup>
// <recordset><record><![CDATA[<li>…</li>]]></record>…</recordset>
// </datastore></script></div> followed by the jpage script
// (/module/web/jpage/jpage.js, perPage, totalRecord); later records come from
// POST dataproxy.jsp?startrecord=46&endrecord=90&perpage=15 with the form
// col=1&appid=1&webid=…&path=/&columnid=…&sourceContentType=1&unitid=…
// &webname=…&permissiontype=0 (e.g. jsgzw.jiangsu.gov.cn, fzggw.jiangsu.gov.cn).
type Hanweb struct {
	// Proxy is the dataproxy path as the page writes it ("" when the page
	// names none and does not load jpage).
	Proxy string
	// Form is the POST form of the jpage requests (col, appid, webid, path,
	// columnid, sourceContentType, unitid, webname, permissiontype).
	Form url.Values
	// PerPage is the records shown per page (the perpage parameter).
	PerPage int
	// Total is the record count the page declares (<totalrecord>,
	// totalRecord:), -1 when it declares none.
	Total int
	// First is the number of records in the page's own datastore.
	First int
}

// Range is one dataproxy request: records Start to End, 1-based, inclusive.
type Range struct{ Start, End int }

var (
	datastoreTag   = regexp.MustCompile(`(?i)<datastore[\s>]`)
	recordRe       = regexp.MustCompile(`(?is)<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>`)
	totalTagRe     = regexp.MustCompile(`(?i)<totalrecord>\s*(\d{1,9})\s*</totalrecord>`)
	totalScriptRe  = regexp.MustCompile(`(?i)\btotalrecords?\s*[:=]\s*['"]?(\d{1,9})`)
	perPageRe      = regexp.MustCompile(`(?i)\bperpage\s*[:=]\s*['"]?(\d{1,5})`)
	nextGroupRe    = regexp.MustCompile(`(?is)<nextgroup>\s*<!\[CDATA\[(.*?)\]\]>`)
	hrefRe         = regexp.MustCompile(`(?is)href\s*=\s*["']([^"']+)["']`)
	proxyURLRe     = regexp.MustCompile(`(?i)\bproxyurl\s*[:=]\s*['"]([^'"]+)['"]`)
	proxyPathRe    = regexp.MustCompile(`(?i)['"](/[^'"\s]*dataproxy\.jsp)`)
	jpageScriptRe  = regexp.MustCompile(`(?i)<script[^>]+src\s*=\s*["'][^"']*jpage[^"']*\.js`)
	unitDivRe      = regexp.MustCompile(`(?is)<div[^>]*\bid\s*=\s*["']?(\d{1,12})["']?[^>]*>\s*<script[^>]*text/xml`)
	formParamRe    = regexp.MustCompile(`(?i)\b(col|appid|webid|path|columnid|sourcecontenttype|unitid|webname|permissiontype)\s*[:=]\s*(?:'([^']*)'|"([^"]*)"|([^\s,;}&'"<]*))`)
	numericParamRe = regexp.MustCompile(`^\d{1,12}$`)
)

// formKeys are the jpage form fields, by their lower-case name, spelled as
// dataproxy.jsp reads them.
var formKeys = map[string]string{
	"col": "col", "appid": "appid", "webid": "webid", "path": "path", "columnid": "columnid",
	"sourcecontenttype": "sourceContentType", "unitid": "unitid", "webname": "webname", "permissiontype": "permissiontype",
}

// formOrder is the order the jpage script sends the form in.
var formOrder = []string{"col", "appid", "webid", "path", "columnid", "sourceContentType", "unitid", "webname", "permissiontype"}

// IsDatastore reports whether body carries a Hanweb datastore (a list page's
// script block or a dataproxy answer).
func IsDatastore(body []byte) bool { return datastoreTag.Match(body) }

// ParseHanweb reads a Hanweb list page. found is false when the page has no
// datastore; a page with one whose request parameters cannot be made out is
// found but not Readable.
func ParseHanweb(body []byte) (h Hanweb, found bool) {
	h.Total = -1
	if !IsDatastore(body) {
		return h, false
	}
	text := string(body)
	h.First = len(recordRe.FindAllStringIndex(text, -1))
	if m := totalTagRe.FindStringSubmatch(text); m != nil {
		h.Total = atoiCap(m[1])
	} else if m := totalScriptRe.FindStringSubmatch(text); m != nil {
		h.Total = atoiCap(m[1])
	}
	if m := perPageRe.FindStringSubmatch(text); m != nil {
		h.PerPage = atoiCap(m[1])
	}
	h.Form = url.Values{}
	// The nextgroup link carries the form as a query (the older page=N
	// style of the same proxy): the most reliable source.
	if m := nextGroupRe.FindStringSubmatch(text); m != nil {
		if hm := hrefRe.FindStringSubmatch(m[1]); hm != nil {
			href := strings.ReplaceAll(hm[1], "&amp;", "&")
			if u, err := url.Parse(href); err == nil {
				if strings.HasSuffix(strings.ToLower(u.Path), "dataproxy.jsp") {
					h.Proxy = u.Path
				}
				for k, vs := range u.Query() {
					if name, ok := formKeys[strings.ToLower(k)]; ok && len(vs) > 0 && h.Form.Get(name) == "" {
						h.Form.Set(name, vs[0])
					}
				}
			}
		}
	}
	// Then the jpage call's parameters in the page's scripts.
	for _, m := range formParamRe.FindAllStringSubmatch(scriptText(text), -1) {
		name := formKeys[strings.ToLower(m[1])]
		v := m[2] + m[3] + m[4]
		if h.Form.Get(name) == "" && v != "" {
			h.Form.Set(name, v)
		}
	}
	if h.Form.Get("unitid") == "" {
		if m := unitDivRe.FindStringSubmatch(text); m != nil {
			h.Form.Set("unitid", m[1]) // the list's <div id> is its unit id
		}
	}
	if h.Proxy == "" {
		if m := proxyURLRe.FindStringSubmatch(text); m != nil && strings.Contains(strings.ToLower(m[1]), "dataproxy") {
			h.Proxy = m[1]
		} else if m := proxyPathRe.FindStringSubmatch(text); m != nil {
			h.Proxy = m[1]
		} else if jpageScriptRe.MatchString(text) {
			h.Proxy = DefaultProxy
		}
	}
	// Defaults the jpage script sends when the page does not override them.
	for k, v := range map[string]string{"col": "1", "appid": "1", "path": "/", "sourceContentType": "1", "permissiontype": "0"} {
		if h.Form.Get(k) == "" {
			h.Form.Set(k, v)
		}
	}
	if h.PerPage <= 0 {
		h.PerPage = 15
	}
	return h, true
}

// Readable reports whether the page names what a dataproxy request needs:
// the proxy, a numeric column id and unit id.
func (h Hanweb) Readable() bool {
	return h.Proxy != "" && numericParamRe.MatchString(h.Form.Get("columnid")) && numericParamRe.MatchString(h.Form.Get("unitid"))
}

// Remaining returns the records beyond the page's own datastore, in the
// groups jpage asks for them (as many records as the page carried, else three
// pages), at most max requests.
func (h Hanweb) Remaining(max int) []Range {
	if h.Total <= h.First || max <= 0 {
		return nil
	}
	group := h.First
	if group <= 0 {
		group = 3 * h.PerPage
	}
	var out []Range
	for start := h.First + 1; start <= h.Total && len(out) < max; start += group {
		out = append(out, Range{Start: start, End: min(start+group-1, h.Total)})
	}
	return out
}

// RequestURL is the dataproxy URL of one range, resolved against the list
// page's URL. Besides startrecord, endrecord and perpage it carries columnid
// and unitid in the query (dataproxy.jsp reads parameters from the query and
// the form alike): two columns' requests for the same range are then two
// URLs, so that each answer is a page of its own in the snapshot.
func (h Hanweb) RequestURL(page *url.URL, r Range) (string, error) {
	if !h.Readable() {
		return "", fmt.Errorf("platform: hanweb list without dataproxy parameters")
	}
	u, err := page.Parse(h.Proxy)
	if err != nil {
		return "", fmt.Errorf("platform: hanweb proxy %q: %w", h.Proxy, err)
	}
	u.RawQuery = fmt.Sprintf("startrecord=%d&endrecord=%d&perpage=%d&columnid=%s&unitid=%s",
		r.Start, r.End, h.PerPage, url.QueryEscape(h.Form.Get("columnid")), url.QueryEscape(h.Form.Get("unitid")))
	u.Fragment = ""
	return u.String(), nil
}

// FormBody is the url-encoded POST body of the jpage requests, in the order
// the jpage script sends it.
func (h Hanweb) FormBody() string {
	var b strings.Builder
	for _, k := range formOrder {
		if v := h.Form.Get(k); v != "" || k == "webname" {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(k + "=" + url.QueryEscape(v))
		}
	}
	return b.String()
}

// Records returns the HTML fragments of the records of a datastore (a list
// page's or a dataproxy answer), and the record count it declares (-1 when
// none).
func Records(body []byte) ([]string, int) {
	total := -1
	if m := totalTagRe.FindSubmatch(body); m != nil {
		total = atoiCap(string(m[1]))
	}
	var out []string
	for _, m := range recordRe.FindAllSubmatch(body, -1) {
		out = append(out, string(m[1]))
	}
	return out, total
}

// IsProxyURL reports whether u is a dataproxy request.
func IsProxyURL(u *url.URL) bool {
	return u != nil && strings.HasSuffix(strings.ToLower(u.Path), "dataproxy.jsp")
}

var scriptBlockRe = regexp.MustCompile(`(?is)<script[^>]*>(.*?)</script>`)

// scriptText is the text of the page's scripts (the jpage call and its
// parameters live there, not in the page's prose).
func scriptText(text string) string {
	var b strings.Builder
	for _, m := range scriptBlockRe.FindAllStringSubmatch(text, -1) {
		// The datastore's own records are HTML, not parameters.
		b.WriteString(recordRe.ReplaceAllString(m[1], ""))
		b.WriteByte('\n')
	}
	return b.String()
}

func atoiCap(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return -1
	}
	return min(n, maxTotal)
}
