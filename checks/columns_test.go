package checks

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"gkaudit/cndate"
	"gkaudit/site"
)

// Ensure that the records a Hanweb datastore ships inside a script are read
// as list items, with the declared total.
func TestDatastoreItems_Records(t *testing.T) {
	p := htmlPage("http://gov.example/col/col1/index.html", `<html><body><div id="1"><script type="text/xml"><datastore>
<totalrecord>2</totalrecord><recordset>
<record><![CDATA[<li><a href="/art/2019/3/5/art_1_1.html">关于开展2019年度安全生产大检查的通知</a><span>2019-03-05</span></li>]]></record>
<record><![CDATA[<li><a href="/art/2019/2/1/art_1_2.html">关于做好春节期间值班工作的通知</a><span>2019-02-01</span></li>]]></record>
</recordset></datastore></script></div></body></html>`)
	items, total := datastoreItems(p)
	if total != 2 || len(items) != 2 {
		t.Fatalf("datastoreItems = %d items (total %d), want 2 (total 2): %+v", len(items), total, items)
	}
	if items[0].URL != "http://gov.example/art/2019/3/5/art_1_1.html" || items[0].Date.Format("2006-01-02") != "2019-03-05" {
		t.Errorf("datastoreItems[0] = %+v, want the first record with its date", items[0])
	}
	if got, _ := datastoreItems(htmlPage("http://gov.example/a.html", `<ul><li><a href="/x.html">一条普通的列表条目标题文字</a></li></ul>`)); got != nil {
		t.Errorf("datastoreItems(no datastore) = %+v, want none", got)
	}
}

// Ensure that day counts go by calendar dates, whatever the clock time and
// zone of the as-of instant.
func TestDaysFromTo(t *testing.T) {
	item := time.Date(2019, 12, 31, 0, 0, 0, 0, cndate.Shanghai)
	for _, tt := range []struct {
		asOf time.Time
		want int
	}{
		{time.Date(2020, 3, 1, 0, 0, 0, 0, time.UTC), 61},
		{time.Date(2020, 3, 1, 23, 30, 0, 0, time.UTC), 61},
		{time.Date(2020, 3, 1, 0, 10, 0, 0, cndate.Shanghai), 61},
		{time.Date(2019, 12, 31, 9, 0, 0, 0, cndate.Shanghai), 0},
	} {
		if got := daysFromTo(item, tt.asOf); got != tt.want {
			t.Errorf("daysFromTo(2019-12-31, %s) = %d, want %d", tt.asOf, got, tt.want)
		}
	}
}

// Ensure that the datastore and content-block readers never panic on odd
// markup.
func FuzzColumnPage(f *testing.F) {
	f.Add(`<script type="text/xml"><datastore><totalrecord>0</totalrecord><recordset></recordset></datastore></script>`)
	f.Add(`<datastore><record><![CDATA[<tr><td><a href="/a.html">标题标题标题标题标题标题</a></td><td>2019-01-01</td></tr>]]></record></datastore>`)
	f.Add(`<ul><li><a href="x">暂无信息</a></li></ul><form><input><input></form><p>共0条</p>`)
	f.Add(`<record><![CDATA[<a href=]]></record><totalrecord>99999999999999999999</totalrecord>`)
	f.Add(fmt.Sprintf(hanwebColumn, 50))
	f.Add(trsColumn(0, 3))
	f.Add(`<ul id="list"></ul><script>$.ajax({url:"/api/list"});</script>`)
	f.Fuzz(func(t *testing.T, body string) {
		p := &site.Page{URL: "http://gov.example/xxgk/lm/index.html", Status: 200, Body: []byte(body)}
		datastoreItems(p)
		b := contentBlocksOf(p)
		emptyListMarker(b.text, nil, columnEmptyTerms["column.empty.markers"])
		s := &site.Snapshot{Entry: testEntry, Pages: []*site.Page{entryPage(testEntry, site.Link{URL: p.URL, Text: "栏目"}), withLinks(p)},
			Columns: []site.Column{{Kind: "notice", Name: "栏目", URL: p.URL}}}
		ColumnEmpty(s, testEnv())
		ColumnStale(s, testEnv())
		DisclosedItems(s, testEnv())
	})
}

// hanwebColumn is a Hanweb column page whose records all come from
// dataproxy.jsp (an empty datastore, the count in the jpage call), as
// testdata/column.empty/na_hanweb_proxy_only.html.
const hanwebColumn = `<html><body><div class="bt">通知公告</div><div id="4512377"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=12&path=/&columnid=1229577&unitid=4512377&permissiontype=0"></a>]]></nextgroup>
<recordset></recordset></datastore></script></div>
<script language="javascript" src="/module/web/jpage/jpage.js"></script>
<script>$('#4512377').jpage({perPage: 15, totalRecord: %d});</script></body></html>`

// proxyAnswer is a dataproxy.jsp answer holding records from to to, dated
// back from 2020-02-20 (the real proxy's XML: a datastore of CDATA records).
func proxyAnswer(u string, from, to int) *site.Page {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<datastore>\n<recordset>\n")
	for i := from; i <= to; i++ {
		d := time.Date(2020, 2, 20, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -i)
		fmt.Fprintf(&b, "<record><![CDATA[<li><a href=\"/art/2020/1/1/art_1229577_%d.html\" title=\"关于第%d期工作安排的通知\">关于第%d期工作安排的通知</a><span>%s</span></li>]]></record>\n", i, i, i, d.Format("2006-01-02"))
	}
	b.WriteString("</recordset>\n</datastore>\n")
	return &site.Page{URL: u, FinalURL: u, Status: 200, ContentType: "text/xml", Body: []byte(b.String()), Attempts: 1}
}

