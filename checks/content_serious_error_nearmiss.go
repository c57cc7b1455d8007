package checks

import (
	"gkaudit/page"
	"slices"

	"github.com/mozillazg/go-pinyin"
)

// This file finds near-misses of protected terms in page text: a term
// written with one character replaced, dropped, added or two swapped
// (content.serious_error). Terms are indexed by their character pairs
// (bigrams): a one-edit misspelling of a term of 4 or more characters keeps
// at least one of its bigrams in place (an interior swap of a 4-character
// term excepted), so a page is read once and each bigram of its text looks
// up the few terms that contain it, instead of every term being compared at
// every position.

// termClass says how strictly a protected term is judged.
type termClass uint8

const (
	// classFixed terms are fixed wordings: 国名, state organs, political
	// formulations. Any misspelling of a long one is an error.
	classFixed termClass = iota
	// className terms are names (divisions, units, streets): names have
	// legitimate variants (人力资源社会保障局 without 和, a 分局 or 总局), so
	// only homophones, look-alikes, swaps and dropped characters count.
	className
)

// protected is one protected term.
type protected struct {
	text  string
	runes []rune
	class termClass
}

// posting is a term containing a bigram at an offset.
type posting struct {
	term int32
	off  int32
}

// nearMissIndex indexes the protected terms and the words that are known to
// be right (the terms themselves, the allow list).
type nearMissIndex struct {
	terms []protected
	// byBigram maps a bigram to the terms of MinNearMissLen or more runes
	// containing it.
	byBigram map[[2]rune][]posting
	// correct maps the first bigram of every correct word (terms and the
	// allow list) to the words starting with it.
	correct map[[2]rune][][]rune
	// alike holds the look-alike pairs, both ways.
	alike map[[2]rune]bool
	// soft are characters whose dropping, adding or replacing makes a
	// variant rather than an error (和, 与, 的, 、 ...).
	soft map[rune]bool
	py   pinyin.Args
	// pyCache holds the readings looked up so far; an index serves one
	// check run, so it needs no lock.
	pyCache map[rune][]string
}

// minNearMissLen is the shortest term whose near-misses are looked for: a
// 2- or 3-character term is one edit away from too many ordinary words
// (政府 is guarded inside 人民政府).
const minNearMissLen = 4

func newNearMissIndex(terms []protected, allow []string, alike []string, soft string) *nearMissIndex {
	ix := &nearMissIndex{byBigram: map[[2]rune][]posting{}, correct: map[[2]rune][][]rune{},
		alike: map[[2]rune]bool{}, soft: map[rune]bool{}, pyCache: map[rune][]string{}}
	ix.py = pinyin.NewArgs()
	ix.py.Heteronym = true
	ix.py.Fallback = func(rune, pinyin.Args) []string { return nil }
	seen := map[string]bool{}
	addCorrect := func(rs []rune) {
		if len(rs) >= 2 {
			k := [2]rune{rs[0], rs[1]}
			ix.correct[k] = append(ix.correct[k], rs)
		}
	}
	for _, t := range terms {
		t.text = page.Compact(t.text)
		if seen[t.text] || t.text == "" {
			continue
		}
		seen[t.text] = true
		t.runes = []rune(t.text)
		addCorrect(t.runes)
		if len(t.runes) < minNearMissLen {
			continue
		}
		i := int32(len(ix.terms))
		ix.terms = append(ix.terms, t)
		for off := 0; off+1 < len(t.runes); off++ {
			k := [2]rune{t.runes[off], t.runes[off+1]}
			ix.byBigram[k] = append(ix.byBigram[k], posting{term: i, off: int32(off)})
		}
		if len(t.runes) == minNearMissLen {
			// The inner swap of a 4-character term (领小导组) keeps none of
			// its bigrams: index the swapped form's first one.
			k := [2]rune{t.runes[0], t.runes[2]}
			ix.byBigram[k] = append(ix.byBigram[k], posting{term: i, off: 0})
		}
	}
	for _, w := range allow {
		if w = page.Compact(w); w != "" && !seen[w] {
			seen[w] = true
			addCorrect([]rune(w))
		}
	}
	for _, g := range alike {
		rs := []rune(g)
		for i := range rs {
			for j := range rs {
				if i != j {
					ix.alike[[2]rune{rs[i], rs[j]}] = true
				}
			}
		}
	}
	for _, r := range soft {
		ix.soft[r] = true
	}
	return ix
}

