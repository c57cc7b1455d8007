package onboard_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"gkaudit/config"
	"gkaudit/internal/testutil"
	"gkaudit/onboard"
	"gkaudit/sim"
)

// startSim serves the demo district and returns it with a config whose
// crawl policy may reach loopback.
func startSim(t *testing.T) (*sim.District, *config.Config) {
	t.Helper()
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	testutil.AllowLoopback(cfg)
	cfg.Crawl.Delay = 0
	cfg.Crawl.Timeout = config.Duration(5 * time.Second)
	d, err := sim.New(sim.Options{Seed: 1, Size: sim.SizeDemo, Units: cfg.Units})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d, cfg
}

// Ensure that every unit of the simulated district is found on its
// portal's 信息公开 index with the URL and scope the sim serves it at.
func TestDiscover_SimDistrict(t *testing.T) {
	d, cfg := startSim(t)
	res, err := onboard.Discover(context.Background(), d.PortalIndex(), cfg.Units, onboard.Options{Crawl: cfg.Crawl, District: cfg.District})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range res.Missing {
		t.Errorf("missing %s (%s): %s %v", m.Unit.ID, m.Unit.Name, m.Reason, m.Candidates)
	}
	want := d.Units()
	if len(res.Units) != len(want) {
		t.Fatalf("Discover gave %d units, want %d", len(res.Units), len(want))
	}
	for i, u := range res.Units {
		w := want[i]
		if u.ID != w.ID || u.URL != w.URL || !slices.Equal(u.Scope, w.Scope) || u.Kind != w.Kind {
			t.Errorf("unit %d = %s %s %v %s, want %s %s %v %s", i, u.ID, u.URL, u.Scope, u.Kind, w.ID, w.URL, w.Scope, w.Kind)
		}
	}
	t.Logf("found %d, missing %d, pages %v", len(res.Found), len(res.Missing), res.Pages)
	byTitle := 0
	for _, f := range res.Found {
		if f.ByTitle {
			byTitle++
		}
	}
	if byTitle != 2 {
		t.Errorf("%d units found by their page title, want 2 (the index's 进入 link and image link)", byTitle)
	}
	out, err := onboard.Render(cfg, res, d.PortalIndex(), time.Now(), nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := config.Parse("out.yaml", out)
	if err != nil {
		t.Fatal(err)
	}
	if err := got.CheckURLs(got.Units); err != nil {
		t.Errorf("rendered config: %v", err)
	}
	for i, u := range got.Units {
		if u.URL != want[i].URL {
			t.Errorf("rendered unit %s url %q, want %q", u.ID, u.URL, want[i].URL)
		}
	}
	if !strings.Contains(string(out), "- {id: xinqi, name: 新碶街道, kind: street, url:") {
		t.Errorf("rendered units are not one a line:\n%s", out[:min(len(out), 600)])
	}
}

// Ensure that the portal's home page, which lists only the departments on
// the portal host, finds those and lists the others with a reason.
func TestDiscover_SimHomeListsPortalUnitsOnly(t *testing.T) {
	d, cfg := startSim(t)
	home := strings.TrimSuffix(d.PortalIndex(), "/xxgk/index.html") + "/"
	res, err := onboard.Discover(context.Background(), home, cfg.Units, onboard.Options{Crawl: cfg.Crawl, District: cfg.District})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Found) == 0 || len(res.Missing) == 0 {
		t.Fatalf("found %d, missing %d; want some of each", len(res.Found), len(res.Missing))
	}
	for _, m := range res.Missing {
		if m.Unit.Kind == config.KindStreet && m.Reason == "" {
			t.Errorf("missing %s without a reason", m.Unit.ID)
		}
	}
}
