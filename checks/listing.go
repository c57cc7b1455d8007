package checks

import (
	"regexp"
	"strings"

	"gkaudit/page"
	"gkaudit/site"
)

// Item is one entry of a column's list (page.Item).
type Item = page.Item

// ListItems returns the entries listed on a column page (page.View.Items):
// links in the page's content (not its chrome) that carry a full date in
// their entry, or that are long enough to be a title in a list or table.
func ListItems(p *site.Page) []Item {
	if v := skeletonOf(p); v != nil {
		return v.Items
	}
	return nil
}

func pageURL(p *site.Page) string {
	if p.FinalURL != "" {
		return p.FinalURL
	}
	return p.URL
}

// pagerHref matches URLs of further list pages: index_2.html, list_3.shtml,
// ?page=2, &pageNum=3, /page/4.
var pagerHref = regexp.MustCompile(`(?i)(_\d+\.s?html?$|[?&](page|pagenum|pageindex|pageno|currentpage|curpage|p|cpage)=\d+|/page/\d+/?$)`)

// maxListPages bounds how many pages of one column are read.
const maxListPages = 60

// PagerLinks returns the URLs a list page's pagination links lead to (下一页,
// 2, 尾页 … pointing at index_2.html, ?page=3 …), as ColumnPages follows them.
func PagerLinks(p *site.Page) []string {
	var out []string
	for _, l := range p.Links {
		if page.PagerText.MatchString(strings.TrimSpace(l.Text)) && pagerHref.MatchString(l.URL) {
			out = append(out, l.URL)
		}
	}
	return out
}

// FurtherPages returns the URLs of the further pages of a list page: those its
// pagination links lead to (PagerLinks) and those its platform's list script
// leads to (Hanweb dataproxy answers, TRS index_N pages).
func FurtherPages(p *site.Page) []string {
	return append(PagerLinks(p), platformURLs(p)...)
}