// covered marks the runes of text that lie inside a correct word.
// coveredSpans returns the spans [start, end) of every correct word found in
// text, in order of start.
func (ix *nearMissIndex) coveredSpans(text []rune) [][2]int {
	var out [][2]int
	for p := 0; p+1 < len(text); p++ {
		for _, w := range ix.correct[[2]rune{text[p], text[p+1]}] {
			if p+len(w) <= len(text) && slices.Equal(text[p:p+len(w)], w) {
				out = append(out, [2]int{p, p + len(w)})
			}
		}
	}
	return out
}

// within reports whether [s, e) lies inside one of the spans.
func within(spans [][2]int, s, e int) bool {
	for _, sp := range spans {
		if sp[0] > s {
			break
		}
		if e <= sp[1] {
			return true
		}
	}
	return false
}

// editKind is how a window differs from a term.
type editKind uint8

const (
	editNone editKind = iota
	editHomophone
	editLookalike
	editSubstitute
	editDrop
	editAdd
	editSwap
)

// nearMiss is one misspelling found.
type nearMiss struct {
	term       int
	start, end int // rune span in the text
	kind       editKind
	at         int // position in the term of the edit
	wrong      rune
	serious    bool
}

// find returns the near-misses of the protected terms in text, at most one
// per term (the first serious one, else the first), in order of position.
func (ix *nearMissIndex) find(text []rune) []nearMiss {
	if len(text) < minNearMissLen-1 {
		return nil
	}
	spans := ix.coveredSpans(text)
	best := map[int]nearMiss{}
	// recent holds the last alignments judged per term: each bigram of a
	// term proposes the same one again.
	recent := make([][3]int, len(ix.terms))
	for i := range recent {
		recent[i] = [3]int{-9, -9, -9}
	}
	for p := 0; p+1 < len(text); p++ {
		for _, po := range ix.byBigram[[2]rune{text[p], text[p+1]}] {
			t := ix.terms[po.term].runes
			base := p - int(po.off)
			r := &recent[po.term]
			if r[0] == base || r[1] == base || r[2] == base {
				continue
			}
			r[0], r[1], r[2] = base, r[0], r[1]
			if base >= 0 && base+len(t) <= len(text) && slices.Equal(text[base:base+len(t)], t) {
				continue // the term itself: its fragments are covered
			}
			// The windows a one-edit miss aligned on this bigram can have:
			// same length (replaced, swapped); one shorter or longer with the
			// edit after the bigram (same start) or before it (start moved).
			n := len(t)
			for _, w := range [5][2]int{{base, n}, {base, n - 1}, {base, n + 1}, {base + 1, n - 1}, {base - 1, n + 1}} {
				start, end := w[0], w[0]+w[1]
				if start < 0 || end > len(text) {
					continue
				}
				m, ok := ix.judge(int(po.term), text[start:end])
				if !ok || within(spans, start, end) {
					continue
				}
				m.start, m.end = start, end
				if cur, ok := best[m.term]; !ok || m.serious && !cur.serious {
					best[m.term] = m
				}
			}
		}
	}
	// Where the misses of several terms overlap (中华人民共合国 is a miss of
	// 中华人民共和国 and of 中华人民共和国宪法) one is kept: the serious one,
	// then that of the shortest term.
	all := make([]nearMiss, 0, len(best))
	for _, m := range best {
		all = append(all, m)
	}
	slices.SortFunc(all, func(a, b nearMiss) int {
		switch {
		case a.serious != b.serious:
			if a.serious {
				return -1
			}
			return 1
		case len(ix.terms[a.term].runes) != len(ix.terms[b.term].runes):
			return len(ix.terms[a.term].runes) - len(ix.terms[b.term].runes)
		case a.start != b.start:
			return a.start - b.start
		}
		return a.term - b.term
	})
	var out []nearMiss
	for _, m := range all {
		if !slices.ContainsFunc(out, func(k nearMiss) bool { return m.start < k.end && k.start < m.end }) {
			out = append(out, m)
		}
	}
	slices.SortFunc(out, func(a, b nearMiss) int {
		if a.start != b.start {
			return a.start - b.start
		}
		return a.term - b.term
	})
	return out
}

