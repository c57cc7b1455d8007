package crawler

import (
	"context"
	"strings"
	"testing"
	"time"

	"gkaudit/checks"
	"gkaudit/config"
	"gkaudit/platform"
	"gkaudit/sim"
)

// Ensure that a crawl of the simulated district reads its platform lists
// whole: the Hanweb units' dataproxy answers and the TRS units' index_N
// pages are fetched, and every article a dataproxy answer lists is a page of
// the snapshot.
func TestCrawl_SimPlatforms(t *testing.T) {
	if testing.Short() {
		t.Skip("crawls the demo district")
	}
	d, err := sim.New(sim.Options{Listen: "127.0.0.1:0", NoTraps: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	units := d.Units()
	var entries []string
	for _, u := range units {
		entries = append(entries, u.URL)
	}
	pol := testPolicy()
	pol.MaxPagesPerUnit = 3000
	pol.UnitBudget = config.Duration(60 * time.Second)
	proxies, trsPages := 0, 0
	for _, u := range units {
		var avoid []string
		for _, e := range entries {
			if e != u.URL {
				avoid = append(avoid, e)
			}
		}
		s, err := Crawl(context.Background(), u, Options{Policy: pol, Avoid: avoid})
		if err != nil {
			t.Fatal(err)
		}
		// The sim's lists are all readable: no check may call one unread.
		env := checks.Env{AsOf: d.AsOf(), Unit: u}
		for _, f := range append(checks.ColumnEmpty(s, env), checks.ColumnStale(s, env)...) {
			if strings.Contains(f.Detail, "无法读取全部条目") {
				t.Errorf("%s: %s: %s", u.ID, f.Subject, f.Detail)
			}
		}
		for _, p := range s.Pages {
			switch {
			case strings.Contains(p.URL, "dataproxy.jsp"):
				if !p.OK() {
					t.Errorf("%s: %s: %d %s", u.ID, p.URL, p.Status, p.Err)
					continue
				}
				proxies++
				recs, _ := platform.Records(p.Body)
				if len(recs) == 0 {
					t.Errorf("%s: %s holds no records", u.ID, p.URL)
				}
				for _, l := range p.Links {
					if strings.Contains(l.URL, "/art/") && !s.Page(l.URL).OK() {
						t.Errorf("%s: article %s of %s not fetched", u.ID, l.URL, p.URL)
					}
				}
			case strings.Contains(p.URL, "/index_") && strings.Contains(p.URL, "/xxgk/"):
				trsPages++
			case strings.Contains(p.URL, "pageNum="):
				// Hanweb units no longer link these; template-2 portal units still do.
			}
		}
	}
	if proxies == 0 || trsPages == 0 {
		t.Errorf("dataproxy answers %d, TRS index_N pages %d; want both read", proxies, trsPages)
	}
	t.Logf("dataproxy answers %d, TRS index_N pages %d over %d units", proxies, trsPages, len(units))
}
