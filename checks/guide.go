package checks

import (
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"gkaudit/page"
	"gkaudit/site"
)

// This file finds the unit's 政府信息公开指南 (guide.present, guide.elements,
// channel.apply, carrier.column judge the same page) and reads what guides
// share: their headings and the contact addresses they give.

// guideWordsKey is the term key of the words that name a guide in link texts,
// column names and page titles.
const guideWordsKey = "guide.present.words"

// guideWords name a 政府信息公开指南. Real sites: 政府信息公开指南,
// 信息公开指南, 政务公开指南, 公开指南 (in a 信息公开 sidebar).
var guideWords = []string{"政府信息公开指南", "信息公开指南", "政务公开指南", "公开指南"}

// guideNotWords exclude texts that contain a guide word but name something
// else: 依申请公开指南 is the application procedure, not the Art. 12 guide.
var guideNotWords = []string{"申请公开指南", "依申请公开指南", "解读"}

// maxGuideCandidates bounds how many guide links are followed.
const maxGuideCandidates = 12

// guideResult is what the search for a unit's guide found.
type guideResult struct {
	page   *site.Page // the guide itself
	listed time.Time  // its date in the column list, when reached through one
	via    string     // the link or column text that led to it
	// attachment is the URL of a guide published only as an attachment
	// (.doc/.pdf), with the page that links it.
	attachment string
	attachFrom *site.Page
	broken     *site.Page // a guide link whose page answered 4xx/5xx
	brokenURL  string     // a guide link that answered 4xx/5xx when probed
	brokenCode int        // its status
	unfetched  string     // a guide URL the crawl never fetched
	emptyCol   *site.Page // a guide column showing neither a guide nor an item
	looked     []string   // every URL examined
	seen       map[string]bool
	snapshot   *site.Snapshot
	words      []string
}

// findGuide returns the unit's 政府信息公开指南 page, or nil, and the URLs
// examined. guide.present, guide.elements and channel.apply judge the same page.
func findGuide(s *site.Snapshot, env Env) (*site.Page, []string) {
	g := locateGuide(s, env)
	return g.page, g.looked
}

// guideCandidate is a URL that may lead to the guide.
type guideCandidate struct{ url, text string }

// locateGuide looks for the guide: links whose text names it on the entry
// page, the columns the crawler mapped to kind guide, such links on any other
// page of the unit, and pages titled as a guide. A candidate is either the
// guide (a page whose body reads as one) or a column list whose guide item
// (or only item) is followed one level. When several guides are found, the
// one that names the unit wins, else the first.
//
// The search is made once per Run (Env's memo); each caller gets its own
// copy of the result.
func locateGuide(s *site.Snapshot, env Env) *guideResult {
	m := env.memo
	if m == nil || m.snap != s {
		return searchGuide(s, env)
	}
	if m.guide == nil {
		m.guide = searchGuide(s, env)
	}
	g := *m.guide
	g.looked = slices.Clip(g.looked) // a finding that appends to it gets its own
	return &g
}

// searchGuide is locateGuide's search.
func searchGuide(s *site.Snapshot, env Env) *guideResult {
	g := &guideResult{seen: map[string]bool{}, snapshot: s, words: env.Terms(guideWordsKey, guideWords)}
	if s == nil {
		return g
	}
	var first *guideResult
	for i, c := range guideCandidates(s, g.words) {
		if i >= maxGuideCandidates {
			break
		}
		g.page, g.listed, g.via = nil, time.Time{}, ""
		g.resolve(c.url, 0)
		if g.page == nil {
			continue
		}
		if g.via == "" {
			g.via = c.text
		}
		if namesUnit(g.page, env.Unit.Name) {
			return g
		}
		if first == nil {
			cp := *g
			first = &cp
		}
	}
	if first != nil {
		first.looked = g.looked
		return first
	}
	g.page = nil
	return g
}

