package page

import (
	"strings"
	"unicode/utf8"
)

// SampleBytes is how much of a body Sample keeps: as much as the crawler
// keeps of a probe's error answer.
const SampleBytes = 2048

// sampleBelow is the main text, in runes, under which a page keeps a
// sample: an error answer, a firewall's or anti-bot challenge page, a page
// built by script; an ordinary page says what it is in its text.
const sampleBelow = 500

// readSample returns the start of a body whose page has little text to
// read (valid UTF-8, cut at a character), or "".
func readSample(body []byte, main string) string {
	if utf8.RuneCountInString(main) >= sampleBelow {
		return ""
	}
	s := string(body[:min(len(body), SampleBytes)])
	return strings.ToValidUTF8(s, "")
}
