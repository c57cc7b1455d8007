package sim

import (
	"slices"
	"testing"
	"time"

	"gkaudit/config"
)

// Ensure that the truth of interpretation.sync counts working days on the
// embedded config's calendar, as the check does: a 解读 of Thursday 10
// October 2019 after a document of Monday 30 September is 3 working days
// late (国庆 off), on time; one of Saturday 12 October, a 调休 working
// day, is 5 late.
func TestTruth_InterpretationSyncCountsHolidays(t *testing.T) {
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	cst := time.FixedZone("CST", 8*3600)
	doc := &item{date: time.Date(2019, 9, 30, 16, 0, 0, 0, cst)}
	onTime := &item{date: time.Date(2019, 10, 10, 9, 30, 0, 0, cst), pair: doc, path: "/zcjd/on_time.html"}
	late := &item{date: time.Date(2019, 10, 12, 10, 0, 0, 0, cst), pair: doc, path: "/zcjd/late.html"}
	s := &unitSite{h: &host{base: "http://sim.invalid"}, cols: []*column{{kind: kInterp, items: []*item{onTime, late}}}}

	d := &District{cfg: cfg, cal: cfg.Calendar(), year: 2019}
	tr := d.judge(s, "interpretation.sync", volumes{})
	if want := []string{"http://sim.invalid/zcjd/late.html"}; tr.Status != Fail || !slices.Equal(tr.Subjects, want) {
		t.Errorf("judge(interpretation.sync) = %s %v, want fail %v", tr.Status, tr.Subjects, want)
	}

	d.cal = nil // Monday to Friday: both late
	if tr := d.judge(s, "interpretation.sync", volumes{}); len(tr.Subjects) != 2 {
		t.Errorf("judge(interpretation.sync) weekends only = %s %v, want both subjects", tr.Status, tr.Subjects)
	}
}
