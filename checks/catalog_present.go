package checks

import (
	"fmt"

	"gkaudit/site"
)

// CatalogPresentRule is the source of catalog.present.
const CatalogPresentRule = "《政府信息公开条例》（2019）第十二条：行政机关编制、公布的政府信息公开目录应当包括政府信息的索引、名称、内容概述、生成日期等内容，并及时更新；北仑区考核指标“公开指南、公开目录（5分）”"

// catalogPresentTerms: the catalogue itself is found through the column map
// (config columns catalog and statutory); these are the notices by which a
// list page says it is empty.
var catalogPresentTerms = map[string][]string{
	"catalog.present.empty": emptyListWords,
}

// CatalogPresent (catalog.present) checks that the unit publishes a
// 政府信息公开目录 that lists information (条例第十二条).
//
// The catalogue is any column the crawler mapped to catalog (政府信息公开目录,
// 信息公开目录, 公开目录) or statutory (法定主动公开内容, 主动公开目录), which
// real sites use as their catalogue. A catalogue page is often a tree: the
// entry lists sub-columns (机构信息, 政策文件, 规划计划 ...) each with its own
// paginated list, so the check follows the sub-columns linked from the
// catalogue's content (not its nav bar or footer) on the same host, up to
// three levels, and counts the items listed anywhere in that tree.
//
// A catalogue page that lists nothing and says so (暂无信息, 共0条) is an
// empty catalogue even when it links to other columns: those are the
// disclosure column's sections, not entries of the catalogue.
//
// pass: some catalogue column lists at least one item. fail: no catalogue
// column at all; its page answers 4xx/5xx; or every list in it is empty.
// na: the entry page could not be fetched, the catalogue's pages were not
// fetched (crawl budget), or it lists nothing the crawl could read while a
// list of it is built by a script the crawler does not understand or was
// not read whole (a Hanweb datastore, a TRS pager: unreadList).
func CatalogPresent(s *site.Snapshot, env Env) []Finding {
	if !s.EntryPage().OK() {
		return []Finding{entryUnreachable(s, "catalog", "政府信息公开目录")}
	}
	cs := env.columnSet(s)
	w := cs.walkCatalog(env.Terms("catalog.present.empty", emptyListWords))
	if len(w.roots) == 0 {
		return []Finding{{Subject: "catalog", Status: Fail, URL: s.Entry, Looked: []string{s.Entry},
			Detail: "未找到政府信息公开目录（政府信息公开目录/法定主动公开内容栏目）", Evidence: evidence(s.EntryPage(), "")}}
	}
	if len(w.pages) == 0 {
		if w.broken != nil {
			return []Finding{{Subject: "catalog", Status: Fail, URL: w.broken.URL, Looked: w.looked,
				Detail: fmt.Sprintf("政府信息公开目录栏目无法打开（HTTP %d %s）", w.broken.Status, w.broken.ErrCause()), Evidence: evidence(w.broken, "")}}
		}
		return []Finding{{Subject: "catalog", Status: NA, URL: w.roots[0].URL, Looked: w.looked,
			Detail: "政府信息公开目录栏目页面未抓取，无法判断"}}
	}
	first := w.pages[0]
	if len(w.items) == 0 && w.empty != nil {
		return []Finding{{Subject: "catalog", Status: Fail, URL: pageURL(w.empty), Looked: w.looked,
			Detail:   "政府信息公开目录未列出任何信息（页面显示“" + w.emptyWords + "”）",
			Evidence: evidence(w.empty, excerptAround(pageText(w.empty), w.emptyWords, 120))}}
	}
	if why := unreadAmong(s, w.pages); len(w.items) == 0 && why != "" {
		return []Finding{{Subject: "catalog", Status: NA, URL: pageURL(first), Looked: w.looked,
			Detail: fmt.Sprintf("政府信息公开目录“%s”未读到信息：%s", w.roots[0].Name, why), Evidence: evidence(first, "")}}
	}
	if len(w.items) == 0 {
		return []Finding{{Subject: "catalog", Status: Fail, URL: pageURL(first), Looked: w.looked,
			Detail:   fmt.Sprintf("政府信息公开目录“%s”未列出任何信息（已查看目录及其子栏目页面 %d 个）", w.roots[0].Name, len(w.pages)),
			Evidence: evidence(first, pageText(first))}}
	}
	names := ""
	for i, c := range w.cols {
		if i == 3 {
			names += "等"
			break
		}
		if i > 0 {
			names += "、"
		}
		names += c.Name
	}
	lister := s.Page(w.cols[0].URL)
	return []Finding{{Subject: "catalog", Status: Pass, URL: pageURL(first), Looked: w.looked,
		Detail:   fmt.Sprintf("政府信息公开目录列出信息 %d 条（%s）", len(w.items), names),
		Evidence: evidence(lister, w.items[0].Title)}}
}
