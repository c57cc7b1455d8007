package onboard

import (
	"net/url"
	"slices"
	"testing"
)

func TestTRSPages(t *testing.T) {
	base, _ := url.Parse("http://www.bl.gov.cn/xxgk/bm/index.html")
	for _, tc := range []struct {
		script string
		want   []string
	}{
		{`createPageHTML(3, 0, "index", "html");`, []string{"http://www.bl.gov.cn/xxgk/bm/index_1.html", "http://www.bl.gov.cn/xxgk/bm/index_2.html"}},
		{"var countPage = 2//共多少页\nvar currentPage = 0;\ncreatePageHTML(countPage, currentPage, \"index\", \"shtml\");", []string{"http://www.bl.gov.cn/xxgk/bm/index_1.shtml"}},
		{`createPageHTML(1, 0, "index", "html");`, nil},
		{`createPageHTML(n, 0, "index", "html");`, nil}, // n set nowhere
		{`document.write("createPageHTML")`, nil},
	} {
		if got := trsPages(base, tc.script); !slices.Equal(got, tc.want) {
			t.Errorf("trsPages(%q) = %v, want %v", tc.script, got, tc.want)
		}
	}
	if got := trsPages(base, `createPageHTML(500, 0, "index", "html");`); len(got) != maxListPages {
		t.Errorf("a 500-page list gives %d pages, want the bound %d", len(got), maxListPages)
	}
}
