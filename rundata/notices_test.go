package rundata_test

import (
	"slices"
	"testing"
	"time"

	"gkaudit/checks"
	"gkaudit/config"
	"gkaudit/internal/testutil"
	"gkaudit/notice"
	"gkaudit/rundata"
	"gkaudit/store"
)

// Ensure that an issued notice is rebuilt as it was issued: the same
// findings, 文号, date and deadlines, although its findings are notified
// now and a later reviewer dismissed one of them.
func TestIssued_RebuildsIssuedNotice(t *testing.T) {
	db := testutil.MustOpenStore(t)
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	fs := []checks.Finding{
		testutil.Finding("xinqi", "org.info", "http://x/jgxx/", checks.Fail),
		testutil.Finding("xinqi", "keyarea.budget", "http://x/ysjs/", checks.Fail),
		testutil.Finding("finance", "newmedia.links", "http://f/", checks.Fail),
	}
	testutil.MustAddRun(t, db, store.Run{AsOf: "2020-03-01", Units: []string{"xinqi", "finance"}}, fs...)
	d, err := rundata.Read(db, "latest", cfg)
	if err != nil {
		t.Fatal(err)
	}
	date := time.Date(2020, 3, 2, 0, 0, 0, 0, time.FixedZone("CST", 8*3600))
	var xinqi []config.Unit
	for _, u := range d.Units {
		if u.ID == "xinqi" {
			xinqi = append(xinqi, u)
		}
	}
	docs, err := rundata.Notices(db, d, cfg, xinqi, date, true, "张三")
	if err != nil || len(docs) != 1 {
		t.Fatalf("Notices = %d docs, %v; want 1", len(docs), err)
	}
	if _, err := db.Dismiss(docs[0].Problems[0].ID, "李四", "误判", date); err != nil {
		t.Fatal(err)
	}
	ns, err := db.Notices("xinqi")
	if err != nil || len(ns) != 1 {
		t.Fatalf("Notices(xinqi) = %v, %v", ns, err)
	}
	got, err := rundata.Issued(db, cfg, ns[0])
	if err != nil {
		t.Fatal(err)
	}
	want := docs[0]
	if got.Draft || got.Number != want.Number || !got.Date.Equal(want.Date) || !got.Deadline.Equal(want.Deadline) {
		t.Errorf("Issued = draft %v, %q, %v, deadline %v; want %q, %v, %v", got.Draft, got.Number, got.Date, got.Deadline,
			want.Number, want.Date, want.Deadline)
	}
	ids := func(d notice.Doc) []string { s := d.IDs(); slices.Sort(s); return s }
	if !slices.Equal(ids(got), ids(want)) {
		t.Errorf("Issued lists %v, want %v", ids(got), ids(want))
	}
	for _, p := range got.Problems {
		if !p.Deadline.Equal(ns[0].Deadlines[p.ID]) {
			t.Errorf("problem %s deadline %v, want %v", p.ID, p.Deadline, ns[0].Deadlines[p.ID])
		}
	}
}
