package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"golang.org/x/term"
)

// checkedWriter remembers the first error a write to the command's standard
// output returned, so that a full disk or a closed pipe ends the command with
// exit 1 (`gkaudit findings > /dev/full`) whatever path wrote the output:
// tables, fmt.Fprintf lines, encoders. Once a write failed, later writes fail
// at once rather than half-succeed.
type checkedWriter struct {
	w   io.Writer
	err error
}

func (c *checkedWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	if err == nil && n < len(p) {
		err = io.ErrShortWrite
	}
	if err != nil {
		c.err = err
	}
	return n, err
}

// defaultTableWidth is the budget of a table when standard output is not a
// terminal (a file, a pipe, less): 120 cells, what a laptop terminal and a
// printed A4 page in landscape show.
const defaultTableWidth = 120

// minTableWidth is the narrowest budget tables shrink to on a tiny terminal.
const minTableWidth = 60

// outputWidth is the width tables fit: the terminal's width when w is one,
// otherwise defaultTableWidth.
func outputWidth(w io.Writer) int {
	if c, ok := w.(*checkedWriter); ok {
		w = c.w
	}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		if cols, _, err := term.GetSize(int(f.Fd())); err == nil && cols > 0 {
			return max(cols, minTableWidth)
		}
	}
	return defaultTableWidth
}

// termSafe makes text from crawled pages (titles, link text, details, URLs)
// harmless on a terminal: C0 and C1 control characters (ESC starts the CSI and
// OSC sequences that clear the screen or set the window title), DEL, bidi
// overrides and isolates, line and paragraph separators and invalid UTF-8
// are written as Go-style escapes (\x1b, \u202e) instead of raw. keepNewlines
// leaves \n alone, for multi-line error messages.
func termSafe(s string, keepNewlines bool) string {
	if !needsEscape(s, keepNewlines) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n' && keepNewlines:
			b.WriteRune(r)
		case unsafeRune(r) && r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func needsEscape(s string, keepNewlines bool) bool {
	if !utf8.ValidString(s) {
		return true
	}
	for _, r := range s {
		if unsafeRune(r) && !(r == '\n' && keepNewlines) {
			return true
		}
	}
	return false
}

// unsafeRune reports whether a terminal would act on r rather than draw it,
// or draw it so as to disguise the text around it.
func unsafeRune(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f: // C0, DEL, C1 (0x9b is a one-byte CSI)
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f: // bidi marks
		return true
	case r >= 0x202a && r <= 0x202e: // bidi embeddings and overrides
		return true
	case r >= 0x2066 && r <= 0x2069: // bidi isolates
		return true
	case r == 0x2028, r == 0x2029: // line and paragraph separators
		return true
	}
	return false
}
