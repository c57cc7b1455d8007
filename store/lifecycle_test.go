package store_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"gkaudit/checks"
	"gkaudit/internal/testutil"
	"gkaudit/store"
)

// onPage returns a failing org.info finding of u1 judged on a page with the
// given SHA-256.
func onPage(sha string) checks.Finding {
	f := testutil.Finding("u1", "org.info", "org_info", fail)
	f.Evidence.SHA256 = sha
	return f
}

func asOf(n int, date string) store.Run {
	r := day(n, "u1")
	r.AsOf = date
	return r
}

func mustEntry(t *testing.T, db *store.DB, id string) store.HistoryEntry {
	t.Helper()
	e, err := db.Entry(id)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// mustIssue issues a rectification notice for u1's finding id with the
// given deadline.
func mustIssue(t *testing.T, db *store.DB, kind, id string, date, deadline time.Time) store.Notice {
	t.Helper()
	n, err := db.IssueNotice(store.Issue{Kind: kind, Unit: "u1", Date: date, By: "admin", Findings: []string{id},
		Deadlines: map[string]time.Time{id: deadline},
		Number:    func(year, seq int) string { return fmt.Sprintf("测〔%d〕%d号", year, seq) }})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func date(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

// Ensure that a finding goes open -> notified -> overdue -> fixed as runs
// and a notice see it, with one event per transition and the overdue run
// kept after the fix.
func TestLifecycle_NotifiedOverdueFixed(t *testing.T) {
	db := testutil.MustOpenStore(t)
	testutil.MustAddRun(t, db, asOf(0, "2020-03-02"), onPage("a"))
	id := store.FindingID(store.FindingKey(onPage("a")))
	if e := mustEntry(t, db, id); e.State != store.StateOpen {
		t.Fatalf("after first run: state %s, want open", e.State)
	}

	n := mustIssue(t, db, store.NoticeRectification, id, date("2020-03-02"), date("2020-03-16"))
	if n.Number != "测〔2020〕1号" || len(n.Findings) != 1 {
		t.Fatalf("notice = %+v, want 测〔2020〕1号 listing the finding", n)
	}
	e := mustEntry(t, db, id)
	if e.State != store.StateNotified || e.Notice != n.Number || !e.Deadline.Equal(date("2020-03-16")) {
		t.Fatalf("after notice: %+v, want notified with deadline 2020-03-16", e)
	}
	// Issuing again lists nothing: the finding is already notified.
	if again := mustIssue(t, db, store.NoticeRectification, id, date("2020-03-03"), date("2020-03-17")); again.ID != "" {
		t.Errorf("second notice = %+v, want none", again)
	}

	testutil.MustAddRun(t, db, asOf(1, "2020-03-16"), onPage("a")) // on the deadline: still in time
	if e := mustEntry(t, db, id); e.State != store.StateNotified {
		t.Errorf("on the deadline: state %s, want notified", e.State)
	}
	r3 := testutil.MustAddRun(t, db, asOf(2, "2020-03-17"), onPage("a"))
	if e := mustEntry(t, db, id); e.State != store.StateOverdue || e.Overdue.Run != r3.ID {
		t.Errorf("after the deadline: %+v, want overdue in run %s", e, r3.ID)
	}
	fu := mustIssue(t, db, store.NoticeFollowUp, id, date("2020-03-18"), time.Time{})
	if fu.Number != "测〔2020〕2号" {
		t.Errorf("follow-up number %q, want 测〔2020〕2号", fu.Number)
	}
	testutil.MustAddRun(t, db, asOf(3, "2020-03-20"), testutil.Finding("u1", "org.info", "org_info", pass))
	e = mustEntry(t, db, id)
	if e.State != store.StateFixed || e.Overdue.Run != r3.ID {
		t.Errorf("after the fix: %+v, want fixed, overdue kept", e)
	}

	evs, err := db.Events(store.EventFilter{Finding: id})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, ev := range evs {
		got = append(got, fmt.Sprintf("%s:%s>%s:%s", ev.Action, ev.From, ev.To, ev.By))
	}
	want := []string{"detect:>open:system", "notify:open>notified:admin", "overdue:notified>overdue:system",
		"follow_up:overdue>overdue:admin", "fix:overdue>fixed:system"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("events = %v, want %v", got, want)
	}
}

// Ensure that a dismissed finding stays dismissed while its page is
// unchanged, reopens when the page changes, and that a dismissal needs a
// reason.
func TestLifecycle_DismissedUntilPageChanges(t *testing.T) {
	db := testutil.MustOpenStore(t)
	testutil.MustAddRun(t, db, asOf(0, "2020-03-02"), onPage("a"))
	id := store.FindingID(store.FindingKey(onPage("a")))

	if _, err := db.Dismiss(id, "li", " ", time.Now()); !errors.Is(err, store.ErrReasonRequired) {
		t.Errorf("Dismiss without reason: %v, want ErrReasonRequired", err)
	}
	e, err := db.Dismiss(id, "li", "页面实际有办公时间，规则误判", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if e.State != store.StateDismissed || e.Dismissed.SHA256 != "a" {
		t.Fatalf("after dismiss: %+v", e)
	}
	if e.Counts() {
		t.Errorf("a dismissed finding counts")
	}
	if _, err := db.Dismiss(id, "li", "again", time.Now()); !errors.Is(err, store.ErrTransition) {
		t.Errorf("dismissing twice: %v, want ErrTransition", err)
	}
	if n := mustIssue(t, db, store.NoticeRectification, id, date("2020-03-02"), date("2020-03-16")); n.ID != "" {
		t.Errorf("a dismissed finding reached notice %+v", n)
	}

	testutil.MustAddRun(t, db, asOf(1, "2020-03-03"), onPage("a"))
	if e := mustEntry(t, db, id); e.State != store.StateDismissed {
		t.Errorf("same page: state %s, want dismissed", e.State)
	}
	testutil.MustAddRun(t, db, asOf(2, "2020-03-04"), onPage("b"))
	if e := mustEntry(t, db, id); e.State != store.StateOpen || e.Dismissed != nil {
		t.Errorf("changed page: %+v, want open again", e)
	}

	// A reviewer may confirm it, and reopen what was dismissed.
	if _, err := db.Confirm(id, "wang", "属实", time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Dismiss(id, "li", "误判", time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Reopen(id, "wang", "", time.Now()); !errors.Is(err, store.ErrReasonRequired) {
		t.Errorf("Reopen without reason: %v, want ErrReasonRequired", err)
	}
	if e, err := db.Reopen(id, "wang", "复核后认定问题存在", time.Now()); err != nil || e.State != store.StateOpen {
		t.Errorf("Reopen = %+v, %v; want open", e, err)
	}
	evs, err := db.Events(store.EventFilter{Unit: "u1", By: "wang"})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 2 || evs[0].Action != store.ActionConfirm || evs[1].Action != store.ActionReopen || evs[1].Why != "复核后认定问题存在" {
		t.Errorf("wang's events = %+v, want confirm then reopen with the reason", evs)
	}
}

// Ensure that a finding fixed and failing again reopens without its old
// notice, so the unit gets a new one.
func TestLifecycle_ReopenNeedsNewNotice(t *testing.T) {
	db := testutil.MustOpenStore(t)
	testutil.MustAddRun(t, db, asOf(0, "2020-03-02"), onPage("a"))
	id := store.FindingID(store.FindingKey(onPage("a")))
	mustIssue(t, db, store.NoticeRectification, id, date("2020-03-02"), date("2020-03-16"))
	testutil.MustAddRun(t, db, asOf(1, "2020-03-03"), testutil.Finding("u1", "org.info", "org_info", pass))
	testutil.MustAddRun(t, db, asOf(2, "2020-03-04"), onPage("c"))
	e := mustEntry(t, db, id)
	if e.State != store.StateOpen || e.Notice != "" || !e.Deadline.IsZero() || e.Reopened != 1 {
		t.Errorf("reopened: %+v, want open with no notice", e)
	}
	if n := mustIssue(t, db, store.NoticeRectification, id, date("2020-03-05"), date("2020-03-19")); n.Number != "测〔2020〕2号" {
		t.Errorf("new notice %+v, want 测〔2020〕2号", n)
	}
}
