package checks

import (
	"fmt"

	"gkaudit/site"
)

// GuidePresentRule is the source of guide.present.
const GuidePresentRule = "《政府信息公开条例》（2019）第十二条：行政机关编制、公布的政府信息公开指南和政府信息公开目录应当及时更新；北仑区考核指标“公开指南、公开目录（5分）”：主动公布本单位政府信息公开指南"

// guidePresentTerms are the default word lists, by term key.
var guidePresentTerms = map[string][]string{
	guideWordsKey: guideWords,
}

// GuidePresent (guide.present) checks that the unit publishes its
// 政府信息公开指南 (条例第十二条).
//
// It looks where real sites put the guide: a link or column named
// 政府信息公开指南 / 信息公开指南 / 政务公开指南 / 公开指南 on the entry page,
// the columns the crawler mapped to kind guide, such links on the unit's other
// pages, and pages titled so. A guide column often shows the guide itself;
// often it is a list whose single article is the guide (TRS: 指南 column ->
// t20191115_139000.html), which is followed. 依申请公开指南 is the application
// procedure, not the guide, and does not count. See locateGuide.
//
// pass: a page that reads as a guide (enough text with the words guides use:
// 主动公开, 依申请公开, 受理机构, 办公地址 ...), or a guide published as an
// attachment (.doc/.pdf) that answers; the finding's URL is the guide's.
// fail: no guide link anywhere, the guide link answers 4xx/5xx, or the guide
// column shows neither a guide nor an item. na: the entry page could not be
// fetched, or a guide link was found but its page was never fetched.
func GuidePresent(s *site.Snapshot, env Env) []Finding {
	if !s.EntryPage().OK() {
		return []Finding{entryUnreachable(s, "guide", "政府信息公开指南")}
	}
	g := locateGuide(s, env)
	f := Finding{Subject: "guide", Looked: g.looked}
	switch {
	case g.page != nil:
		f.Status, f.URL = Pass, pageURL(g.page)
		title := articleTitleOf(g.page)
		f.Detail = "已公开政府信息公开指南：" + title
		f.Evidence = evidence(g.page, excerptAround(bodyText(g.page), "指南", 120))
	case g.attachment != "":
		f.Status, f.URL = Pass, g.attachment
		f.Detail = "政府信息公开指南以附件形式公开：" + g.attachment
		f.Evidence = evidence(g.attachFrom, "")
	case g.unfetched != "":
		f.Status, f.URL = NA, g.unfetched
		f.Detail = "找到政府信息公开指南链接，但其页面未抓取（抓取预算或范围所限），无法判断"
	case g.broken != nil:
		f.Status, f.URL = Fail, pageURL(g.broken)
		f.Detail = fmt.Sprintf("政府信息公开指南链接无法打开（HTTP %d %s）", g.broken.Status, g.broken.ErrCause())
		f.Evidence = evidence(g.broken, "")
	case g.brokenURL != "":
		f.Status, f.URL = Fail, g.brokenURL
		f.Detail = fmt.Sprintf("政府信息公开指南链接无法打开（HTTP %d）", g.brokenCode)
		f.Evidence = evidence(s.EntryPage(), "")
		f.Evidence.URL = g.brokenURL
		f.Evidence.HTTPStatus = g.brokenCode
	case g.emptyCol != nil:
		f.Status, f.URL = Fail, pageURL(g.emptyCol)
		f.Detail = "政府信息公开指南栏目为空：既未刊登指南正文，也未列出指南文章"
		f.Evidence = evidence(g.emptyCol, bodyText(g.emptyCol))
	default:
		f.Status, f.URL = Fail, s.Entry
		if len(f.Looked) == 0 {
			f.Looked = []string{s.Entry}
		}
		f.Detail = "未找到政府信息公开指南（信息公开栏目及各页面均无“政府信息公开指南/信息公开指南/公开指南”栏目或链接）"
		f.Evidence = evidence(s.EntryPage(), "")
	}
	return []Finding{f}
}

// articleTitleOf names a page for a detail: its first heading, else its
// <title>.
func articleTitleOf(p *site.Page) string {
	if t := headingOf(p); t != "" {
		return "《" + t + "》"
	}
	if p.Title != "" {
		return "《" + p.Title + "》"
	}
	return pageURL(p)
}
