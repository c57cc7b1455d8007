package page

import (
	"bytes"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Hidden is what a page hides from its readers (暗链): the links hidden by
// its styles and markup, each URL once, with how. It is read only on a
// page whose body holds a way of hiding (hideMarkers).
type Hidden struct {
	Links []HiddenLink `json:"links,omitempty"`
}

// HiddenLink is a link hidden from readers.
type HiddenLink struct {
	URL  string `json:"url"`
	Text string `json:"text,omitempty"` // at most 80 runes
	How  string `json:"how"`            // display:none, 文字颜色与背景相同, …
}

// readHidden returns the links of a page hidden from readers, or nil when
// its body holds no way of hiding; base is the page's own URL. Only links
// to some host are read: a hidden javascript: or mailto: link leads nowhere.
func readHidden(doc *html.Node, body []byte, base *resolver) *Hidden {
	if !hasHideMarker(body) {
		return nil
	}
	h := &Hidden{}
	if doc == nil {
		return h
	}
	var css, js strings.Builder
	var anchors []*html.Node
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Style:
				css.WriteString(rawText(n))
			case atom.Script:
				js.WriteString(rawText(n))
			case atom.A:
				if _, ok := Attr(n, "href"); ok {
					anchors = append(anchors, n)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	// What the page's scripts and event handlers name: an element they
	// reference is shown by them (a drop-down menu). Handlers follow the
	// scripts, in document order.
	var handlers func(n *html.Node)
	handlers = func(n *html.Node) {
		if n.Type == html.ElementNode {
			for _, a := range n.Attr {
				if strings.HasPrefix(strings.ToLower(a.Key), "on") {
					js.WriteString(a.Val)
					js.WriteByte(' ')
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			handlers(c)
		}
	}
	handlers(doc)
	rules := parseHideRules(css.String())
	scripts := js.String()
	seen := map[string]bool{}
	styles := styleMemo{}
	for _, a := range anchors {
		href, _ := Attr(a, "href")
		u := base.resolve(href)
		if u == "" || seen[u] || hostOf(u) == "" {
			continue
		}
		if how := hiddenHow(a, rules, scripts, styles); how != "" {
			seen[u] = true
			h.Links = append(h.Links, HiddenLink{URL: u, Text: Clip(Collapse(rawText(a)), 80), How: how})
		}
	}
	return h
}

// hostOf is the host of an absolute URL, "" when it has none.
func hostOf(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return ""
	}
	return p.Host
}

// hideMarkers pre-filter the pages worth parsing for hidden links: every
// way of hiding styleHides and hiddenHow know needs one of them (none,
// hidden, an offset of -500 or beyond (not "-8": utf-8), text-indent, font-size, a marquee,
// opacity, a background colour, a zero width or height).
var hideMarkers = [][]byte{[]byte("none"), []byte("hidden"), []byte("-9"), []byte("-5"), []byte("-6"), []byte("-7"), []byte("-80"),
	[]byte("-1000"), []byte("-2000"), []byte("-3000"), []byte("-4000"), []byte("-100"), []byte("indent"), []byte("font-size"),
	[]byte("marquee"), []byte("opacity"), []byte("background"), []byte("height:0"), []byte("width:0"), []byte("height: 0"),
	[]byte("width: 0"), []byte("height:1px"), []byte("width:1px"), []byte("height=\"1"), []byte("width=\"1"), []byte("height=\"0"), []byte("width=\"0")}

// hasHideMarker reports whether a body holds one of hideMarkers.
func hasHideMarker(body []byte) bool {
	for _, m := range hideMarkers {
		if bytes.Contains(body, m) {
			return true
		}
	}
	return false
}

// hideRules are the class and id selectors a page's <style> hides, and
// those some rule shows again (:hover menus).
type hideRules struct{ hidden, shown map[string]string }

var cssRule = regexp.MustCompile(`([^{}]+)\{([^{}]*)\}`)

// parseHideRules reads the simple rules of a style sheet whose last
// compound selector names a class or an id (.links a is not one: it styles
// the links, the rule for .links hides them).
func parseHideRules(css string) hideRules {
	r := hideRules{hidden: map[string]string{}, shown: map[string]string{}}
	for _, m := range cssRule.FindAllStringSubmatch(css, -1) {
		how := styleHides(m[2])
		shows := styleShows(m[2])
		if how == "" && !shows {
			continue
		}
		for _, sel := range strings.Split(m[1], ",") {
			f := strings.Fields(strings.TrimSpace(sel))
			if len(f) == 0 {
				continue
			}
			last := f[len(f)-1]
			pseudo := strings.Contains(sel, ":")
			for _, tok := range selectorTokens(last) {
				switch {
				case shows || pseudo:
					r.shown[tok] = "shown"
				case how != "":
					r.hidden[tok] = how
				}
			}
		}
	}
	return r
}

var selectorToken = regexp.MustCompile(`[.#][A-Za-z0-9_-]+`)

// selectorTokens returns the .class and #id parts of a compound selector.
func selectorTokens(sel string) []string { return selectorToken.FindAllString(sel, -1) }

// styleShows reports whether declarations make an element visible.
func styleShows(decls string) bool {
	d := declarations(decls)
	switch d["display"] {
	case "block", "inline", "inline-block", "flex", "list-item", "table", "grid":
		return true
	}
	return d["visibility"] == "visible"
}

// declarations parses "a:b;c:d" into lower-cased, space-free values.
func declarations(s string) map[string]string {
	out := map[string]string{}
	for _, d := range strings.Split(s, ";") {
		k, v, ok := strings.Cut(d, ":")
		if !ok {
			continue
		}
		v = strings.TrimSuffix(strings.TrimSpace(strings.ToLower(v)), "!important")
		out[strings.TrimSpace(strings.ToLower(k))] = strings.ReplaceAll(strings.TrimSpace(v), " ", "")
	}
	return out
}

// styleHides says how declarations hide an element, or "".
func styleHides(decls string) string {
	d := declarations(decls)
	switch {
	case d["display"] == "none":
		return "display:none"
	case d["visibility"] == "hidden":
		return "visibility:hidden"
	case d["opacity"] == "0":
		return "opacity:0"
	case zeroLength(d["font-size"]):
		return "font-size:0"
	case zeroLength(d["width"]) && zeroLength(d["height"]), (zeroLength(d["height"]) || zeroLength(d["width"])) && d["overflow"] == "hidden":
		return "尺寸为0"
	}
	if d["position"] == "absolute" || d["position"] == "fixed" {
		for _, k := range []string{"left", "top", "right", "bottom", "margin-left", "margin-top"} {
			if offScreen(d[k]) {
				return "定位于页面之外（" + k + ":" + d[k] + "）"
			}
		}
	}
	if offScreen(d["text-indent"]) {
		return "text-indent:" + d["text-indent"]
	}
	return ""
}

var lengthRE = regexp.MustCompile(`^(-?[0-9.]+)(px|pt|em|rem|%)?$`)

// zeroLength reports whether a CSS length is 0 or 1px.
func zeroLength(v string) bool {
	m := lengthRE.FindStringSubmatch(v)
	if m == nil {
		return false
	}
	f, err := strconv.ParseFloat(m[1], 64)
	return err == nil && f >= 0 && (f == 0 || f <= 1 && (m[2] == "px" || m[2] == ""))
}

// offScreen reports whether a CSS offset moves an element out of sight
// (-999px, -9999px, -100em).
func offScreen(v string) bool {
	m := lengthRE.FindStringSubmatch(v)
	if m == nil {
		return false
	}
	f, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		return false
	}
	if m[2] == "em" || m[2] == "rem" {
		f *= 16
	}
	return f <= -500
}

// styleMemo keeps what an inline style declares and how it hides, by the
// style's text: the links of a page share their ancestors' styles.
type styleMemo map[string]*inlineStyle

type inlineStyle struct {
	decls map[string]string
	hides string
}

func (m styleMemo) of(style string) *inlineStyle {
	st := m[style]
	if st == nil {
		st = &inlineStyle{decls: declarations(style), hides: styleHides(style)}
		m[style] = st
	}
	return st
}

// hiddenHow walks from a link up to the document and says how it is hidden,
// or "". An element hidden by a rule that some :hover rule or script shows
// again is a menu, not hidden.
func hiddenHow(n *html.Node, rules hideRules, scripts string, styles styleMemo) string {
	color, bg := "", ""
	for e := n; e != nil && e.Type == html.ElementNode; e = e.Parent {
		style, id, class := "", "", ""
		for _, a := range e.Attr {
			switch strings.ToLower(a.Key) {
			case "style":
				style = a.Val
			case "id":
				id = a.Val
			case "class":
				class = a.Val
			case "hidden":
				if !toggled(id, class, rules, scripts) {
					return "hidden 属性"
				}
			}
		}
		if e.Data == "marquee" {
			for _, a := range e.Attr {
				if k := strings.ToLower(a.Key); (k == "height" || k == "width") && zeroLength(strings.TrimSpace(a.Val)) {
					return "1像素滚动框"
				}
			}
		}
		st := styles.of(style)
		if how := st.hides; how != "" && !toggled(id, class, rules, scripts) && !dropdown(e, scripts) {
			return how
		}
		d := st.decls
		if color == "" {
			color = normColor(d["color"])
		}
		if bg == "" {
			bg = normColor(d["background-color"])
			if bg == "" {
				bg = normColor(d["background"])
			}
		}
		if color != "" && bg != "" {
			if color == bg {
				return "文字颜色与背景相同"
			}
			color = "\x00" // compared once, with the nearest background
		}
		if len(rules.hidden) == 0 || id == "" && class == "" {
			continue // no rule of the page's styles can hide it
		}
		for _, tok := range append(selectorTokens("#"+id), classTokens(class)...) {
			if how := rules.hidden[tok]; how != "" && !toggled(id, class, rules, scripts) {
				return how + "（样式 " + tok + "）"
			}
		}
	}
	return ""
}

func classTokens(class string) []string {
	var out []string
	for _, c := range strings.Fields(class) {
		out = append(out, "."+c)
	}
	return out
}

// showCall matches a script that shows hidden elements: jQuery's show,
// slideDown, fadeIn, toggle, or a style.display set to block.
var showCall = regexp.MustCompile(`\.(show|slideDown|fadeIn|toggle|slideToggle|fadeToggle)\s*\(|\.display\s*=\s*["']block`)

// dropdown reports whether e is a sub-menu a script opens: a list or box
// inside a list item (友情链接 ▸ ul) on a page whose scripts show hidden
// elements ($(this).children("ul").show()), named by tag rather than class.
func dropdown(e *html.Node, scripts string) bool {
	switch e.Data {
	case "ul", "ol", "dl", "div":
	default:
		return false
	}
	return e.Parent != nil && e.Parent.Type == html.ElementNode && (e.Parent.Data == "li" || e.Parent.Data == "dd") && showCall.MatchString(scripts)
}

// toggled reports whether an element is shown by a :hover or display rule
// or named by the page's scripts: a menu that opens, not a hidden link.
func toggled(id, class string, rules hideRules, scripts string) bool {
	if id != "" && (rules.shown["#"+id] != "" || strings.Contains(scripts, id)) {
		return true
	}
	for _, c := range strings.Fields(class) {
		if rules.shown["."+c] != "" || len(c) > 2 && strings.Contains(scripts, c) {
			return true
		}
	}
	return false
}

var namedColors = map[string]string{"white": "#ffffff", "black": "#000000", "red": "#ff0000", "#fff": "#ffffff", "#000": "#000000"}

// normColor normalises a CSS colour (#FFF, white, #ffffff); "" when none.
func normColor(v string) string {
	if v == "" {
		return ""
	}
	f := strings.Fields(strings.ReplaceAll(v, ",", " "))
	if len(f) == 0 {
		return ""
	}
	c := strings.ToLower(f[0])
	if n, ok := namedColors[c]; ok {
		return n
	}
	if len(c) == 4 && c[0] == '#' {
		return "#" + string([]byte{c[1], c[1], c[2], c[2], c[3], c[3]})
	}
	if strings.HasPrefix(c, "#") || strings.HasPrefix(c, "rgb") {
		return c
	}
	return ""
}
