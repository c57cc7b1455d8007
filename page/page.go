// Package page reads a fetched page body once into the views the crawler and
// the checks need: title, links, breadcrumb, main and chrome text, list
// items, the script datastore of a Hanweb or TRS list, the metadata block.
// A View is derived data, not a DOM tree, so that a district's worth of
// pages can be held (and stored) without the parse trees they came from.
//
// The package is a leaf: it reads bytes and knows nothing of snapshots,
// checks or the crawl.
package page

import (
	"bytes"
	"net/url"
	"unicode/utf8"

	"golang.org/x/net/html"

	"gkaudit/platform"
)

// Version names the shape and extraction rules of View. Stored views are
// keyed by it (with the body's digest), so a change to what Read extracts
// must bump it: views stored by an older gkaudit are then read again from
// their bodies instead of being trusted.
const Version = 3

// ParseLimit is how much of a body is parsed as HTML. The HTML parser is
// quadratic on long runs of text broken by stray tags (a 10 MB data dump
// takes minutes), and no element a rule needs sits that deep in a real page.
const ParseLimit = 1 << 20

// View is everything the crawler and the checks read of one page body.
type View struct {
	// Title is the <title>, white space collapsed.
	Title string `json:"title,omitempty"`
	// Links are the page's outgoing links (a, area, iframe, frame, and the
	// links inside a script datastore), absolute, fragment removed, each
	// (URL, text) once, in document order.
	Links []Link `json:"links,omitempty"`
	// Crumbs is the page's location trail (首页 > 信息公开 > 政策文件).
	Crumbs []Crumb `json:"crumbs,omitempty"`
	// Main is the page's text without scripts, styles and chrome; Chrome is
	// the text of its navigation, banner and footer (Texts).
	Main   string `json:"main,omitempty"`
	Chrome string `json:"chrome,omitempty"`
	// MainRunes is how many runes Main holds: a skeleton keeps it without
	// Main, so that a check that reads only short pages (link.broken's
	// soft 404) can tell which pages it must read whole.
	MainRunes int `json:"main_runes,omitempty"`
	// Items are the entries the page lists (ListItems).
	Items []Item `json:"items,omitempty"`
	// Datastore is the list a Hanweb or TRS page ships as a script
	// datastore, or a dataproxy answer holds; nil when there is none.
	Datastore *Datastore `json:"datastore,omitempty"`
	// Meta is the page's metadata block (索引号, 发布机构, 成文日期 ...).
	Meta Metadata `json:"meta,omitzero"`
	// Hanweb and TRS are the list scripts of the platforms that page a list
	// by script: a Hanweb datastore's dataproxy parameters (readable or
	// not), a TRS createPageHTML pager; nil when the page has none.
	Hanweb *platform.Hanweb   `json:"hanweb,omitempty"`
	TRS    *platform.TRSPager `json:"trs,omitempty"`
	// ScriptLoaded says the page loads its content by a script the crawler
	// does not run (platform.ScriptLoaded).
	ScriptLoaded bool `json:"script_loaded,omitempty"`

	// The content as the checks read it beyond lists and metadata: the
	// anchors of the page where they sit (catalog, guide, interpretation
	// and application-route checks: anchors.go), the headings of its
	// content (article and guide titles: headings.go), the text of its
	// content without asides and link lists, "" when that is Main
	// (ArticleText: the guide, channel.apply, newmedia.links: article.go), its content's text nodes, links, menus
	// and form (column.empty, volume.low: blocks.go), the address its
	// first mailto: link gives (guide.elements, channel.apply: mailto.go).
	// NoMain says all its text is chrome: Main then holds its title and
	// chrome text.
	Anchors  []Anchor  `json:"anchors,omitempty"`
	Headings []Heading `json:"headings,omitempty"`
	Article  string    `json:"article,omitempty"`
	Blocks   Blocks    `json:"blocks,omitzero"`
	Mailto   string    `json:"mailto,omitempty"`
	NoMain   bool      `json:"no_main,omitempty"`

	// Size is the length of the body read, in bytes (at most ParseLimit):
	// 0 for a page without a body.
	Size int `json:"size"`
	// Partial marks a Skeleton: only the fields a crawl reads are set.
	Partial bool `json:"-"`

	// The page as other checks read it (org.info, channel.apply,
	// report.sections, link.suspicious, newmedia.links, site.identity,
	// policy.validity, link.broken):
	//
	// Lines are the text segments of the page's content (chrome, scripts and
	// styles stripped; Segments), or of the whole page when the content has
	// no text (a page whose content sits in a block classed like chrome):
	// LinesWhole says so. Prose is the content's segments without the texts
	// of its links, read only on a page whose content names a 报告 or 年报.
	Lines      []string `json:"lines,omitempty"`
	LinesWhole bool     `json:"lines_whole,omitempty"`
	Prose      []string `json:"prose,omitempty"`
	// Embedded is the address of a document file (PDF, Word, OFD) the page
	// shows in a frame, an embed or an object, as written; "" when none.
	Embedded string `json:"embedded,omitempty"`
	// Forms are the page's forms. Choices says its content holds forms'
	// choice lists (select, option, closed as written); FormLines and
	// FormText are then its Lines and its article text (content without
	// asides and link lists) without them.
	Forms     []Form   `json:"forms,omitempty"`
	Choices   bool     `json:"choices,omitempty"`
	FormLines []string `json:"form_lines,omitempty"`
	FormText  string   `json:"form_text,omitempty"`
	// Entries are the links of the page's content (and of its script
	// datastore's records) with what their list entry says besides them.
	Entries []Entry `json:"entries,omitempty"`
	// Start is the start of the body (StartBytes) of a page with next to
	// no text to read: an anti-bot challenge that is all script (its words
	// sit there), a bare error answer, a page built by script; "" for any
	// other page.
	Start string `json:"start,omitempty"`
	// Media is what the page shows that may lead to its 微博 and 微信
	// accounts: its links and named images outside share widgets; nil on
	// a page that names no platform.
	Media *Media `json:"media,omitempty"`
	// Footer is what the page shows of who runs its site (标识码, 备案,
	// 主办单位, 联系我们), wherever it puts it.
	Footer *Footer `json:"footer,omitempty"`
	// Hidden are the links the page hides from its readers (暗链), with
	// how; nil on a page that holds no way of hiding.
	Hidden *Hidden `json:"hidden,omitempty"`
}

