package sim

import (
	"bytes"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"gkaudit/config"
)

var (
	demoOnce sync.Once
	demo     *District
	demoErr  error
)

// startDemo returns the shared demo district, started once for the package.
func startDemo(t *testing.T) *District {
	t.Helper()
	demoOnce.Do(func() {
		demo, demoErr = New(Options{})
		if demoErr == nil {
			demoErr = demo.Start()
		}
	})
	if demoErr != nil {
		t.Fatal(demoErr)
	}
	return demo
}

func TestMain(m *testing.M) {
	m.Run() // its result becomes the exit status when TestMain returns
	if demo != nil {
		demo.Close()
	}
}

var client = &http.Client{
	Timeout: 5 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	},
}

func get(t *testing.T, url string, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: read: %v", url, err)
	}
	return resp, body
}

// Ensure that every unit has a truth entry for every check ID, keyarea.<area>
// for each area it must cover, and nothing else.
func TestTruth_EveryCheckForEveryUnit(t *testing.T) {
	d := startDemo(t)
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(d.Units()), len(cfg.Units); got != want {
		t.Fatalf("Units() = %d units, want %d", got, want)
	}
	byUnit := map[string][]string{}
	for _, tr := range d.Truth() {
		if tr.Status != Pass && tr.Status != Fail && tr.Status != NA {
			t.Errorf("%s %s: status %q", tr.Unit, tr.Check, tr.Status)
		}
		if tr.Status == Fail && tr.Note == "" {
			t.Errorf("%s %s: fail without a note", tr.Unit, tr.Check)
		}
		byUnit[tr.Unit] = append(byUnit[tr.Unit], tr.Check)
	}
	for _, u := range d.Units() {
		want := slices.Clone(baseChecks)
		for _, a := range cfg.KeyAreasOf(u) {
			want = append(want, "keyarea."+a)
		}
		if got := byUnit[u.ID]; !slices.Equal(got, want) {
			t.Errorf("truth checks of %s = %v, want %v", u.ID, got, want)
		}
	}
	for _, id := range cfg.CheckIDs() {
		if !strings.HasPrefix(id, "keyarea.") && !slices.Contains(baseChecks, id) {
			t.Errorf("config check %s missing from the sim's check list", id)
		}
	}
}

// Ensure that every check both passes and fails somewhere (key areas that
// fewer than three units must cover excepted), so the truth tests checks in
// both directions.
func TestTruth_EveryCheckPassesAndFails(t *testing.T) {
	d := startDemo(t)
	count := map[string]map[string]int{}
	for _, tr := range d.Truth() {
		if count[tr.Check] == nil {
			count[tr.Check] = map[string]int{}
		}
		count[tr.Check][tr.Status]++
	}
	for id, c := range count {
		if c[Pass]+c[Fail] < 3 {
			continue
		}
		if c[Pass] < 2 || c[Fail] < 2 {
			t.Errorf("%s: %d pass, %d fail; want at least 2 of each", id, c[Pass], c[Fail])
		}
	}
	if c := count["site.reachable"]; c[Fail] != 2 {
		t.Errorf("site.reachable fails %d units, want 2 (closed port, hanging)", c[Fail])
	}
}

// Ensure that the defects are unambiguous: failing units are far below half
// the average volume, passing ones far above, and no link breaks by accident.
func TestTruth_Margins(t *testing.T) {
	d := startDemo(t)
	vol := d.volumes()
	for _, s := range d.units {
		if s.trap != trapNone {
			continue
		}
		ratio := float64(vol.count[s.u.ID]) / vol.avg[s.u.Kind]
		if s.def.low && ratio > 0.35 {
			t.Errorf("%s: low-volume unit at %.2f of the average", s.u.ID, ratio)
		}
		if !s.def.low && ratio < 0.7 {
			t.Errorf("%s: normal unit at %.2f of the average", s.u.ID, ratio)
		}
	}
	for _, tr := range d.Truth() {
		s := d.unit(tr.Unit)
		if tr.Check == "link.broken" && tr.Status == Fail && !s.def.broken {
			t.Errorf("%s: accidental broken links %v", tr.Unit, tr.Subjects)
		}
	}
}

func (d *District) unit(id string) *unitSite {
	for _, s := range d.units {
		if s.u.ID == id {
			return s
		}
	}
	return nil
}

var portRE = regexp.MustCompile(`127\.0\.0\.1:\d+`)

