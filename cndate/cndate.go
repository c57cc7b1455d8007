// Package cndate finds dates in Chinese government web pages: 2019-03-05,
// 2019/3/5, 2019.03.05, 2019年3月5日, 二〇一九年三月五日, full-width digits
// (２０１９－０３－０５), with or without a clock time, and dates that follow a
// label such as 发布日期： or 成文日期：.
package cndate

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Shanghai is the zone dates on Chinese government sites are written in.
var Shanghai = time.FixedZone("CST", 8*3600)

// Date is a calendar date found in text.
type Date struct {
	Time  time.Time // midnight in Shanghai
	Start int       // byte offsets of the match in the normalised text
	End   int
	Text  string // the matched text, normalised
}

// numeric matches Y-M-D with -, /, . or 年月日 separators, optionally followed
// by a clock time (which is skipped).
var numeric = regexp.MustCompile(`(\d{4})\s*(?:([-/.])\s*(\d{1,2})\s*([-/.])\s*(\d{1,2})|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?)`)

// hanDate matches dates written in Chinese numerals: 二〇一九年三月五日.
var hanDate = regexp.MustCompile(`([〇零○ＯO一二三四五六七八九]{4})\s*年\s*([十一二三四五六七八九]{1,3})\s*月\s*([十一二三四五六七八九]{1,4})\s*日`)

// Normalize maps full-width digits and punctuation to ASCII and the
// ideographic space to a space, so one set of patterns covers both.
func Normalize(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r >= 0xFF01 && r <= 0xFF5E || r == '\u3000' }) {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII block
			return r - 0xFF01 + '!'
		case r == '\u3000':
			return ' '
		}
		return r
	}, s)
}

// Find returns every valid date in s, in order. Impossible dates (2019-02-30,
// month 13) and years outside 1949–2100 are skipped.
func Find(s string) []Date {
	s = Normalize(s)
	var out []Date
	for _, m := range numeric.FindAllStringSubmatchIndex(s, -1) {
		sub := func(i int) string {
			if m[2*i] < 0 {
				return ""
			}
			return s[m[2*i]:m[2*i+1]]
		}
		y, mo, d := sub(1), sub(3), sub(5)
		if sub(2) != "" && sub(2) != sub(4) {
			continue // 2019-03/05 is not a date
		}
		if mo == "" {
			mo, d = sub(6), sub(7)
		}
		// A longer digit run (20190305123) or a version number (1.2019.3.4)
		// is not a date.
		if m[0] > 0 && isDigit(s[m[0]-1]) || m[0] > 1 && s[m[0]-1] == '.' && isDigit(s[m[0]-2]) ||
			m[1] < len(s) && isDigit(s[m[1]]) {
			continue
		}
		if t, ok := build(atoi(y), atoi(mo), atoi(d)); ok {
			out = append(out, Date{Time: t, Start: m[0], End: m[1], Text: s[m[0]:m[1]]})
		}
	}
	for _, m := range hanDate.FindAllStringSubmatchIndex(s, -1) {
		y := hanDigits(s[m[2]:m[3]])
		mo := hanNumber(s[m[4]:m[5]])
		d := hanNumber(s[m[6]:m[7]])
		if t, ok := build(y, mo, d); ok {
			out = append(out, Date{Time: t, Start: m[0], End: m[1], Text: s[m[0]:m[1]]})
		}
	}
	sortByStart(out)
	return out
}

// First returns the first valid date in s.
func First(s string) (time.Time, bool) {
	ds := Find(s)
	if len(ds) == 0 {
		return time.Time{}, false
	}
	return ds[0].Time, true
}

// Parse parses s as exactly one date, with nothing around it but white space
// and an optional clock time.
func Parse(s string) (time.Time, bool) {
	n := strings.TrimSpace(Normalize(s))
	ds := Find(n)
	if len(ds) != 1 || ds[0].Start != 0 {
		return time.Time{}, false
	}
	rest := strings.TrimSpace(n[ds[0].End:])
	if rest != "" && !clock.MatchString(rest) {
		return time.Time{}, false
	}
	return ds[0].Time, true
}

var clock = regexp.MustCompile(`^\d{1,2}[:：]\d{2}([:：]\d{2})?$`)

// AfterLabel returns the date that follows the first of labels found in s,
// within a short distance: "发布日期：2019年3月5日" with label 发布日期. Labels
// match with inner white space removed from both sides (发 布 日 期).
func AfterLabel(s string, labels ...string) (time.Time, bool) {
	s = Normalize(s)
	for _, l := range labels {
		re := labelPattern(l)
		if re == nil {
			continue
		}
		for _, m := range re.FindAllStringIndex(s, -1) {
			// Look at most 40 runes ahead: the value sits right after the
			// label, behind a colon or a table-cell boundary.
			start, end := m[1], m[1]
			for n := 0; n < 40 && end < len(s); n++ {
				_, size := utf8.DecodeRuneInString(s[end:])
				end += size
			}
			if ds := Find(s[start:end]); len(ds) > 0 && onlySeparators(s[start:start+ds[0].Start]) {
				return ds[0].Time, true
			}
		}
	}
	return time.Time{}, false
}

// labelPattern matches label with any white space between its runes.
func labelPattern(label string) *regexp.Regexp {
	var parts []string
	for _, r := range label {
		if r == ' ' || r == '\u3000' {
			continue
		}
		parts = append(parts, regexp.QuoteMeta(string(r)))
	}
	if len(parts) == 0 {
		return nil
	}
	return regexp.MustCompile(strings.Join(parts, `\s*`))
}

// onlySeparators reports whether s holds only what may stand between a label
// and its value: colons, brackets, dashes.
func onlySeparators(s string) bool {
	return strings.Trim(s, " \t\r\n\u00a0:：]】)）|｜-—_") == ""
}

func build(y, m, d int) (time.Time, bool) {
	if y < 1949 || y > 2100 || m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, Shanghai)
	if t.Day() != d { // 2019-02-30 rolled over
		return time.Time{}, false
	}
	return t, true
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

var hanDigit = map[rune]int{'〇': 0, '零': 0, '○': 0, 'Ｏ': 0, 'O': 0, '一': 1, '二': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

// hanDigits reads digit by digit: 二〇一九 -> 2019.
func hanDigits(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + hanDigit[r]
	}
	return n
}

// hanNumber reads a number up to 99 written with 十: 十 -> 10, 十二 -> 12,
// 二十 -> 20, 三十一 -> 31, 五 -> 5. Malformed input gives 0.
func hanNumber(s string) int {
	rs := []rune(s)
	switch {
	case len(rs) == 0:
		return 0
	case len(rs) == 1 && rs[0] == '十':
		return 10
	case len(rs) == 1:
		return hanDigit[rs[0]]
	case len(rs) == 2 && rs[0] == '十':
		return 10 + hanDigit[rs[1]]
	case len(rs) == 2 && rs[1] == '十':
		return hanDigit[rs[0]] * 10
	case len(rs) == 3 && rs[1] == '十' && rs[0] != '十' && rs[2] != '十':
		return hanDigit[rs[0]]*10 + hanDigit[rs[2]]
	}
	return 0
}

func sortByStart(ds []Date) {
	for i := 1; i < len(ds); i++ {
		for j := i; j > 0 && ds[j].Start < ds[j-1].Start; j-- {
			ds[j], ds[j-1] = ds[j-1], ds[j]
		}
	}
}
