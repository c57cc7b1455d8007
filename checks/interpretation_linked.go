package checks

import (
	"strings"
	"time"

	"gkaudit/page"
	"gkaudit/site"
)

// InterpretationLinkedRule is the source of interpretation.linked.
const InterpretationLinkedRule = "《政府网站发展指引》（国办发〔2017〕47号）：政策文件与解读材料相互关联；北仑区考核指标“图解、解读（5分）”：政策解读信息需与政策文件同步关联发布"

// interpretationLinkedTerms are the link texts (or the labels before a link)
// that lead from a 解读 to its document and from a document to its 解读.
var interpretationLinkedTerms = map[string][]string{
	"interpretation.linked.to_document":       {"原文", "政策原文", "文件原文", "原文链接", "查看原文", "相关文件", "相关政策", "关联文件", "关联政策", "政策文件", "文件全文", "被解读文件", "解读文件", "文件链接", "原件"},
	"interpretation.linked.to_interpretation": {"解读", "相关解读", "政策解读", "关联解读", "图解", "图文解读", "文字解读", "视频解读", "一图读懂", "一图看懂", "问答"},
}

// InterpretationLinked (interpretation.linked) checks that each 解读 and its
// policy document link to each other (政府网站发展指引: 政策文件与解读材料相互
// 关联; rubric 图解、解读: 政策解读信息需与政策文件同步关联发布).
//
// The 解读 are the article pages listed by the unit's interpretation columns
// (政策解读, 图解, 解读回应 ...). A 解读's document is found, in this order:
//  1. a link on the 解读 page to a fetched page that is its document: the
//     link or the label before it says so (原文, 政策原文, 相关文件, 关联文件
//     ...), or it leads to an item of the policy columns or of the 公开目录
//     whose title names the same document as the 解读 (《北仑区…办法》解读 and
//     关于印发北仑区…办法的通知);
//  2. a policy or catalogue document that links to the 解读 under a 解读
//     label (相关解读, 政策解读, 图解) or with the 解读's title;
//  3. a policy or catalogue document whose title names the 解读's subject.
//
// Then the document must link back to the 解读 (any link to its URL).
//
// One finding per 解读, subject its URL: pass when both links exist; fail
// naming the missing direction (URL: the page that lacks the link); fail
// too when no document can be identified at all — a 解读 that names no
// document and is named by none is not linked (a reviewer can overrule it
// for a 解读 of no document of this unit). na for a 解读 whose 原文 link
// leaves the unit's site (the back link cannot be checked) or leads to a page
// not fetched; one na when the unit shows no 解读 at all, or the site could
// not be reached.
func InterpretationLinked(s *site.Snapshot, env Env) []Finding {
	if !s.EntryPage().OK() {
		return []Finding{entryUnreachable(s, "interpretation", "政策解读与文件的关联")}
	}
	ix := env.interpIndex(s)
	if len(ix.interps) == 0 {
		return []Finding{ix.none()}
	}
	var out []Finding
	for _, pr := range ix.pairs() {
		j := pr.interp
		ju := pageURL(j.Page)
		f := Finding{Subject: j.URL, URL: ju, Looked: []string{j.Column.URL, ju}, Evidence: evidence(j.Page, j.Title)}
		jn := "解读“" + page.Clip(j.Title, 50) + "”"
		switch {
		case pr.doc == nil && pr.docURL != "":
			f.Status = NA
			f.Detail = jn + "链接的原文件" + pr.why + "，无法核对文件是否链接解读：" + pr.docURL
			f.Looked = append(f.Looked, pr.docURL)
		case pr.doc == nil:
			f.Status = Fail
			f.Detail = jn + "未链接政策原文，也没有政策文件链接到该解读，无法识别对应文件"
		default:
			du := pageURL(pr.doc)
			f.Looked = append(f.Looked, du)
			dn := "文件“" + page.Clip(pr.docTitle, 50) + "”"
			switch {
			case pr.forward && pr.back:
				f.Status = Pass
				f.Detail = jn + "与" + dn + "相互链接"
			case pr.back:
				f.Status = Fail
				f.Detail = jn + "页面未链接政策原文" + dn + "（文件页已链接解读）"
			case pr.forward:
				f.Status = Fail
				f.URL = du
				f.Detail = dn + "页面未链接其" + jn + "（解读页已链接原文）"
				f.Evidence = evidence(pr.doc, pr.docTitle)
			default:
				f.Status = Fail
				f.Detail = jn + "与" + dn + "互未链接（按标题对应）"
			}
		}
		out = append(out, f)
	}
	return out
}

