package store_test

import (
	"reflect"
	"testing"

	"gkaudit/site"
)

// Ensure that an outbound probe's landing page (title, text sample, the
// earlier run's title) is kept with the snapshot and read back by
// PreviousSnapshot, where the next run's audit finds the earlier title.
func TestSaveSnapshot_ProbeLanding(t *testing.T) {
	db := mustOpen(t, tempPath(t))
	defer db.Close()
	r := mustBeginRun(t, db)
	s := newSnapshot("u1", 2, htmlBody)
	l := &site.Landing{FinalURL: "http://www.blkx.org/index.html", Title: "优米网络科技有限公司", Text: "网站建设 SEO优化", EarlierTitle: "北仑区科学技术协会"}
	s.Probes = append(s.Probes, site.Probe{URL: "http://www.blkx.org/", Status: 200, Method: "HEAD", FetchedAt: t0, External: true, Landing: l})
	if err := db.SaveSnapshot(r.ID, s); err != nil {
		t.Fatal(err)
	}
	if err := db.FinishRun(r.ID); err != nil {
		t.Fatal(err)
	}
	_, prev, err := db.PreviousSnapshot("u1", "")
	if err != nil {
		t.Fatal(err)
	}
	var got *site.Landing
	for _, pr := range prev.Probes {
		if pr.URL == "http://www.blkx.org/" {
			got = pr.Landing
		}
	}
	if !reflect.DeepEqual(got, l) {
		t.Errorf("PreviousSnapshot landing = %+v, want %+v", got, l)
	}
}
