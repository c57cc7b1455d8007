package checks

import (
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gkaudit/cndate"
	"gkaudit/page"
	"gkaudit/site"
)

// This file holds what the catalogue, policy and 解读 checks share: telling a
// unit's column pages from its articles, walking the 公开目录 tree, collecting
// the document pages listed by columns, reading a page's title, date and
// links with their labels.

// columnSet tells, for one snapshot, column (list) pages from articles.
//
// The crawler maps every link whose text names a column to that column kind,
// so an article's "相关解读" link or a 解读's "政策文件" link makes the linked
// article look like a column. A page that some column page lists as one of
// its items is an article, whatever its link texts say.
type columnSet struct {
	s      *site.Snapshot
	listed map[string]bool     // URLs listed as items by some column
	items  map[string][]Item   // column URL -> its items over its pages
	byURL  map[string][]string // column URL -> the names it is linked under
}

func newColumnSet(s *site.Snapshot) *columnSet {
	c := &columnSet{s: s, listed: map[string]bool{}, items: map[string][]Item{}, byURL: map[string][]string{}}
	deep := map[string]bool{}
	var urls []string
	for _, col := range s.Columns {
		if _, ok := c.byURL[col.URL]; !ok {
			urls = append(urls, col.URL)
		}
		c.byURL[col.URL] = append(c.byURL[col.URL], col.Name)
		if documentKinds[col.Kind] {
			deep[col.URL] = true
		}
	}
	for _, u := range urls {
		p := s.Page(u)
		if !p.OK() {
			continue
		}
		// The columns of documents are read over their pagination (a
		// document on page 2 is still listed); the others' first page is
		// enough to tell their articles, and cheaper.
		var its []Item
		if deep[u] {
			its = c.itemsOf(u)
		} else {
			its = ListItems(p)
			ds, _ := datastoreItems(p)
			its = append(its, ds...)
		}
		for _, it := range its {
			if it.URL != u && it.URL != pageURL(p) {
				c.listed[it.URL] = true
			}
		}
	}
	return c
}

// documentKinds are the column kinds whose items the checks of this file
// read as documents.
var documentKinds = map[string]bool{"catalog": true, "statutory": true, "policy": true, "interpretation": true}

// isColumn reports whether u is a column page: mapped to some column and not
// listed as an item by another column.
func (c *columnSet) isColumn(u string) bool {
	if c.listed[u] {
		return false
	}
	if _, ok := c.byURL[u]; ok {
		return true
	}
	if p := c.s.Page(u); p != nil {
		for _, v := range []string{p.URL, p.FinalURL} {
			if _, ok := c.byURL[v]; ok && !c.listed[v] {
				return true
			}
		}
	}
	return false
}

// columns returns the columns of the given kinds that are column pages (not
// articles), one per URL, in the order found. Columns whose page was not
// fetched are kept, so callers can tell "not fetched" from "missing".
func (c *columnSet) columns(kinds ...string) []site.Column {
	want := map[string]bool{}
	for _, k := range kinds {
		want[k] = true
	}
	var out []site.Column
	seen := map[string]bool{}
	for _, col := range c.s.Columns {
		if !want[col.Kind] || seen[col.URL] || c.listed[col.URL] {
			continue
		}
		seen[col.URL] = true
		out = append(out, col)
	}
	return out
}

// itemsOf returns the items of a column over its pagination, computed once.
// Entries of a side bar (最新文件, 热点信息 lists repeated on every page) are
// left out when the page lists anything else.
func (c *columnSet) itemsOf(u string) []Item {
	if its, ok := c.items[u]; ok {
		return its
	}
	its := columnList(c.s, u) // Hanweb script datastores included
	side, main := map[string]bool{}, map[string]bool{}
	for _, p := range ColumnPages(c.s, u) {
		for _, l := range pageLinks(p) {
			if l.Side {
				side[l.URL] = true
			} else {
				main[l.URL] = true
			}
		}
	}
	var kept []Item
	for _, it := range its {
		if !side[it.URL] || main[it.URL] {
			kept = append(kept, it)
		}
	}
	if len(kept) > 0 {
		its = kept
	}
	c.items[u] = its
	return its
}

// linksOf returns the links of a page: as the crawler recorded them, else
// read from its HTML.
func linksOf(p *site.Page) []site.Link {
	if p == nil {
		return nil
	}
	if len(p.Links) > 0 {
		return p.Links
	}
	var out []site.Link
	for _, l := range pageLinks(p) {
		out = append(out, site.Link{URL: l.URL, Text: l.Text})
	}
	return out
}

