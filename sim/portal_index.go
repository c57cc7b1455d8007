package sim

import (
	"fmt"
	"net/http"
	"strings"
)

// portalIndexPath is the portal's 政府信息公开 index: the directory of every
// unit's disclosure column, as district portals publish it (a 部门信息公开
// list, a 乡镇（街道）信息公开 list, a drop-down of departments with sites
// of their own). gkaudit init reads it. No page of the district links to
// it, so the units' crawls, the page count and the truth do not change.
const portalIndexPath = "/xxgk/index.html"

// PortalIndex is the URL of the portal's 政府信息公开 index ("" before
// Start).
func (d *District) PortalIndex() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.started {
		return ""
	}
	return d.portal.base + portalIndexPath
}

// servePortalIndex writes the 政府信息公开 index.
func (d *District) servePortalIndex(w http.ResponseWriter, r *http.Request) {
	d.mu.Lock()
	body := d.renderPortalIndex()
	d.mu.Unlock()
	d.write(w, r, "text/html; charset=utf-8", []byte(body), d.lastModified(route{}))
}

// renderPortalIndex lists the units the way real indexes name them: the
// short form (区财政局), the full form (北仑区财政局) or the name alone,
// varying by unit; departments on hosts of their own in a 部门网站
// drop-down; one of them behind a generic 进入 link and one street behind
// an image without alt, whose pages' own titles name them. Callers hold
// d.mu.
func (d *District) renderPortalIndex() string {
	var dept, street, own strings.Builder
	generic, streets := false, 0
	for _, s := range d.units {
		u := d.unitBase(s) + s.entry
		label := indexLabel(s.u.Name, s.idx)
		switch {
		case s.u.Kind == "street" && streets == 2 && s.trap == trapNone:
			// The third street behind an image alone: its site (GBK in the
			// demo district) names it.
			streets++
			fmt.Fprintf(&street, "\n<li><a href=\"%s\" target=\"_blank\"><img src=\"/images/logo.png\"></a></li>", esc(u))
		case s.u.Kind == "street":
			streets++
			if s.idx%2 == 1 {
				label = fullName(s.u.Name)
			} else {
				label = s.u.Name
			}
			fmt.Fprintf(&street, "\n<li><a href=\"%s\" target=\"_blank\">%s</a></li>", esc(u), esc(label))
		case s.own && s.trap == trapNone && !generic:
			generic = true
			fmt.Fprintf(&dept, "\n<li><a href=\"%s\" target=\"_blank\"><img src=\"/images/logo.png\" alt=\"\">进入</a></li>", esc(u))
		case s.own:
			fmt.Fprintf(&own, "\n<option value=\"%s\">%s</option>", esc(u), esc(fullName(s.u.Name)))
		default:
			fmt.Fprintf(&dept, "\n<li><a href=\"%s\" title=\"%s\">%s</a></li>", esc(u), esc(fullName(s.u.Name)), esc(label))
		}
	}
	return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>政府信息公开_北仑区人民政府</title></head>\n<body>\n" +
		"<div class=\"location\">当前位置：<a href=\"/\">首页</a> &gt; 政府信息公开</div>\n" +
		"<div class=\"bmxxgk\"><h3>部门信息公开</h3><ul>" + dept.String() + "\n</ul></div>\n" +
		"<div class=\"jdxxgk\"><h3>乡镇（街道）信息公开</h3><ul>" + street.String() + "\n</ul></div>\n" +
		"<div class=\"links\">部门网站：<select onchange=\"if(this.value)window.open(this.value)\"><option value=\"\">--请选择--</option>" + own.String() + "\n</select></div>\n" +
		"</body></html>\n"
}

// indexLabel is how the index names a unit: 区财政局, 北仑区财政局 or 财政局
// in turn; names that already say 区 or 北仑 are left as they are.
func indexLabel(name string, idx int) string {
	if strings.HasPrefix(name, "区") || strings.Contains(name, "北仑") {
		return name
	}
	switch idx % 3 {
	case 0:
		return "区" + name
	case 1:
		return fullName(name)
	}
	return name
}
