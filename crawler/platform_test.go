package crawler

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// hanwebRecord is one record of a Hanweb datastore, as real JCMS list pages
// and dataproxy.jsp answers carry it (<li><a …>标题</a><span>日期</span></li>).
func hanwebRecord(col, i int) string {
	return fmt.Sprintf(`<record><![CDATA[<li><a href="/art/2019/12/%d/art_%d_%d.html" title="关于第%d号文件的通知" target="_blank">关于第%d号文件的通知</a><span class="bt-data-time">2019-12-%02d</span></li>]]></record>`,
		1+i%28, col, 1000+i, i, i, 1+i%28)
}

// hanwebListPage is a JCMS column page shaped as public Hanweb sites serve
// them (e.g. jsgzw.jiangsu.gov.cn/col/col61490/index.html): the first group of
// records in <div id="{unitid}"><script type="text/xml"><datastore>, the
// nextgroup link naming the proxy's parameters, then the jpage script.
func hanwebListPage(col, unit, total, first int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<html><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8"/><title>政策文件</title></head><body><div class="main">`)
	fmt.Fprintf(&b, `<div id="%d"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=39&path=/&columnid=%d&unitid=%d&webname=%%E6%%B5%%8B%%E8%%AF%%95&permissiontype=0"></a>]]></nextgroup><recordset>`, unit, col, unit)
	for i := 1; i <= first; i++ {
		b.WriteString(hanwebRecord(col, i))
	}
	fmt.Fprintf(&b, `</recordset><totalrecord>%d</totalrecord></datastore></script></div>`, total)
	fmt.Fprintf(&b, `<script language="javascript" src="/module/web/jpage/jpage.js"></script><script>$(function(){$('#%d').jpage({dataStore:'', perPage:15, totalRecord:%d, proxyUrl:'/module/web/jpage/dataproxy.jsp', ajaxParam:{col:1,appid:1,webid:39,path:'/',columnid:%d,sourceContentType:1,unitid:%d,webname:'测试',permissiontype:0}});});</script>`, unit, total, col, unit)
	b.WriteString(`</div></body></html>`)
	return b.String()
}

// dataproxy answers POST /module/web/jpage/dataproxy.jsp?startrecord=&endrecord=&perpage=
// with the records of that range, in the XML shape of the real proxy
// (<?xml …?><datastore><recordset><record><![CDATA[…]]></record>…), and
// records the forms it was sent.
type dataproxy struct {
	mu     sync.Mutex
	forms  []string
	gbk    bool
	totals map[string]int // columnid -> records
}

