package checks

import (
	"path/filepath"
	"testing"
)

// Ensure that the one-parse text reader reads what pageText reads, on every
// fixture of every check.
func TestReadTexts_MatchesPageText(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "*", "*.html"))
	if err != nil || len(paths) < 20 {
		t.Fatalf("fixtures: %d, %v", len(paths), err)
	}
	for _, path := range paths {
		p := loadPage(t, path, "http://gov.example/a.html")
		// pageText's fallback (no main text) adds no breaks between blocks.
		if got, want := readTexts(p).main, pageText(p); got != want && (mainText(p) != "" || compact(got) != compact(want)) {
			t.Errorf("readTexts(%s).main =\n%q\nwant pageText\n%q", path, got, want)
		}
	}
}
