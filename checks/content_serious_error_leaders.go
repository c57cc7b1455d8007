package checks

import (
	"slices"
	"strings"

	"gkaudit/config"
	"gkaudit/page"
)

// This file reads leaders' names beside their titles (content.serious_error):
// 省委书记杜家豪 for 省委书记杜家毫. A name alone is never judged: a real person
// may be called 杜家豪.

// leaderIndex holds the leaders of the config and every title any of them
// holds.
type leaderIndex struct {
	ix      *nearMissIndex
	leaders []leaderEntry
	// titles are all titles, longest first, so that 省委书记 is taken
	// before 书记.
	titles [][]rune
}

type leaderEntry struct {
	name   []rune
	titles [][]rune
}

// leaderMiss is a leader's name or title found wrong beside a title.
type leaderMiss struct {
	start, end int
	expected   string
	why        string
	serious    bool
}

func newLeaderIndex(ls []config.Leader, ix *nearMissIndex) *leaderIndex {
	lx := &leaderIndex{ix: ix}
	byName := map[string]int{}
	seenTitle := map[string]bool{}
	for _, l := range ls {
		name, title := page.Compact(l.Name), page.Compact(l.Title)
		if len([]rune(name)) < 2 || title == "" {
			continue
		}
		i, ok := byName[name]
		if !ok {
			i = len(lx.leaders)
			byName[name] = i
			lx.leaders = append(lx.leaders, leaderEntry{name: []rune(name)})
		}
		lx.leaders[i].titles = append(lx.leaders[i].titles, []rune(title))
		if !seenTitle[title] {
			seenTitle[title] = true
			lx.titles = append(lx.titles, []rune(title))
		}
	}
	slices.SortStableFunc(lx.titles, func(a, b []rune) int { return len(b) - len(a) })
	return lx
}

// find returns the leaders' names misspelt beside their own titles (serious)
// and names beside a title that is not theirs (a suspicion: the text may be
// older than the list).
func (lx *leaderIndex) find(text []rune) []leaderMiss {
	if len(lx.leaders) == 0 {
		return nil
	}
	var out []leaderMiss
	s := string(text)
	for _, l := range lx.leaders {
		n := len(l.name)
		for _, title := range l.titles {
			for _, at := range runeIndexes(s, string(title)) {
				// A name cut short right after its title (总理李克 for
				// 总理李克强): serious before punctuation or the end, a
				// suspicion before another character (it may be another name).
				if b := at + len(title); n >= 3 && b+n-1 <= len(text) && slices.Equal(text[b:b+n-1], l.name[:n-1]) &&
					(b+n-1 == len(text) || text[b+n-1] != l.name[n-1] && !lx.misspelt(l.name[n-1:], text[b+n-1:b+n])) {
					serious := b+n-1 == len(text) || !isHan(text[b+n-1])
					out = append(out, leaderMiss{start: at, end: b + n - 1, expected: string(title) + string(l.name), serious: serious,
						why: "领导人姓名“" + string(l.name) + "”少了“" + string(l.name[n-1]) + "”"})
				}
				// Title then name (省委书记杜家毫), or name then title.
				for _, start := range []int{at + len(title), at - n} {
					if start < 0 || start+n > len(text) {
						continue
					}
					if lx.misspelt(l.name, text[start:start+n]) {
						lo, hi := min(start, at), max(start+n, at+len(title))
						exp := string(title) + string(l.name)
						if start < at {
							exp = string(l.name) + string(title)
						}
						out = append(out, leaderMiss{start: lo, end: hi, expected: exp, serious: true,
							why: "领导人姓名“" + string(l.name) + "”写错"})
					}
				}
			}
		}
		for _, at := range runeIndexes(s, string(l.name)) {
			if t := lx.titleBefore(text, at); t != nil && !containsRunes(l.titles, t) {
				out = append(out, leaderMiss{start: at - len(t), end: at + n, expected: string(l.name) + "（" + joinRunes(l.titles) + "）",
					why: "“" + string(t) + "”不是名单所列" + string(l.name) + "的职务"})
			}
		}
	}
	slices.SortFunc(out, func(a, b leaderMiss) int { return a.start - b.start })
	return out
}

// misspelt reports whether w is the name with one character replaced by a
// homophone or a look-alike.
func (lx *leaderIndex) misspelt(name, w []rune) bool {
	diff := -1
	for i := range name {
		if name[i] != w[i] {
			if diff >= 0 {
				return false
			}
			diff = i
		}
	}
	if diff < 0 || !isHan(w[diff]) {
		return false
	}
	return lx.ix.alike[[2]rune{name[diff], w[diff]}] || lx.ix.homophone(name[diff], w[diff])
}

// titleBefore returns the longest title ending right before position at.
func (lx *leaderIndex) titleBefore(text []rune, at int) []rune {
	for _, t := range lx.titles {
		if at >= len(t) && slices.Equal(text[at-len(t):at], t) {
			return t
		}
	}
	return nil
}

// runeIndexes returns the rune offsets of every occurrence of sub in s.
func runeIndexes(s, sub string) []int {
	if sub == "" {
		return nil
	}
	var out []int
	byteAt, runeAt := 0, 0
	for {
		i := strings.Index(s[byteAt:], sub)
		if i < 0 {
			return out
		}
		runeAt += len([]rune(s[byteAt : byteAt+i]))
		out = append(out, runeAt)
		byteAt += i + len(sub)
		runeAt += len([]rune(sub))
	}
}

func containsRunes(list [][]rune, r []rune) bool {
	return slices.ContainsFunc(list, func(x []rune) bool { return slices.Equal(x, r) })
}

func joinRunes(list [][]rune) string {
	var parts []string
	for _, r := range list {
		parts = append(parts, string(r))
	}
	return strings.Join(parts, "、")
}