func (d *dataproxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "method", http.StatusMethodNotAllowed)
		return
	}
	if err := r.ParseForm(); err != nil {
		http.Error(w, "form", http.StatusBadRequest)
		return
	}
	d.mu.Lock()
	d.forms = append(d.forms, r.PostForm.Encode())
	d.mu.Unlock()
	q := r.URL.Query()
	start, _ := strconv.Atoi(q.Get("startrecord"))
	end, _ := strconv.Atoi(q.Get("endrecord"))
	colID := r.PostForm.Get("columnid")
	total := d.totals[colID]
	if start < 1 || end < start || r.PostForm.Get("unitid") == "" || total == 0 {
		http.Error(w, "params", http.StatusBadRequest)
		return
	}
	col, _ := strconv.Atoi(colID)
	enc := "UTF-8"
	if d.gbk {
		enc = "GBK"
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="%s"?>`+"\n<datastore>\n<totalrecord>%d</totalrecord>\n<recordset>\n", enc, total)
	for i := start; i <= min(end, total); i++ {
		b.WriteString(hanwebRecord(col, i) + "\n")
	}
	b.WriteString("</recordset>\n</datastore>\n")
	body := []byte(b.String())
	if d.gbk {
		body, _ = simplifiedchinese.GBK.NewEncoder().Bytes(body)
		w.Header().Set("Content-Type", "text/xml") // the charset only in the declaration
	} else {
		w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
	}
	w.Write(body)
}

// Ensure that a Hanweb column is read whole: the records beyond the page's
// datastore are POSTed for in jpage's groups with the page's form, each answer
// is a page of the snapshot, and the articles in the answers are followed —
// for UTF-8 and for GBK answers that name their charset only in the XML
// declaration.
func TestCrawl_HanwebDataproxy(t *testing.T) {
	for _, gbk := range []bool{false, true} {
		t.Run(fmt.Sprintf("gbk=%v", gbk), func(t *testing.T) {
			dp := &dataproxy{gbk: gbk, totals: map[string]int{"1229": 100}}
			mux := http.NewServeMux()
			mux.HandleFunc("/col/col1229/index.html", func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				fmt.Fprint(w, hanwebListPage(1229, 4436, 100, 45))
			})
			mux.Handle("/module/web/jpage/dataproxy.jsp", dp)
			mux.HandleFunc("/art/", htmlPage("文章", "<p>正文</p>"))
			srv := newServer(t, mux)
			pol := testPolicy()
			pol.MaxPagesPerUnit = 200
			s := mustCrawl(t, srv.URL+"/col/col1229/index.html", Options{Policy: pol})

			want := []string{
				"/module/web/jpage/dataproxy.jsp?startrecord=46&endrecord=90&perpage=15&columnid=1229&unitid=4436",
				"/module/web/jpage/dataproxy.jsp?startrecord=91&endrecord=100&perpage=15&columnid=1229&unitid=4436",
			}
			for _, w := range want {
				p := pageByPath(s, w)
				if p == nil || !p.OK() {
					t.Fatalf("dataproxy page %s not fetched; pages: %v", w, pageURLs(s))
				}
				if !strings.Contains(string(p.Body), "关于第9") {
					t.Errorf("%s body not decoded: %.200q", w, p.Body)
				}
				// The evidence holds the form posted, as sent.
				if n := len(p.Exchanges); n == 0 || p.Exchanges[n-1].Request.Method != "POST" ||
					!strings.Contains(p.Exchanges[n-1].Request.Body, "columnid=1229") || p.Exchanges[n-1].Request.Header.Get("Content-Length") == "" {
					t.Errorf("%s exchanges = %+v, want the POST with its form and Content-Length", w, p.Exchanges)
				}
			}
			// The last record's article (record 100, only in the second answer).
			if p := pageByPath(s, "/art/2019/12/17/art_1229_1100.html"); p == nil || !p.OK() {
				t.Errorf("article of record 100 not followed; pages: %v", pageURLs(s))
			}
			arts := 0
			for _, p := range s.Pages {
				if strings.HasPrefix(pathOf(p.URL), "/art/") {
					arts++
				}
			}
			if arts != 100 {
				t.Errorf("articles fetched = %d, want 100", arts)
			}
			dp.mu.Lock()
			defer dp.mu.Unlock()
			if len(dp.forms) != 2 {
				t.Fatalf("dataproxy POSTs = %d, want 2", len(dp.forms))
			}
			for _, f := range dp.forms {
				for _, kv := range []string{"col=1", "appid=1", "webid=39", "columnid=1229", "unitid=4436", "permissiontype=0", "sourceContentType=1"} {
					if !strings.Contains(f, kv) {
						t.Errorf("form %q lacks %s", f, kv)
					}
				}
			}
		})
	}
}

// Ensure that the dataproxy requests respect the page budget: with room for
// the list page and one more page, only the first range is asked for.
func TestCrawl_HanwebPageBudget(t *testing.T) {
	dp := &dataproxy{totals: map[string]int{"1229": 100}}
	mux := http.NewServeMux()
	mux.HandleFunc("/col/col1229/index.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, hanwebListPage(1229, 4436, 100, 0)) // records only from the proxy
	})
	mux.Handle("/module/web/jpage/dataproxy.jsp", dp)
	srv := newServer(t, mux)
	pol := testPolicy()
	pol.MaxPagesPerUnit = 2
	s := mustCrawl(t, srv.URL+"/col/col1229/index.html", Options{Policy: pol})
	if len(s.Pages) != 2 {
		t.Fatalf("pages = %v, want the list and one dataproxy answer", pageURLs(s))
	}
	if !strings.Contains(s.StopReason, "page budget") {
		t.Errorf("StopReason = %q, want the page budget", s.StopReason)
	}
	if p := pageByPath(s, "/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=45&perpage=15&columnid=1229&unitid=4436"); p == nil {
		t.Errorf("first range not fetched: %v", pageURLs(s))
	}
}

// Ensure that robots.txt applies to the dataproxy requests like to any page.
func TestCrawl_HanwebRobots(t *testing.T) {
	dp := &dataproxy{totals: map[string]int{"1229": 100}}
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "User-agent: *\nDisallow: /module/\n")
	})
	mux.HandleFunc("/col/col1229/index.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, hanwebListPage(1229, 4436, 100, 45))
	})
	mux.Handle("/module/web/jpage/dataproxy.jsp", dp)
	mux.HandleFunc("/art/", htmlPage("文章", "<p>正文</p>"))
	srv := newServer(t, mux)
	s := mustCrawl(t, srv.URL+"/col/col1229/index.html", Options{})
	dp.mu.Lock()
	defer dp.mu.Unlock()
	if len(dp.forms) != 0 {
		t.Errorf("dataproxy asked %d times despite robots.txt", len(dp.forms))
	}
	skipped := 0
	for _, sk := range s.Skipped {
		if strings.Contains(sk.URL, "dataproxy.jsp") && sk.Reason == "robots.txt" {
			skipped++
		}
	}
	if skipped != 2 {
		t.Errorf("skipped dataproxy requests = %d, want 2: %+v", skipped, s.Skipped)
	}
}

// trsListPage is a TRS WCM list page as public TRS sites serve them: a static
// table of entries and the pager script createPageHTML(countPage,
// currentPage, "index", "html") that writes the links in the browser.
func trsListPage(page, count int, gbk bool) []byte {
	var b strings.Builder
	meta := `<meta charset="utf-8">`
	if gbk {
		meta = `<meta http-equiv="Content-Type" content="text/html; charset=gb2312">`
	}
	fmt.Fprintf(&b, `<!DOCTYPE html><html><head>%s<title>通知公告</title></head><body><div class="content"><table class="list_table">`, meta)
	for i := 0; i < 20; i++ {
		fmt.Fprintf(&b, `<tr><td><a href="./201912/t20191203_%d.html" target="_blank">关于开展第%d批次检查工作的通知公告</a></td><td>2019-12-03</td></tr>`, page*100+i, page*100+i)
	}
	fmt.Fprintf(&b, `</table><div class="page"><script type="text/javascript">
var currentPage = %d;//所在页从0开始
var prevPage = currentPage-1//上一页
var nextPage = currentPage+1//下一页
var countPage = %d//共多少页
createPageHTML(countPage, currentPage, "index", "html");
</script></div></div></body></html>`, page, count)
	if gbk {
		out, _ := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(b.String()))
		return out
	}
	return []byte(b.String())
}

// Ensure that a TRS column's static pages are derived from its
// createPageHTML arguments and fetched, GBK pages included, and their
// articles followed.
func TestCrawl_TRSPager(t *testing.T) {
	for _, gbk := range []bool{false, true} {
		t.Run(fmt.Sprintf("gbk=%v", gbk), func(t *testing.T) {
			mux := http.NewServeMux()
			mux.HandleFunc("/xxgk/tzgg/", func(w http.ResponseWriter, r *http.Request) {
				name := strings.TrimPrefix(r.URL.Path, "/xxgk/tzgg/")
				if strings.HasPrefix(name, "201912/") {
					htmlPage("文章", "<p>正文</p>")(w, r)
					return
				}
				page := 0
				if name != "" && name != "index.html" {
					n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(name, "index_"), ".html"))
					if err != nil || n < 1 || n >= 4 {
						http.NotFound(w, r)
						return
					}
					page = n
				}
				w.Header().Set("Content-Type", "text/html")
				w.Write(trsListPage(page, 4, gbk))
			})
			srv := newServer(t, mux)
			s := mustCrawl(t, srv.URL+"/xxgk/tzgg/index.html", Options{})
			for i := 1; i < 4; i++ {
				p := pageByPath(s, fmt.Sprintf("/xxgk/tzgg/index_%d.html", i))
				if p == nil || !p.OK() {
					t.Fatalf("index_%d.html not fetched: %v", i, pageURLs(s))
				}
				if !strings.Contains(string(p.Body), "通知公告") {
					t.Errorf("index_%d.html not decoded", i)
				}
			}
			if p := pageByPath(s, "/xxgk/tzgg/index_4.html"); p != nil {
				t.Errorf("index_4.html fetched beyond countPage")
			}
			if p := pageByPath(s, "/xxgk/tzgg/201912/t20191203_319.html"); p == nil || !p.OK() {
				t.Errorf("article of the last page not followed")
			}
		})
	}
}

// Ensure that under column scope (audit --url on a portal column) the
// dataproxy answers' articles are followed: the answer is the column's list,
// not a portal page outside the unit.
func TestCrawl_HanwebColumnScope(t *testing.T) {
	dp := &dataproxy{totals: map[string]int{"1229": 60}}
	mux := http.NewServeMux()
	mux.HandleFunc("/col/col1229/index.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, hanwebListPage(1229, 4436, 60, 15))
	})
	mux.Handle("/module/web/jpage/dataproxy.jsp", dp)
	mux.HandleFunc("/art/", htmlPage("文章", "<p>正文</p>"))
	srv := newServer(t, mux)
	s := mustCrawl(t, srv.URL+"/col/col1229/index.html", Options{ColumnScope: true})
	arts := 0
	for _, p := range s.Pages {
		if strings.HasPrefix(pathOf(p.URL), "/art/") && p.OK() {
			arts++
		}
	}
	if arts != 60 {
		t.Errorf("articles fetched under column scope = %d, want 60; pages: %v", arts, pageURLs(s))
	}
}