// docPage is a page listed as an item by a column.
type docPage struct {
	Page   *site.Page
	URL    string    // the item's URL as listed
	Title  string    // the list's title, else the page's own
	Date   time.Time // the list's date, zero when none
	Column site.Column
}

// docsOf returns the fetched article pages listed by the given columns, once
// each, in list order. Items that are themselves columns, attachments or
// pages that were not fetched are left out.
func (c *columnSet) docsOf(cols []site.Column) []docPage {
	var out []docPage
	seen := map[string]bool{}
	for _, col := range cols {
		if !c.s.Page(col.URL).OK() {
			continue
		}
		for _, it := range c.itemsOf(col.URL) {
			p := c.s.Page(it.URL)
			if !p.OK() || c.isColumn(it.URL) || seen[pageURL(p)] || seen[it.URL] {
				continue
			}
			seen[pageURL(p)], seen[it.URL] = true, true
			title := it.Title
			if title == "" {
				title = articleTitle(p)
			}
			out = append(out, docPage{Page: p, URL: it.URL, Title: title, Date: it.Date, Column: col})
		}
	}
	return out
}

// maxCatalogPages bounds the column pages one catalogue walk visits.
const maxCatalogPages = 200

// maxCatalogDepth bounds how deep the walk follows sub-columns.
const maxCatalogDepth = 3

// catalogKinds are the column kinds real sites use as the 公开目录: the
// catalogue itself and 法定主动公开内容, which many sites use as their catalogue.
var catalogKinds = []string{"catalog", "statutory"}

// notCatalogKinds are the disclosure column's own sections that a catalogue
// page links to without them being catalogue entries.
var notCatalogKinds = map[string]bool{"guide": true, "rules": true, "apply": true, "newmedia": true, "annual_report": true}

// catalogWalk is the 公开目录 as found: its columns, the sub-columns reached
// from them and every item listed on the way.
type catalogWalk struct {
	roots  []site.Column // catalogue columns (catalog, statutory)
	pages  []*site.Page  // column pages visited, roots first
	cols   []site.Column // the columns the items were listed by
	items  []Item
	from   map[string]site.Column // item URL -> column that listed it
	looked []string
	broken *site.Page // first catalogue column page that answered 4xx/5xx
	// empty is the first catalogue page that lists nothing and says so
	// (暂无信息), with the words it used.
	empty      *site.Page
	emptyWords string
}

// emptyListWords are what a list page shows when it has nothing to list.
var emptyListWords = []string{"暂无信息", "暂无数据", "暂无内容", "暂无记录", "暂无相关信息", "没有信息", "没有记录", "没有相关信息", "无相关信息", "没有找到相关", "共0条", "共0页"}

// walkCatalog reads the catalogue columns. A catalogue page that lists items
// is the catalogue; one that lists none and shows no "empty" notice is an
// index (a tree of sub-columns: 机构信息, 政策文件, 规划计划 ...), so the
// sub-columns linked from its content are read in turn, on fetched pages of
// the same host, up to maxCatalogDepth. Side bars that repeat the site's
// column list are followed only when the content links nowhere.
func (c *columnSet) walkCatalog(empty []string) catalogWalk {
	w := catalogWalk{roots: c.columns(catalogKinds...), from: map[string]site.Column{}}
	type node struct {
		col   site.Column
		depth int
	}
	visited := map[string]bool{}
	var queue []node
	for _, r := range w.roots {
		queue = append(queue, node{r, 0})
	}
	itemSeen := map[string]bool{}
	for len(queue) > 0 && len(w.pages) < maxCatalogPages {
		n := queue[0]
		queue = queue[1:]
		if visited[n.col.URL] {
			continue
		}
		p := c.s.Page(n.col.URL)
		visited[n.col.URL] = true
		w.looked = append(w.looked, n.col.URL)
		if p == nil {
			continue
		}
		visited[pageURL(p)] = true
		if !p.OK() {
			if n.depth == 0 && w.broken == nil && p.Status >= 400 {
				w.broken = p
			}
			continue
		}
		w.pages = append(w.pages, p)
		listed := map[string]bool{}
		own := 0
		for _, it := range c.itemsOf(n.col.URL) {
			listed[it.URL] = true
			if c.isColumn(it.URL) {
				continue // a sub-column shown as a list entry
			}
			own++
			if !itemSeen[it.URL] {
				itemSeen[it.URL] = true
				w.items = append(w.items, it)
				w.from[it.URL] = n.col
			}
		}
		if own > 0 {
			w.cols = append(w.cols, n.col)
			continue
		}
		if word := saysEmpty(p, empty); word != "" {
			if w.empty == nil {
				w.empty, w.emptyWords = p, word
			}
			continue
		}
		if n.depth >= maxCatalogDepth {
			continue
		}
		for _, l := range subColumnLinks(p) {
			if visited[l.URL] || c.isEntry(l.URL) || (listed[l.URL] && !c.isColumn(l.URL)) || !sameHost(l.URL, pageURL(p)) || c.kindOf(l.URL, notCatalogKinds) {
				continue
			}
			if q := c.s.Page(l.URL); !q.OK() || visited[pageURL(q)] {
				continue
			}
			queue = append(queue, node{site.Column{Kind: n.col.Kind, Name: l.Text, URL: l.URL, Source: "link", From: n.col.URL}, n.depth + 1})
		}
	}
	return w
}

