package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gkaudit/checks"
	"gkaudit/config"
)

// Ensure that gkaudit audit --shard K/N and gkaudit merge work from the
// command line: each shard audits its hosts' units without volume.low, and
// the merged run has every unit with its volume.low judged over all of them.
func TestMerge_CLIShardsAndMerge(t *testing.T) {
	page := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<html><body><a href="a.html">文章</a></body></html>`)
	}
	a := httptest.NewServer(http.HandlerFunc(page))
	defer a.Close()
	b := httptest.NewServer(http.HandlerFunc(page))
	defer b.Close()
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Units = []config.Unit{
		{ID: "a1", Name: "甲一", Kind: config.KindDepartment, URL: a.URL + "/a1/"},
		{ID: "a2", Name: "甲二", Kind: config.KindDepartment, URL: a.URL + "/a2/"},
		{ID: "b1", Name: "乙一", Kind: config.KindDepartment, URL: b.URL + "/b1/"},
	}
	cfg.Crawl = loopbackPolicy(cfg.Crawl)
	cfg.Crawl.Robots = false
	cfg.Crawl.Timeout = config.Duration(2 * time.Second)
	dir := t.TempDir()
	data, err := cfg.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	cfgPath := filepath.Join(dir, "c.yaml")
	if err := os.WriteFile(cfgPath, data, 0o644); err != nil {
		t.Fatal(err)
	}
	var shards []string
	for k := 1; k <= 2; k++ {
		db := filepath.Join(dir, fmt.Sprintf("shard-%d.db", k))
		code, out, stderr := gk(t, "audit", "--config", cfgPath, "--db", db, "--shard", fmt.Sprintf("%d/2", k), "--as-of", "2020-03-01")
		if code != exitOK {
			t.Fatalf("audit --shard %d/2 = %d\n%s\n%s", k, code, out, stderr)
		}
		shards = append(shards, db)
	}
	merged := filepath.Join(dir, "merged.db")
	code, out, stderr := gk(t, append([]string{"merge", "--config", cfgPath, "--out", merged}, shards...)...)
	if code != exitOK || !strings.Contains(out, "来自 2 个分片的 3 个单位") {
		t.Fatalf("merge = %d\n%s\n%s", code, out, stderr)
	}
	code, out, stderr = gk(t, "findings", "--db", merged, "--format", "json", "--check", checks.VolumeLowID)
	if code != exitOK {
		t.Fatalf("findings = %d\n%s", code, stderr)
	}
	var fs []checks.Finding
	if err := json.Unmarshal([]byte(out), &fs); err != nil {
		t.Fatal(err)
	}
	units := map[string]bool{}
	for _, f := range fs {
		units[f.Unit] = true
	}
	if len(units) != 3 {
		t.Errorf("merged volume.low findings for %v, want a1, a2, b1", units)
	}

	// Without --config the default district's config differs from the shards'.
	code, _, stderr = gk(t, append([]string{"merge", "--out", filepath.Join(dir, "m2.db")}, shards...)...)
	if code != exitError || !strings.Contains(stderr, "同一配置文件") {
		t.Errorf("merge under another config = %d %q, want an error naming the config", code, stderr)
	}
}

// Ensure that bad --shard and merge arguments are usage errors (exit 2) that
// say what to do.
func TestMerge_Usage(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "x.db")
	tests := []struct {
		args []string
		err  string
	}{
		{[]string{"audit", "--db", db, "--shard", "0/3"}, "JOB_COMPLETION_INDEX"},
		{[]string{"audit", "--db", db, "--shard", "4/3"}, "1 ≤ K ≤ N"},
		{[]string{"audit", "--db", db, "--shard", "1/3", "--units", "xinqi"}, "不能同时使用"},
		{[]string{"merge", db}, "--out"},
		{[]string{"merge", "--out", db}, "--out"},
		{[]string{"merge", "--out", db, db}, "既是分片又是 --out"},
	}
	for _, tt := range tests {
		code, _, stderr := gk(t, tt.args...)
		if code != exitUsage || !strings.Contains(stderr, tt.err) {
			t.Errorf("gkaudit %v = %d %q, want %d and %q", tt.args, code, stderr, exitUsage, tt.err)
		}
	}
}
