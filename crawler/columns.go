package crawler

import (
	"regexp"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"gkaudit/page"
	"gkaudit/site"
)

// maxColumnText is the longest text (in runes, after normalising) taken for a
// column name; longer texts are article titles.
const maxColumnText = 20

// maxContainsText is the longest text matched by a synonym it merely
// contains: 退役军人事务局 contains 人事 and is no 人事 column, while
// 政府信息公开工作年报 (ending in 年报) is matched by its suffix whatever its length.
const maxContainsText = 12

// orgName matches texts that name an organisation rather than a column: a
// portal's list of departments links 综合行政执法局 or 公共资源交易中心, whose
// names hold a column's words (行政执法, 公共资源交易).
var orgName = regexp.MustCompile(`(局|分局|中心|委员会|办公室|街道|街道办事处|人民政府|支行|联社|大队|支队)$`)

// articleLike matches texts that name a document rather than a column.
var articleLike = regexp.MustCompile(`关于|《|》|的通知$|的公告$|的决定$|的意见$`)

// columnMatcher maps link and breadcrumb texts to canonical column kinds
// using the configured synonyms.
type columnMatcher struct {
	exact map[string]string // normalised synonym -> kind
	syns  []synonym         // longest first

	// memo holds the kinds of short texts already matched: a site's
	// navigation repeats the same link texts on every page, and matching one
	// costs a normalisation and two regular expressions. Bounded (maxMemo
	// texts of at most maxMemoText bytes: longer ones are titles, seldom
	// repeated), for the matcher lives as long as a unit's crawl; the crawl's
	// goroutines share it.
	mu   sync.Mutex
	memo map[string]string
}

// maxMemo and maxMemoText bound columnMatcher.memo.
const (
	maxMemo     = 1 << 13
	maxMemoText = 96
)

type synonym struct{ text, kind string }

func newColumnMatcher(columns map[string][]string) *columnMatcher {
	m := &columnMatcher{exact: map[string]string{}, memo: map[string]string{}}
	kinds := make([]string, 0, len(columns))
	for k := range columns {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		for _, s := range columns[k] {
			n := normColumn(s)
			if n == "" {
				continue
			}
			if _, dup := m.exact[n]; !dup {
				m.exact[n] = k
			}
			m.syns = append(m.syns, synonym{n, k})
		}
	}
	sort.SliceStable(m.syns, func(i, j int) bool {
		return utf8.RuneCountInString(m.syns[i].text) > utf8.RuneCountInString(m.syns[j].text)
	})
	return m
}

// kind returns the canonical kind for a text, or "". An exact match of the
// whole text wins; then the longest synonym the text ends with (in Chinese the
// head noun comes last: 政策文件解读 is a 解读, 政府信息公开年报 a 年报); then the
// longest synonym the text contains.
func (m *columnMatcher) kind(text string) string {
	if len(text) > maxMemoText {
		return m.match(text)
	}
	m.mu.Lock()
	k, ok := m.memo[text]
	m.mu.Unlock()
	if ok {
		return k
	}
	k = m.match(text)
	m.mu.Lock()
	if len(m.memo) < maxMemo {
		m.memo[text] = k
	}
	m.mu.Unlock()
	return k
}

// match is kind without the memo.
func (m *columnMatcher) match(text string) string {
	t := normColumn(text)
	if t == "" || utf8.RuneCountInString(t) > maxColumnText {
		return ""
	}
	if k, ok := m.exact[t]; ok {
		return k
	}
	if articleLike.MatchString(t) || orgName.MatchString(t) {
		return ""
	}
	for _, s := range m.syns {
		if strings.HasSuffix(t, s.text) {
			return s.kind
		}
	}
	if utf8.RuneCountInString(t) > maxContainsText {
		return ""
	}
	for _, s := range m.syns {
		// Two-character synonyms (人事, 年报) only match as a suffix or whole.
		if utf8.RuneCountInString(s.text) >= 3 && strings.Contains(t, s.text) {
			return s.kind
		}
	}
	return ""
}

var (
	trailingCount = regexp.MustCompile(`[(（\[【〔]\s*\d+\s*(条|篇|项)?\s*[)）\]】〕]\s*$`)
	columnStrip   = "【】[]()（）《》〈〉〔〕「」『』<>\"“”'‘’·•●■□◆◇▪►▶»›>:：|"
)

// normColumn normalises a column text: no white space (full-width spaces
// included), no brackets, quotes or bullets, no trailing count like (12).
func normColumn(s string) string {
	s = trailingCount.ReplaceAllString(strings.TrimSpace(s), "")
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || strings.ContainsRune(columnStrip, r) {
			return -1
		}
		return r
	}, s)
}

// columnsOf maps a page's breadcrumb and links to columns. A breadcrumb
// segment names its link, or, the last segment without a link, the page
// itself unless the page is evidently an article of that column (its title
// is long and does not contain the segment).
func (m *columnMatcher) columnsOf(p *site.Page, crumbs []page.Crumb) []site.Column {
	if m == nil || len(m.syns) == 0 {
		return nil
	}
	var out []site.Column
	for i, c := range crumbs {
		u := c.URL
		if u == "" && i == len(crumbs)-1 && namesPage(p.Title, c.Text) {
			u = p.URL
		}
		if u == "" {
			continue
		}
		if k := m.kind(c.Text); k != "" {
			out = append(out, site.Column{Kind: k, Name: c.Text, URL: u, Source: "breadcrumb", From: p.URL})
		}
	}
	for _, l := range p.Links {
		if k := m.kind(l.Text); k != "" {
			out = append(out, site.Column{Kind: k, Name: l.Text, URL: l.URL, Source: "link", From: p.URL})
		}
	}
	return out
}

// namesPage reports whether a breadcrumb's last segment can name the page
// with this title.
func namesPage(title, segment string) bool {
	t := normColumn(title)
	return utf8.RuneCountInString(t) <= maxColumnText || strings.Contains(t, normColumn(segment))
}
