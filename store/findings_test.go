package store_test

import (
	"fmt"
	"reflect"
	"testing"

	"gkaudit/checks"
	"gkaudit/internal/testutil"
)

// newFindings returns n findings of unit over checks c0..c(n-1), in reverse
// check order.
func newFindings(unit string, n int) []checks.Finding {
	var fs []checks.Finding
	for i := n - 1; i >= 0; i-- {
		fs = append(fs, checks.Finding{
			Unit: unit, Check: fmt.Sprintf("c%d", i), Subject: "http://x/", Status: checks.Fail,
			URL: "http://x/", Detail: "缺少传真", Rule: "条例第二十条（一）", Looked: []string{"http://x/"},
			Evidence: checks.Evidence{URL: "http://x/", FetchedAt: t0, HTTPStatus: 200, SHA256: "ab", Excerpt: "联系电话"},
		})
	}
	return fs
}

// Ensure that findings read back in unit, then check order, keeping the saved
// order within one unit and check.
func TestFindings_RoundTrip(t *testing.T) {
	db := testutil.MustOpenStore(t)
	r := mustBeginRun(t, db)
	f := func(unit, check, subject string) checks.Finding {
		return checks.Finding{Unit: unit, Check: check, Subject: subject, Status: checks.Pass}
	}
	// "a-b" sorts after "a" as an ID, though '-' sorts before the '/' separator.
	batches := [][]checks.Finding{
		{f("a-b", "org.info", "1"), f("a", "site.reachable", "1"), f("a", "org.info", "1")},
		{f("a", "org.info", "2"), f("a", "org.info", "3")},
		newFindings("b", 2),
	}
	for _, fs := range batches {
		if err := db.SaveFindings(r.ID, fs); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.Findings(r.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []checks.Finding{
		f("a", "org.info", "1"), f("a", "org.info", "2"), f("a", "org.info", "3"),
		f("a", "site.reachable", "1"), f("a-b", "org.info", "1"),
		newFindings("b", 2)[1], newFindings("b", 2)[0],
	}
	want = withIDs(want)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Findings(%s) =\n%+v\nwant\n%+v", r.ID, got, want)
	}
	run, err := db.Run(r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if run.Findings != int64(len(want)) {
		t.Errorf("run.Findings = %d, want %d", run.Findings, len(want))
	}

	// Another run's findings stay apart.
	r2 := mustBeginRun(t, db)
	if got, err := db.Findings(r2.ID); err != nil || len(got) != 0 {
		t.Errorf("Findings(%s) = %v, %v, want none", r2.ID, got, err)
	}
}
