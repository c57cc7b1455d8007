package main

import (
	"encoding/json"
	"fmt"
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
// Two seeds, so that the defects fall on other units and templates.
func TestEndToEnd_SimTruth(t *testing.T) {
	if testing.Short() {
		t.Skip("crawls the whole simulated district")
	}
	for _, seed := range []int64{1, 2} {
		t.Run(fmt.Sprintf("seed%d", seed), func(t *testing.T) { endToEnd(t, seed) })
	}
}

func endToEnd(t *testing.T, seed int64) {
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	d, err := sim.New(sim.Options{Seed: seed, Size: sim.SizeDemo, Units: cfg.Units})
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

	rep := compareTruth(found, d.Truth())
	t.Logf("per-check accuracy over the simulated district (positive = fail):\n%s", rep.table())
	if len(rep.mismatches) > 0 {
		t.Errorf("%d of %d (unit, check) pairs disagree with the truth:\n%s", len(rep.mismatches), rep.compared, strings.Join(rep.mismatches, "\n"))
	}
	for _, id := range rep.ids {
		c := rep.byCheck[id]
		if c.precision() != 1 || c.recall() != 1 || c.subjPrecision() != 1 || c.subjRecall() != 1 {
			t.Errorf("%s: precision %.3f recall %.3f (subjects: %.3f / %.3f), want 1.0", id, c.precision(), c.recall(), c.subjPrecision(), c.subjRecall())
		}
	}
	if rep.compared < 2*len(d.Units()) {
		t.Errorf("compared %d pairs, want every unit for every implemented check", rep.compared)
	}
	for _, f := range found {
		if f.Status == checks.Fail && f.Evidence.URL == "" && f.Evidence.SHA256 == "" && f.Check != "site.reachable" {
			t.Errorf("%s %s: failing finding without evidence: %+v", f.Unit, f.Check, f)
		}
	}
}

// counts are one check's confusion counts, over (unit, check) pairs and over
// failing subjects.
type counts struct{ tp, fp, fn, stp, sfp, sfn int }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}
func (c counts) precision() float64     { return ratio(c.tp, c.tp+c.fp) }
func (c counts) recall() float64        { return ratio(c.tp, c.tp+c.fn) }
func (c counts) subjPrecision() float64 { return ratio(c.stp, c.stp+c.sfp) }
func (c counts) subjRecall() float64    { return ratio(c.stp, c.stp+c.sfn) }

type truthReport struct {
	byCheck    map[string]*counts
	ids        []string
	mismatches []string
	compared   int
}

func (r truthReport) table() string {
	var b strings.Builder
	tw := newTable(&b, "CHECK", "TP", "FP", "FN", "PRECISION", "RECALL", "SUBJ-P", "SUBJ-R")
	for _, id := range r.ids {
		c := r.byCheck[id]
		tw.row(id, fmt.Sprint(c.tp), fmt.Sprint(c.fp), fmt.Sprint(c.fn), fmt.Sprintf("%.3f", c.precision()), fmt.Sprintf("%.3f", c.recall()),
			fmt.Sprintf("%.3f", c.subjPrecision()), fmt.Sprintf("%.3f", c.subjRecall()))
	}
	tw.flush()
	return b.String()
}

// compareTruth scores findings against the sim's manifest for every check
// registered so far. A unit's status for a check is fail if any finding
// fails, else pass if any passes, else the first status seen. Subjects are
// compared for the failing pairs whose truth lists them.
func compareTruth(found []checks.Finding, truth []sim.Truth) truthReport {
	got := map[string]checks.Status{}
	failing := map[string]map[string]bool{}
	for _, f := range found {
		k := f.Unit + " " + f.Check
		switch cur := got[k]; {
		case f.Status == checks.Fail, cur == "":
			got[k] = f.Status
		case f.Status == checks.Pass && cur != checks.Fail:
			got[k] = checks.Pass
		}
		if f.Status == checks.Fail {
			if failing[k] == nil {
				failing[k] = map[string]bool{}
			}
			failing[k][f.Subject] = true
			failing[k][f.URL] = true
		}
	}
	r := truthReport{byCheck: map[string]*counts{}}
	for _, tr := range truth {
		if _, ok := checks.Lookup(tr.Check); !ok {
			continue
		}
		r.compared++
		c := r.byCheck[tr.Check]
		if c == nil {
			c = &counts{}
			r.byCheck[tr.Check] = c
			r.ids = append(r.ids, tr.Check)
		}
		k := tr.Unit + " " + tr.Check
		g := string(got[k])
		switch {
		case g == sim.Fail && tr.Status == sim.Fail:
			c.tp++
		case g == sim.Fail:
			c.fp++
		case tr.Status == sim.Fail:
			c.fn++
		}
		if g != tr.Status {
			r.mismatches = append(r.mismatches, k+": got "+g+", want "+tr.Status+" ("+tr.Note+")")
		}
		if g == sim.Fail && tr.Status == sim.Fail && len(tr.Subjects) > 0 {
			want := map[string]bool{}
			for _, s := range tr.Subjects {
				want[s] = true
				if failing[k][s] {
					c.stp++
				} else {
					c.sfn++
					r.mismatches = append(r.mismatches, k+": missed failing subject "+s)
				}
			}
			for _, f := range found {
				if f.Unit == tr.Unit && f.Check == tr.Check && f.Status == checks.Fail && !want[f.Subject] && !want[f.URL] {
					c.sfp++
					r.mismatches = append(r.mismatches, k+": unexpected failing subject "+f.Subject)
				}
			}
		}
	}
	sort.Strings(r.ids)
	sort.Strings(r.mismatches)
	return r
}
