package sim

import (
	"fmt"
	"strings"
)

// field is one label/value pair of an article's metadata block.
type field struct{ label, value string }

// Label wordings, chosen per unit.
var (
	pubLabels  = []string{"发布机构", "发文机构", "发文机关"}
	dateLabels = []string{"成文日期", "生成日期", "发文日期"}
	docLabels  = []string{"文号", "发文字号"}
)

// metaFields is the metadata of a catalogued document, with its seeded
// defect applied: a missing row, or a label left without a value.
func (s *unitSite) metaFields(it *item) []field {
	var fs []field
	if it.meta != metaNoIndex {
		fs = append(fs, field{"索引号", it.index})
	}
	fs = append(fs, field{"主题分类", pick(unitRand(1, it.path, "topic"), []string{"综合政务\\其他", "城乡建设、环境保护\\城市规划", "财政、金融、审计\\财政", "劳动、人事、监察\\其他"})})
	pub := it.publisher
	if it.meta == metaEmptyPublisher {
		pub = ""
	}
	fs = append(fs, field{pubLabels[s.v.pubLabel], pub})
	dateStyle := []int{dDash, dCNTime, dDateTime}[s.tpl]
	fs = append(fs, field{dateLabels[s.v.dateLabel], fmtDate(it.written, dateStyle)})
	switch it.meta {
	case metaNoDocNo:
	case metaEmptyDocNo:
		fs = append(fs, field{docLabels[s.v.docLabel], ""})
	default:
		fs = append(fs, field{docLabels[s.v.docLabel], it.docNo})
	}
	fs = append(fs, field{"发布日期", fmtDate(it.date, dateStyle)})
	if it.col.kind == kPolicy {
		switch it.validity {
		case valValid:
			fs = append(fs, field{"有效性", "有效"})
		case valCurrent:
			fs = append(fs, field{"时效性", "现行有效"})
		case valDates:
			fs = append(fs, field{"生效时间", fmtDate(it.written, dDash)}, field{"废止时间", fmtDate(it.written.AddDate(5, 0, 0), dDash)})
		case valRepealed:
			fs = append(fs, field{"有效性", "已废止"})
		case valEmpty:
			fs = append(fs, field{"有效性", ""})
		}
	}
	return fs
}

// spaced pads a short label with full-width spaces, as TRS sites do
// (文　　号, 索 引 号).
func spaced(label string) string {
	r := []rune(label)
	switch len(r) {
	case 2:
		return string(r[0]) + "　　" + string(r[1])
	case 3:
		return string(r[0]) + "　" + string(r[1]) + "　" + string(r[2])
	}
	return label
}

// metaBlock renders the fields as a table (template 0), a <dl> of "label："
// and value (template 1), or inline spans two to a line (template 2).
func (s *unitSite) metaBlock(fs []field) string {
	var b strings.Builder
	switch s.tpl {
	case 0:
		b.WriteString(`<table class="xxgk_table" width="100%" border="0" cellspacing="1">`)
		for i := 0; i < len(fs); i += 2 {
			b.WriteString("\n<tr>")
			for _, f := range fs[i:min(i+2, len(fs))] {
				fmt.Fprintf(&b, `<td class="label" width="15%%">%s</td><td width="35%%">%s</td>`, f.label, esc(f.value))
			}
			b.WriteString("</tr>")
		}
		b.WriteString("\n</table>")
	case 1:
		b.WriteString(`<div class="xxgk_head"><dl>`)
		for _, f := range fs {
			fmt.Fprintf(&b, "\n<dt>%s：</dt>\n<dd>%s</dd>", spaced(f.label), esc(f.value))
		}
		b.WriteString("\n</dl></div>")
	default:
		b.WriteString(`<div class="info">`)
		for i := 0; i < len(fs); i += 2 {
			b.WriteString("\n<p>")
			for _, f := range fs[i:min(i+2, len(fs))] {
				fmt.Fprintf(&b, `<span class="item"><span class="l">%s：</span><span class="v">%s</span></span>`, spaced(f.label), esc(f.value))
			}
			b.WriteString("</p>")
		}
		b.WriteString("\n</div>")
	}
	return b.String()
}

// renderArticle renders one item's page.
func (d *District) renderArticle(s *unitSite, it *item) string {
	r := unitRand(d.opt.Seed, it.path, "body")
	self := it.path
	var b strings.Builder
	k := it.col.kind
	if k.catalogued() {
		b.WriteString(s.metaBlock(s.metaFields(it)))
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "<h1 class=\"title\">%s</h1>\n", esc(it.title))
	if !k.catalogued() {
		fmt.Fprintf(&b, "<div class=\"fbxx\">发布时间：%s　来源：%s　【字体：大 中 小】</div>\n", fmtDate(it.date, dDateTime), esc(fullName(s.u.Name)))
	}
	b.WriteString("<div class=\"article-content\">\n")
	switch {
	case k == kReport:
		b.WriteString(d.reportContent(s, it))
	case it.forGuide:
		b.WriteString(d.guideContent(s, self))
	case k == kInterp:
		if it.col.name == "图文解读" {
			fmt.Fprintf(&b, "<p><img src=\"/images/tj_%d.png\" alt=\"%s\"></p>\n", it.seq, esc(it.title))
		}
		fmt.Fprintf(&b, "<p>　　近日，%s印发了相关文件。为便于公众理解，现就%s有关内容解读如下。</p>\n", esc(fullName(s.u.Name)), esc(it.topic))
		b.WriteString(body(r, 2))
	default:
		b.WriteString(body(r, 2+r.IntN(3)))
		b.WriteString(s.contentExtra(it))
	}
	b.WriteString("</div>\n")
	for _, a := range it.attach {
		fmt.Fprintf(&b, "<p class=\"fj\">附件：<a href=\"%s\">%s</a></p>\n", s.href(self, a.path), esc(a.name))
	}
	if it.pair != nil && !it.noLink {
		label := "相关解读"
		if k == kInterp {
			label = "相关文件"
		}
		fmt.Fprintf(&b, "<p class=\"related\">%s：<a href=\"%s\">%s</a></p>\n", label, s.href(self, it.pair.path), esc(it.pair.title))
	}
	if it.extraLink != "" {
		fmt.Fprintf(&b, "<p class=\"related\">相关链接：<a href=\"%s\">上级文件</a></p>\n", d.extURL(it.extraLink))
	}
	return d.layout(s, page{title: it.title, col: it.col, here: "正文", self: self, content: b.String()})
}
