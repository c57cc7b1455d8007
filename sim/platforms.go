package sim

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// The portal's Hanweb units list their columns the way Hanweb JCMS does: the
// first group of records in a script datastore, the rest from
// /module/web/jpage/dataproxy.jsp; the TRS units write their pager with
// createPageHTML and serve static index_N.html pages. See package
// gkaudit/platform for the shapes, modelled on real sites.

const (
	proxyPath = "/module/web/jpage/dataproxy.jsp"
	jpageJS   = "/module/web/jpage/jpage.js"
	// jpageGroup is how many pages of records jpage asks for at once (its
	// groupSize; real sites use 1 to 3): one, so that the demo's columns,
	// a few pages long, need the proxy.
	jpageGroup = 1
)

// hanweb reports whether c's list is a Hanweb jpage list: a column of
// entries of a Hanweb unit of the portal that has any.
func (s *unitSite) hanweb(c *column) bool {
	return !s.own && s.tpl == 0 && c.plainList() && len(c.listed()) > 0
}

// trs reports whether c's pager is a TRS createPageHTML script.
func (s *unitSite) trs(c *column) bool { return s.own && s.tpl == 1 }

// plainList reports whether the column's pages are a list of its items
// (renderColumn's default case).
func (c *column) plainList() bool {
	switch c.kind {
	case kOrg, kLeaders, kApply, kGuide, kCatalog:
		return false
	}
	return true
}

// group is the number of records in one jpage request (and in the page's
// own datastore).
func (c *column) group() int { return jpageGroup * c.pageSize }

// proxyRequests is the number of dataproxy requests that read the records
// beyond a Hanweb column's first group.
func (c *column) proxyRequests() int {
	n, g := len(c.listed()), c.group()
	if n <= g {
		return 0
	}
	return (n - g + g - 1) / g
}

// unitID is the jpage unit id of a Hanweb column's list (the <div id>).
func (c *column) unitID() int { return 5000000 + c.id }

// hanwebRecord is one record of the datastore, as the template's list shows
// an entry.
func (s *unitSite) hanwebRecord(it *item) string {
	return fmt.Sprintf("<record><![CDATA[\n<li><a href=\"%s\" title=\"%s\" target=\"_blank\">%s</a><span class=\"bt-data-time\">%s</span></li>]]></record>\n",
		it.path, esc(it.title), esc(it.title), fmtDate(it.date, s.listDateStyle()))
}

// hanwebList is the first page of a Hanweb column: its first group of
// records in the datastore, the nextgroup link and the jpage call naming the
// proxy's parameters.
func (s *unitSite) hanwebList(c *column) string {
	items := c.listed()
	var b strings.Builder
	webname := "北仑区人民政府"
	fmt.Fprintf(&b, "<div class=\"default_pgContainer\"><div id=\"%d\"><script type=\"text/xml\"><datastore>\n", c.unitID())
	fmt.Fprintf(&b, "<nextgroup><![CDATA[<a href=\"%s?page=1&appid=1&webid=1&path=/&columnid=%d&unitid=%d&webname=%s&permissiontype=0\"></a>]]></nextgroup>\n<recordset>\n",
		proxyPath, c.id, c.unitID(), url.QueryEscape(webname))
	for _, it := range items[:min(c.group(), len(items))] {
		b.WriteString(s.hanwebRecord(it))
	}
	fmt.Fprintf(&b, "</recordset>\n<totalrecord>%d</totalrecord>\n</datastore></script></div></div>\n", len(items))
	fmt.Fprintf(&b, "<script language=\"javascript\" src=\"%s\"></script>\n", jpageJS)
	fmt.Fprintf(&b, "<script>$(document).ready(function(){ $('#%d').jpage({dataStore: '', perPage: %d, groupSize: %d, totalRecord: %d, proxyUrl: '%s', "+
		"ajaxParam: {col: 1, appid: 1, webid: 1, path: '/', columnid: %d, sourceContentType: 1, unitid: %d, webname: '%s', permissiontype: 0}}); });</script>",
		c.unitID(), c.pageSize, jpageGroup, len(items), proxyPath, c.id, c.unitID(), webname)
	return b.String()
}

