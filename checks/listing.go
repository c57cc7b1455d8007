package checks

import (
	"bytes"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"

	"gkaudit/cndate"
	"gkaudit/site"
)

// Item is one entry of a column's list: a title linking to a page, usually
// with a date beside it.
type Item struct {
	Title string
	URL   string
	Date  time.Time // zero when the list shows no full date
}

// pagerText matches the texts of pagination links, which are not items.
var pagerText = regexp.MustCompile(`^(首页|上一页|下一页|尾页|末页|前一页|后一页|上页|下页|更多|更多>>|more|More|MORE|\d+|\[\d+\]|>|<|>>|<<|»|«|GO|go|跳转|确定)$`)

// itemContainers are the elements a list entry sits in: <li> lists, table
// rows and card <div>s alike. Selectors are compiled once: ListItems runs on
// every list page of every check.
var (
	itemContainers = cascadia.MustCompile("li, tr, dd, dt, p, div, article, section")
	listEntry      = cascadia.MustCompile("li, tr, dd, dt")
	listParent     = cascadia.MustCompile("li, tr, ul, ol, table")
	linkSel        = cascadia.MustCompile("a[href]")
)

// ListItems returns the entries listed on a column page: links in the page's
// content (not its chrome) that carry a full date in their entry, or that are
// long enough to be a title in a list or table. Relative links resolve against
// the page's final URL.
func ListItems(p *site.Page) []Item {
	if p == nil || len(p.Body) == 0 {
		return nil
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(p.HTML()))
	if err != nil {
		return nil
	}
	stripChrome(doc)
	base, _ := url.Parse(pageURL(p))
	var out []Item
	seen := map[string]bool{}
	doc.FindMatcher(linkSel).Each(func(_ int, a *goquery.Selection) {
		title := collapse(a.Text())
		if t, ok := a.Attr("title"); ok && utf8.RuneCountInString(t) > utf8.RuneCountInString(title) {
			title = collapse(t) // lists truncate long titles: 关于印发…的通知
		}
		if title == "" || pagerText.MatchString(title) {
			return
		}
		href, _ := a.Attr("href")
		u := resolve(base, href)
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

// stripChrome removes scripts, styles and page chrome (nav, header, footer and
// elements whose class or id says so).
func stripChrome(doc *goquery.Document) {
	doc.Find("script, style, noscript, nav, header, footer, template").Remove()
	doc.Find("[class], [id]").Each(func(_ int, s *goquery.Selection) {
		cls, _ := s.Attr("class")
		id, _ := s.Attr("id")
		if chromeClass.MatchString(cls) || chromeClass.MatchString(id) {
			s.Remove()
		}
	})
}

func pageURL(p *site.Page) string {
	if p.FinalURL != "" {
		return p.FinalURL
	}
	return p.URL
}

// resolve makes href absolute against base and drops its fragment; it returns
// "" for links that lead nowhere (javascript:, mailto:, #).
func resolve(base *url.URL, href string) string {
	href = strings.TrimSpace(href)
	if href == "" || strings.HasPrefix(href, "#") {
		return ""
	}
	lower := strings.ToLower(href)
	for _, p := range []string{"javascript:", "mailto:", "tel:", "data:"} {
		if strings.HasPrefix(lower, p) {
			return ""
		}
	}
	u, err := url.Parse(href)
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	u.Fragment = ""
	return u.String()
}

// pagerHref matches URLs of further list pages: index_2.html, list_3.shtml,
// ?page=2, &pageNum=3, /page/4.
var pagerHref = regexp.MustCompile(`(?i)(_\d+\.s?html?$|[?&](page|pagenum|pageindex|pageno|currentpage|curpage|p|cpage)=\d+|/page/\d+/?$)`)

// maxListPages bounds how many pages of one column are read.
const maxListPages = 60

// ColumnPages returns the fetched pages of a column: its first page and the
// further list pages reached through its pagination links, as far as the
// crawl fetched them.
func ColumnPages(s *site.Snapshot, columnURL string) []*site.Page {
	first := s.Page(columnURL)
	if first == nil {
		return nil
	}
	pages := []*site.Page{first}
	seen := map[string]bool{columnURL: true, pageURL(first): true}
	// The pages a platform's list script leads to (column_list.go).
	for _, p := range platformPages(s, first) {
		if !seen[p.URL] && len(pages) < maxListPages {
			seen[p.URL], seen[pageURL(p)] = true, true
			pages = append(pages, p)
		}
	}
	for i := 0; i < len(pages) && len(pages) < maxListPages; i++ {
		for _, u := range PagerLinks(pages[i]) {
			if seen[u] {
				continue
			}
			seen[u] = true
			if p := s.Page(u); p != nil && p.OK() {
				pages = append(pages, p)
			}
		}
	}
	return pages
}

// PagerLinks returns the URLs a list page's pagination links lead to (下一页,
// 2, 尾页 … pointing at index_2.html, ?page=3 …), as ColumnPages follows them.
func PagerLinks(p *site.Page) []string {
	var out []string
	for _, l := range p.Links {
		if pagerText.MatchString(strings.TrimSpace(l.Text)) && pagerHref.MatchString(l.URL) {
			out = append(out, l.URL)
		}
	}
	return out
}

// ColumnItems returns the items listed over all fetched pages of a column.
func ColumnItems(s *site.Snapshot, columnURL string) []Item {
	var out []Item
	seen := map[string]bool{}
	for _, p := range ColumnPages(s, columnURL) {
		for _, it := range ListItems(p) {
			if !seen[it.URL] {
				seen[it.URL] = true
				out = append(out, it)
			}
		}
	}
	return out
}
