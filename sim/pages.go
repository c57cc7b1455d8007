package sim

import (
	"fmt"
	"path"
	"strings"
	"time"
)

// pageCount is the number of list pages of a column (1 for an empty list).
func (c *column) pageCount() int {
	if c.kind.single() || c.kind == kGuide && !c.guideDoc {
		return 1
	}
	n := len(c.listed())
	return max(1, (n+c.pageSize-1)/c.pageSize)
}

// listed is what the column's list pages show.
func (c *column) listed() []*item { return c.items }

// pagePath is the URL (path and query) of list page i (0-based) of c.
func (s *unitSite) pagePath(c *column, i int) string {
	if i == 0 {
		return c.path
	}
	dir := path.Dir(c.path) + "/"
	switch {
	case s.own:
		return fmt.Sprintf("%sindex_%d.html", dir, i)
	case s.tpl == 0:
		return fmt.Sprintf("%s?uid=%d&pageNum=%d", c.path, 5000000+c.id, i+1)
	}
	return fmt.Sprintf("%sindex_%d.html", dir, i+1)
}

// pager renders the links between list pages.
func (s *unitSite) pager(c *column, i, n int) string {
	if n <= 1 {
		return ""
	}
	if s.trs(c) {
		return trsPager(i, n)
	}
	self := s.pagePath(c, i)
	var b strings.Builder
	switch s.tpl {
	case 0:
		fmt.Fprintf(&b, `<div class="page">共%d条记录 第%d/%d页 `, len(c.items), i+1, n)
	case 1:
		fmt.Fprintf(&b, `<div class="page">第%d页 共%d页 `, i+1, n)
	default:
		b.WriteString(`<nav class="pager">`)
	}
	link := func(j int, text string) {
		fmt.Fprintf(&b, `<a href="%s">%s</a> `, s.href(self, s.pagePath(c, j)), text)
	}
	if i > 0 {
		link(0, "首页")
		link(i-1, "上一页")
	}
	if i < n-1 {
		link(i+1, "下一页")
		link(n-1, "尾页")
	}
	if s.tpl == 2 {
		b.WriteString("</nav>")
	} else {
		b.WriteString("</div>")
	}
	return b.String()
}

// renderColumn renders list page i of c.
func (d *District) renderColumn(s *unitSite, c *column, i int) string {
	self := s.pagePath(c, i)
	items := c.listed()
	lo, hi := min(i*c.pageSize, len(items)), min((i+1)*c.pageSize, len(items))
	var b strings.Builder
	fmt.Fprintf(&b, `<h2 class="col-title">%s</h2>`+"\n", esc(c.name))
	switch c.kind {
	case kOrg, kLeaders:
		b.WriteString(d.orgContent(s, c))
	case kApply:
		b.WriteString(d.applyContent(s, self))
	case kGuide:
		if c.guideDoc {
			b.WriteString(s.list(self, items))
		} else {
			b.WriteString(d.guideContent(s, self))
		}
	case kCatalog:
		b.WriteString(d.catalogContent(s, self, lo, hi))
	default:
		if i == 0 && s.hanweb(c) {
			b.WriteString(s.hanwebList(c))
			break
		}
		b.WriteString(s.list(self, items[lo:hi]))
	}
	if !(i == 0 && s.hanweb(c)) { // jpage writes a Hanweb list's pager
		b.WriteString(s.pager(c, i, c.pageCount()))
	}
	if c.kind == kNews && i == 0 {
		b.WriteString(d.trapLinks(s, self))
	}
	return d.layout(s, page{title: c.name, col: c, self: self, content: b.String()})
}

// trapLinks are the links to the unit's trap pages, shown on its news column.
func (d *District) trapLinks(s *unitSite, self string) string {
	var b strings.Builder
	for _, e := range s.extra {
		text := map[string]string{"loopA": "往期专题回顾", "huge": "历年动态数据汇总（全量）", "calendar": "每日动态"}[e.kind]
		if text != "" {
			fmt.Fprintf(&b, `<p class="zt"><a href="%s">%s</a></p>`, s.href(self, e.path), text)
		}
	}
	return b.String()
}

// catalogued returns the unit's catalogued documents, newest first.
func (s *unitSite) catalogued() []*item {
	var out []*item
	for _, it := range s.items {
		if it.col.kind.catalogued() {
			out = append(out, it)
		}
	}
	sortNewest(out)
	return out
}

// catalogContent is the 法定主动公开内容 page: the sub-columns it groups and
// the directory of documents (索引号, 名称, 生成日期) of Art. 12.
func (d *District) catalogContent(s *unitSite, self string, lo, hi int) string {
	var b strings.Builder
	b.WriteString(`<div class="sub-cols">`)
	for _, c := range s.cols {
		if c.kind.catalogued() || c.kind == kOrg || c.kind == kInterp {
			fmt.Fprintf(&b, `<a href="%s">%s</a> `, s.href(self, c.path), esc(c.name))
		}
	}
	b.WriteString("</div>\n<h3>政府信息公开目录</h3>\n<table class=\"catalog\" border=\"1\"><tr><th>索引号</th><th>名称</th><th>生成日期</th></tr>")
	docs := s.column(kCatalog).items
	for _, it := range docs[lo:hi] {
		fmt.Fprintf(&b, "\n<tr><td>%s</td><td><a href=\"%s\">%s</a></td><td>%s</td></tr>", it.index, s.href(self, it.path), esc(it.title), fmtDate(it.written, dDash))
	}
	if len(docs) == 0 {
		b.WriteString(`<tr><td colspan="3">暂无信息</td></tr>`)
	}
	b.WriteString("\n</table>")
	return b.String()
}

