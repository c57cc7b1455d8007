package main

import (
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gkaudit/config"
	"gkaudit/score"
	"gkaudit/sim"
	"gkaudit/store"
)

// lifecycleDistrict serves generation gen of the simulated district on the
// fixed ports from port and writes a config for auditing it.
func lifecycleDistrict(t *testing.T, gen, port int, dir string) (*sim.District, string) {
	t.Helper()
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	d, err := sim.New(sim.Options{Seed: 1, Size: sim.SizeDemo, Units: cfg.Units, Generation: gen,
		Listen: net.JoinHostPort("127.0.0.1", strconv.Itoa(port))})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Start(); err != nil {
		t.Fatal(err)
	}
	cfg.Units = d.Units()
	cfg.Crawl = loopbackPolicy(cfg.Crawl)
	data, err := cfg.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "sim.yaml")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return d, path
}

// findingsJSON runs findings --format json and decodes it.
func findingsJSON(t *testing.T, db string) []findingOut {
	t.Helper()
	code, out, stderr := gk(t, "findings", "--db", db, "--format", "json", "--status", "fail")
	if code != exitOK {
		t.Fatalf("findings = %d: %s", code, stderr)
	}
	var fs []findingOut
	if err := json.Unmarshal([]byte(out), &fs); err != nil {
		t.Fatalf("findings JSON: %v", err)
	}
	return fs
}

func mustGK(t *testing.T, args ...string) string {
	t.Helper()
	code, out, stderr := gk(t, args...)
	if code != exitOK {
		t.Fatalf("gkaudit %s = %d\n%s\n%s", strings.Join(args, " "), code, out, stderr)
	}
	return out
}

