package audit_test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gkaudit/audit"
	"gkaudit/checks"
	"gkaudit/config"
	"gkaudit/internal/testutil"
	"gkaudit/store"
)

// Ensure that a run read back from the store can be checked again with the
// same findings: the snapshots keep everything the checks judge (their
// views, links, probes and attachments), the unit counts what the district
// checks judge.
func TestRecheck_StoredRunGivesTheSameFindings(t *testing.T) {
	if testing.Short() {
		t.Skip("crawls the simulated district")
	}
	d := serveGen(t, 1, freePortRange(t, 20))
	defer d.Close()
	db, err := store.Open(filepath.Join(t.TempDir(), "audit.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res := auditSim(t, db, d)
	want, err := db.Findings(res.Run.ID)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	testutil.AllowLoopback(cfg)
	cfg.Units = d.Units()
	got, err := audit.Recheck(db, cfg, res.Run.ID)
	if err != nil {
		t.Fatal(err)
	}
	key := func(f checks.Finding) string {
		return strings.Join([]string{f.Unit, f.Check, f.Subject, string(f.Status), f.URL, f.Detail, f.Evidence.SHA256, f.Evidence.Excerpt}, "|")
	}
	keys := func(fs []checks.Finding) []string {
		out := make([]string, len(fs))
		for i, f := range fs {
			out[i] = key(f)
		}
		slices.Sort(out)
		return out
	}
	w, g := keys(want), keys(got)
	if len(w) < 500 {
		t.Fatalf("the run has %d findings: too few to compare", len(w))
	}
	for _, k := range w {
		if _, ok := slices.BinarySearch(g, k); !ok {
			t.Errorf("stored finding not found again:\n  %s", k)
		}
	}
	for _, k := range g {
		if _, ok := slices.BinarySearch(w, k); !ok {
			t.Errorf("re-check found what the run did not:\n  %s", k)
		}
	}
}
