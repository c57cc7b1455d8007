package sim

import (
	"fmt"
	"html"
	"path"
	"strings"
	"time"
)

// The three page templates: 0 a Hanweb portal (tables, <ul> lists with
// <span> dates), 1 a TRS site (div layout, <table> lists), 2 a newer
// responsive CMS (cards).

// page is what a renderer hands to the layout.
type page struct {
	title   string
	col     *column // the column the page belongs to, for the breadcrumb
	here    string  // last breadcrumb entry when it is not the column
	self    string  // path of the page
	content string
}

// esc escapes text for HTML.
func esc(s string) string { return html.EscapeString(s) }

// href writes a link from the page at self to target: TRS sites link
// relatively inside a directory, the others by absolute path.
func (s *unitSite) href(self, target string) string {
	if s.own && strings.HasPrefix(target, "/") {
		dir := path.Dir(self) + "/"
		if rest, ok := strings.CutPrefix(target, dir); ok {
			return "./" + rest
		}
	}
	return target
}

func (s *unitSite) charsetMeta() string {
	switch s.enc {
	case encGBKHeader:
		return `<meta http-equiv="Content-Type" content="text/html; charset=gbk">`
	case encGBKEquiv:
		return `<meta http-equiv="Content-Type" content="text/html; charset=gb2312">`
	case encGBKMetaOnly:
		return `<meta charset="gbk">`
	}
	if s.tpl == 0 {
		return `<meta http-equiv="Content-Type" content="text/html; charset=UTF-8"/>`
	}
	return `<meta charset="utf-8">`
}

// layout wraps content in the unit's template: header, nav bar, breadcrumb,
// side menu of columns, footer.
func (d *District) layout(s *unitSite, p page) string {
	var b strings.Builder
	name := fullName(s.u.Name)
	entry := s.href(p.self, s.entry)
	ext := d.extURL("www.beilun.gov.cn/col/col1229023/index.html")
	crumb := func(sep string) {
		fmt.Fprintf(&b, `<a href="/">首页</a>%s<a href="%s">信息公开</a>`, sep, entry)
		if p.col != nil && p.self != p.col.path {
			fmt.Fprintf(&b, `%s<a href="%s">%s</a>`, sep, s.href(p.self, p.col.path), esc(p.col.name))
		} else if p.col != nil {
			fmt.Fprintf(&b, `%s<span>%s</span>`, sep, esc(p.col.name))
		}
		if p.here != "" {
			fmt.Fprintf(&b, `%s<span>%s</span>`, sep, esc(p.here))
		}
	}
	switch s.tpl {
	case 0:
		b.WriteString(`<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">` + "\n")
		fmt.Fprintf(&b, "<html><head>%s\n<title>%s</title>\n<meta name=\"SiteName\" content=\"北仑区人民政府\">\n<meta name=\"ColumnName\" content=\"%s\">\n</head>\n<body>\n", s.charsetMeta(), esc(p.title), esc(colName(p.col)))
		fmt.Fprintf(&b, `<div class="head"><div class="logo"><img src="/images/logo.png" alt="北仑区人民政府"></div><ul class="menu"><li><a href="/">首页</a></li><li><a href="%s">政务公开</a></li><li><a href="%s">互动交流</a></li><li><a href="/search/index.html">站内搜索</a></li></ul></div>`+"\n", entry, ext)
		b.WriteString(`<div class="location">当前位置：`)
		crumb(" &gt; ")
		b.WriteString("</div>\n<table class=\"main\" width=\"1000\"><tr><td class=\"left\" valign=\"top\" width=\"220\">")
		fmt.Fprintf(&b, `<div class="unit-name">%s</div><ul class="tree">`, esc(name))
		for _, c := range s.cols {
			fmt.Fprintf(&b, `<li><a href="%s">%s</a></li>`, c.path, esc(c.name))
		}
		fmt.Fprintf(&b, "</ul></td>\n<td class=\"right\" valign=\"top\">\n%s\n</td></tr></table>\n", p.content)
		fmt.Fprintf(&b, `<div class="foot">%s<p>主办单位：%s　承办：北仑区大数据中心</p>%s</div>`, d.footerMedia(s, p.self), esc(name), d.footerIdentity(s))
	case 1:
		fmt.Fprintf(&b, "<!DOCTYPE html>\n<html>\n<head>\n%s\n<title>%s_%s</title>\n</head>\n<body>\n", s.charsetMeta(), esc(p.title), esc(name))
		fmt.Fprintf(&b, `<div id="header"><h1>%s</h1></div>`+"\n", esc(name))
		fmt.Fprintf(&b, `<div class="nav"><a href="/">网站首页</a> | <a href="%s">信息公开</a> | <a href="%s">互动交流</a> | <a href="/search/index.html">搜索</a></div>`+"\n", entry, ext)
		b.WriteString(`<div class="crumb">您现在的位置：`)
		crumb(" &gt; ")
		b.WriteString("</div>\n<div class=\"container\"><div class=\"sidebar\"><h3>信息公开目录</h3><dl>")
		for _, c := range s.cols {
			fmt.Fprintf(&b, `<dd><a href="%s">%s</a></dd>`, s.href(p.self, c.path), esc(c.name))
		}
		fmt.Fprintf(&b, "</dl></div>\n<div class=\"content\">\n%s\n</div></div>\n", p.content)
		fmt.Fprintf(&b, `<div id="footer">%s<p>版权所有：%s　技术支持：拓尔思信息技术股份有限公司</p>%s</div>`, d.footerMedia(s, p.self), esc(name), d.footerIdentity(s))
	default:
		fmt.Fprintf(&b, "<!doctype html>\n<html lang=\"zh-CN\">\n<head>\n%s\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>%s - %s</title>\n</head>\n<body>\n", s.charsetMeta(), esc(p.title), esc(name))
		fmt.Fprintf(&b, `<header class="site-header"><div class="brand">%s</div><nav class="main-nav"><ul><li><a href="/">首页</a></li><li><a href="%s">政府信息公开</a></li><li><a href="%s">政民互动</a></li></ul></nav></header>`+"\n", esc(name), entry, ext)
		b.WriteString(`<nav class="breadcrumb">当前位置：`)
		crumb(" &gt; ")
		b.WriteString("</nav>\n<main class=\"layout\"><aside class=\"side-menu\"><ul>")
		for _, c := range s.cols {
			fmt.Fprintf(&b, `<li class="menu-item"><a href="%s">%s</a></li>`, s.href(p.self, c.path), esc(c.name))
		}
		fmt.Fprintf(&b, "</ul></aside>\n<section class=\"content\">\n%s\n</section></main>\n", p.content)
		fmt.Fprintf(&b, `<footer class="site-footer">%s<p>%s 主办</p>%s</footer>`, d.footerMedia(s, p.self), esc(name), d.footerIdentity(s))
	}
	b.WriteString("\n</body>\n</html>\n")
	return b.String()
}