// saysEmpty returns the word by which a list page says it lists nothing.
func saysEmpty(p *site.Page, words []string) string {
	t := page.Compact(mainText(p))
	for _, w := range words {
		if w != "" && strings.Contains(t, page.Compact(w)) {
			return w
		}
	}
	return ""
}

// isEntry reports whether u is the unit's entry page: a catalogue that
// links back to the 信息公开 home does not make the home a sub-column.
func (c *columnSet) isEntry(u string) bool {
	e := c.s.EntryPage()
	return u == c.s.Entry || e != nil && u == pageURL(e)
}

// kindOf reports whether u is the page of a column of one of the kinds.
func (c *columnSet) kindOf(u string, kinds map[string]bool) bool {
	for _, col := range c.s.Columns {
		if col.URL == u && kinds[col.Kind] {
			return true
		}
	}
	return false
}

// subColumnLinks returns the links in a column page's content (not its
// chrome) whose text is short enough to name a column. Links in a side bar
// count only when the content has none.
func subColumnLinks(p *site.Page) []site.Link {
	var main, side []site.Link
	for _, l := range pageLinks(p) {
		n := utf8.RuneCountInString(l.Text)
		if l.Chrome || n < 2 || n > 20 || page.PagerText.MatchString(l.Text) {
			continue
		}
		if l.Side {
			side = append(side, site.Link{URL: l.URL, Text: l.Text})
		} else {
			main = append(main, site.Link{URL: l.URL, Text: l.Text})
		}
	}
	if len(main) > 0 {
		return main
	}
	return side
}

// sameHost reports whether two absolute URLs share their host.
func sameHost(a, b string) bool {
	ua, err1 := url.Parse(a)
	ub, err2 := url.Parse(b)
	return err1 == nil && err2 == nil && strings.EqualFold(ua.Host, ub.Host)
}

// pageLink is a link of a page with what surrounds it.
type pageLink struct {
	URL  string
	Text string // anchor text, or its title attribute when longer
	// Context is the text of the link's block (the line "相关文件：《…》"),
	// empty when the block is too long to be one line.
	Context string
	Chrome  bool // inside nav, header, footer or an element classed as such
	Side    bool // inside an aside or an element classed as a side bar
}

// pageLinks returns the links of a page in document order (page.Anchor),
// each named by its text or its longer title.
func pageLinks(p *site.Page) []pageLink {
	v := viewOf(p)
	if v == nil {
		return nil
	}
	out := make([]pageLink, 0, len(v.Anchors))
	for _, a := range v.Anchors {
		out = append(out, pageLink{URL: a.URL, Text: a.Label(), Context: a.Context, Chrome: a.Chrome, Side: a.Side})
	}
	return out
}

// titleSuffix splits a <title> into the article's title and the site's name
// (关于…的通知_北仑区人民政府, …-宁波市北仑区教育局).
var titleSuffix = regexp.MustCompile(`\s*(_|\||｜|－|-{1,2}|—{1,2})\s*`)

// articleTitle returns the title of an article page: its metadata 标题/文件名称,
// else its first heading in the content, else the first part of <title>.
func articleTitle(p *site.Page) string {
	if !hasBody(p) {
		return ""
	}
	if m := viewOf(p).Meta; utf8.RuneCountInString(m.Fields["title"]) >= 4 {
		return m.Fields["title"]
	}
	for _, h := range viewOf(p).Headings {
		if n := utf8.RuneCountInString(h.Text); h.Any(articleHeading) && n >= 6 && n <= 150 {
			return h.Text
		}
	}
	t := strings.TrimSpace(p.Title)
	if parts := titleSuffix.Split(t, -1); len(parts) > 1 && utf8.RuneCountInString(parts[0]) >= 4 {
		return parts[0]
	}
	return t
}

// articleHeading are the marks of an article's heading.
const articleHeading = page.H1 | page.H2 | page.H3 | page.TitleClass | page.ArticleClass | page.TitleID

