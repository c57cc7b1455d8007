package onboard

import (
	"regexp"
	"strings"
	"unicode"
)

// namer reduces a unit's name, and the texts that link to units, to a key
// under which the forms a district's portal uses compare equal: 财政局,
// 区财政局, 北仑区财政局, 宁波市北仑区财政局, 北仑区财政局信息公开,
// 【区财政局】; 区政府办公室 and 北仑区人民政府办公室; 公安分局 and
// 宁波市公安局北仑分局. Abbreviations (经信局 for 经济和信息化局) are not
// equal: they are offered as candidates, never taken.
type namer struct {
	prefixes []string       // district forms cut from the front: 北仑区, 北仑, 区
	city     *regexp.Regexp // 宁波市北仑区… : a city before the district
	branch   *regexp.Regexp // 宁波市公安局北仑分局, 公安北仑分局 -> 公安分局
}

// suffixes are cut from the end of a link's text: what follows a unit's
// name in disclosure lists and page titles.
var suffixes = []string{
	"政府信息公开目录", "政府信息公开专栏", "政府信息公开平台", "政府信息公开网", "政府信息公开",
	"信息公开目录", "信息公开专栏", "信息公开", "政务公开专栏", "政务公开", "门户网站", "网站", "官网", "首页",
}

func newNamer(district string) *namer {
	d := strings.TrimSpace(district)
	short := d
	if r := []rune(d); len(r) > 2 && strings.ContainsRune("区县市旗", r[len(r)-1]) {
		short = string(r[:len(r)-1])
	}
	nm := &namer{}
	for _, p := range []string{d, short} {
		if p != "" && !containsString(nm.prefixes, p) {
			nm.prefixes = append(nm.prefixes, p)
		}
	}
	nm.prefixes = append(nm.prefixes, "区", "县")
	if short != "" {
		q := regexp.QuoteMeta(short)
		nm.city = regexp.MustCompile(`^\p{Han}{2,4}[市州盟](` + q + `)`)
		nm.branch = regexp.MustCompile(`^(?:\p{Han}{2,4}[市州])?(\p{Han}+?)局?` + q + `(?:区|县)?分局$`)
	}
	return nm
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// key is the comparable form of a name ("" for a text that names nothing).
func (nm *namer) key(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || strings.ContainsRune("【】[]「」《》<>·•>»", r) {
			return -1
		}
		return r
	}, s)
	if containsString(suffixes, s) {
		return "" // 信息公开 alone names no unit
	}
	for again := true; again; {
		again = false
		for _, suf := range suffixes {
			if t, ok := strings.CutSuffix(s, suf); ok && t != "" {
				s, again = t, true
			}
		}
	}
	if nm.branch != nil {
		if m := nm.branch.FindStringSubmatch(s); m != nil {
			s = m[1] + "分局"
		}
	}
	if nm.city != nil {
		if loc := nm.city.FindStringSubmatchIndex(s); loc != nil {
			s = s[loc[2]:] // from the district on
		}
	}
	s = strings.TrimPrefix(s, "中国")
	for _, p := range nm.prefixes {
		if t, ok := strings.CutPrefix(s, p); ok && len([]rune(t)) >= 2 {
			s = t
			break
		}
	}
	s = strings.Replace(s, "人民政府", "政府", 1)
	// 新碶街道办事处 is 新碶街道; 大碶镇人民政府 is 大碶镇.
	if t, ok := strings.CutSuffix(s, "街道办事处"); ok && t != "" {
		s = t + "街道"
	}
	for _, town := range []string{"镇", "乡"} {
		if t, ok := strings.CutSuffix(s, town+"政府"); ok && t != "" {
			s = t + town
		}
	}
	if !strings.ContainsFunc(s, isHan) {
		return ""
	}
	return s
}

// abbreviates reports whether short could be an abbreviation of long: its
// characters appear in long in order, the first and last ones matching
// (经信局 / 经济和信息化局, 发改局 / 发展和改革局).
func abbreviates(short, long string) bool {
	rs, rl := []rune(short), []rune(long)
	if len(rs) < 2 || len(rs) >= len(rl) || rs[0] != rl[0] || rs[len(rs)-1] != rl[len(rl)-1] {
		return false
	}
	i := 0
	for _, r := range rl {
		if i < len(rs) && r == rs[i] {
			i++
		}
	}
	return i == len(rs)
}

// titleParts splits a page title or heading into the pieces that may name
// the unit: "北仑区财政局_北仑区人民政府" gives both halves.
func titleParts(s string) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune("_-|｜—–:：/", r)
	})
	if len(parts) > 1 {
		parts = append(parts, s)
	}
	return parts
}
