package page

import (
	"bytes"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// metaLabels maps a canonical metadata field to the labels real 信息公开
// article pages use for it. Observed layouts: a <table> of label and value
// cells (Hanweb, TRS 信息公开 templates), <dl>/<ul> of "label:" with the value in
// the next element, label/value pairs two to a line in spans, and whole
// "索引号：… 发布机构：…" lines. Labels often carry inner spaces (文　　号).
var metaLabels = map[string][]string{
	"index_no":  {"索引号", "信息索引号", "索取号"},
	"topic":     {"主题分类", "组配分类", "信息分类", "体裁分类", "服务对象分类", "公开目录"},
	"publisher": {"发布机构", "发文机构", "发文机关", "发布单位", "发文单位", "公开主体", "发布部门", "公开责任部门", "制发机关"},
	"written":   {"成文日期", "生成日期", "发文日期", "成文时间", "印发日期", "形成日期"},
	"published": {"发布日期", "公开日期", "发布时间", "公开时间", "发文时间"},
	"doc_no":    {"文号", "发文字号", "文件编号", "发文文号", "文件字号"},
	"validity":  {"有效性", "时效性", "效力状态", "是否有效", "有效状态", "效力"},
	"effective": {"生效时间", "生效日期", "施行日期", "实施日期", "施行时间"},
	"expires":   {"废止时间", "废止日期", "失效时间", "失效日期", "有效期至"},
	"period":    {"有效期"},
	"title":     {"标题", "文件名称", "信息名称", "名称"},
}

// metaLabelRE matches any label of metaLabels, longest first, allowing white
// space between its characters. It must stand alone: at the start of a text
// segment or after white space or punctuation, and be followed by a colon or
// the end of the segment — so 有效性 inside a sentence is not a label.
var metaLabelRE, metaLabelField = buildLabelRE(metaLabels)

// labelEnds are the runes metaLabelRE allows after a label (besides the end
// of the segment).
const labelEnds = ":：】])）"

// labelLastRunes are the runes metaLabels end with.
var labelLastRunes = func() map[rune]bool {
	last := map[rune]bool{}
	for l := range metaLabelField {
		r, _ := utf8.DecodeLastRuneInString(l)
		last[r] = true
	}
	return last
}()

// mayHoldLabel reports whether metaLabelRE can match seg at all, cheaply:
// a label's last rune, then only white space, then one of labelEnds or the
// segment's end. Every text segment of every page is read for metadata, and
// most hold no label; many hold a colon or a bracket after other words
// (联系电话：, （2020）), which the regex would have to try.
func mayHoldLabel(seg string) bool {
	prev := utf8.RuneError // the last rune before r that is not white space
	for _, r := range seg {
		if strings.ContainsRune(labelEnds, r) && labelLastRunes[prev] {
			return true
		}
		if !unicode.IsSpace(r) {
			prev = r
		}
	}
	if !labelLastRunes[prev] {
		return false
	}
	tail := Compact(seg)
	for l := range metaLabelField {
		if strings.HasSuffix(tail, l) {
			return true
		}
	}
	return false
}

func buildLabelRE(labels map[string][]string) (*regexp.Regexp, map[string]string) {
	field := map[string]string{}
	var all []string
	for f, ls := range labels {
		for _, l := range ls {
			field[l] = f
			all = append(all, l)
		}
	}
	sort.Slice(all, func(i, j int) bool {
		if len([]rune(all[i])) != len([]rune(all[j])) {
			return len([]rune(all[i])) > len([]rune(all[j]))
		}
		return all[i] < all[j]
	})
	var alts []string
	for _, l := range all {
		var rs []string
		for _, r := range l {
			rs = append(rs, regexp.QuoteMeta(string(r)))
		}
		alts = append(alts, strings.Join(rs, `[\s\x{3000}\x{a0}]*`))
	}
	// A label may also follow a bullet (• 发布日期：) or the colon of a label
	// left empty (有效性：发布日期：2020-01-01): it must still be followed by
	// a colon or end its segment, so a word inside a sentence is no label.
	re := regexp.MustCompile(`(?:^|[\s\x{3000}\x{a0}|｜丨,，;；:：【\[(（` + MetaBullets + `])(` + strings.Join(alts, "|") + `)[\s\x{3000}\x{a0}]*(?:[:：】\])）]|$)`)
	return re, field
}

// MetaBullets are the list markers real metadata blocks put before a label
// (• 有效性：, ● 发布日期：). A value that is only such marks and separators
// (• | ｜) says nothing: the label before it is empty.
const MetaBullets = `•·●○▪■□◆◇►▶※★☆◎`

// metaNoise is what may stand between a label and the next one without being
// a value: white space, bullets, vertical bars and list separators.
var metaNoise = regexp.MustCompile(`^[\s\x{3000}\x{a0}|｜丨,，;；、` + MetaBullets + `]*$`)

// metaTrim removes bullets and bars around a value (the next label's bullet
// is left at the end of the previous value: 区民政局 •).
func metaTrim(v string) string {
	return strings.TrimFunc(v, func(r rune) bool {
		return unicode.IsSpace(r) || r == '\u3000' || r == '\u00a0' || strings.ContainsRune("|｜丨,，;；"+MetaBullets, r)
	})
}

// Metadata is the label/value block of a document page.
type Metadata struct {
	// Fields maps a canonical field (index_no, publisher, written, published,
	// doc_no, validity, effective, expires, period, topic, title) to its value.
	// A label present with an empty value maps to "" — present but unfilled,
	// which real audits count as missing.
	Fields map[string]string `json:"fields,omitempty"`
	// Labels keeps the label text the page used for each field.
	Labels map[string]string `json:"labels,omitempty"`
}

// Has reports whether field is present with a non-empty value.
func (m Metadata) Has(field string) bool { return m.Fields[field] != "" }

// Present reports whether the field's label appears at all.
func (m Metadata) Present(field string) bool {
	_, ok := m.Fields[field]
	return ok
}

// blockTags end a text segment: a value never runs across them.
var blockTags = map[string]bool{"p": true, "div": true, "li": true, "tr": true, "td": true, "th": true, "dt": true, "dd": true,
	"br": true, "table": true, "ul": true, "ol": true, "dl": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "section": true, "article": true}

// valueCells are the elements a label's value sits in when the label has a
// cell of its own.
var valueCells = map[string]bool{"td": true, "th": true, "dd": true, "dt": true, "li": true}

// ExtractMetadata reads the metadata block of a page body (Read keeps it
// as View.Meta).
func ExtractMetadata(body []byte) Metadata {
	if len(body) > ParseLimit {
		body = body[:ParseLimit]
	}
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		return emptyMeta()
	}
	return metadataOf(doc)
}

