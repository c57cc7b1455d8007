package main

import (
	"bytes"
	"context"
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
		{nil, exitUsage, "Usage:"},
		{[]string{"frobnicate"}, exitUsage, `unknown command "frobnicate"`},
		{[]string{"audit"}, exitUsage, "--db is required"},
		{[]string{"audit", "--url", "ftp://x"}, exitUsage, "不是完整的 http(s) 网址"},
		{[]string{"audit", "--db", "x.db", "--as-of", "2020-13-01"}, exitUsage, "want YYYY-MM-DD"},
		{[]string{"audit", "--db", "x.db", "--units", "nosuch"}, exitUsage, `no unit "nosuch"`},
		{[]string{"findings"}, exitUsage, "--db is required"},
		{[]string{"findings", "--db", "x.db", "--format", "xml"}, exitUsage, "want json, csv or table"},
		{[]string{"config"}, exitUsage, "usage:"},
		{[]string{"config", "check"}, exitUsage, "usage:"},
		{[]string{"demo", "--size", "huge"}, exitUsage, "want demo or bench"},
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

// Ensure that the built-in config shows and validates.
func TestRun_ConfigShowCheck(t *testing.T) {
	code, out, stderr := gk(t, "config", "show")
	if code != exitOK || !strings.Contains(out, "新碶街道") || !strings.Contains(out, "人民银行北仑支行") {
		t.Fatalf("config show = %d (%s), output lacks the units", code, stderr)
	}
	path := filepath.Join(t.TempDir(), "gkaudit.yaml")
	if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr = gk(t, "config", "check", path)
	if code != exitOK || !strings.Contains(out, "48 units") {
		t.Errorf("config check of config show's output = %d %q %q", code, out, stderr)
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
	if code != exitError || !strings.Contains(stderr, "unknown key(s) org.info.adress") {
		t.Errorf("config check with a misspelt term key = %d %q", code, stderr)
	}
	good := filepath.Join(dir, "good.yaml")
	os.WriteFile(good, []byte("terms:\n  org.info.address: [办公地址, 地址]\n"), 0o644)
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
