package main

import (
	"encoding/json"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gkaudit/audit"
	"gkaudit/checks"
	"gkaudit/config"
	"gkaudit/sim"
	"gkaudit/store"
)

// urlDistrict serves the simulated district and writes a config for it
// (loopback allowed, as gkaudit sim --config writes it).
type urlDistrict struct {
	d       *sim.District
	cfg     *config.Config
	cfgPath string
	// urlCfgPath is the same policy without the district's units.
	urlCfgPath string
	asOf       string
	portal     []config.Unit // units on the shared portal host, Hanweb columns
}

func newURLDistrict(t *testing.T) *urlDistrict {
	t.Helper()
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
	t.Cleanup(func() { d.Close() })
	cfg.Units = d.Units()
	cfg.Crawl = loopbackPolicy(cfg.Crawl)
	data, err := cfg.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ud := &urlDistrict{d: d, cfg: cfg, cfgPath: filepath.Join(dir, "sim.yaml"), urlCfgPath: filepath.Join(dir, "url.yaml"), asOf: d.AsOf().Format("2006-01-02")}
	if err := os.WriteFile(ud.cfgPath, data, 0o644); err != nil {
		t.Fatal(err)
	}
	// The config of a user auditing by URL: the sim's policy, none of its
	// units (a config needs one; it is elsewhere).
	urlCfg := *cfg
	urlCfg.Units = []config.Unit{{ID: "elsewhere", Name: "别处", Kind: config.KindStreet, URL: "http://elsewhere.invalid/"}}
	if data, err = urlCfg.Marshal(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(ud.urlCfgPath, data, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, u := range cfg.Units {
		if strings.Contains(u.URL, "/col/col") {
			ud.portal = append(ud.portal, u)
		}
	}
	if len(ud.portal) < 3 {
		t.Fatalf("sim serves %d units on the portal, want several", len(ud.portal))
	}
	return ud
}

// audit runs gkaudit audit with args against the district's config, or
// with --url against the config without its units.
func (ud *urlDistrict) audit(t *testing.T, args ...string) string {
	t.Helper()
	cfg := ud.cfgPath
	if slices.Contains(args, "--url") {
		cfg = ud.urlCfgPath
	}
	code, out, stderr := gk(t, append([]string{"audit", "--config", cfg, "--as-of", ud.asOf}, args...)...)
	if code != exitOK {
		t.Fatalf("audit %v = %d\n%s\n%s", args, code, out, stderr)
	}
	return out
}

// findingsOf reads a run's findings as JSON.
func findingsOf(t *testing.T, dbPath, run string) []findingOut {
	t.Helper()
	code, out, stderr := gk(t, "findings", "--db", dbPath, "--run", run, "--format", "json")
	if code != exitOK {
		t.Fatalf("findings = %d: %s", code, stderr)
	}
	var fs []findingOut
	if err := json.Unmarshal([]byte(out), &fs); err != nil {
		t.Fatalf("findings JSON: %v", err)
	}
	return fs
}

// pagesOf reads the URLs of the pages a run saved for a unit.
func pagesOf(t *testing.T, dbPath, run, unit string) map[string]bool {
	t.Helper()
	db, err := store.Open(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r, err := db.ResolveRun(run)
	if err != nil {
		t.Fatal(err)
	}
	s, err := db.Snapshot(r.ID, unit)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, p := range s.Pages {
		out[p.URL] = true
	}
	return out
}

// statuses maps check and subject to status, leaving out volume.low, which
// compares a unit with the rest of its run's district.
func statuses(fs []findingOut) map[string]checks.Status {
	out := map[string]checks.Status{}
	for _, f := range fs {
		if f.Check != "volume.low" {
			out[f.Check+" "+f.Subject] = f.Status
		}
	}
	return out
}

// Ensure that audit --url on one unit of the shared portal crawls only that
// unit's pages — never the portal's home page or another unit's column —
// and judges it as the configured unit's audit does, guide.present
// included (the trap: the whole portal was crawled and another
// department's guide passed guide.present).
func TestAuditURL_SharedPortalScoped(t *testing.T) {
	ud := newURLDistrict(t)
	dir := t.TempDir()
	for _, u := range ud.portal[:3] {
		cfgDB, urlDB := filepath.Join(dir, u.ID+"-cfg.db"), filepath.Join(dir, u.ID+"-url.db")
		ud.audit(t, "--db", cfgDB, "--units", u.ID)
		ud.audit(t, "--db", urlDB, "--url", u.URL, "--id", u.ID, "--name", u.Name)

		want, got := pagesOf(t, cfgDB, "latest", u.ID), pagesOf(t, urlDB, "latest", u.ID)
		for p := range got {
			if !want[p] {
				t.Errorf("%s: --url crawled %s, which the configured unit's audit did not", u.ID, p)
			}
			for _, o := range ud.portal {
				if o.ID != u.ID && p == o.URL {
					t.Errorf("%s: --url crawled %s, the entry of %s", u.ID, p, o.ID)
				}
			}
		}
		for p := range want {
			pu, _ := url.Parse(p)
			if !got[p] && path.Dir(pu.Path) != "/" {
				t.Errorf("%s: --url missed %s, a page of the unit", u.ID, p)
			}
		}

		ws, gs := statuses(findingsOf(t, cfgDB, "latest")), statuses(findingsOf(t, urlDB, "latest"))
		guide := 0
		for k, st := range ws {
			if strings.HasPrefix(k, "guide.present") {
				guide++
			}
			if gs[k] != st {
				t.Errorf("%s: %s = %q by --url, %q as configured", u.ID, k, gs[k], st)
			}
		}
		if guide == 0 {
			t.Errorf("%s: no guide.present finding to compare", u.ID)
		}
		for k := range gs {
			if _, ok := ws[k]; !ok {
				t.Errorf("%s: --url found %s, which the configured audit did not", u.ID, k)
			}
		}
	}
}

// Ensure that --id and --kind are taken and checked: an id derived from
// host and column when none is given, a bad id or kind a usage error that
// says what is allowed, and the kind deciding the key areas judged.
func TestAuditURL_IDAndKind(t *testing.T) {
	ud := newURLDistrict(t)
	u := ud.portal[0]
	pu, _ := url.Parse(u.URL)
	col := strings.Split(pu.Path, "/")[2]
	dir := t.TempDir()

	for _, tc := range []struct {
		args []string
		err  string
	}{
		{[]string{"--url", u.URL, "--id", "Bad/ID"}, "--id \"Bad/ID\" 不可用"},
		{[]string{"--url", u.URL, "--kind", "town"}, "--kind \"town\" 不是单位类型；可选：street、department"},
		{[]string{"--id", "x", "--db", filepath.Join(dir, "x.db")}, "只能与 --url 一起使用"},
	} {
		code, _, stderr := gk(t, append([]string{"audit", "--config", ud.urlCfgPath}, tc.args...)...)
		if code != exitUsage || !strings.Contains(stderr, tc.err) {
			t.Errorf("audit %v = %d %q, want usage error with %q", tc.args, code, stderr, tc.err)
		}
	}

	db := filepath.Join(dir, "a.db")
	ud.audit(t, "--db", db, "--url", u.URL, "--kind", "street")
	wantID := strings.ReplaceAll(pu.Host, ":", "-") + "-" + col
	areas := map[string]bool{}
	for _, f := range findingsOf(t, db, "latest") {
		if f.Unit != wantID {
			t.Fatalf("finding of unit %q, want the derived id %q", f.Unit, wantID)
		}
		if strings.HasPrefix(f.Check, "keyarea.") {
			areas[f.Check] = true
		}
	}
	if !areas["keyarea.public_welfare"] {
		t.Errorf("--kind street: key areas judged %v, want a street's (public_welfare)", areas)
	}

	ud.audit(t, "--db", db, "--url", u.URL, "--id", "fgj", "--kind", "department")
	areas = map[string]bool{}
	for _, f := range findingsOf(t, db, "latest") {
		if f.Unit != "fgj" {
			t.Fatalf("finding of unit %q, want fgj", f.Unit)
		}
		if strings.HasPrefix(f.Check, "keyarea.") {
			areas[f.Check] = true
		}
	}
	if areas["keyarea.public_welfare"] || !areas["keyarea.budget"] {
		t.Errorf("--kind department: key areas judged %v, want a department's (budget only)", areas)
	}

	// A URL the --config knows keeps that unit's id and name.
	known := filepath.Join(dir, "known.db")
	code, out, stderr := gk(t, "audit", "--config", ud.cfgPath, "--as-of", ud.asOf, "--db", known, "--url", u.URL)
	if code != exitOK || !strings.Contains(out, "单位："+u.Name+"（"+u.ID+"，") {
		t.Errorf("audit --url of a configured URL = %d %s\n%s\nwant unit %s (%s)", code, stderr, out, u.ID, u.Name)
	}

	// score, which reads the run without the --url flags, knows each kind.
	for run, want := range map[string]string{"000001": config.KindStreet, "000002": config.KindDepartment} {
		code, out, stderr := gk(t, "score", "--db", db, "--config", ud.cfgPath, "--run", run, "--format", "json")
		var cards []struct{ Unit, Kind string }
		if code != exitOK || json.Unmarshal([]byte(out), &cards) != nil || len(cards) != 1 || cards[0].Kind != want {
			t.Errorf("score --run %s = %d %s %s, want one card of kind %s", run, code, stderr, out, want)
		}
	}
}

// Ensure that two sites audited by --url into one database stay two units:
// the second run does not mark the first site's problems fixed.
func TestAuditURL_TwoSitesOneDB(t *testing.T) {
	ud := newURLDistrict(t)
	a, b := ud.portal[0], ud.portal[1]
	db := filepath.Join(t.TempDir(), "two.db")
	ud.audit(t, "--db", db, "--url", a.URL)
	ud.audit(t, "--db", db, "--url", b.URL)

	first, second := findingsOf(t, db, "000001"), findingsOf(t, db, "000002")
	if len(first) == 0 || len(second) == 0 || first[0].Unit == second[0].Unit {
		t.Fatalf("units %q and %q, want two different ids", first[0].Unit, second[0].Unit)
	}
	failing := 0
	for _, f := range findingsOf(t, db, "000001") {
		if f.Status == checks.Fail {
			failing++
			if f.State != store.StateOpen {
				t.Errorf("first site's %s %s is %q after the second site's run, want %q", f.Check, f.Subject, f.State, store.StateOpen)
			}
		}
	}
	if failing == 0 {
		t.Error("first site has no failing finding to follow")
	}
	code, out, _ := gk(t, "score", "--db", db, "--config", ud.cfgPath, "--run", "000001")
	if code != exitOK || !strings.Contains(out, first[0].Unit) || strings.Contains(out, second[0].Unit) {
		t.Errorf("score of run 1 = %d\n%s\nwant only %s", code, out, first[0].Unit)
	}
}

// Ensure that a unit audited by --url is named — by --name, else by its
// entry page's title — in the audit's output, in score, and in the progress
// events, instead of by a fixed id.
func TestAuditURL_NameInOutputs(t *testing.T) {
	ud := newURLDistrict(t)
	u := ud.portal[0]
	dir := t.TempDir()

	db := filepath.Join(dir, "named.db")
	out := ud.audit(t, "--db", db, "--url", u.URL, "--name", "区政府办公室")
	if !strings.Contains(out, "单位：区政府办公室（") {
		t.Errorf("audit output does not name the unit:\n%s", out)
	}
	code, sc, stderr := gk(t, "score", "--db", db, "--config", ud.cfgPath)
	if code != exitOK || !strings.Contains(sc, "区政府办公室") {
		t.Errorf("score = %d %s\n%s\nwant the unit named 区政府办公室", code, stderr, sc)
	}

	// Without --name: the entry page's title, never the id or "site".
	db = filepath.Join(dir, "titled.db")
	out = ud.audit(t, "--db", db, "--url", u.URL)
	first := strings.SplitN(out, "\n", 2)[0]
	if !strings.HasPrefix(first, "单位：") || strings.HasPrefix(first, "单位：（") || strings.Contains(first, "单位：site") ||
		strings.HasPrefix(strings.TrimPrefix(first, "单位："), "127.0.0.1") {
		t.Errorf("audit output names the unit %q, want the entry page's title", first)
	}
	title := strings.SplitN(strings.TrimPrefix(first, "单位："), "（", 2)[0]
	_, sc, _ = gk(t, "score", "--db", db, "--config", ud.cfgPath)
	if !strings.Contains(sc, title) {
		t.Errorf("score does not name the unit %q:\n%s", title, sc)
	}

	// Progress: ticks after the entry page and the unit's end carry the name.
	unit, err := urlUnit(&config.Config{}, u.URL, "", "", "")
	if err != nil {
		t.Fatal(err)
	}
	sdb, err := store.Open(filepath.Join(dir, "progress.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	cfg := *ud.cfg
	cfg.Units = []config.Unit{unit}
	var ticks, named int
	doneName := ""
	_, err = audit.Run(t.Context(), audit.Options{Config: &cfg, Units: cfg.Units, AsOf: ud.d.AsOf(), DB: sdb, ColumnScope: true,
		Progress: func(e audit.Event) {
			switch {
			case e.Done:
				doneName = e.Unit.Name
			case e.Pages > 1:
				ticks++
				if e.Unit.Name == title {
					named++
				}
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	if doneName != title || ticks == 0 || named != ticks {
		t.Errorf("progress: done named %q, %d of %d ticks named, want all named %q", doneName, named, ticks, title)
	}
}

// Ensure that the id derived from any URL is a valid --id, the same for the
// same URL, and different for two hosts or two columns.
func FuzzURLUnitID(f *testing.F) {
	for _, s := range []string{"http://www.beilun.gov.cn/col/col1229412/index.html", "http://127.0.0.1:8080/col/col1229452/index.html",
		"https://xinqi.gov.cn/xxgk/index.html", "http://[::1]:80/", "http://北仑.gov.cn/信息公开/", "http://h/zwgk/bm/fgj/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" {
			return
		}
		id := urlUnitID(u)
		if !urlIDRE.MatchString(id) || id != urlUnitID(u) {
			t.Errorf("urlUnitID(%q) = %q, want a stable valid id", raw, id)
		}
	})
}

func TestURLUnitID(t *testing.T) {
	for _, tc := range []struct{ url, want string }{
		{"http://www.beilun.gov.cn/col/col1229412/index.html", "www.beilun.gov.cn-col1229412"},
		{"http://www.beilun.gov.cn/col/col1229452/index.html?uid=1", "www.beilun.gov.cn-col1229452"},
		{"http://127.0.0.1:8080/col/col1229412/index.html", "127.0.0.1-8080-col1229412"},
		{"https://xinqi.gov.cn/xxgk/index.html", "xinqi.gov.cn-xxgk"},
		{"http://fgj.gov.cn/", "fgj.gov.cn"},
		{"http://h.gov.cn/zwgk/bm/fgj/index.html", "h.gov.cn-zwgk-bm-fgj"},
	} {
		u, _ := url.Parse(tc.url)
		if got := urlUnitID(u); got != tc.want {
			t.Errorf("urlUnitID(%s) = %q, want %q", tc.url, got, tc.want)
		}
	}
}

// Ensure that the configs the demo and gkaudit sim --config write let the
// crawl reach loopback, where the simulated district listens, once each,
// and that such a file reads back with them.
func TestLoopbackPolicy_AllowsLoopback(t *testing.T) {
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Crawl.AllowNetworks) != 0 {
		t.Fatalf("default allow_networks = %v, want none", cfg.Crawl.AllowNetworks)
	}
	cfg.Crawl = loopbackPolicy(loopbackPolicy(cfg.Crawl))
	if want := []string{"127.0.0.0/8", "::1/128"}; !slices.Equal(cfg.Crawl.AllowNetworks, want) {
		t.Errorf("allow_networks = %v, want %v", cfg.Crawl.AllowNetworks, want)
	}
	data, err := cfg.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	back, err := config.Parse("sim.yaml", data)
	if err != nil {
		t.Fatalf("config read back: %v", err)
	}
	if !slices.Equal(back.Crawl.AllowNetworks, cfg.Crawl.AllowNetworks) {
		t.Errorf("allow_networks read back = %v, want %v", back.Crawl.AllowNetworks, cfg.Crawl.AllowNetworks)
	}
}

// Ensure that the progress line lists a unit's failed fetches by Chinese
// cause, most frequent first.
func TestProgress_CauseSummary(t *testing.T) {
	if got := causeSummary(nil); got != "" {
		t.Errorf("causeSummary(nil) = %q, want empty", got)
	}
	got := causeSummary(map[string]int{"连接被拒绝": 1, "连接超时": 3, "被安全策略拒绝": 1})
	if want := "（连接超时 3，被安全策略拒绝 1，连接被拒绝 1）"; got != want {
		t.Errorf("causeSummary = %q, want %q", got, want)
	}
}
