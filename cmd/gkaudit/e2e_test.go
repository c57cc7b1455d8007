package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"gkaudit/checks"
	"gkaudit/config"
	"gkaudit/sim"
)

// Ensure that an audit of the whole simulated district agrees with the sim's
// ground truth for every check implemented so far: sim -> audit -> findings.
func TestEndToEnd_SimTruth(t *testing.T) {
	if testing.Short() {
		t.Skip("crawls the whole simulated district")
	}
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	d, err := sim.New(sim.Options{Seed: 1, Size: sim.SizeDemo, Units: cfg.Units})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Start(); err != nil {
		t.Fatal(err)
	}
	defer d.Close()

	dir := t.TempDir()
	cfg.Units = d.Units()
	cfg.Crawl = loopbackPolicy(cfg.Crawl)
	data, err := cfg.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	cfgPath := filepath.Join(dir, "sim.yaml")
	dbPath := filepath.Join(dir, "audit.db")
	if err := os.WriteFile(cfgPath, data, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := gk(t, "audit", "--config", cfgPath, "--db", dbPath, "--as-of", d.AsOf().Format("2006-01-02"))
	if code != exitOK {
		t.Fatalf("audit = %d\n%s\n%s", code, out, stderr)
	}
	code, out, stderr = gk(t, "findings", "--db", dbPath, "--format", "json")
	if code != exitOK {
		t.Fatalf("findings = %d: %s", code, stderr)
	}
	var found []checks.Finding
	if err := json.Unmarshal([]byte(out), &found); err != nil {
		t.Fatalf("findings JSON: %v", err)
	}

	// A unit's status for a check: fail if any finding fails, else pass if
	// any passes, else the first status seen.
	got := map[string]checks.Status{}
	for _, f := range found {
		k := f.Unit + " " + f.Check
		switch cur := got[k]; {
		case f.Status == checks.Fail, cur == "":
			got[k] = f.Status
		case f.Status == checks.Pass && cur != checks.Fail:
			got[k] = checks.Pass
		}
		if f.Status == checks.Fail && (f.Evidence.URL == "" && f.Check != "site.reachable") {
			t.Errorf("%s: failing finding without evidence: %+v", k, f)
		}
	}
	var mismatches []string
	compared := 0
	for _, tr := range d.Truth() {
		if _, ok := checks.Lookup(tr.Check); !ok {
			continue
		}
		compared++
		k := tr.Unit + " " + tr.Check
		if string(got[k]) != tr.Status {
			mismatches = append(mismatches, k+": got "+string(got[k])+", want "+tr.Status+" ("+tr.Note+")")
		}
	}
	sort.Strings(mismatches)
	if len(mismatches) > 0 {
		t.Errorf("%d of %d (unit, check) pairs disagree with the truth:\n%s", len(mismatches), compared, strings.Join(mismatches, "\n"))
	}
	if compared < 2*len(d.Units()) {
		t.Errorf("compared %d pairs, want every unit for every implemented check", compared)
	}
}
