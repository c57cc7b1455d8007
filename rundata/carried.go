package rundata

import (
	"errors"
	"time"

	"gkaudit/cndate"
	"gkaudit/evidence"
	"gkaudit/site"
	"gkaudit/store"
)

// carriedFetch is the evidence of a page the run carried forward (revisit
// policy: its list entry was unchanged, no request was sent): the full fetch
// whose record and body it carries, as an earlier run stored it, with a note
// that says so.
func carriedFetch(db *store.DB, unit, runID string, p *site.Page, note func(string, ...any)) (evidence.Fetch, error) {
	note("%s 上次抓取于 %s，列表条目未变，本次沿用（本次运行未请求该页，配置 revisit.articles）", p.URL, p.FetchedAt.In(cndate.Shanghai).Format(time.DateTime))
	origRun, orig, err := db.FullFetch(unit, p.URL, p.SHA256, runID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		note("%s 的完整抓取所在的运行已被清理（gc），文件只含页面内容（SHA-256 %s）", p.URL, p.SHA256)
		cp := *p
		cp.Exchanges = nil
		return pageFetch(db, &cp, func(string, ...any) {})
	case err != nil:
		return evidence.Fetch{}, err
	}
	note("%s 的完整响应取自运行 %s（抓取于 %s）", p.URL, origRun.ID, orig.FetchedAt.In(cndate.Shanghai).Format(time.DateTime))
	return pageFetch(db, orig, note)
}