// guideCandidates lists, without duplicates, the URLs that may lead to the
// guide, the likeliest first.
func guideCandidates(s *site.Snapshot, words []string) []guideCandidate {
	var out []guideCandidate
	seen := map[string]bool{}
	add := func(u, text string) {
		if u == "" || seen[u] {
			return
		}
		seen[u] = true
		out = append(out, guideCandidate{u, text})
	}
	entry := s.EntryPage()
	if entry != nil {
		for _, l := range anchorLinks(entry) {
			if namesGuide(l.Text, words) {
				add(l.URL, l.Text)
			}
		}
	}
	for _, c := range s.ColumnsOf("guide") {
		if !containsAny(normText(c.Name), guideNotWords) {
			add(c.URL, c.Name)
		}
	}
	for _, p := range s.Pages {
		if p == entry || !p.OK() {
			continue
		}
		for _, l := range p.Links {
			if namesGuide(l.Text, words) {
				add(l.URL, l.Text)
			}
		}
	}
	for _, p := range s.Pages {
		if !p.OK() {
			continue
		}
		crumb := ""
		if n := len(p.Breadcrumb); n > 0 {
			crumb = p.Breadcrumb[n-1]
		}
		if namesGuide(p.Title, words) || namesGuide(crumb, words) {
			add(p.URL, p.Title)
		}
	}
	return out
}

// namesGuide reports whether a link text or title names the guide.
func namesGuide(text string, words []string) bool {
	t := normText(text)
	if t == "" || utf8.RuneCountInString(t) > 40 {
		return false
	}
	return containsAny(t, words) && !containsAny(t, guideNotWords)
}

// resolve follows u to the guide: the page itself when its body reads as a
// guide, else (depth 0 only) the guide items of the list it shows.
func (g *guideResult) resolve(u string, depth int) {
	if g.seen[u] {
		return
	}
	g.seen[u] = true
	g.looked = append(g.looked, u)
	s := g.snapshot
	p := s.Page(u)
	if p == nil {
		if pr := probeOf(s, u); pr != nil {
			switch {
			case probeOK(pr) && isAttachmentURL(u):
				if g.attachment == "" {
					g.attachment = u
				}
				return
			case pr.Status >= 400:
				if g.brokenURL == "" {
					g.brokenURL, g.brokenCode = u, pr.Status
				}
				return
			}
		}
		if g.unfetched == "" {
			g.unfetched = u
		}
		return
	}
	if !p.OK() {
		if g.broken == nil && p.Status >= 400 {
			g.broken = p
		}
		return
	}
	if isGuideBody(p) {
		g.page = p
		return
	}
	// An article that only carries the guide as an attachment.
	if depth > 0 {
		for _, l := range p.Links {
			if isAttachmentURL(l.URL) {
				if pr := probeOf(s, l.URL); pr == nil || probeOK(pr) {
					if g.attachment == "" {
						g.attachment, g.attachFrom = l.URL, p
					}
					return
				}
			}
		}
		if utf8.RuneCountInString(page.Compact(bodyText(p))) >= 300 {
			g.page = p // a guide worded unlike any marker: let guide.elements judge it
		}
		return
	}
	picks := guideItems(p, g.words)
	for i, it := range picks {
		if i >= 5 {
			break
		}
		g.resolve(it.URL, depth+1)
		if g.page != nil {
			g.listed, g.via = it.Date, it.Title
			return
		}
		if g.attachment != "" && g.attachFrom == nil {
			g.attachFrom = p
		}
	}
	if len(picks) == 0 {
		if utf8.RuneCountInString(page.Compact(bodyText(p))) >= 300 {
			g.page = p
			return
		}
		if g.emptyCol == nil {
			g.emptyCol = p
		}
	}
}

