package page

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// Ensure that a page with little text keeps the start of its body, cut at
// a character, and a page with text keeps none.
func TestSample(t *testing.T) {
	challenge := `<html><body><script>document.cookie=('__jsl_clearance')</script></body></html>`
	if v := read(challenge); v.Sample != challenge {
		t.Errorf("Sample = %q, want the whole short body", v.Sample)
	}
	long := "<html><body><script>" + strings.Repeat("中", 1000) + "</script></body></html>"
	if v := read(long); len(v.Sample) > SampleBytes || !utf8.ValidString(v.Sample) || !strings.HasPrefix(long, v.Sample) {
		t.Errorf("Sample of a long body: %d bytes, valid %v", len(v.Sample), utf8.ValidString(v.Sample))
	}
	if v := read("<html><body><p>" + strings.Repeat("正文", 300) + "</p></body></html>"); v.Sample != "" {
		t.Errorf("a page with text kept a sample")
	}
}
