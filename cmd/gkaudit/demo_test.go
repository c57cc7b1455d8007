package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// Ensure that the demo audits the simulated district and ends with the
// scorecard table, the database path and the follow-up commands; and that
// score on the demo's database prints the same table.
func TestRun_Demo(t *testing.T) {
	if testing.Short() {
		t.Skip("crawls the whole simulated district")
	}
	db := filepath.Join(t.TempDir(), "demo.db")
	code, out, stderr := gk(t, "demo", "--db", db)
	if code != exitOK {
		t.Fatalf("demo = %d\n%s\n%s", code, out, stderr)
	}
	for _, want := range []string{"RANK", "OBJECTIVE", "PENDING", "新碶街道", "人民银行北仑支行", "written to " + db, "score --db " + db + " --format json"} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}
	if got := strings.Count(out, "\n"); got < 49 {
		t.Errorf("demo printed %d lines, want a header and 48 units at least", got)
	}
	code, table, stderr := gk(t, "score", "--db", db)
	if code != exitOK {
		t.Fatalf("score = %d: %s", code, stderr)
	}
	if !strings.HasPrefix(out, table) {
		t.Errorf("score on the demo's database differs from the demo's table:\n%s\nwant:\n%s", table, out)
	}
}
