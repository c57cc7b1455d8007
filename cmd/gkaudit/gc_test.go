package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"testing"

	"gkaudit/checks"
	"gkaudit/internal/testutil"
	"gkaudit/site"
	"gkaudit/store"
)

// gcSnapshot is one unit's crawl of a page whose body is distinct per tag and
// hard to compress, plus a page shared by every run.
func gcSnapshot(tag string) *site.Snapshot {
	var noise []byte
	for i := range 512 {
		sum := sha256.Sum256(fmt.Appendf(nil, "%s-%d", tag, i))
		noise = hex.AppendEncode(noise, sum[:])
	}
	s := &site.Snapshot{UnitID: "xinqi", UnitName: "新碶街道", Entry: "http://x/"}
	for _, body := range [][]byte{noise, []byte("<html>首页</html>")} {
		sum := sha256.Sum256(body)
		s.Pages = append(s.Pages, &site.Page{URL: "http://x/" + tag, Status: 200, Body: body,
			SHA256: hex.EncodeToString(sum[:]), Size: int64(len(body))})
	}
	return s
}

// Ensure that gc keeps the newest runs, says what it removed and the file
// sizes, and leaves a store the other commands still read.
func TestGC_KeepNewest(t *testing.T) {
	path := testutil.MustWriteStore(t, func(db *store.DB) {
		for day := range 3 {
			r := testutil.MustBeginRun(t, db, store.Run{Started: diffT0.AddDate(0, 0, day), Units: []string{"xinqi"}},
				testutil.Finding("xinqi", "org.info", "org_info", checks.Fail))
			if err := db.SaveSnapshot(r.ID, gcSnapshot(r.ID)); err != nil {
				t.Fatal(err)
			}
			if day != 1 { // run 2 was killed
				if err := db.FinishRun(r.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
	})
	code, out, stderr := gk(t, "gc", "--db", path, "--keep", "1")
	if code != exitOK {
		t.Fatalf("gc = %d, stderr %q", code, stderr)
	}
	for _, want := range []string{
		"已删除运行 000001（2025-06-30，完整，2 个页面，1 条结果）",
		"已删除运行 000002（2025-07-01，中断/未完成，2 个页面，1 条结果）",
		"共删除 2 次运行、2 个快照、4 个页面、2 条结果、2 个不再引用的页面正文",
		"文件大小 ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("gc output lacks %q:\n%s", want, out)
		}
	}
	var before, after int64
	for _, line := range strings.Split(out, "\n") {
		if rest, ok := strings.CutPrefix(line, "文件大小 "); ok {
			var a, b float64
			var u1, u2 string
			fmt.Sscanf(strings.NewReplacer("（", " ", "）", " ", "→", "").Replace(rest), "%f %s %d 字节 %f %s %d", &a, &u1, &before, &b, &u2, &after)
		}
	}
	if fi, err := os.Stat(path); err != nil || after == 0 || after >= before || fi.Size() != after {
		t.Errorf("gc sizes %d -> %d, file %v (%v); want it to shrink to the size reported", before, after, fi, err)
	}
	code, out, _ = gk(t, "findings", "--db", path, "--format", "csv")
	if code != exitOK || !strings.Contains(out, "xinqi,org.info,fail") {
		t.Errorf("findings after gc = %d:\n%s", code, out)
	}
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Check(); err != nil {
		t.Errorf("consistency check after gc: %v", err)
	}
	if e, err := db.HistoryOf("xinqi/org.info/org_info"); err != nil || e.FirstSeen.Run != "000001" {
		t.Errorf("history after gc = %+v, %v; want first seen in removed run 000001", e, err)
	}
}

// Ensure that gc refuses a missing --db, --keep below 1 and a missing file.
func TestGC_Usage(t *testing.T) {
	for _, tt := range []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"gc", "--keep", "3"}, exitUsage, "需要 --db"},
		{[]string{"gc", "--db", "x.db"}, exitUsage, "至少保留 1 次运行"},
		{[]string{"gc", "--db", "x.db", "--keep", "0"}, exitUsage, "至少保留 1 次运行"},
		{[]string{"gc", "--db", "/nonexistent/x.db", "--keep", "2"}, exitError, "不存在；请检查 --db 路径"},
	} {
		code, _, stderr := gk(t, tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.err) {
			t.Errorf("run(%q) = %d, stderr %q; want %d and %q", tt.args, code, stderr, tt.code, tt.err)
		}
	}
}
