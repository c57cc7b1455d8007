package checks

import (
	"gkaudit/page"
	"path/filepath"
	"testing"
)

// Ensure that the view's main text (page.View.Main) reads what pageText reads, on every
// fixture of every check.
func TestViewMain_MatchesPageText(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "*", "*.html"))
	if err != nil || len(paths) < 20 {
		t.Fatalf("fixtures: %d, %v", len(paths), err)
	}
	for _, path := range paths {
		p := loadPage(t, path, "http://gov.example/a.html")
		// pageText's fallback (no main text) adds no breaks between blocks.
		if got, want := viewOf(p).Main, pageText(p); got != want && (mainText(p) != "" || page.Compact(got) != page.Compact(want)) {
			t.Errorf("readTexts(%s).main =\n%q\nwant pageText\n%q", path, got, want)
		}
	}
}