// trsPager is the pager of a TRS list page: the page count as text and the
// createPageHTML script that writes the links in the browser.
func trsPager(i, n int) string {
	return fmt.Sprintf(`<div class="page">第%d页 共%d页 <script type="text/javascript">
function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt) {
	if (_nPageCount == null || _nPageCount <= 1) { return; }
	var nCurrIndex = _nCurrIndex || 0;
	if (nCurrIndex < _nPageCount - 1) { document.write("<a href=\"" + _sPageName + "_" + (nCurrIndex + 1) + "." + _sPageExt + "\">下一页</a> "); }
}
var currentPage = %d;//所在页从0开始
var prevPage = currentPage-1//上一页
var nextPage = currentPage+1//下一页
var countPage = %d//共多少页
createPageHTML(countPage, currentPage, "index", "html");
</script></div>`, i+1, n, i, n)
}

// hanwebColumn returns the Hanweb column of the host with these ids.
func (d *District) hanwebColumn(h *host, columnID, unitID string) (*unitSite, *column) {
	for _, s := range d.units {
		if s.h != h || s.own || s.tpl != 0 {
			continue
		}
		for _, c := range s.cols {
			if strconv.Itoa(c.id) == columnID && strconv.Itoa(c.unitID()) == unitID && s.hanweb(c) {
				return s, c
			}
		}
	}
	return nil, nil
}

// serveProxy answers dataproxy.jsp as Hanweb JCMS does: the records
// startrecord to endrecord (the POST of newer jpage; parameters from the
// query or the form), or group page=N (the GET of the nextgroup link), of
// the column columnid/unitid, as XML in the unit's charset.
func (d *District) serveProxy(h *host, w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	s, c := d.hanwebColumn(h, r.Form.Get("columnid"), r.Form.Get("unitid"))
	if c == nil {
		d.notFound(w)
		return
	}
	items := c.listed()
	start, err1 := strconv.Atoi(r.Form.Get("startrecord"))
	end, err2 := strconv.Atoi(r.Form.Get("endrecord"))
	if err1 != nil || err2 != nil {
		p, err := strconv.Atoi(r.Form.Get("page"))
		if err != nil || p < 1 {
			http.Error(w, "bad range", http.StatusBadRequest)
			return
		}
		start, end = (p-1)*c.group()+1, p*c.group()
	}
	if start < 1 || end < start {
		http.Error(w, "bad range", http.StatusBadRequest)
		return
	}
	enc := "UTF-8"
	if s.enc != encUTF8 {
		enc = "GBK"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "<?xml version=\"1.0\" encoding=\"%s\"?>\n<datastore>\n<totalrecord>%d</totalrecord>\n<recordset>\n", enc, len(items))
	for i := start; i <= min(end, len(items)); i++ {
		b.WriteString(s.hanwebRecord(items[i-1]))
	}
	b.WriteString("</recordset>\n</datastore>\n")
	data := []byte(b.String())
	ctype := "text/xml;charset=UTF-8"
	if s.enc != encUTF8 {
		gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes(data)
		if err != nil {
			http.Error(w, "sim: answer not encodable in GBK: "+err.Error(), http.StatusInternalServerError)
			return
		}
		data, ctype = gbk, "text/xml" // the charset only in the declaration
		if s.enc == encGBKHeader {
			ctype = "text/xml;charset=GBK"
		}
	}
	d.write(w, r, ctype, data, d.lastModified(route{kind: rColumn, s: s, c: c}))
}

// jpageScript stands in for Hanweb's jpage.js.
const jpageScript = "/* jpage: renders the datastore of a Hanweb list and its pager */\n(function($){ $.fn.jpage = function(o){ return this; }; })(window.jQuery || {fn:{}});\n"
