package audit_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"gkaudit/audit"
	"gkaudit/checks"
	"gkaudit/config"
	"gkaudit/internal/testutil"
	"gkaudit/sim"
	"gkaudit/store"
)

// reuseRun audits the served district into db, as auditSim does, with the
// transport and as-of date given (zero: the sim's).
func reuseRun(t *testing.T, db *store.DB, d *sim.District, rt http.RoundTripper, asOf time.Time) audit.Result {
	t.Helper()
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	testutil.AllowLoopback(cfg)
	cfg.Units = d.Units()
	cfg.Crawl.Delay = 0
	cfg.Crawl.RecheckAfter = 0
	cfg.Crawl.Timeout = config.Duration(5 * time.Second)
	cfg.Crawl.Retries = 1
	cfg.Crawl.UnitBudget = config.Duration(time.Minute)
	cfg.Crawl.ParallelUnits = 8
	cfg.Revisit.Articles = 0
	if asOf.IsZero() {
		asOf = d.AsOf()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	res, err := audit.Run(ctx, audit.Options{Config: cfg, AsOf: asOf, DB: db, Transport: rt})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func openReuseDB(t *testing.T, name string) *store.DB {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// editedPage serves url with a comment added to its body and answers
// every other request as base does: the one page that changed overnight.
// Conditional headers are dropped for it, so the change is seen.
type editedPage struct {
	base http.RoundTripper
	url  string
}

func (e editedPage) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.String() != e.url {
		return e.base.RoundTrip(r)
	}
	r = r.Clone(r.Context())
	r.Header.Del("If-None-Match")
	r.Header.Del("If-Modified-Since")
	resp, err := e.base.RoundTrip(r)
	if err != nil || resp.StatusCode != http.StatusOK {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	body = append(body, "\n<!-- 更新于今晚 -->\n"...)
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
	resp.Header.Del("ETag")
	resp.Header.Del("Last-Modified")
	return resp, nil
}

// asRechecked is the unit's findings as any check of the same site gives
// them, whatever run and night judged them: no ID, fetch time or reuse
// note, no time of a first try in a detail (link.broken), and in no order,
// since two crawls of one site fetch its pages in different orders and the
// checks list what they looked at in the order fetched.
func asRechecked(fs []checks.Finding) []checks.Finding {
	out := make([]checks.Finding, len(fs))
	for i, f := range fs {
		f.ID = ""
		f.Evidence.FetchedAt = time.Time{}
		f.Evidence.ReusedFrom = ""
		f.Detail = tryTime.ReplaceAllString(f.Detail, "MM-DD hh:mm:ss")
		f.Looked = slices.Sorted(slices.Values(f.Looked))
		out[i] = f
	}
	slices.SortFunc(out, func(a, b checks.Finding) int { return strings.Compare(findingKey(a), findingKey(b)) })
	return out
}

// tryTime is when a first try failed, as link.broken words it.
var tryTime = regexp.MustCompile(`\d\d-\d\d \d\d:\d\d:\d\d`)

// byUnit returns a run's findings grouped by unit.
func byUnit(t *testing.T, db *store.DB, runID string) map[string][]checks.Finding {
	t.Helper()
	fs, err := db.Findings(runID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]checks.Finding{}
	for _, f := range fs {
		out[f.Unit] = append(out[f.Unit], f)
	}
	return out
}

// sameFindings reports the first unit whose findings differ between two
// runs (each in its own file), ignoring IDs, fetch times and reuse notes.
func sameFindings(t *testing.T, what string, a map[string][]checks.Finding, b map[string][]checks.Finding) {
	t.Helper()
	for u, fa := range a {
		fb := b[u]
		ca, cb := asRechecked(fa), asRechecked(fb)
		if !slices.EqualFunc(ca, cb, func(x, y checks.Finding) bool { return findingKey(x) == findingKey(y) }) {
			for i := range max(len(ca), len(cb)) {
				var x, y string
				if i < len(ca) {
					x = findingKey(ca[i])
				}
				if i < len(cb) {
					y = findingKey(cb[i])
				}
				if x != y {
					t.Errorf("%s: unit %s finding %d:\n got  %s\n want %s", what, u, i, x, y)
					break
				}
			}
		}
	}
	if len(a) != len(b) {
		t.Errorf("%s: %d units with findings, want %d", what, len(a), len(b))
	}
}

func findingKey(f checks.Finding) string {
	return strings.Join([]string{f.Unit, f.Check, f.Subject, f.Kind, string(f.Status), f.URL, f.Detail, f.Rule,
		strings.Join(f.Looked, " "), f.Evidence.URL, strconv.Itoa(f.Evidence.HTTPStatus), f.Evidence.SHA256,
		f.Evidence.Excerpt, f.Evidence.ErrorRaw}, "|")
}

// nightlyIDs are the checks every reused unit runs again.
func nightlyIDs() []string {
	var ids []string
	for _, c := range checks.All() {
		if c.Nightly {
			ids = append(ids, c.ID)
		}
	}
	return ids
}

// Ensure that a re-run over an unchanged district reuses every unit's
// findings (running only the nightly checks again), that they are the
// findings the checks give on the re-run's stored snapshots (audit.Recheck),
// re-dated to the re-run's fetches and naming the run that judged them, and
// that the lifecycle sees them as persisting.
func TestRun_ReusesUnchangedUnits(t *testing.T) {
	if testing.Short() {
		t.Skip("crawls the simulated district twice")
	}
	d := serveGen(t, 1, freePortRange(t, 20))
	defer d.Close()
	db := openReuseDB(t, "audit.db")
	r1 := reuseRun(t, db, d, nil, time.Time{})
	for _, u := range r1.Units {
		if u.Reused != "" {
			t.Errorf("first run: unit %s reused run %s", u.Unit.ID, u.Reused)
		}
	}
	r2 := reuseRun(t, db, d, nil, time.Time{})
	for _, u := range r2.Units {
		if u.Reused != r1.Run.ID || !slices.Equal(u.Rechecked, nightlyIDs()) {
			t.Errorf("re-run: unit %s reused %q (%s), rechecked %v; want run %s, %v", u.Unit.ID, u.Reused, u.CheckedWhy, u.Rechecked, r1.Run.ID, nightlyIDs())
		}
	}
	sameFindings(t, "unchanged re-run vs. first run", byUnit(t, db, r2.Run.ID), byUnit(t, db, r1.Run.ID))

	// The reused findings are what the checks give on the re-run's own
	// stored snapshots.
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	testutil.AllowLoopback(cfg)
	cfg.Units = d.Units()
	again, err := audit.Recheck(db, cfg, r2.Run.ID)
	if err != nil {
		t.Fatal(err)
	}
	rechecked := map[string][]checks.Finding{}
	for _, f := range again {
		rechecked[f.Unit] = append(rechecked[f.Unit], f)
	}
	sameFindings(t, "reused re-run vs. a re-check of it", byUnit(t, db, r2.Run.ID), rechecked)

	fs, err := db.Findings(r2.Run.ID)
	if err != nil {
		t.Fatal(err)
	}
	nightly := nightlyIDs()
	reused := 0
	for _, f := range fs {
		c, _ := checks.Lookup(f.Check)
		switch {
		case f.Check == checks.VolumeLowID || slices.Contains(nightly, c.ID):
			if f.Evidence.ReusedFrom != "" {
				t.Errorf("%s %s %s: judged again, but says reused from %s", f.Unit, f.Check, f.Subject, f.Evidence.ReusedFrom)
			}
		case f.Evidence.ReusedFrom != r1.Run.ID:
			t.Errorf("%s %s %s: reused from %q, want %s", f.Unit, f.Check, f.Subject, f.Evidence.ReusedFrom, r1.Run.ID)
		default:
			reused++
			if !f.Evidence.FetchedAt.IsZero() && f.Evidence.FetchedAt.Before(r2.Run.Started) {
				t.Errorf("%s %s %s: evidence fetched at %s, before the re-run started at %s: not re-dated",
					f.Unit, f.Check, f.Subject, f.Evidence.FetchedAt, r2.Run.Started)
			}
			if !strings.Contains(f.Evidence.ReusedNote(), "沿用运行 "+r1.Run.ID) {
				t.Errorf("reuse note %q", f.Evidence.ReusedNote())
			}
		}
	}
	if reused == 0 {
		t.Fatal("no finding reused")
	}
	diff, err := db.Diff(r1.Run.ID, r2.Run.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(diff.New)+len(diff.Fixed) != 0 || len(diff.Persisting) == 0 {
		t.Errorf("reused run: %d new, %d fixed, %d persisting; want only persisting", len(diff.New), len(diff.Fixed), len(diff.Persisting))
	}
	for _, e := range diff.Persisting {
		if en, err := db.Entry(e.Finding.ID); err != nil || en.State != store.StateOpen {
			t.Errorf("persisting %s %s: state %v (%v), want open", e.Finding.Unit, e.Finding.Check, en.State, err)
		}
	}

	// A third night reuses the reused findings, still naming the run
	// whose checks judged them.
	r3 := reuseRun(t, db, d, nil, time.Time{})
	for _, u := range r3.Units {
		if u.Reused != r2.Run.ID {
			t.Errorf("third run: unit %s reused %q (%s), want %s", u.Unit.ID, u.Reused, u.CheckedWhy, r2.Run.ID)
		}
	}
	fs3, err := db.Findings(r3.Run.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs3 {
		if f.Evidence.ReusedFrom != "" && f.Evidence.ReusedFrom != r1.Run.ID {
			t.Errorf("third run: %s %s reused from %s, want %s", f.Unit, f.Check, f.Evidence.ReusedFrom, r1.Run.ID)
		}
	}
}

// Ensure that a re-run where one page of one unit changed checks that unit
// again, as a first audit of the same site would, and reuses the others;
// and that a re-run at another as-of date (another year, then the next
// day) runs the dated checks again and gives what a fresh audit at that
// date gives: a check that reads the date without saying so fails here.
func TestRun_ReuseRechecksWhatChanged(t *testing.T) {
	if testing.Short() {
		t.Skip("crawls the simulated district seven times")
	}
	d := serveGen(t, 1, freePortRange(t, 20))
	defer d.Close()
	db := openReuseDB(t, "audit.db")
	reuseRun(t, db, d, nil, time.Time{})

	changed := d.Units()[0]
	edit := editedPage{base: http.DefaultTransport, url: changed.URL}
	r2 := reuseRun(t, db, d, edit, time.Time{})
	for _, u := range r2.Units {
		switch {
		case u.Unit.ID == changed.ID && u.Reused != "":
			t.Errorf("unit %s: its entry page changed, but it reused run %s", u.Unit.ID, u.Reused)
		case u.Unit.ID != changed.ID && u.Reused == "":
			t.Errorf("unit %s: unchanged, but checked again", u.Unit.ID)
		}
	}
	fresh := openReuseDB(t, "fresh.db")
	f2 := reuseRun(t, fresh, d, edit, time.Time{})
	sameFindings(t, "one page changed vs. a fresh audit", byUnit(t, db, r2.Run.ID), byUnit(t, fresh, f2.Run.ID))

	// A year and a day later: every dated check runs again.
	later := d.AsOf().AddDate(1, 0, 1)
	r3 := reuseRun(t, db, d, edit, later)
	var dated []string
	for _, c := range checks.All() {
		if c.Nightly || c.Dated != checks.Undated {
			dated = append(dated, c.ID)
		}
	}
	for _, u := range r3.Units {
		if u.Reused != r2.Run.ID || !slices.Equal(u.Rechecked, dated) {
			t.Errorf("as of %s: unit %s reused %q, rechecked %v; want run %s, %v", later.Format(time.DateOnly), u.Unit.ID, u.Reused, u.Rechecked, r2.Run.ID, dated)
		}
	}
	fresh3 := openReuseDB(t, "fresh3.db")
	f3 := reuseRun(t, fresh3, d, edit, later)
	sameFindings(t, "another as-of date vs. a fresh audit", byUnit(t, db, r3.Run.ID), byUnit(t, fresh3, f3.Run.ID))
	if !slices.Equal(unitCounts(t, db, r3.Run.ID), unitCounts(t, fresh3, f3.Run.ID)) {
		t.Errorf("as of %s: unit counts %v, a fresh audit's %v", later.Format(time.DateOnly), unitCounts(t, db, r3.Run.ID), unitCounts(t, fresh3, f3.Run.ID))
	}

	// The next day, in the same year: only the checks dated by the day
	// run again, and those dated by the year are rightly reused.
	next := later.AddDate(0, 0, 1)
	r4 := reuseRun(t, db, d, edit, next)
	var byDay []string
	for _, c := range checks.All() {
		if c.Nightly || c.Dated == checks.DatedByDay {
			byDay = append(byDay, c.ID)
		}
	}
	for _, u := range r4.Units {
		if u.Reused != r3.Run.ID || !slices.Equal(u.Rechecked, byDay) {
			t.Errorf("as of %s: unit %s reused %q (%s), rechecked %v; want run %s, %v", next.Format(time.DateOnly), u.Unit.ID, u.Reused, u.CheckedWhy, u.Rechecked, r3.Run.ID, byDay)
		}
	}
	fresh4 := openReuseDB(t, "fresh4.db")
	f4 := reuseRun(t, fresh4, d, edit, next)
	sameFindings(t, "the next day vs. a fresh audit", byUnit(t, db, r4.Run.ID), byUnit(t, fresh4, f4.Run.ID))
}

// unitCounts returns a run's unit counts without what differs from file to
// file (requests) or program to program (inputs).
func unitCounts(t *testing.T, db *store.DB, runID string) []store.UnitCount {
	t.Helper()
	cs, err := db.UnitCounts(runID)
	if err != nil {
		t.Fatal(err)
	}
	for i := range cs {
		cs[i].Requests, cs[i].Inputs, cs[i].ElapsedMS = 0, "", 0
	}
	return cs
}
