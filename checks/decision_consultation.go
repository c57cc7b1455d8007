package checks

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gkaudit/page"
	"gkaudit/site"
)

// DecisionConsultationRule is the source of decision.consultation.
const DecisionConsultationRule = "北仑区考核指标“决策和执行公开（5分）”：涉及公共利益和公众权益的重大事项，主动向社会公布决策草案、决策依据，并通过政府信息公开平台等多种形式公开征求意见，广泛听取意见；《重大行政决策程序暂行条例》（国务院令第713号）第十四条"

// decisionConsultationTerms: item titles that are consultations wherever
// they are listed (decision.consultation.title), and titles that are not
// although they carry those words (decision.consultation.exclude: a 公示 of
// an 征求意见 result is still counted; a 信访 or 人大代表建议 reply is not).
var decisionConsultationTerms = map[string][]string{
	"decision.consultation.title":   {"征求意见", "征求公众意见", "征求社会意见", "意见征集", "征集意见", "意见建议征集", "公开征求", "征求意见稿", "草案", "决策预公开", "民意调查", "民意征集", "听证会"},
	"decision.consultation.exclude": {"建议的答复", "提案的答复", "代表建议", "政协提案", "信访", "投诉", "听证告知", "预算草案的报告", "预算草案报告", "计划草案的报告"},
}

// minConsultTitle is the shortest link text (runes) taken for an item title
// outside the consultation columns: shorter texts are menu entries (意见征集).
const minConsultTitle = 8

// maxConsultationColumns bounds the consultation columns read.
const maxConsultationColumns = 20

// consultItem is a consultation item found on the site.
type consultItem struct {
	Item
	When   time.Time
	Column string // consultation column listing it, "" when found elsewhere
}

// DecisionConsultation (decision.consultation) checks that the unit published
// at least one 征求意见/决策预公开 item dated in the assessment year (config
// year, else the year before the as-of date): the rubric's 公布决策草案、决策
// 依据，公开征求意见.
//
// Items are those of the columns the crawler mapped to consultation (征求意见,
// 意见征集, 决策预公开, 重大决策预公开, 民意征集, 公众参与 ...), pagination
// included, and items anywhere on the site whose titles say 征求…意见, 意见
// 征集, 征求意见稿, 草案 or 听证会 (many units publish a 征求意见公告 under 通知
// 公告). An item's date is the list's, else its page's 发布日期, else the
// date in its URL; items outside the consultation columns whose date cannot
// be read are left out, and link texts shorter than a title (a 意见征集 menu
// entry pointing at the district's platform) are not items.
//
// pass: an item dated in the year. fail: none (the detail gives what was
// found and the newest date); no consultation column and no such item
// anywhere; the column does not open. na: the site is unreachable; the
// column was never fetched and nothing was found elsewhere; or items were
// found whose dates cannot be read.
func DecisionConsultation(s *site.Snapshot, env Env) []Finding {
	if !s.EntryPage().OK() {
		return []Finding{entryUnreachable(s, "consultation", "征求意见信息")}
	}
	year := assessYear(env)
	titles := env.Terms("decision.consultation.title", decisionConsultationTerms["decision.consultation.title"])
	exclude := env.Terms("decision.consultation.exclude", decisionConsultationTerms["decision.consultation.exclude"])
	var cols []site.Column
	var colPages []*site.Page
	var broken *site.Page
	var unfetched, looked []string
	var items []consultItem
	seen := map[string]bool{}
	add := func(it Item, col string) {
		if seen[it.URL] {
			return
		}
		seen[it.URL] = true
		when, _, _ := itemWhen(s, it)
		items = append(items, consultItem{Item: it, When: when, Column: col})
	}
	seenCol := map[string]bool{}
	for _, c := range s.ColumnsOf("consultation") {
		if seenCol[c.URL] || len(cols) >= maxConsultationColumns {
			continue
		}
		seenCol[c.URL] = true
		cols = append(cols, c)
		looked = append(looked, c.URL)
		p := s.Page(c.URL)
		switch {
		case p == nil:
			unfetched = append(unfetched, c.URL)
			continue
		case !p.OK():
			if broken == nil && p.Status >= 400 {
				broken = p
			}
			continue
		}
		colPages = append(colPages, p)
		for _, it := range columnList(s, c.URL) {
			if seenCol[it.URL] {
				continue
			}
			add(it, c.URL)
		}
	}
	// Consultation items elsewhere: titled links on any crawled page, dated
	// by the list they sit in when it is a column page, else by their page.
	listed := map[string]Item{}
	for _, c := range s.Columns {
		if seenCol[c.URL] || listed[c.URL].URL == "-" {
			continue
		}
		listed[c.URL] = Item{URL: "-"}
		for _, it := range ListItems(s.Page(c.URL)) {
			if _, ok := listed[it.URL]; !ok {
				listed[it.URL] = it
			}
		}
	}
	isCol := map[string]bool{}
	for _, c := range s.Columns {
		isCol[c.URL] = true
	}
	for _, p := range s.Pages {
		for _, l := range p.Links {
			if seen[l.URL] || isCol[l.URL] {
				continue
			}
			t := page.Compact(l.Text)
			if utf8.RuneCountInString(t) < minConsultTitle || !containsAny(t, titles) || containsAny(t, exclude) {
				continue
			}
			it := listed[l.URL]
			if it.URL != l.URL {
				it = Item{Title: l.Text, URL: l.URL}
			}
			if when, _, ok := itemWhen(s, it); ok {
				seen[it.URL] = true
				items = append(items, consultItem{Item: it, When: when})
			}
		}
	}
	return []Finding{judgeConsultation(s, year, cols, colPages, broken, unfetched, looked, items)}
}