// judge tells whether window w is a near-miss of term i worth reporting,
// and how serious it is.
func (ix *nearMissIndex) judge(i int, w []rune) (nearMiss, bool) {
	pt := ix.terms[i]
	t := pt.runes
	n := len(t)
	m := nearMiss{term: i}
	switch len(w) {
	case n:
		d1, d2, diff := -1, -1, 0
		for k := range t {
			if t[k] != w[k] {
				diff++
				if diff > 2 {
					return m, false
				}
				if d1 < 0 {
					d1 = k
				} else {
					d2 = k
				}
			}
		}
		switch {
		case diff == 1:
			m.at, m.wrong = d1, w[d1]
			if !isHan(w[d1]) || ix.soft[w[d1]] && ix.soft[t[d1]] {
				return m, false
			}
			switch {
			case ix.alike[[2]rune{t[d1], w[d1]}]:
				m.kind, m.serious = editLookalike, true
			case ix.homophone(t[d1], w[d1]):
				m.kind, m.serious = editHomophone, true
			case pt.class == classFixed && n >= 5 && d1 > 0 && d1 < n-1 && !ix.soft[w[d1]] && !ix.soft[t[d1]]:
				// A fixed wording with a wrong character inside it: in one of
				// 7 or more characters an error (中华人民大和国, 中共人民共和国);
				// in a shorter one a suspicion. A level (全国/全区) is a
				// variant, not an error.
				m.kind = editSubstitute
				m.serious = n >= 7
			default:
				return m, false
			}
			return m, true
		case diff == 2 && d2 == d1+1 && t[d1] == w[d2] && t[d2] == w[d1]:
			m.kind, m.at, m.wrong = editSwap, d1, w[d1]
			m.serious = n >= 5
			return m, true
		}
		return m, false
	case n - 1:
		// One character dropped, inside the term: a window missing the
		// first or last character is a fragment of the right term or of
		// another word.
		k := 0
		for k < len(w) && w[k] == t[k] {
			k++
		}
		if !slices.Equal(w[k:], t[k+1:]) {
			return m, false
		}
		// Of a run of equal characters any may be the dropped one: when the
		// run reaches the term's start the text may be another word's end.
		if k == 0 || k == n-1 || n < 5 || ix.soft[t[k]] || !isHan(t[k]) || t[0] == t[k] && allEqual(t[:k+1]) {
			return m, false
		}
		m.kind, m.at, m.wrong, m.serious = editDrop, k, t[k], true
		return m, true
	case n + 1:
		k := 0
		for k < n && w[k] == t[k] {
			k++
		}
		if !slices.Equal(w[k+1:], t[k:]) {
			return m, false
		}
		if k == 0 || k == n || n < 5 || ix.soft[w[k]] || !isHan(w[k]) || allEqual(w[:k+1]) || allEqual(w[k:]) {
			return m, false
		}
		m.kind, m.at, m.wrong = editAdd, k, w[k]
		m.serious = pt.class == classFixed && n >= 7
		return m, true
	}
	return m, false
}

// homophone reports whether a and b share a reading, tones ignored: the
// slip a pinyin input method makes.
func (ix *nearMissIndex) homophone(a, b rune) bool {
	pa := ix.readings(a)
	if len(pa) == 0 {
		return false
	}
	for _, y := range ix.readings(b) {
		if slices.Contains(pa, y) {
			return true
		}
	}
	return false
}

// allEqual reports whether every rune of rs is the same.
func allEqual(rs []rune) bool {
	for _, r := range rs {
		if r != rs[0] {
			return false
		}
	}
	return true
}

// readings returns the toneless pinyin readings of r, looked up once per
// index.
func (ix *nearMissIndex) readings(r rune) []string {
	if py, ok := ix.pyCache[r]; ok {
		return py
	}
	py := pinyin.SinglePinyin(r, ix.py)
	ix.pyCache[r] = py
	return py
}

// isHan reports whether r is a CJK ideograph.
func isHan(r rune) bool { return r >= 0x3400 && r <= 0x9fff || r >= 0x20000 && r <= 0x2ffff }
