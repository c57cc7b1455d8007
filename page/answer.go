package page

import (
	"strings"
	"unicode/utf8"
)

// StartBytes is how much of a body View.Start keeps: as much as the crawler
// keeps of a probe's error answer.
const StartBytes = 2048

// startBelow is the main text, in runes, under which a page keeps the
// start of its body: a page with next to no text of its own (an anti-bot
// challenge that is all script, a bare error answer, a page built by
// script). A page with text says what it is in its text and title.
const startBelow = 50

// readStart returns the start of a body whose page has little text to
// read (valid UTF-8, cut at a character), or "".
func readStart(body []byte, main string) string {
	if utf8.RuneCountInString(main) >= startBelow {
		return ""
	}
	s := string(body[:min(len(body), StartBytes)])
	return strings.ToValidUTF8(s, "")
}