func emptyMeta() Metadata { return Metadata{Fields: map[string]string{}, Labels: map[string]string{}} }

// metadataOf reads the metadata block of a document page, whatever its
// layout. When a field appears twice (a summary table and a footer line), the
// first non-empty value wins.
func metadataOf(doc *html.Node) Metadata {
	m := emptyMeta()
	segs := Segments(doc)
	set := func(label, value string) {
		f := metaLabelField[Compact(label)]
		if f == "" {
			return
		}
		value = strings.TrimSpace(strings.Trim(strings.TrimSpace(value), ":："))
		if old, ok := m.Fields[f]; ok && old != "" {
			return
		}
		m.Fields[f] = value
		m.Labels[f] = Compact(label)
	}
	for i, seg := range segs {
		locs := labelLocs(seg)
		for j, loc := range locs {
			label := seg[loc[2]:loc[3]]
			end := len(seg)
			if j+1 < len(locs) {
				end = locs[j+1][0]
			}
			if end < loc[1] {
				end = loc[1] // the next label opened on this one's colon
			}
			value := metaTrim(seg[loc[1]:end])
			if value == "" && len(locs) == 1 && metaNoise.MatchString(seg[:loc[0]]) && i+1 < len(segs) {
				// A label alone in its cell or line: the value is in the
				// next, unless that is empty, only a bullet, or the next label.
				if next := metaTrim(segs[i+1]); next != "" && !metaLabelRE.MatchString(next) {
					value = next
				}
			}
			set(label, Clip(value, 120))
		}
	}
	return m
}

// labelLocs returns the submatch indexes of the labels in seg. Unlike
// FindAll, each search resumes at the end of the previous label, before its
// colon, so the colon may open the next label: in 有效性：发布日期：2020-01-01
// both labels are read and 有效性 is empty.
func labelLocs(seg string) [][]int {
	if !mayHoldLabel(seg) {
		return nil
	}
	var out [][]int
	for pos := 0; pos < len(seg); {
		loc := metaLabelRE.FindStringSubmatchIndex(seg[pos:])
		if loc == nil {
			break
		}
		for k := range loc {
			if loc[k] >= 0 {
				loc[k] += pos
			}
		}
		if pos > 0 && loc[0] == pos && loc[2] == pos {
			// ^ matched at the resume point, not at the segment's start:
			// only a separator may open a label there.
			if pos = loc[3]; pos <= loc[2] {
				break
			}
			continue
		}
		out = append(out, loc)
		pos = loc[3]
	}
	return out
}
