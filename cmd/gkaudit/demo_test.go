package main

import (
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"strconv"
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
	port := strconv.Itoa(freePorts(t, 20))
	out0 := filepath.Join(t.TempDir(), "out")
	code, out, stderr := gk(t, "demo", "--db", db, "--port", port, "--out", out0)
	if code != exitOK {
		t.Fatalf("demo = %d\n%s\n%s", code, out, stderr)
	}
	for _, want := range []string{"名次", "客观分", "待评项", "新碶街道", "人民银行北仑支行", "已写入 " + db, "score --db " + db + " --format json"} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}
	for _, f := range []string{"score.xlsx", "report.html", "notices/xinqi-整改通知-草稿.html"} {
		if _, err := os.Stat(filepath.Join(out0, f)); err != nil || !strings.Contains(out, filepath.Base(f)) && !strings.Contains(out, "notices") {
			t.Errorf("demo did not write and name %s: %v\n%s", f, err, out)
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

	// The next demo on the same database serves generation 2 on the same
	// ports and says what changed.
	code, out, stderr = gk(t, "demo", "--db", db, "--port", port, "--out", out0)
	if code != exitOK {
		t.Fatalf("second demo = %d\n%s\n%s", code, out, stderr)
	}
	for _, want := range []string{"第 2 代", "个未变（304）", "与运行 000001 相比：", "diff --db " + db} {
		if !strings.Contains(out+stderr, want) {
			t.Errorf("second demo output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "新增 0，已修复 0") {
		t.Errorf("second demo shows no new and no fixed findings:\n%s", out)
	}
}

// freePorts returns a port P such that P .. P+n-1 were free a moment ago,
// below Linux's ephemeral range so that no outgoing connection takes one.
func freePorts(t *testing.T, n int) int {
	t.Helper()
	for range 50 {
		base := 20000 + rand.IntN(12000)
		var open []net.Listener
		for p := base; p < base+n; p++ {
			l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
			if err != nil {
				break
			}
			open = append(open, l)
		}
		for _, l := range open {
			l.Close()
		}
		if len(open) == n {
			return base
		}
	}
	t.Fatal("no free range of ports")
	return 0
}
