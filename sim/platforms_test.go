package sim

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"gkaudit/platform"
)

func request(t *testing.T, method, u, form string) (*http.Response, []byte) {
	t.Helper()
	var resp *http.Response
	var err error
	if method == http.MethodPost {
		resp, err = http.Post(u, "application/x-www-form-urlencoded; charset=UTF-8", strings.NewReader(form))
	} else {
		resp, err = http.Get(u)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, body
}

// Ensure that the Hanweb units list a long column as JCMS does: the first
// group in the page's datastore with the page's total and no pager links,
// the rest from POST dataproxy.jsp in the real XML shape and in the unit's
// charset, every item exactly once over the page and the answers.
func TestHanwebColumns(t *testing.T) {
	d := startDemo(t)
	seen := map[bool]int{} // answers checked, by GBK
	for _, s := range d.units {
		for _, c := range s.cols {
			if !s.hanweb(c) || c.proxyRequests() == 0 {
				continue
			}
			resp, page := request(t, http.MethodGet, s.url(c.path), "")
			if resp.StatusCode != 200 {
				t.Fatalf("%s: %d", c.path, resp.StatusCode)
			}
			if s.enc != encUTF8 {
				page, _ = simplifiedchinese.GBK.NewDecoder().Bytes(page)
			}
			h, found := platform.ParseHanweb(page)
			if !found || !h.Readable() || h.Total != len(c.items) || h.First != c.group() {
				t.Fatalf("%s %s: ParseHanweb = %+v, %v; want %d records, %d in the page", s.u.ID, c.path, h, found, len(c.items), c.group())
			}
			if bytes.Contains(page, []byte("pageNum=")) {
				t.Errorf("%s %s: a Hanweb list page links its ?pageNum= pages", s.u.ID, c.path)
			}
			base, _ := url.Parse(s.url(c.path))
			recs0, _ := platform.Records(page)
			got := len(recs0)
			rs := h.Remaining(100)
			if len(rs) != c.proxyRequests() {
				t.Errorf("%s %s: %d ranges, want %d", s.u.ID, c.path, len(rs), c.proxyRequests())
			}
			for _, r := range rs {
				u, _ := h.RequestURL(base, r)
				resp, ans := request(t, http.MethodPost, u, h.FormBody())
				if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/xml") {
					t.Fatalf("%s: %d %s", u, resp.StatusCode, resp.Header.Get("Content-Type"))
				}
				gbk := bytes.Contains(ans, []byte(`encoding="GBK"`))
				if gbk != (s.enc != encUTF8) {
					t.Errorf("%s: GBK answer = %v for a unit with encoding %v", u, gbk, s.enc)
				}
				if gbk {
					ans, _ = simplifiedchinese.GBK.NewDecoder().Bytes(ans)
				}
				recs, total := platform.Records(ans)
				if total != len(c.items) || len(recs) != r.End-r.Start+1 {
					t.Errorf("%s: %d records (total %d), want %d (total %d)", u, len(recs), total, r.End-r.Start+1, len(c.items))
				}
				for i, rec := range recs {
					if it := c.items[r.Start-1+i]; !strings.Contains(rec, it.path) {
						t.Errorf("%s: record %d is not item %s", u, r.Start+i, it.path)
					}
				}
				got += len(recs)
				seen[gbk]++
			}
			if got != len(c.items) {
				t.Errorf("%s %s: %d records over page and answers, want %d", s.u.ID, c.path, got, len(c.items))
			}
		}
	}
	if seen[false] == 0 {
		t.Errorf("no UTF-8 dataproxy answer checked: %v", seen)
	}
	t.Logf("dataproxy answers checked, by GBK: %v", seen)
	// A form naming no column of the portal is not found.
	if resp, _ := request(t, http.MethodPost, d.portal.base+proxyPath+"?startrecord=1&endrecord=10&perpage=10", "columnid=1&unitid=2"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("dataproxy for an unknown column = %d, want 404", resp.StatusCode)
	}
}

// Ensure that the TRS units write their pager with createPageHTML, without
// links, and serve every page it names.
func TestTRSColumns(t *testing.T) {
	d := startDemo(t)
	checked := 0
	for _, s := range d.units {
		for _, c := range s.cols {
			if !s.trs(c) || c.pageCount() < 2 {
				continue
			}
			_, page := request(t, http.MethodGet, s.url(c.path), "")
			if s.enc != encUTF8 {
				page, _ = simplifiedchinese.GBK.NewDecoder().Bytes(page)
			}
			p, ok := platform.ParseTRSPager(page)
			if !ok || p.Count != c.pageCount() || p.Current != 0 {
				t.Fatalf("%s %s: ParseTRSPager = %+v, %v; want %d pages", s.u.ID, c.path, p, ok, c.pageCount())
			}
			if bytes.Contains(page, []byte(`href="./index_1.html"`)) || bytes.Contains(page, []byte(`index_1.html"`)) {
				t.Errorf("%s %s: the TRS page links index_1.html itself", s.u.ID, c.path)
			}
			base, _ := url.Parse(s.url(c.path))
			for _, u := range p.PageURLs(base, 100) {
				if resp, _ := request(t, http.MethodGet, u, ""); resp.StatusCode != 200 {
					t.Errorf("%s: %d", u, resp.StatusCode)
				}
				checked++
			}
		}
	}
	if checked == 0 {
		t.Error("no TRS page checked")
	}
}
