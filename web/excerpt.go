package web

import (
	"bytes"
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"gkaudit/site"
)

// contextRunes is how much of the page's text is shown on each side of the
// excerpt.
const contextRunes = 160

// excerptView is the finding's excerpt in the text of the stored page: the
// app renders it (escaped) with the excerpt highlighted; the stored page
// itself is never edited.
type excerptView struct {
	Found         bool // the excerpt was located in the page's text
	Before, After string
	Match         string
	// Cut is set when Before or After were shortened.
	CutBefore, CutAfter bool
}

// excerptContext locates excerpt in the visible text of body. Checks
// collapse whitespace and may join blocks with "。", or prefix a label
// ("链接文字："), so both sides are compared without whitespace and 。.
func excerptContext(body []byte, excerpt string) excerptView {
	if strings.TrimSpace(excerpt) == "" {
		return excerptView{}
	}
	text := []rune(pageText(body))
	key, pos := keyOf(text)
	ex := []rune(excerpt)
	candidates := [][]rune{ex}
	if i := strings.IndexRune(excerpt, '：'); i > 0 && len([]rune(excerpt[:i])) <= 8 {
		candidates = append(candidates, []rune(excerpt[i+len("："):]))
	}
	for _, c := range candidates {
		ck, _ := keyOf(c)
		if len(ck) == 0 {
			continue
		}
		// Whole excerpt, else its head: a long excerpt may be cut mid-word.
		for _, n := range []int{len(ck), min(len(ck), 40), min(len(ck), 16)} {
			i := indexRunes(key, ck[:n])
			if i < 0 {
				continue
			}
			start, end := pos[i], pos[i+n-1]+1
			v := excerptView{Found: true, Match: string(text[start:end])}
			b0 := max(0, start-contextRunes)
			a1 := min(len(text), end+contextRunes)
			v.Before, v.After = string(text[b0:start]), string(text[end:a1])
			v.CutBefore, v.CutAfter = b0 > 0, a1 < len(text)
			return v
		}
	}
	return excerptView{Match: excerpt}
}

// keyOf drops whitespace and 。 from rs, returning the rest and, for each
// kept rune, its index in rs.
func keyOf(rs []rune) ([]rune, []int) {
	key := make([]rune, 0, len(rs))
	pos := make([]int, 0, len(rs))
	for i, r := range rs {
		if unicode.IsSpace(r) || r == '。' || r == '\u00a0' || r == '\u3000' {
			continue
		}
		key = append(key, r)
		pos = append(pos, i)
	}
	return key, pos
}

func indexRunes(s, sub []rune) int {
	if len(sub) == 0 || len(sub) > len(s) {
		return -1
	}
	first := sub[0]
outer:
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i] != first {
			continue
		}
		for j := 1; j < len(sub); j++ {
			if s[i+j] != sub[j] {
				continue outer
			}
		}
		return i
	}
	return -1
}

// blocks are the elements that break text, as a browser lays them out.
var blocks = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Br: true, atom.Li: true, atom.Tr: true, atom.Td: true, atom.Th: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true, atom.Table: true,
	atom.Ul: true, atom.Ol: true, atom.Section: true, atom.Article: true, atom.Header: true, atom.Footer: true,
	atom.Nav: true, atom.Title: true, atom.Dd: true, atom.Dt: true, atom.Option: true,
}

// pageText is the visible text of an HTML page (scripts, styles and
// templates left out), whitespace collapsed, blocks separated by a space.
func pageText(body []byte) string {
	if len(body) > site.ParseLimit {
		body = body[:site.ParseLimit]
	}
	z := html.NewTokenizer(bytes.NewReader(body))
	var b strings.Builder
	skip := 0
	space := func() {
		if b.Len() > 0 && !strings.HasSuffix(b.String(), " ") {
			b.WriteByte(' ')
		}
	}
	for {
		switch z.Next() {
		case html.ErrorToken:
			return strings.TrimSpace(b.String())
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			switch a {
			case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Textarea:
				skip++
			}
			if blocks[a] {
				space()
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			switch a {
			case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Textarea:
				if skip > 0 {
					skip--
				}
			}
			if blocks[a] {
				space()
			}
		case html.TextToken:
			if skip > 0 {
				continue
			}
			t := string(z.Text())
			fs := strings.Fields(t)
			if len(fs) == 0 {
				if t != "" {
					space()
				}
				continue
			}
			if unicode.IsSpace([]rune(t)[0]) {
				space()
			}
			b.WriteString(strings.Join(fs, " "))
			if r := []rune(t); unicode.IsSpace(r[len(r)-1]) {
				space()
			}
		}
	}
}