// Ensure that two districts with the same seed are the same, ports aside.
func TestNew_Deterministic(t *testing.T) {
	a := startDemo(t)
	b, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Start(); err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var ja, jb bytes.Buffer
	WriteTruth(&ja, a.Truth())
	WriteTruth(&jb, b.Truth())
	// Ports differ per host; name each base by its position in the hosts.
	norm := func(d *District, s string) string {
		names := map[string]string{}
		for i, h := range d.hosts {
			names[strings.TrimPrefix(h.base, "http://")] = "host" + string(rune('A'+i))
		}
		return portRE.ReplaceAllStringFunc(s, func(addr string) string {
			if n, ok := names[addr]; ok {
				return n
			}
			return "127.0.0.1:PORT"
		})
	}
	if norm(a, ja.String()) != norm(b, jb.String()) {
		la, lb := strings.Split(norm(a, ja.String()), "\n"), strings.Split(norm(b, jb.String()), "\n")
		for i := range min(len(la), len(lb)) {
			if la[i] != lb[i] {
				t.Fatalf("truth differs between two districts with the same seed: line %d: %s vs %s", i, la[i], lb[i])
			}
		}
		t.Fatal("truth differs between two districts with the same seed")
	}
	if a.Pages() != b.Pages() {
		t.Fatalf("Pages() = %d and %d", a.Pages(), b.Pages())
	}
	for i, s := range a.units {
		if s.trap != trapNone {
			continue
		}
		pa, pb := a.unitPages(s), b.unitPages(b.units[i])
		for j := range pa {
			ba, _ := a.renderRoute(s.h, pa[j].rt, fakeRequest(pa[j].url))
			bb, _ := b.renderRoute(b.units[i].h, pb[j].rt, fakeRequest(pb[j].url))
			if norm(a, ba) != norm(b, bb) {
				t.Fatalf("%s %s: bodies differ", s.u.ID, pa[j].url)
			}
		}
	}
	c, err := New(Options{Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	same := true
	for i := range a.units {
		same = same && a.units[i].def.low == c.units[i].def.low && a.units[i].def.orgMiss == c.units[i].def.orgMiss
	}
	if same {
		t.Error("seed 2 seeds the same defects as seed 1")
	}
}

// Ensure that the bench district is big enough without serving it.
func TestNew_SizeBench(t *testing.T) {
	d, err := New(Options{Size: SizeBench})
	if err != nil {
		t.Fatal(err)
	}
	if d.Pages() < 20000 {
		t.Errorf("SizeBench Pages() = %d, want >= 20000", d.Pages())
	}
	h, err := New(Options{Size: SizeHuge})
	if err != nil {
		t.Fatal(err)
	}
	if h.Pages() < 110000 || h.Pages() > 125000 {
		t.Errorf("SizeHuge Pages() = %d, want 110,000..125,000", h.Pages())
	}
	if dm := startDemo(t); dm.Pages() < 1500 || dm.Pages() > 3200 {
		t.Errorf("SizeDemo Pages() = %d, want 1500..3200", dm.Pages())
	}
}

// Ensure that New works on a short custom unit list.
func TestNew_CustomUnits(t *testing.T) {
	units := []config.Unit{
		{ID: "a", Name: "新碶街道", Kind: "street"},
		{ID: "b", Name: "财政局", Kind: "department"},
		{ID: "c", Name: "教育局", Kind: "department", KeyAreas: []string{"budget", "public_welfare"}},
		{ID: "e", Name: "审计局", Kind: "department"},
	}
	d, err := New(Options{Units: units, ItemsPerColumn: 3})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Start(); err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	for _, u := range d.Units() {
		if u.URL == "" {
			t.Errorf("unit %s has no URL", u.ID)
		}
	}
	if len(d.Truth()) == 0 {
		t.Error("no truth")
	}
	if _, err := New(Options{Units: append(units, units[0])}); err == nil {
		t.Error("duplicate unit ids accepted")
	}
}

// Ensure that NoTraps drops the trap pages and the links to them and
// generates everything else as with the traps.
func TestNew_NoTraps(t *testing.T) {
	a, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := New(Options{NoTraps: true})
	if err != nil {
		t.Fatal(err)
	}
	traps := 0
	for _, s := range a.units {
		if s.def.loop || s.def.huge || s.def.calendar {
			traps++
		}
	}
	if traps == 0 {
		t.Fatal("the default district has no traps to leave out")
	}
	for i, s := range b.units {
		if s.def.loop || s.def.huge || s.def.calendar {
			t.Errorf("%s: trap seeded with NoTraps", s.u.ID)
		}
		da, db := a.units[i].def, s.def
		da.loop, da.huge, da.calendar = false, false, false
		if da.broken != db.broken || da.stale != db.stale || da.orgMiss != db.orgMiss || da.guide != db.guide || da.report != db.report || len(a.units[i].items) != len(s.items) {
			t.Errorf("%s: other defects or items differ with NoTraps", s.u.ID)
		}
		if s.trap != trapNone {
			continue
		}
		for _, c := range s.cols {
			if c.kind != kNews {
				continue
			}
			body, _ := b.renderRoute(s.h, route{kind: rColumn, s: s, c: c}, fakeRequest(s.pagePath(c, 0)))
			if strings.Contains(body, `class="zt"`) {
				t.Errorf("%s: news column links a trap page", s.u.ID)
			}
		}
	}
	for _, h := range b.hosts {
		for p, rt := range h.routes {
			switch rt.kind {
			case rLoopA, rLoopB, rHuge, rCalendar:
				t.Errorf("%s%s: trap route with NoTraps", h.base, p)
			}
		}
	}
	// The calendar counted once, the loop and huge pages not at all.
	if a.Pages()-b.Pages() != 1 {
		t.Errorf("Pages() = %d with traps, %d without; want one less", a.Pages(), b.Pages())
	}
}
