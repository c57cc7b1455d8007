package checks

import (
	"strings"
	"testing"
	"unicode"

	"gkaudit/config"
	"gkaudit/site"
)

// Ensure that every check, given a snapshot it cannot judge (the entry page
// failed, answered an empty page, or served bytes that are no HTML), says
// so: it returns at least one finding, none of them a pass, and every na or
// error carries a reason in Chinese a reviewer understands. The trap is the
// silent pass: a rule that finds nothing wrong because it found nothing.
func TestAllChecks_CannotLookSaysSo(t *testing.T) {
	at := testEnv().AsOf
	snaps := map[string]*site.Snapshot{
		"entry refused": {UnitID: "u1", Entry: testEntry, Pages: []*site.Page{{URL: testEntry, FinalURL: testEntry,
			Err: "dial tcp 192.0.2.1:80: connect: connection refused", Cause: "连接被拒绝", FetchedAt: at, Attempts: 3}}},
		"entry 404":   {UnitID: "u1", Entry: testEntry, Pages: []*site.Page{{URL: testEntry, FinalURL: testEntry, Status: 404, FetchedAt: at}}},
		"empty page":  {UnitID: "u1", Entry: testEntry, Pages: []*site.Page{htmlPage(testEntry, `<html><head><title></title></head><body></body></html>`)}},
		"binary junk": {UnitID: "u1", Entry: testEntry, Pages: []*site.Page{htmlPage(testEntry, "\x00\x01\x02\xff\xfe<<<>>>&&&\x1b[0m")}},
		"nothing":     {UnitID: "u1", Entry: testEntry},
	}
	// Checks judged on other inputs than the unit's pages: site.reachable
	// on probes (its entry-page fallback is covered by its own tests), and
	// volume.low across the district.
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	env := testEnv()
	env.Config = cfg
	for name, s := range snaps {
		for _, c := range All() {
			if c.Run == nil {
				continue // a district check: no snapshot to look at
			}
			fs := c.Run(s, env)
			if len(fs) == 0 {
				t.Errorf("%s on %q: no finding at all, want na with a reason", c.ID, name)
				continue
			}
			for _, f := range fs {
				if f.Status == Pass && c.ID != "site.reachable" {
					t.Errorf("%s on %q: pass (%s), want na: it could not look", c.ID, name, f.Detail)
				}
				if (f.Status == NA || f.Status == Error) && !hasHan(f.Detail) {
					t.Errorf("%s on %q: %s with detail %q, want a reason in Chinese", c.ID, name, f.Status, f.Detail)
				}
			}
		}
	}
}

func hasHan(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
}