func colName(c *column) string {
	if c == nil {
		return "信息公开"
	}
	return c.name
}

// footerMedia links the unit's 政务微博/微信 in the footer (media variant 0)
// or shows the WeChat QR code with its text (variant 1).
func (d *District) footerMedia(s *unitSite, self string) string {
	if s.def.noMedia {
		return ""
	}
	short := strings.TrimPrefix(fullName(s.u.Name), "北仑区")
	switch s.v.media {
	case 0:
		return fmt.Sprintf(`<div class="media"><a href="%s" target="_blank">政务微博</a> <a href="%s" target="_blank">政务微信</a></div>`,
			d.extURL("weibo.com/blq"+s.u.ID), d.extURL("mp.weixin.qq.com/s/bl_"+s.u.ID))
	case 1:
		return fmt.Sprintf(`<div class="qr"><img src="/images/wx_%s.png" alt="微信公众号二维码"><p>扫一扫关注“北仑%s”官方微信</p></div>`, s.u.ID, esc(short))
	}
	return ""
}

// Date styles seen on real sites.
const (
	dDash     = iota // 2019-03-05
	dSlash           // 2019/03/05
	dCN              // 2019年3月5日
	dBracket         // [03-05]
	dDateTime        // 2020-10-10 19:48:26
	dCNTime          // 2019年03月05日 16:40
)

func fmtDate(t time.Time, style int) string {
	switch style {
	case dSlash:
		return t.Format("2006/01/02")
	case dCN:
		return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
	case dBracket:
		return t.Format("[01-02]")
	case dDateTime:
		return t.Format("2006-01-02 15:04:05")
	case dCNTime:
		return t.Format("2006年01月02日 15:04")
	}
	return t.Format("2006-01-02")
}

// listDateStyle is the date style of the unit's list pages.
func (s *unitSite) listDateStyle() int { return []int{dDash, dSlash, dCN}[s.tpl] }

// list renders a list of items in the template's list markup; empty lists
// say so in the template's words.
func (s *unitSite) list(self string, items []*item) string {
	var b strings.Builder
	switch s.tpl {
	case 0:
		b.WriteString(`<div class="default_pgContainer"><ul class="list">`)
		for _, it := range items {
			fmt.Fprintf(&b, "\n<li><a href=\"%s\" title=\"%s\" target=\"_blank\">%s</a><span class=\"bt-data-time\">%s</span></li>", it.path, esc(it.title), esc(it.title), fmtDate(it.date, s.listDateStyle()))
		}
		b.WriteString("\n</ul>")
		if len(items) == 0 {
			b.WriteString(`<p class="nodata">暂无信息</p>`)
		}
		b.WriteString("</div>")
	case 1:
		b.WriteString(`<table class="list_table" width="100%" cellspacing="0">`)
		for _, it := range items {
			fmt.Fprintf(&b, "\n<tr><td class=\"td1\"><a href=\"%s\" target=\"_blank\">%s</a></td><td class=\"td2\" align=\"right\">%s</td></tr>", s.href(self, it.path), esc(it.title), fmtDate(it.date, s.listDateStyle()))
		}
		if len(items) == 0 {
			b.WriteString(`<tr><td>暂无相关信息</td></tr>`)
		}
		b.WriteString("\n</table>")
	default:
		b.WriteString(`<div class="card-list">`)
		for _, it := range items {
			fmt.Fprintf(&b, "\n<div class=\"card\"><h3><a href=\"%s\">%s</a></h3><p class=\"date\">%s</p></div>", s.href(self, it.path), esc(it.title), fmtDate(it.date, s.listDateStyle()))
		}
		if len(items) == 0 {
			b.WriteString(`<p class="empty">该栏目暂无内容</p>`)
		}
		b.WriteString("\n</div>")
	}
	return b.String()
}
