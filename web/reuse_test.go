package web_test

import (
	"testing"
	"time"

	"gkaudit/checks"
	"gkaudit/site"
	"gkaudit/store"
)

// Ensure that a finding a run reused from an earlier one (its unit's pages
// unchanged) says so on its page, with when the page was confirmed and a
// link to the run that judged it.
func TestFinding_ShowsReusedJudgement(t *testing.T) {
	fx := newFixture(t)
	db, err := store.Open(fx.path)
	if err != nil {
		t.Fatal(err)
	}
	entry := "http://xinqi.example/xxgk/index.html"
	confirmed := time.Date(2020, 3, 2, 2, 5, 0, 0, time.UTC)
	r, err := db.BeginRun(store.Run{AsOf: "2020-03-02", Units: []string{"xinqi"}})
	if err != nil {
		t.Fatal(err)
	}
	snap := &site.Snapshot{UnitID: "xinqi", UnitName: "新碶街道", Entry: entry, Started: confirmed, Finished: confirmed,
		Pages: []*site.Page{{URL: entry, FinalURL: entry, Status: 200, ContentType: "text/html", Charset: "utf-8",
			FetchedAt: confirmed, Body: []byte(hostileBody), NotModified: true, Attempts: 1}}}
	if err := db.SaveSnapshot(r.ID, snap); err != nil {
		t.Fatal(err)
	}
	org := checks.Finding{Unit: "xinqi", Check: "org.info", Subject: entry, Status: checks.Fail, URL: entry,
		Detail: markupDetail, Rule: "条例第二十条（二）",
		Evidence: checks.Evidence{URL: entry, FetchedAt: confirmed, HTTPStatus: 200, SHA256: fx.sha, Excerpt: "办公地址：新碶街道明州路1号",
			ReusedFrom: "000001"}}
	if err := db.SaveFindings(r.ID, []checks.Finding{org}); err != nil {
		t.Fatal(err)
	}
	if err := db.FinishRun(r.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	srv := newServer(t, fx.path, nil, nil)
	c := login(t, srv.URL, "view")
	_, page := get(t, c, srv.URL+"/findings/"+fx.orgID)
	if !contains(page, "本次复核页面未变化，沿用运行 000001 的检查结果（页面于 2020-03-02 10:05 确认未变）",
		"/findings/"+fx.orgID+"?run=000001") {
		t.Errorf("reused finding's page does not say it was reused:\n%s", page)
	}
	_, first := get(t, c, srv.URL+"/findings/"+fx.orgID+"?run=000001")
	if contains(first, "沿用运行") {
		t.Errorf("the judging run's finding says it was reused:\n%s", first)
	}
}