// Link is an outgoing link of a page.
type Link struct {
	URL  string `json:"url"`  // absolute, fragment removed
	Text string `json:"text"` // anchor text, whitespace collapsed
}

// Crumb is one segment of a breadcrumb trail; URL is its link, if any.
type Crumb struct {
	Text string `json:"text"`
	URL  string `json:"url,omitempty"`
}

// Read reads a page body fetched from pageURL (after redirects). It never
// fails: a body that is not HTML, or broken HTML, yields what could be
// found.
func Read(body []byte, pageURL string) *View {
	v := &View{}
	if len(body) == 0 {
		return v
	}
	if len(body) > ParseLimit {
		body = body[:ParseLimit]
	}
	v.Size = len(body)
	v.ScriptLoaded = platform.ScriptLoaded(body)
	base, err := url.Parse(pageURL)
	if err != nil {
		base = &url.URL{}
	}
	if h, found := platform.ParseHanweb(body); found {
		v.Hanweb = &h
	}
	if p, ok := platform.ParseTRSPager(body); ok {
		v.TRS = &p
	}
	v.Datastore = readDatastore(body, base)
	v.Mailto = mailtoAddress(body)
	v.Embedded = readEmbedded(body)
	refs := newResolver(base) // the page's own URL, whatever <base> says
	if isDatastoreXML(body) {
		// A dataproxy answer: XML whose records are HTML fragments.
		v.Links = uniqueLinks(datastoreLinks(string(body)), base)
		v.Meta = emptyMeta()
		// The checks read an answer's anchors and blocks as an HTML
		// parser sees its records (the CDATA wrapper ends at its first >).
		if doc, err := html.Parse(bytes.NewReader(body)); err == nil {
			t := newTree(doc)
			readContent(v, t, base)
			readLinesAndMarks(v, t, body, refs)
		} else {
			v.Entries = readEntries(nil, body, refs)
			v.Hidden = readHidden(nil, body, refs)
		}
		return v
	}
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		return v
	}
	own := base // the checks resolve anchors against the page's URL, not its <base>
	base = readLinks(v, doc, base)
	t := newTree(doc)
	v.Crumbs = findBreadcrumb(doc, base)
	v.Main, v.Chrome = texts(doc)
	v.MainRunes = utf8.RuneCountInString(v.Main)
	v.Start = readStart(body, v.Main)
	v.Items = listItems(t.stripped, base)
	v.Meta = metadataOf(doc)
	readContent(v, t, own)
	readLinesAndMarks(v, t, body, refs)
	return v
}

// readLinesAndMarks reads the content lines, forms, list entries, media,
// footer and hidden links from the shared tree.
func readLinesAndMarks(v *View, t *tree, body []byte, refs *resolver) {
	readSegments(v, t)
	readForms(v, t, body)
	v.Entries = readEntries(t.stripped, body, refs)
	v.Media = readMedia(t.doc, body, refs)
	v.Footer = readFooter(t.doc, refs)
	v.Hidden = readHidden(t.doc, body, refs)
}

// Skeleton is the part of the view a crawl goes on reading once the page is
// recorded (links to follow, the trail, list items and list scripts for the
// revisit policy, the title), with Partial set: the rest is in the store
// until the page's checks need it. Kept small, it lets a crawl of thousands
// of pages hold their skeletons only.
func (v *View) Skeleton() *View {
	if v == nil || v.Partial {
		return v
	}
	return &View{Title: v.Title, Links: v.Links, Crumbs: v.Crumbs, Items: v.Items, Datastore: v.Datastore,
		Hanweb: v.Hanweb, TRS: v.TRS, ScriptLoaded: v.ScriptLoaded, Size: v.Size, MainRunes: v.MainRunes, Partial: true}
}

// Rest is the view without the fields its Skeleton keeps: the store keeps
// the two apart, so that a crawl reads the skeleton alone.
func (v *View) Rest() *View {
	rest := *v
	rest.Title, rest.Links, rest.Crumbs, rest.Items, rest.Datastore = "", nil, nil, nil, nil
	rest.Hanweb, rest.TRS, rest.ScriptLoaded, rest.Size, rest.MainRunes = nil, nil, false, 0, 0
	rest.Partial = false
	return &rest
}