// Ensure that findings move through their lifecycle across generations of
// the simulated district: drafts change nothing; issued notices make them
// notified with deadlines on the working-day calendar and are never issued
// twice; a run after the deadline finds persisting ones overdue (and the
// score deducts for them) and fixed ones fixed; a dismissed finding on an
// unchanged page stays dismissed; follow-ups list what is overdue.
func TestLifecycle_AcrossGenerations(t *testing.T) {
	if testing.Short() {
		t.Skip("crawls the whole simulated district twice")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "audit.db")
	port := freePorts(t, 20)

	d1, cfg := lifecycleDistrict(t, 1, port, dir)
	mustGK(t, "audit", "--config", cfg, "--db", db, "--as-of", "2020-03-01")
	d1.Close()
	gen1 := findingsJSON(t, db)
	if len(gen1) == 0 {
		t.Fatal("generation 1 has no failing findings")
	}
	var dismissed findingOut
	for _, f := range gen1 {
		if f.State != store.StateOpen {
			t.Errorf("after the first run %s %s is %s, want open", f.Unit, f.Check, f.State)
		}
		if f.Check == "report.sections" && dismissed.ID == "" {
			dismissed = f
		}
	}
	if dismissed.ID == "" {
		t.Fatal("no report.sections finding to dismiss")
	}

	// A draft changes nothing.
	out := mustGK(t, "notices", "--db", db, "--out", filepath.Join(dir, "draft"), "--as-of", "2020-03-02", "--pdf=false")
	if !strings.Contains(out, "草稿") || !strings.Contains(out, "xinqi-整改通知-草稿.html") {
		t.Errorf("draft notices output:\n%s", out)
	}
	for _, f := range findingsJSON(t, db) {
		if f.State != store.StateOpen || f.Deadline != nil {
			t.Errorf("after drafts %s %s is %s (deadline %v), want open", f.Unit, f.Check, f.State, f.Deadline)
		}
	}

	mustGK(t, "review", "dismiss", "--db", db, "--finding", dismissed.ID, "--reason", "报告按2019年模板公开，规则误判", "--by", "reviewer")
	out = mustGK(t, "notices", "--db", db, "--out", filepath.Join(dir, "issued"), "--as-of", "2020-03-02", "--issue", "--pdf=false", "--by", "admin")
	if !strings.Contains(out, "已印发") {
		t.Errorf("issued notices output:\n%s", out)
	}
	notified := map[string]bool{}
	for _, f := range findingsJSON(t, db) {
		switch {
		case f.ID == dismissed.ID:
			if f.State != store.StateDismissed {
				t.Errorf("dismissed finding is %s after the notices", f.State)
			}
		case f.State != store.StateNotified || f.Deadline == nil || f.Deadline.Format("2006-01-02") != "2020-03-16":
			// 10 working days from Monday 2020-03-02.
			t.Errorf("after --issue %s %s is %s, deadline %v; want notified, 2020-03-16", f.Unit, f.Check, f.State, f.Deadline)
		default:
			notified[f.ID] = true
		}
	}
	page, err := os.ReadFile(filepath.Join(dir, "issued", "xinqi-整改通知-仑政公办〔2020〕1号.html"))
	if err != nil {
		entries, _ := os.ReadDir(filepath.Join(dir, "issued"))
		t.Fatalf("first issued notice: %v (dir has %v)", err, entries)
	}
	if strings.Contains(string(page), dismissed.ID) || strings.Contains(string(page), "草稿") {
		t.Errorf("issued notice lists the dismissed finding or says 草稿")
	}
	if out := mustGK(t, "notices", "--db", db, "--out", filepath.Join(dir, "again"), "--as-of", "2020-03-03", "--issue", "--pdf=false"); !strings.Contains(out, "没有需要通知的问题") {
		t.Errorf("reissuing printed:\n%s", out)
	}

	// Generation 2, audited after the deadline.
	d2, cfg := lifecycleDistrict(t, 2, port, dir)
	mustGK(t, "audit", "--config", cfg, "--db", db, "--as-of", "2020-03-20")
	d2.Close()
	gen2 := map[string]findingOut{}
	for _, f := range findingsJSON(t, db) {
		gen2[f.ID] = f
	}
	var overdue, fixed, fresh int
	for id := range notified {
		f, failing := gen2[id]
		switch {
		case failing && f.State == store.StateOverdue:
			overdue++
		case failing:
			t.Errorf("%s %s still failing after its deadline is %s, want overdue", f.Unit, f.Check, f.State)
		default:
			fixed++
		}
	}
	for id, f := range gen2 {
		if _, ok := notified[id]; !ok && id != dismissed.ID {
			fresh++
			if f.State != store.StateOpen {
				t.Errorf("new finding %s %s is %s, want open", f.Unit, f.Check, f.State)
			}
		}
	}
	t.Logf("generation 1: %d notified, 1 dismissed; generation 2: %d overdue, %d fixed, %d new", len(notified), overdue, fixed, fresh)
	if overdue == 0 || fixed == 0 || fresh == 0 {
		t.Errorf("generation 2: %d overdue, %d fixed, %d new; want some of each", overdue, fixed, fresh)
	}
	f, ok := gen2[dismissed.ID]
	if !ok || f.Evidence.SHA256 != dismissed.Evidence.SHA256 {
		t.Fatalf("the dismissed finding's page changed in generation 2 (%+v): choose another", f)
	}
	if f.State != store.StateDismissed {
		t.Errorf("dismissed finding on an unchanged page is %s, want dismissed", f.State)
	}
	fixedState := 0
	states := historyStates(t, db)
	for id := range notified {
		if _, failing := gen2[id]; !failing && states[id] == store.StateFixed {
			fixedState++
		}
	}
	if fixedState != fixed {
		t.Errorf("%d of %d cleared findings are fixed in the history", fixedState, fixed)
	}

	// The score deducts one point per overdue finding.
	var cards []score.Card
	if err := json.Unmarshal([]byte(mustGK(t, "score", "--db", db, "--format", "json")), &cards); err != nil {
		t.Fatal(err)
	}
	perUnit := map[string]int{}
	for id := range notified {
		if f, failing := gen2[id]; failing {
			perUnit[f.Unit]++
		}
	}
	for _, c := range cards {
		for _, ded := range c.Deductions {
			if ded.ID == "overdue_rectification" && (ded.Count != perUnit[c.Unit] || ded.Deducted != float64(perUnit[c.Unit])) {
				t.Errorf("%s overdue_rectification = %d (−%v), want %d", c.Unit, ded.Count, ded.Deducted, perUnit[c.Unit])
			}
		}
	}

	// Follow-ups list the overdue findings; new ones get a notice of their own.
	out = mustGK(t, "notices", "--db", db, "--out", filepath.Join(dir, "follow"), "--as-of", "2020-03-23", "--issue", "--pdf=false")
	if !strings.Contains(out, "催办通知") || !strings.Contains(out, "整改通知") {
		t.Errorf("follow-up output:\n%s", out)
	}
	var someOverdue string
	for id := range notified {
		if _, failing := gen2[id]; failing {
			someOverdue = id
			break
		}
	}
	var evs []store.Event
	if err := json.Unmarshal([]byte(mustGK(t, "events", "--db", db, "--finding", someOverdue, "--format", "json")), &evs); err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, ev := range evs {
		actions = append(actions, ev.Action)
	}
	if strings.Join(actions, ",") != "detect,notify,overdue,follow_up" {
		t.Errorf("events of an overdue finding = %v, want detect, notify, overdue, follow_up", actions)
	}
}

// historyStates reads every finding's lifecycle state.
func historyStates(t *testing.T, path string) map[string]store.State {
	t.Helper()
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	es, err := db.Entries()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]store.State{}
	for _, e := range es {
		out[e.ID] = e.State
	}
	return out
}
