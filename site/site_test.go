package site

import "testing"

// Ensure that Page finds the first page with a requested or final URL, as a
// scan in fetch order would, and sees pages appended after the
// first lookup, and a new slice of pages.
func TestSnapshot_Page(t *testing.T) {
	a := &Page{URL: "http://g/a", FinalURL: "http://g/x"}
	b := &Page{URL: "http://g/x"}
	s := &Snapshot{Pages: []*Page{a, b}}
	if got := s.Page("http://g/x"); got != a {
		t.Errorf("Page(x) = %+v, want the first page, redirected there", got)
	}
	if s.Page("http://g/none") != nil {
		t.Error("Page(none) found a page")
	}
	c := &Page{URL: "http://g/c"}
	s.Pages = append(s.Pages, c)
	if s.Page("http://g/c") != c {
		t.Error("Page misses a page appended after the first lookup")
	}
	d := &Page{URL: "http://g/d"}
	s.Pages = []*Page{d}
	if s.Page("http://g/c") != nil || s.Page("http://g/d") != d {
		t.Error("Page does not see a new slice of pages")
	}
}