func judgeConsultation(s *site.Snapshot, year int, cols []site.Column, colPages []*site.Page, broken *site.Page, unfetched, looked []string, items []consultItem) Finding {
	colURL := ""
	if len(cols) > 0 {
		colURL = cols[0].URL
	}
	f := Finding{Subject: "consultation", URL: orURL(colURL, s.Entry), Looked: orLooked(looked, s.Entry)}
	var inYear, undated int
	var newest consultItem
	for _, it := range items {
		switch {
		case it.When.IsZero():
			undated++
		case it.When.Year() == year:
			inYear++
			if newest.When.Year() != year || it.When.After(newest.When) {
				newest = it
			}
		case newest.When.Year() != year && it.When.After(newest.When):
			newest = it
		}
	}
	where := fmt.Sprintf("征求意见类栏目%d个、相关信息%d条", len(cols), len(items))
	if inYear > 0 {
		f.Status = Pass
		f.URL = orURL(newest.Column, newest.URL)
		f.Detail = fmt.Sprintf("%d年发布征求意见类信息%d条（%s；最近：《%s》%s）", year, inYear, where, titleClip(newest.Title), newest.When.Format("2006-01-02"))
		f.Evidence = consultEvidence(s, newest, colPages)
		return f
	}
	newestText := ""
	if !newest.When.IsZero() {
		newestText = fmt.Sprintf("；最新一条《%s》发布于%s", titleClip(newest.Title), newest.When.Format("2006-01-02"))
	}
	switch {
	case undated > 0:
		f.Status = NA
		f.Detail = fmt.Sprintf("找到征求意见类信息%d条，其中%d条无法确定发布日期，无法判断%d年是否发布（%s%s）", len(items), undated, year, where, newestText)
	case len(items) > 0:
		f.Status = Fail
		f.Detail = fmt.Sprintf("%d年未发布征求意见、决策草案类信息（%s%s）", year, where, newestText)
		f.Evidence = consultEvidence(s, newest, colPages)
	case len(cols) == 0:
		f.Status = Fail
		f.Detail = fmt.Sprintf("未找到征求意见/意见征集/决策预公开栏目，也未找到标题含征求意见、意见征集、草案的信息（%d年）", year)
		f.Evidence = evidence(s.EntryPage(), "")
	case len(colPages) == 0 && broken != nil:
		f.Status = Fail
		f.URL = broken.URL
		f.Detail = fmt.Sprintf("征求意见栏目无法打开（HTTP %d %s），也未在其他栏目找到%d年的征求意见信息", broken.Status, broken.ErrCause(), year)
		f.Evidence = evidence(broken, "")
	case len(colPages) == 0:
		f.Status = NA
		f.Detail = "征求意见栏目页面未抓取，无法判断：" + strings.Join(unfetched, "、")
	default:
		f.Status = Fail
		f.Detail = fmt.Sprintf("征求意见栏目无内容，%d年未发布征求意见、决策草案类信息", year)
		f.Evidence = evidence(colPages[0], pageText(colPages[0]))
	}
	return f
}

// consultEvidence is the evidence for an item: the column page listing it,
// else its own page.
func consultEvidence(s *site.Snapshot, it consultItem, colPages []*site.Page) Evidence {
	for _, p := range colPages {
		if pageURL(p) == it.Column || p.URL == it.Column {
			return evidence(p, it.Title)
		}
	}
	if p := s.Page(it.URL); p.OK() {
		return evidence(p, it.Title)
	}
	for _, p := range s.Pages {
		for _, l := range p.Links {
			if l.URL == it.URL {
				return evidence(p, it.Title)
			}
		}
	}
	if len(colPages) > 0 {
		return evidence(colPages[0], it.Title)
	}
	return Evidence{URL: it.URL, Excerpt: it.Title}
}

// orLooked returns looked, or just def when nothing was looked at.
func orLooked(looked []string, def string) []string {
	if len(looked) == 0 {
		return []string{def}
	}
	return looked
}
