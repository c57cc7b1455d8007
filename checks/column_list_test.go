package checks

import (
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
