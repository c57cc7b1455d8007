package checks

import (
	"fmt"
	"path/filepath"
	"testing"

	"gkaudit/site"
)

// benchSnapshot is a unit of 1,000 pages made of every check's fixtures
// (as crawled: decoded, links filled in), with an outbound probe and its
// landing page for every tenth page.
func benchSnapshot(b *testing.B) *site.Snapshot {
	b.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "*", "*.html"))
	if err != nil || len(paths) == 0 {
		b.Fatalf("no fixtures: %v", err)
	}
	t := &testing.T{}
	const host = "http://www.bl.gov.cn"
	s := &site.Snapshot{Entry: host + "/xxgk/index.html"}
	for i := range 1000 {
		u := fmt.Sprintf("%s/xxgk/p%04d.html", host, i)
		if i == 0 {
			u = s.Entry
		}
		s.Pages = append(s.Pages, withLinks(loadPage(t, paths[i%len(paths)], u)))
		if i%10 == 0 {
			link := fmt.Sprintf("http://www.site%03d.com/", i)
			s.Pages[i].Links = append(s.Pages[i].Links, site.Link{URL: link, Text: "友情链接单位"})
			s.Probes = append(s.Probes, site.Probe{URL: link, Status: 200, External: true, Referrers: []string{u},
				Landing: &site.Landing{Title: "友情链接单位网站", EarlierTitle: "友情链接单位", Text: "单位简介 工作动态 通知公告"}})
		}
	}
	return s
}

// BenchmarkChecks_Per1000Pages measures, per 1,000 pages, the whole check
// run and the two monitoring checks alone (go test -bench Per1000 ./checks).
func BenchmarkChecks_Per1000Pages(b *testing.B) {
	s := benchSnapshot(b)
	env := testEnv()
	b.Run("all", func(b *testing.B) {
		for b.Loop() {
			Run(s, env)
		}
	})
	b.Run("site.identity", func(b *testing.B) {
		for b.Loop() {
			SiteIdentity(s, env)
		}
	})
	b.Run("link.suspicious", func(b *testing.B) {
		for b.Loop() {
			LinkSuspicious(s, env)
		}
	})
}
