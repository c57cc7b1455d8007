package page

import (
	"bytes"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"

	"gkaudit/cndate"
	"gkaudit/platform"
)

// Item is one entry of a column's list: a title linking to a page, usually
// with a date beside it.
type Item struct {
	Title string    `json:"title"`
	URL   string    `json:"url"`
	Date  time.Time `json:"date,omitzero"` // zero when the list shows no full date
}

// PagerText matches the texts of pagination links, which are not items.
var PagerText = regexp.MustCompile(`^(首页|上一页|下一页|尾页|末页|前一页|后一页|上页|下页|更多|更多>>|more|More|MORE|\d+|\[\d+\]|>|<|>>|<<|»|«|GO|go|跳转|确定)$`)

// itemContainers are the elements a list entry sits in: <li> lists, table
// rows and card <div>s alike.
var (
	itemContainers = cascadia.MustCompile("li, tr, dd, dt, p, div, article, section")
	listEntry      = cascadia.MustCompile("li, tr, dd, dt")
	listParent     = cascadia.MustCompile("li, tr, ul, ol, table")
	linkSel        = cascadia.MustCompile("a[href]")
)

// listItems returns the entries listed on a page: links in the page's
// content (not its chrome) that carry a full date in their entry, or that
// are long enough to be a title in a list or table.
func listItems(doc *goquery.Document, base *url.URL) []Item {
	var out []Item
	seen := map[string]bool{}
	doc.FindMatcher(linkSel).Each(func(_ int, a *goquery.Selection) {
		title := collapse(a.Text())
		if t, ok := a.Attr("title"); ok && utf8.RuneCountInString(t) > utf8.RuneCountInString(title) {
			title = collapse(t) // lists truncate long titles: 关于印发…的通知
		}
		if title == "" || PagerText.MatchString(title) {
			return
		}
		href, _ := a.Attr("href")
		u := Resolve(base, href)
		if u == "" || seen[u] {
			return
		}
		entry := a.ParentsMatcher(itemContainers).First()
		date, hasDate := entryDate(entry, title)
		inList := entry.IsMatcher(listEntry) || entry.ParentsMatcher(listParent).Length() > 0
		if !hasDate && !(inList && utf8.RuneCountInString(title) >= 12) {
			return
		}
		seen[u] = true
		out = append(out, Item{Title: title, URL: u, Date: date})
	})
	return out
}

// entryDate finds the full date of a list entry outside its title (a title
// such as 2019年预算公开 carries a year, not the entry's date).
func entryDate(entry *goquery.Selection, title string) (time.Time, bool) {
	if entry.Length() == 0 {
		return time.Time{}, false
	}
	text := collapse(entry.Text())
	if utf8.RuneCountInString(text) > 400 {
		return time.Time{}, false // a whole block, not one entry
	}
	text = strings.Replace(text, title, " ", 1)
	if ds := cndate.Find(text); len(ds) > 0 {
		return ds[len(ds)-1].Time, true
	}
	return time.Time{}, false
}

// Datastore is the list a Hanweb (大汉) or TRS jpage column page ships inside
// <script type="text/xml">, or a dataproxy answer holds:
// <recordset><record><![CDATA[<li><a href=...>标题</a><span>2019-12-03</span></li>]]></record>.
// An HTML parser sees that as script text, not as a list.
type Datastore struct {
	Items []Item `json:"items,omitempty"`
	// Total is the record count the datastore declares (<totalrecord>),
	// -1 when it declares none.
	Total int `json:"total"`
	// Records counts the records it holds (platform.Records).
	Records int `json:"records"`
}

// datastoreRecord matches one record of a datastore.
var datastoreRecord = regexp.MustCompile(`(?is)<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>`)

// datastoreTotal matches the datastore's record count: <totalrecord>0</totalrecord>.
var datastoreTotal = regexp.MustCompile(`(?i)<totalrecord>\s*(\d+)\s*</totalrecord>`)

// readDatastore reads the page's datastore, or returns nil when it has none.
func readDatastore(body []byte, base *url.URL) *Datastore {
	ds := &Datastore{Total: -1}
	if bytes.Contains(body, []byte("CDATA")) {
		recs, _ := platform.Records(body)
		ds.Records = len(recs)
	}
	if !bytes.Contains(body, []byte("datastore")) && !bytes.Contains(body, []byte("DATASTORE")) &&
		!bytes.Contains(body, []byte("<record>")) { // a dataproxy answer may come without its wrapper
		if ds.Records == 0 {
			return nil
		}
		return ds
	}
	if m := datastoreTotal.FindSubmatch(body); m != nil {
		if n, err := strconv.Atoi(string(m[1])); err == nil {
			ds.Total = n
		}
	}
	var b strings.Builder
	for _, m := range datastoreRecord.FindAllSubmatch(body, -1) {
		b.Write(m[1])
		b.WriteByte('\n')
	}
	if b.Len() == 0 {
		return ds
	}
	frag := b.String()
	wrap := "<ul>" + frag + "</ul>"
	if t := strings.ToLower(strings.TrimSpace(frag)); strings.HasPrefix(t, "<tr") {
		wrap = "<table>" + frag + "</table>"
	}
	doc, err := html.Parse(strings.NewReader("<html><body>" + wrap + "</body></html>"))
	if err != nil {
		return ds
	}
	gq := goquery.NewDocumentFromNode(doc)
	StripChrome(gq)
	ds.Items = listItems(gq, base)
	return ds
}