// renderEntry renders the unit's 信息公开 entry page.
func (d *District) renderEntry(s *unitSite) string {
	var b strings.Builder
	self := s.entry
	fmt.Fprintf(&b, "<h2>%s政府信息公开</h2>\n<div class=\"xxgk-top\">", esc(fullName(s.u.Name)))
	for _, c := range s.cols {
		switch c.kind {
		case kGuide, kRules, kReport, kApply:
			fmt.Fprintf(&b, `<div class="box"><a href="%s">%s</a></div>`, s.href(self, c.path), esc(c.name))
		case kCatalog:
			fmt.Fprintf(&b, `<div class="box"><a href="%s">政府信息公开目录</a></div>`, s.href(self, c.path))
		}
	}
	b.WriteString("</div>\n")
	if c := s.column(kCatalog); c != nil {
		fmt.Fprintf(&b, `<div class="fdzdgk"><h3><a href="%s">%s</a></h3><ul>`, s.href(self, c.path), esc(c.name))
	} else {
		b.WriteString(`<div class="fdzdgk"><h3>信息公开栏目</h3><ul>`)
	}
	for _, c := range s.cols {
		switch c.kind {
		case kGuide, kRules, kReport, kApply, kCatalog, kNews:
			continue
		}
		fmt.Fprintf(&b, `<li><a href="%s">%s</a></li>`, s.href(self, c.path), esc(c.name))
	}
	b.WriteString("</ul></div>\n")
	if c := s.column(kNews); c != nil {
		fmt.Fprintf(&b, `<div class="box news"><h3><a href="%s">%s</a></h3>`, s.href(self, c.path), esc(c.name))
		b.WriteString(s.list(self, c.items[:min(5, len(c.items))]))
		b.WriteString("</div>\n")
	}
	if !s.def.noMedia && s.v.media == 2 {
		fmt.Fprintf(&b, `<div class="box xmt"><h3>政务新媒体</h3><a href="%s">官方微博</a> <a href="%s">微信公众号</a></div>`,
			d.extURL("weibo.com/blq"+s.u.ID), d.extURL("mp.weixin.qq.com/s/bl_"+s.u.ID))
	}
	return d.layout(s, page{title: "信息公开", self: self, here: "", content: b.String()})
}

// renderHome is the home page of an own-host unit: recent news with short
// dates and a link into the disclosure column.
func (d *District) renderHome(s *unitSite) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<div class="home"><h2>欢迎访问%s</h2><p><a href="%s">政府信息公开</a></p><ul class="latest">`, esc(fullName(s.u.Name)), s.entry)
	if c := s.column(kNews); c != nil {
		for _, it := range c.items[:min(6, len(c.items))] {
			fmt.Fprintf(&b, `<li><a href="%s">%s</a>%s</li>`, it.path, esc(it.title), fmtDate(it.date, dBracket))
		}
	}
	b.WriteString("</ul></div>")
	return d.layout(s, page{title: "首页", self: "/index.html", here: "", content: b.String()})
}

// renderPortalHome is the shared portal's home: the directory of the
// departments' disclosure columns.
func (d *District) renderPortalHome() string {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>北仑区人民政府 政府信息公开</title></head>\n<body>\n<h1>北仑区人民政府</h1>\n<div class=\"bmxxgk\"><h2>部门信息公开</h2><ul>")
	for _, s := range d.units {
		if s.h == d.portal {
			fmt.Fprintf(&b, "\n<li><a href=\"%s\">%s</a></li>", s.entry, esc(s.u.Name))
		}
	}
	b.WriteString("\n</ul></div>\n</body></html>\n")
	return b.String()
}

// renderCalendar is one day of the endless 每日动态 calendar: the unit's
// latest news and links to the day before and after, for ever.
func (d *District) renderCalendar(s *unitSite, self string, day time.Time) string {
	var b strings.Builder
	base := path.Base(self)
	fmt.Fprintf(&b, `<h2>每日动态 %s</h2><p><a href="%s?date=%s">前一天</a> <a href="%s?date=%s">后一天</a></p>`,
		day.Format("2006-01-02"), base, day.AddDate(0, 0, -1).Format("2006-01-02"), base, day.AddDate(0, 0, 1).Format("2006-01-02"))
	news := s.column(kNews)
	b.WriteString(s.list(self, news.items[:min(3, len(news.items))]))
	return d.layout(s, page{title: "每日动态", col: news, here: "每日动态", self: self, content: b.String()})
}

func (d *District) renderForm(s *unitSite, self string) string {
	content := `<h2>政府信息公开网上申请</h2><form method="post" action="apply.do"><p>申请人姓名：<input name="name"></p><p>联系电话：<input name="tel"></p><p>所需信息的内容描述：<textarea name="desc"></textarea></p><p>获取信息的方式：<select name="way"><option>邮寄</option><option>电子邮件</option><option>自行领取</option></select></p><input type="submit" value="提交申请"></form>`
	return d.layout(s, page{title: "网上申请", col: s.column(kApply), here: "网上申请", self: self, content: content})
}
