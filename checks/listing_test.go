package checks

import (
	"testing"

	"gkaudit/site"
)

// Ensure that a column's items are gathered over its pagination pages.
func TestColumnItems_Paginated(t *testing.T) {
	page := func(u, body string, links ...site.Link) *site.Page {
		return &site.Page{URL: u, Status: 200, Body: []byte(body), Links: links}
	}
	s := &site.Snapshot{Pages: []*site.Page{
		page("http://g.example/col/col1/index.html", `<ul><li><a href="/art/1.html">第一条通知的标题很长很长</a> 2019-01-01</li></ul><a href="index_2.html">下一页</a>`,
			site.Link{URL: "http://g.example/col/col1/index_2.html", Text: "下一页"}),
		page("http://g.example/col/col1/index_2.html", `<ul><li><a href="/art/2.html">第二条通知的标题很长很长</a> 2018-01-01</li></ul>`),
	}}
	items := ColumnItems(s, "http://g.example/col/col1/index.html")
	if len(items) != 2 {
		t.Errorf("ColumnItems = %+v, want the items of both pages", items)
	}
}
