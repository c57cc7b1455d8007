package page

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// Ensure that a page with little text keeps the start of its body, cut at
// a character, and a page with text keeps none.
func TestStart(t *testing.T) {
	challenge := `<html><body><script>document.cookie=('__jsl_clearance')</script></body></html>`
	if v := read(challenge); v.Start != challenge {
		t.Errorf("Start = %q, want the whole short body", v.Start)
	}
	long := "<html><body><script>" + strings.Repeat("中", 1000) + "</script></body></html>"
	if v := read(long); len(v.Start) > StartBytes || !utf8.ValidString(v.Start) || !strings.HasPrefix(long, v.Start) {
		t.Errorf("Start of a long body: %d bytes, valid %v", len(v.Start), utf8.ValidString(v.Start))
	}
	if v := read("<html><body><p>" + strings.Repeat("正文", 300) + "</p></body></html>"); v.Start != "" {
		t.Errorf("a page with text kept its start")
	}
}