// interpIndex gathers a unit's 解读 and the documents they may belong to.
type interpIndex struct {
	s        *site.Snapshot
	cs       *columnSet
	cols     []site.Column
	interps  []docPage
	isInterp map[string]bool
	docs     []docPage
	docByURL map[string]docPage
	toDoc    []string
	toInterp []string
}

func newInterpIndex(s *site.Snapshot, env Env) *interpIndex {
	cs := env.columnSet(s)
	ix := &interpIndex{s: s, cs: cs, cols: cs.columns("interpretation"), isInterp: map[string]bool{}, docByURL: map[string]docPage{},
		toDoc:    env.Terms("interpretation.linked.to_document", interpretationLinkedTerms["interpretation.linked.to_document"]),
		toInterp: env.Terms("interpretation.linked.to_interpretation", interpretationLinkedTerms["interpretation.linked.to_interpretation"])}
	policy := policyDocs(cs, cs.columns("policy"))
	policySet := map[string]bool{}
	for _, d := range policy {
		policySet[pageURL(d.Page)] = true
	}
	for _, j := range cs.docsOf(ix.cols) {
		// An interpretation column's sidebar may list documents: a policy
		// document is a 解读 only when its title says so.
		if policySet[pageURL(j.Page)] && !interpretationTitle.MatchString(j.Title) {
			continue
		}
		ix.interps = append(ix.interps, j)
		ix.isInterp[j.URL], ix.isInterp[pageURL(j.Page)] = true, true
	}
	add := func(d docPage) {
		u := pageURL(d.Page)
		if ix.isInterp[u] || interpretationTitle.MatchString(d.Title) {
			return
		}
		if _, ok := ix.docByURL[u]; ok {
			return
		}
		ix.docs = append(ix.docs, d)
		ix.docByURL[u], ix.docByURL[d.URL] = d, d
	}
	for _, d := range policy {
		add(d)
	}
	if len(ix.interps) > 0 {
		for _, d := range catalogDocs(cs, cs.walkCatalog(env.Terms("catalog.present.empty", emptyListWords))) {
			add(d)
		}
	}
	return ix
}

// none is the finding when the unit shows no 解读.
func (ix *interpIndex) none() Finding {
	f := Finding{Subject: "interpretation", Status: NA, URL: ix.s.Entry, Looked: []string{ix.s.Entry}, Detail: "未找到政策解读栏目，无解读可查"}
	if len(ix.cols) > 0 {
		f.URL, f.Looked = ix.cols[0].URL, columnURLs(ix.cols)
		f.Detail = "政策解读栏目中没有已抓取的解读页面，无法检查"
	}
	return f
}

// interpPair is a 解读 with the document found for it.
type interpPair struct {
	interp   docPage
	doc      *site.Page // nil when none was identified (or it was not fetched)
	docURL   string     // the document's URL when the 解读 links to one not fetched
	why      string     // why an unfetched document cannot be checked
	docTitle string
	docDate  time.Time // the date the document's list showed
	forward  bool      // the 解读 links to the document
	back     bool      // the document links to the 解读
}

// pairs finds each 解读's document.
func (ix *interpIndex) pairs() []interpPair {
	var out []interpPair
	for _, j := range ix.interps {
		out = append(out, ix.pair(j))
	}
	return out
}

