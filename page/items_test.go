package page

import (
	"gkaudit/cndate"
	"testing"
	"time"
	"unicode/utf8"
)

func TestListItems(t *testing.T) {
	d := func(y, m, dd int) time.Time { return time.Date(y, time.Month(m), dd, 0, 0, 0, 0, cndate.Shanghai) }
	tests := []struct {
		name string
		html string
		want []Item
	}{
		{"ul with span dates", `<div class="nav"><a href="/">首页</a><a href="/xxgk/">信息公开</a></div>
			<div class="list"><ul>
			<li><a href="./201903/t20190305_1.html" title="关于印发北仑区2019年财政预算编制办法的通知">关于印发北仑区2019年财政预算…</a><span>2019-03-05</span></li>
			<li><a href="./201902/t20190210_2.html">区财政局2019年部门预算</a><span>[2019/02/10]</span></li>
			</ul><div class="page"><a href="index_1.html">下一页</a><a href="index_1.html">2</a></div></div>`,
			[]Item{{"关于印发北仑区2019年财政预算编制办法的通知", "http://gov.example/xxgk/zcwj/201903/t20190305_1.html", d(2019, 3, 5)},
				{"区财政局2019年部门预算", "http://gov.example/xxgk/zcwj/201902/t20190210_2.html", d(2019, 2, 10)}}},
		{"table rows", `<table><tr><th>标题</th><th>发布日期</th></tr>
			<tr><td><a href="/art/2019/4/1/art_1229_1.html">北仑区2018年度政府信息公开工作年度报告</a></td><td>2019年4月1日</td></tr></table>`,
			[]Item{{"北仑区2018年度政府信息公开工作年度报告", "http://gov.example/art/2019/4/1/art_1229_1.html", d(2019, 4, 1)}}},
		{"div cards", `<div class="cards"><div class="card"><a href="/a/1.html"><h3>关于征求《北仑区养老服务设施布局规划》意见的公告</h3></a><p class="date">发布时间：2019-11-20 09:30:00</p></div></div>`,
			[]Item{{"关于征求《北仑区养老服务设施布局规划》意见的公告", "http://gov.example/a/1.html", d(2019, 11, 20)}}},
		{"undated long titles in a list", `<ul class="gl"><li><a href="/x/1.html">北仑区审计局2019年部门预算公开说明</a></li><li><a href="/x/2.html">简介</a></li></ul>`,
			[]Item{{"北仑区审计局2019年部门预算公开说明", "http://gov.example/x/1.html", time.Time{}}}},
		{"empty column", `<div class="list"><p>暂无信息</p></div><div class="footer"><a href="/sitemap.html">网站地图网站地图网站地图网站地图</a> 2019-01-01</div>`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Read([]byte("<html><body>"+tt.html+"</body></html>"), "http://gov.example/xxgk/zcwj/index.html").Items
			if len(got) != len(tt.want) {
				t.Fatalf("ListItems(%s) = %+v, want %+v", tt.name, got, tt.want)
			}
			for i := range got {
				if got[i].Title != tt.want[i].Title || got[i].URL != tt.want[i].URL || !got[i].Date.Equal(tt.want[i].Date) {
					t.Errorf("ListItems(%s)[%d] = %+v, want %+v", tt.name, i, got[i], tt.want[i])
				}
			}
		})
	}
}

func FuzzListItems(f *testing.F) {
	f.Add([]byte(`<ul><li><a href="a.html">标题标题标题标题标题标题</a><span>2019-03-05</span></li></ul>`))
	f.Add([]byte(`<table><tr><td><a href="javascript:;">x</a></td></tr></table>`))
	addFixtureSeeds(f, "column.stale", "column.empty", "keyarea", "policy.validity")
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, it := range Read(body, "http://g.example/").Items {
			if !utf8.ValidString(it.Title) {
				t.Errorf("item title %q is not UTF-8", it.Title)
			}
		}
	})
}