// pubLabels are the labels of an article's publication date, in the order
// trusted. Real pages: "发布时间：2019-03-05 09:30 来源：区教育局",
// "发布日期：2019年3月5日", a metadata table's 发布日期 cell.
var pubLabels = []string{"发布日期", "发布时间", "公开日期", "公开时间", "发表时间", "发文日期", "发文时间"}

// pubDate returns when an article was published: its metadata 发布日期, else
// a date after one of labels in its text, else the date its list showed, else its
// 成文日期. It says which source it used.
func pubDate(p *site.Page, m Metadata, listed time.Time, labels []string) (time.Time, string) {
	if t, ok := cndate.First(m.Fields["published"]); ok {
		return t, m.Labels["published"]
	}
	if t, ok := cndate.AfterLabel(pageText(p), labels...); ok {
		return t, "页面发布时间"
	}
	if !listed.IsZero() {
		return listed, "列表日期"
	}
	if t, ok := cndate.First(m.Fields["written"]); ok {
		return t, m.Labels["written"]
	}
	return time.Time{}, ""
}

// titleNoise are words that tell a 解读 or a covering notice apart from the
// document's own name; they are dropped before titles are compared.
var titleNoise = regexp.MustCompile(`关于印发|关于转发|关于|印发|转发|的通知|通知|政策解读|文字解读|图文解读|图片解读|视频解读|图解|一图读懂|一图看懂|一图了解|解读|答记者问|问答|的|》|《|“|”|"|（|）|\(|\)|【|】|\[|\]|:|：|，|,|。|、|—|-|_`)

// titleCore reduces a title to the words that name the document.
func titleCore(t string) string {
	return titleNoise.ReplaceAllString(page.Compact(t), "")
}

// relatedTitles reports whether two titles name the same document: their
// cores share a run of at least 6 characters that covers most of the
// shorter core (a 解读 of 《北仑区养老服务补贴管理办法》 against 关于印发北仑区
// 养老服务补贴管理办法的通知).
func relatedTitles(a, b string) bool {
	ca, cb := []rune(titleCore(a)), []rune(titleCore(b))
	if len(ca) < 4 || len(cb) < 4 {
		return false
	}
	short := len(ca)
	if len(cb) < short {
		short = len(cb)
	}
	n := longestCommon(ca, cb)
	return n >= 6 && n*10 >= short*6 || n == short && n >= 4
}

// longestCommon returns the length of the longest common run of a and b.
func longestCommon(a, b []rune) int {
	if len(a) > 300 {
		a = a[:300]
	}
	if len(b) > 300 {
		b = b[:300]
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	best := 0
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			if a[i-1] == b[j-1] {
				cur[j] = prev[j-1] + 1
				if cur[j] > best {
					best = cur[j]
				}
			} else {
				cur[j] = 0
			}
		}
		prev, cur = cur, prev
	}
	return best
}

// isInterpretationTitle reports whether a title is that of a 解读 rather than
// a document.
var interpretationTitle = regexp.MustCompile(`解读|图解|一图读懂|一图看懂|一图了解|答记者问|问答|政策吹风`)

// blankValue matches values that fill a field without saying anything:
// 无, 暂无, -, /, 空.
var blankValue = regexp.MustCompile(`^[\s　\-—－/／\\_.。·*]*(无|暂无|空|无文号|/|／|-|—|－)?[\s　\-—－/／\\_.。·*]*$`)

// isBlank reports whether a field's value says nothing.
func isBlank(v string) bool {
	return blankValue.MatchString(strings.TrimFunc(v, func(r rune) bool { return unicode.IsSpace(r) || r == '\u3000' }))
}

// maxMetaValue bounds the length, in runes, of a plausible value of each
// metadata field.
var maxMetaValue = map[string]int{"index_no": 60, "publisher": 60, "doc_no": 40, "validity": 30, "topic": 60,
	"written": 30, "published": 30, "effective": 30, "expires": 30, "period": 40}

// docMeta reads a document page's metadata and drops values that cannot be
// the field's: where a label's own cell is empty, the reader may take the
// next text on the page (the article's title) for its value. A value that is
// the page's title, or longer than any real value of its field, is empty.
func docMeta(p *site.Page) Metadata {
	m := viewOf(p).Meta
	title := ""
	for f, v := range m.Fields {
		if v == "" || f == "title" {
			continue
		}
		n := utf8.RuneCountInString(v)
		if limit, ok := maxMetaValue[f]; ok && n > limit {
			m.Fields[f] = ""
			continue
		}
		if n >= 8 {
			if title == "" {
				title = page.Compact(articleTitle(p))
			}
			if cv := page.Compact(v); title != "" && (cv == title || strings.HasPrefix(cv, title)) {
				m.Fields[f] = ""
			}
		}
	}
	return m
}