func (ix *interpIndex) pair(j docPage) interpPair {
	pr := interpPair{interp: j}
	ju := map[string]bool{j.URL: true, j.Page.URL: true, pageURL(j.Page): true}
	best, bestScore := "", 0
	var external pageLink
	for _, l := range pageLinks(j.Page) {
		if ju[l.URL] || ix.isInterp[l.URL] || ix.cs.isColumn(l.URL) || ix.cs.isEntry(l.URL) {
			continue
		}
		label := containsAny(l.Text, ix.toDoc) || containsAny(strings.Replace(l.Context, l.Text, "", 1), ix.toDoc)
		t := ix.s.Page(l.URL)
		if !t.OK() {
			if label && external.URL == "" && !l.Chrome {
				external = l
			}
			continue
		}
		if ix.isInterp[pageURL(t)] {
			continue
		}
		d, isDoc := ix.docByURL[l.URL]
		if !isDoc {
			d, isDoc = ix.docByURL[pageURL(t)]
		}
		title := l.Text
		if isDoc {
			title = d.Title
		}
		related := relatedTitles(title, j.Title) || relatedTitles(l.Text, j.Title)
		score := 0
		switch {
		case label && (isDoc || related):
			score = 6
		case label && !l.Chrome && !isListPage(t):
			score = 4 // 原文 on a page outside the policy columns
		case isDoc && related:
			score = 3
		}
		if score > 0 && related {
			score++
		}
		if l.Chrome {
			score -= 2
		}
		if score > bestScore {
			best, bestScore = l.URL, score
		}
	}
	if best != "" {
		pr.forward = true
		ix.setDoc(&pr, best)
	} else if external.URL != "" {
		pr.docURL, pr.why = external.URL, "不在本单位网站内"
		if !isOutbound(ix.s, external.URL) {
			pr.why = "为附件或未抓取的页面"
		}
		// A document of this unit may still link back: prefer it below.
		if d, ok := ix.backlinked(j, ju); ok {
			pr.docURL, pr.why = "", ""
			ix.setDoc(&pr, d)
		}
		return ix.finish(pr, ju)
	} else if d, ok := ix.backlinked(j, ju); ok {
		ix.setDoc(&pr, d)
	} else {
		for _, d := range ix.docs {
			if relatedTitles(d.Title, j.Title) {
				ix.setDoc(&pr, pageURL(d.Page))
				break
			}
		}
	}
	return ix.finish(pr, ju)
}

// finish decides whether the document links back to the 解读.
func (ix *interpIndex) finish(pr interpPair, ju map[string]bool) interpPair {
	if pr.doc == nil {
		return pr
	}
	for _, l := range linksOf(pr.doc) {
		if ju[l.URL] {
			pr.back = true
			break
		}
	}
	return pr
}

// setDoc records the document at u.
func (ix *interpIndex) setDoc(pr *interpPair, u string) {
	p := ix.s.Page(u)
	pr.doc = p
	if d, ok := ix.docByURL[u]; ok {
		pr.docTitle, pr.docDate = d.Title, d.Date
	} else if p != nil {
		if d, ok := ix.docByURL[pageURL(p)]; ok {
			pr.docTitle, pr.docDate = d.Title, d.Date
		} else {
			pr.docTitle = articleTitle(p)
		}
	}
}

// backlinked returns the document that links to the 解读 under a 解读 label
// or with the 解读's title.
func (ix *interpIndex) backlinked(j docPage, ju map[string]bool) (string, bool) {
	for _, d := range ix.docs {
		for _, l := range linksOf(d.Page) {
			if !ju[l.URL] {
				continue
			}
			if containsAny(l.Text, ix.toInterp) || relatedTitles(l.Text, j.Title) || relatedTitles(d.Title, j.Title) {
				return pageURL(d.Page), true
			}
		}
	}
	return "", false
}

// isListPage reports whether p lists several items: a column page, not a
// document, whatever link led to it.
func isListPage(p *site.Page) bool {
	return len(ListItems(p)) >= 3
}

// isOutbound reports whether u was probed as a link leaving the unit's scope.
func isOutbound(s *site.Snapshot, u string) bool {
	for _, p := range s.Probes {
		if p.URL == u {
			return p.External
		}
	}
	return false
}