// Ensure that a Hanweb column's records come from the dataproxy answers the
// crawl stored, that the column then counts as read whole, and that a
// missing answer makes it unread: column.empty says na, not fail.
func TestColumnList_HanwebDataproxy(t *testing.T) {
	col := htmlPage(staleColumnURL, fmt.Sprintf(hanwebColumn, 50))
	ans1 := proxyAnswer("http://gov.example/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=45&perpage=15&columnid=1229577&unitid=4512377", 1, 45)
	ans2 := proxyAnswer("http://gov.example/module/web/jpage/dataproxy.jsp?startrecord=46&endrecord=50&perpage=15&columnid=1229577&unitid=4512377", 46, 50)
	s := staleSnapshot("notice", col, ans1, ans2)
	if items := columnList(s, staleColumnURL); len(items) != 50 {
		t.Fatalf("columnList = %d items, want 50", len(items))
	}
	if why := unreadList(s, staleColumnURL, 50); why != "" {
		t.Errorf("unreadList = %q, want read whole", why)
	}
	if pages := ColumnPages(s, staleColumnURL); len(pages) != 3 {
		t.Errorf("ColumnPages = %d pages, want the column and its 2 answers", len(pages))
	}
	f := onlyStatus(t, ColumnStale(s, testEnv()))
	if f.Status != Pass || !strings.Contains(f.Detail, "2020-02-19") {
		t.Errorf("ColumnStale = %v (%s), want pass on the newest record 2020-02-19", f.Status, f.Detail)
	}

	// column.empty sees the records of the answers: not a blank column.
	es := emptySnapshot(htmlPage(emptyColumnURL, fmt.Sprintf(hanwebColumn, 50)), "keyarea.budget",
		proxyAnswer("http://gov.example/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=45&perpage=15&columnid=1229577&unitid=4512377", 1, 45),
		proxyAnswer("http://gov.example/module/web/jpage/dataproxy.jsp?startrecord=46&endrecord=50&perpage=15&columnid=1229577&unitid=4512377", 46, 50))
	if f := onlyStatus(t, ColumnEmpty(es, testEnv())); f.Status != Pass {
		t.Errorf("ColumnEmpty(answers fetched) = %v (%s), want pass", f.Status, f.Detail)
	}

	// Without the second answer: 45 of 50 read, and without any, nothing.
	s = staleSnapshot("notice", col, ans1)
	if why := unreadList(s, staleColumnURL, 45); !strings.Contains(why, "共 50 条，仅读取到 45 条") {
		t.Errorf("unreadList(one answer) = %q", why)
	}
	s = emptySnapshot(htmlPage(emptyColumnURL, fmt.Sprintf(hanwebColumn, 50)), "keyarea.budget")
	f = onlyStatus(t, ColumnEmpty(s, testEnv()))
	if f.Status != NA || !strings.Contains(f.Detail, "请人工核查") {
		t.Errorf("ColumnEmpty(no answers) = %v (%s), want na saying to check by hand", f.Status, f.Detail)
	}
}

// trsColumn is a TRS WCM list page: a table of entries and the pager script
// createPageHTML(countPage, currentPage, "index", "html").
func trsColumn(page, count int) string {
	var b strings.Builder
	b.WriteString(`<html><body><table class="list_table">`)
	for i := 0; i < 3; i++ {
		n := page*3 + i
		fmt.Fprintf(&b, `<tr><td><a href="./201912/t20191203_%d.html">关于第%d期工作安排的通知公告</a></td><td>2019-12-%02d</td></tr>`, n, n, 20-n)
	}
	fmt.Fprintf(&b, "</table><script>\nvar currentPage = %d;//所在页从0开始\nvar countPage = %d//共多少页\ncreatePageHTML(countPage, currentPage, \"index\", \"html\");\n</script></body></html>", page, count)
	return b.String()
}

// Ensure that the static pages a TRS pager names join the column, and that
// a page not fetched makes the list unread.
func TestColumnList_TRSPager(t *testing.T) {
	dir := "http://gov.example/xxgk/lm/"
	p1, p2 := htmlPage(dir+"index_1.html", trsColumn(1, 3)), htmlPage(dir+"index_2.html", trsColumn(2, 3))
	s := staleSnapshot("notice", htmlPage(staleColumnURL, trsColumn(0, 3)), p1, p2)
	if items := columnList(s, staleColumnURL); len(items) != 9 {
		t.Errorf("columnList = %d items, want 9 over 3 pages", len(items))
	}
	if why := unreadList(s, staleColumnURL, 9); why != "" {
		t.Errorf("unreadList = %q, want read whole", why)
	}
	s = staleSnapshot("notice", htmlPage(staleColumnURL, trsColumn(0, 3)), p1)
	if why := unreadList(s, staleColumnURL, 6); !strings.Contains(why, "共 3 页，仅读取到 2 页") {
		t.Errorf("unreadList(page 2 missing) = %q", why)
	}
}

// Ensure that a page's items include its datastore's records and a
// dataproxy answer's, each once.
func TestPageItems(t *testing.T) {
	ans := proxyAnswer("http://gov.example/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=3&perpage=15&columnid=1&unitid=2", 1, 3)
	if got := PageItems(ans); len(got) != 3 || got[0].URL != "http://gov.example/art/2020/1/1/art_1229577_1.html" {
		t.Errorf("PageItems(dataproxy answer) = %+v, want its 3 records", got)
	}
	if got := ListItems(ans); len(got) != 0 {
		t.Errorf("ListItems(dataproxy answer) = %+v, want none (records are CDATA)", got)
	}
}
