package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// gk runs the command line with buffers and returns exit code and outputs.
func gk(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestRun_Usage(t *testing.T) {
	tests := []struct {
		args []string
		code int
		err  string
	}{
		{nil, exitUsage, "用法："},
		{[]string{"frobnicate"}, exitUsage, `没有命令 "frobnicate"`},
		{[]string{"audit"}, exitUsage, "需要 --db"},
		{[]string{"audit", "--url", "ftp://x"}, exitUsage, "不是完整的 http(s) 网址"},
		{[]string{"audit", "--db", "x.db", "--as-of", "2020-13-01"}, exitUsage, "应为 YYYY-MM-DD"},
		{[]string{"audit", "--db", "x.db", "--units", "nosuch"}, exitUsage, `配置中没有单位 "nosuch"`},
		{[]string{"findings"}, exitUsage, "需要 --db"},
		{[]string{"findings", "--db", "x.db", "--format", "xml"}, exitUsage, "只能是 json、csv 或 table"},
		{[]string{"config"}, exitUsage, "用法："},
		{[]string{"config", "check"}, exitUsage, "需要且只需要一个配置文件"},
		{[]string{"demo", "--size", "giant"}, exitUsage, "只能是 demo、bench 或 huge"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, _, stderr := gk(t, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.err) {
				t.Errorf("run(%q) = %d, stderr %q; want %d and %q", tt.args, code, stderr, tt.code, tt.err)
			}
		})
	}
}

// Ensure that the built-in config shows, and that config check of it names
// the units without a url (audit would reject them) and passes once each has
// one.
func TestRun_ConfigShowCheck(t *testing.T) {
	code, out, stderr := gk(t, "config", "show")
	if code != exitOK || !strings.Contains(out, "新碶街道") || !strings.Contains(out, "人民银行北仑支行") {
		t.Fatalf("config show = %d (%s), output lacks the units", code, stderr)
	}
	path := filepath.Join(t.TempDir(), "gkaudit.yaml")
	if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = gk(t, "config", "check", path)
	if code != exitError || !strings.Contains(stderr, "gkaudit.yaml:4: units[0]: 单位 xinqi（新碶街道）没有 url") || !strings.Contains(stderr, "另有 43 个单位也没有 url") {
		t.Errorf("config check of config show's output = %d %q, want the units without url named", code, stderr)
	}
	withURLs := withUnitURLs(t, out)
	if err := os.WriteFile(path, withURLs, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr = gk(t, "config", "check", path)
	if code != exitOK || !strings.Contains(out, "通过（48 个单位") {
		t.Errorf("config check of config show's output with urls = %d %q %q", code, out, stderr)
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte("district: x\nunits:\n  - id: a\n    name: 甲\n    kind: street\n    colour: red\n"), 0o644)
	code, _, stderr = gk(t, "config", "check", bad)
	if code != exitError || !strings.Contains(stderr, "bad.yaml:6") {
		t.Errorf("config check of a bad file = %d %q, want an error naming bad.yaml:6", code, stderr)
	}
}

// Ensure that a term key no check reads is rejected, and a known one accepted.
func TestRun_ConfigTerms(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("terms:\n  org.info.adress: [地址]\n"), 0o644)
	code, _, stderr := gk(t, "config", "check", bad)
	if code != exitError || !strings.Contains(stderr, "terms: 没有词表键 org.info.adress：") {
		t.Errorf("config check with a misspelt term key = %d %q", code, stderr)
	}
	good := filepath.Join(dir, "good.yaml")
	os.WriteFile(good, []byte("units:\n  - {id: a, name: 甲, kind: street, url: http://a.example/}\nterms:\n  org.info.address: [办公地址, 地址]\n"), 0o644)
	if code, out, stderr := gk(t, "config", "check", good); code != exitOK {
		t.Errorf("config check with a known term key = %d %q %q", code, out, stderr)
	}
	code, out, _ := gk(t, "checks", "--terms")
	if code != exitOK || !strings.Contains(out, "terms.org.info.address: [") {
		t.Errorf("checks --terms = %d, output lacks org.info terms:\n%s", code, out)
	}
}

// Ensure that -h prints a command's flags and exits 0 (DESIGN: every
// command's -h/--help exits 0).
func TestRun_HelpExitsZero(t *testing.T) {
	for _, args := range [][]string{
		{"findings", "-h"}, {"score", "--help"}, {"notices", "-h"}, {"review", "dismiss", "-h"},
		{"events", "-h"}, {"audit", "-h"}, {"diff", "-h"}, {"gc", "-h"}, {"demo", "-h"}, {"sim", "-h"},
	} {
		if code, _, stderr := gk(t, args...); code != exitOK || !strings.Contains(stderr, "-db") && args[0] != "sim" && args[0] != "demo" {
			t.Errorf("gkaudit %v = %d, stderr %q; want 0 and the flags", args, code, stderr)
		}
	}
}

// withUnitURLs gives every unit of a config show output a url of its own.
func withUnitURLs(t *testing.T, shown string) []byte {
	t.Helper()
	var b strings.Builder
	n := 0
	for _, line := range strings.SplitAfter(shown, "\n") {
		b.WriteString(line)
		if rest, ok := strings.CutPrefix(line, "  - id: "); ok {
			n++
			fmt.Fprintf(&b, "    url: http://www.example.gov.cn/%s/\n", strings.TrimSpace(rest))
		}
	}
	if n != 48 {
		t.Fatalf("found %d units in config show's output, want 48", n)
	}
	return []byte(b.String())
}
