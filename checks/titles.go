package checks

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"gkaudit/page"
	"gkaudit/site"
)

// This file reads and compares the titles of articles: a page's own title,
// the core words that name a document, whether two titles name the same
// one.

// titleSuffix splits a <title> into the article's title and the site's name
// (关于…的通知_北仑区人民政府, …-宁波市北仑区教育局).
var titleSuffix = regexp.MustCompile(`\s*(_|\||｜|－|-{1,2}|—{1,2})\s*`)

// articleTitle returns the title of an article page: its metadata 标题/文件名称,
// else its first heading in the content, else the first part of <title>.
func articleTitle(p *site.Page) string {
	if !hasBody(p) {
		return ""
	}
	if m := viewOf(p).Meta; utf8.RuneCountInString(m.Fields["title"]) >= 4 {
		return m.Fields["title"]
	}
	for _, h := range viewOf(p).Headings {
		if n := utf8.RuneCountInString(h.Text); h.Any(articleHeading) && n >= 6 && n <= 150 {
			return h.Text
		}
	}
	t := strings.TrimSpace(p.Title)
	if parts := titleSuffix.Split(t, -1); len(parts) > 1 && utf8.RuneCountInString(parts[0]) >= 4 {
		return parts[0]
	}
	return t
}

// articleHeading are the marks of an article's heading.
const articleHeading = page.H1 | page.H2 | page.H3 | page.TitleClass | page.ArticleClass | page.TitleID

// titleNoise are words that tell a 解读 or a covering notice apart from the
// document's own name; they are dropped before titles are compared.
var titleNoise = regexp.MustCompile(`关于印发|关于转发|关于|印发|转发|的通知|通知|政策解读|文字解读|图文解读|图片解读|视频解读|图解|一图读懂|一图看懂|一图了解|解读|答记者问|问答|的|》|《|“|”|"|（|）|\(|\)|【|】|\[|\]|:|：|，|,|。|、|—|-|_`)

// titleCore reduces a title to the words that name the document.
func titleCore(t string) string {
	return titleNoise.ReplaceAllString(page.Compact(t), "")
}

// relatedTitles reports whether two titles name the same document: their
// cores share a run of at least 6 characters that covers most of the
// shorter core (a 解读 of 《北仑区养老服务补贴管理办法》 against 关于印发北仑区
// 养老服务补贴管理办法的通知).
func relatedTitles(a, b string) bool {
	ca, cb := []rune(titleCore(a)), []rune(titleCore(b))
	if len(ca) < 4 || len(cb) < 4 {
		return false
	}
	short := len(ca)
	if len(cb) < short {
		short = len(cb)
	}
	n := longestCommon(ca, cb)
	return n >= 6 && n*10 >= short*6 || n == short && n >= 4
}

// longestCommon returns the length of the longest common run of a and b.
func longestCommon(a, b []rune) int {
	if len(a) > 300 {
		a = a[:300]
	}
	if len(b) > 300 {
		b = b[:300]
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	best := 0
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			if a[i-1] == b[j-1] {
				cur[j] = prev[j-1] + 1
				if cur[j] > best {
					best = cur[j]
				}
			} else {
				cur[j] = 0
			}
		}
		prev, cur = cur, prev
	}
	return best
}

// isInterpretationTitle reports whether a title is that of a 解读 rather than
// a document.
var interpretationTitle = regexp.MustCompile(`解读|图解|一图读懂|一图看懂|一图了解|答记者问|问答|政策吹风`)
