package crawler

import (
	"net/url"
	"strings"
	"testing"

	"gkaudit/config"
)

// urlSeeds are URL shapes of real district sites (Hanweb, TRS, own sites)
// and odd ones crawlers meet.
var urlSeeds = []string{
	"http://www.beilun.gov.cn/col/col1229412/index.html",
	"http://www.beilun.gov.cn/col/col1229412/index.html?uid=5229412&pageNum=2",
	"http://www.beilun.gov.cn/art/2019/12/3/art_1229413_41234.html",
	"https://XINQI.gov.cn:443/xxgk/zcwj/201912/t20191203_123456.html#top",
	"http://fgj.beilun.gov.cn:80/xxgk/index_1.html",
	"http://127.0.0.1:8080/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=45&perpage=15",
	"http://[::1]:8080/",
	"http://北仑.gov.cn/信息公开/",
	"http://a%2Fb/x",
	"javascript:void(0)",
	"//cdn.example/x.js",
	"http://h/%zz",
	"http://h/a/../b/./c",
	"HTTP://Example.gov.cn",
}

// Ensure that URL normalisation never panics, is idempotent (a normalised
// URL normalises to itself, so a page has one identity), and that scope and
// column-scope decisions on any URL never panic.
func FuzzNormURL(f *testing.F) {
	for _, s := range urlSeeds {
		f.Add(s, "http://www.beilun.gov.cn/col/col1229412/index.html")
	}
	f.Add("http://h/x", "http://h/zwgk/bm/fgj/index.html")
	f.Fuzz(func(t *testing.T, raw, entryRaw string) {
		u, err := url.Parse(raw)
		if err != nil {
			return
		}
		n := normURL(u)
		if v, err := url.Parse(n); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Opaque == "" {
			if again := normURL(v); again != n {
				t.Errorf("normURL not idempotent: %q -> %q -> %q", raw, n, again)
			}
		}
		_ = hostKey(u)
		_ = entryDir(u)
		_, _ = hanwebColumnID(u)
		entry, err := url.Parse(entryRaw)
		if err != nil || entry.Host == "" {
			return
		}
		IsPortalColumn(entry)
		s := newScope(entry, config.Unit{Scope: []string{raw}, Exclude: []string{"**" + strings.TrimPrefix(raw, "http:")}}, []string{raw, entryRaw})
		s.contains(u)
		s.keepToColumn(entry)
		s.admitColumns(entry, []string{raw})
		s.contains(u)
		s.leaf(u)
	})
}