// guideItems returns the items of a guide column to follow: those whose
// title names a guide, newest first; else the only item of the list.
func guideItems(p *site.Page, words []string) []Item {
	items := ListItems(p)
	// Hanweb columns ship their list inside a script datastore.
	if ds, _ := datastoreItems(p); len(ds) > 0 {
		items = append(items, ds...)
	}
	self := pageURL(p)
	var picks []Item
	for _, it := range items {
		if it.URL != self && it.URL != p.URL && namesGuideTitle(it.Title, words) {
			picks = append(picks, it)
		}
	}
	// Links in the content that name a guide but carry no date (a single
	// <a> in a div, no list): Links already has them with their text.
	if len(picks) == 0 {
		for _, l := range p.Links {
			if l.URL != self && l.URL != p.URL && namesGuideTitle(l.Text, words) && !isColumnLink(l.Text, words) {
				picks = append(picks, Item{Title: l.Text, URL: l.URL})
			}
		}
	}
	if len(picks) == 0 && len(items) == 1 && items[0].URL != self {
		picks = items
	}
	sort.SliceStable(picks, func(i, j int) bool { return picks[i].Date.After(picks[j].Date) })
	return picks
}

// namesGuideTitle is namesGuide for item titles, which may be long
// (关于印发《北仑区民政局政府信息公开指南（2019年修订）》的通知).
func namesGuideTitle(title string, words []string) bool {
	t := normText(title)
	return t != "" && utf8.RuneCountInString(t) <= 80 && containsAny(t, words) && !containsAny(t, guideNotWords)
}

// isColumnLink reports whether a link text is just the column's own name (a
// sidebar link back to the guide column), not an item.
func isColumnLink(text string, words []string) bool {
	t := normText(text)
	for _, w := range words {
		if t == normText(w) {
			return true
		}
	}
	return false
}

// guideMarkers are words that guides use and list pages do not.
var guideMarkers = []string{"办公地址", "通讯地址", "通信地址", "联系地址", "联系电话", "咨询电话", "办公时间", "工作时间", "受理时间",
	"获取方式", "获取政府信息", "公开方式", "公开形式", "公开范围", "编排", "分类", "受理机构", "工作机构", "依申请公开", "主动公开",
	"提出申请", "本指南", "传真"}

// isGuideBody reports whether the page's body reads as a guide: enough text
// with at least three of the words guides use.
func isGuideBody(p *site.Page) bool {
	t := page.Compact(bodyText(p))
	if utf8.RuneCountInString(t) < 150 {
		return false
	}
	n := 0
	for _, m := range guideMarkers {
		if strings.Contains(t, m) {
			n++
		}
	}
	return n >= 3
}

// namesUnit reports whether the page's title or body names the unit.
func namesUnit(p *site.Page, name string) bool {
	n := page.Compact(name)
	if n == "" {
		return false
	}
	return strings.Contains(page.Compact(p.Title), n) || strings.Contains(page.Compact(bodyText(p)), n)
}

// gtEmailRE matches an e-mail address.
var gtEmailRE = page.EmailRE

// firstEmail returns the first e-mail address in the text, or in a mailto:
// link of the page (page.View.Mailto).
func firstEmail(text string, p *site.Page) string {
	if m := gtEmailRE.FindString(text); m != "" {
		return m
	}
	if p == nil {
		return ""
	}
	return viewOf(p).Mailto
}

// guideHeading are the marks of the headings that may name a guide.
const guideHeading = page.H1 | page.H2 | page.H3 | page.TitleClass | page.BiaotiClass | page.BoldLead

// headingOf returns the page's heading that names a guide, else its first
// <h1>, else any heading or bold line that names a guide, else its <title>.
func headingOf(p *site.Page) string {
	if !hasBody(p) {
		return ""
	}
	v := viewOf(p)
	var long, h1, short string
	for _, h := range v.Headings {
		if !h.Any(guideHeading) {
			continue
		}
		t := h.Text
		n := utf8.RuneCountInString(normText(t))
		if n == 0 || n > 80 {
			continue
		}
		if h1 == "" && h.Any(page.H1) {
			h1 = t
		}
		if containsAny(normText(t), guideWords) {
			if long == "" && n > 8 {
				long = t
			}
			if short == "" {
				short = t
			}
		}
	}
	for _, t := range []string{long, h1, short, v.Title} {
		if t != "" {
			return t
		}
	}
	return ""
}
