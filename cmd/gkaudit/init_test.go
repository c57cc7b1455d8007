package main

import (
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gkaudit/config"
	"gkaudit/sim"
)

// initDistrict serves the simulated district and writes a config with the
// built-in units (no URLs) and a crawl policy that may reach loopback.
func initDistrict(t *testing.T) (*sim.District, string) {
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
	cfg.Crawl = loopbackPolicy(cfg.Crawl)
	data, err := cfg.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "units.yaml")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return d, path
}

// Ensure that gkaudit init on the simulated district's 信息公开 index
// finds all 48 units with the URL and scope the sim serves them at, and
// writes a file config check passes.
func TestInit_SimDistrict(t *testing.T) {
	d, cfgPath := initDistrict(t)
	out := filepath.Join(t.TempDir(), "district.yaml")
	code, stdout, stderr := gk(t, "init", "--portal", d.PortalIndex(), "--out", out, "--config", cfgPath)
	if code != exitOK {
		t.Fatalf("init = %d, want 0\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "48 个单位中找到 48 个，未找到 0 个") || !strings.Contains(stderr, "读取门户网站") {
		t.Errorf("stdout: %s\nstderr: %s", stdout, stderr)
	}
	got, err := config.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	want := d.Units()
	if len(got.Units) != len(want) {
		t.Fatalf("%d units, want %d", len(got.Units), len(want))
	}
	for i, u := range got.Units {
		w := want[i]
		if u.ID != w.ID || u.Kind != w.Kind || u.URL != w.URL || !slices.Equal(u.Scope, w.Scope) || !slices.Equal(u.KeyAreas, w.KeyAreas) && len(u.KeyAreas) > 0 {
			t.Errorf("unit %d = %s %s %s %v, want %s %s %s %v", i, u.ID, u.Kind, u.URL, u.Scope, w.ID, w.Kind, w.URL, w.Scope)
		}
	}
	if code, _, stderr := gk(t, "config", "check", out); code != exitOK {
		t.Errorf("config check %s = %d: %s", out, code, stderr)
	}
	// An existing file is kept without --force, replaced with it.
	before, _ := os.ReadFile(out)
	if code, _, stderr := gk(t, "init", "--portal", d.PortalIndex(), "--out", out, "--config", cfgPath); code != exitError || !strings.Contains(stderr, "已存在：加 --force") {
		t.Errorf("init over an existing file = %d, %s; want 1 and 已存在", code, stderr)
	}
	if after, _ := os.ReadFile(out); string(after) != string(before) {
		t.Error("init without --force changed the existing file")
	}
	if code, _, stderr := gk(t, "init", "--portal", d.PortalIndex(), "--out", out, "--config", cfgPath, "--force"); code != exitOK {
		t.Errorf("init --force = %d: %s", code, stderr)
	}
}

// Ensure that units the portal page does not list are named on stderr
// with what to do, the file is still written (without their url) and the
// exit code says so.
func TestInit_MissingUnits(t *testing.T) {
	d, cfgPath := initDistrict(t)
	home := strings.TrimSuffix(d.PortalIndex(), "/xxgk/index.html") + "/"
	out := filepath.Join(t.TempDir(), "district.yaml")
	code, stdout, stderr := gk(t, "init", "--portal", home, "--out", out, "--config", cfgPath)
	if code != exitError {
		t.Fatalf("init = %d, want 1\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	for _, w := range []string{"个单位没有找到", "新碶街道（xinqi）", "gkaudit config check " + out} {
		if !strings.Contains(stderr, w) {
			t.Errorf("stderr lacks %q:\n%s", w, stderr)
		}
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "# 未找到：新碶街道") {
		t.Errorf("written config does not mark the missing unit:\n%.800s", data)
	}
	if code, _, _ := gk(t, "config", "check", out); code == exitOK {
		t.Error("config check passes a file with units lacking url")
	}
}

// Ensure the command line's error paths: one clear line, no file written.
func TestInit_Errors(t *testing.T) {
	d, cfgPath := initDistrict(t)
	dir := t.TempDir()
	exists := filepath.Join(dir, "exists.yaml")
	if err := os.WriteFile(exists, []byte("district: x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String() + "/"
	ln.Close()
	external := d.Units()[0].URL // a street's own site: its pages name no other unit
	out := filepath.Join(dir, "out.yaml")
	for _, tc := range []struct {
		name string
		args []string
		code int
		err  string
	}{
		{"help", []string{"-h"}, exitOK, "用法：gkaudit init --portal URL --out FILE"},
		{"no portal", []string{"--out", out}, exitUsage, "需要 --portal"},
		{"bad portal", []string{"--portal", "www.bl.gov.cn", "--out", out}, exitUsage, "不是完整的 http(s) 网址"},
		{"no out", []string{"--portal", closed}, exitUsage, "需要 --out"},
		{"stray", []string{"--portal", closed, "--out", out, "x"}, exitUsage, "多余的参数"},
		{"exists", []string{"--portal", closed, "--out", exists}, exitError, "已存在：加 --force"},
		{"unreachable", []string{"--portal", closed, "--out", out, "--config", cfgPath}, exitError, "无法读取门户网站"},
		{"guarded", []string{"--portal", d.PortalIndex(), "--out", out}, exitError, "crawl.allow_networks"},
		{"no index", []string{"--portal", external, "--out", out, "--config", cfgPath}, exitError, "没有找到列出各单位的信息公开目录"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := gk(t, append([]string{"init"}, tc.args...)...)
			if code != tc.code || !strings.Contains(stderr, tc.err) {
				t.Errorf("init %v = %d, %q; want %d and %q", tc.args, code, stderr, tc.code, tc.err)
			}
			if strings.Contains(stderr, "goroutine ") {
				t.Errorf("stack trace on stderr: %s", stderr)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("init %v wrote %s", tc.args, out)
			}
		})
	}
}

// Ensure that a unit the portal names only by another form is listed with
// the nearest link as a candidate, for the user to confirm.
func TestInit_Candidates(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<html><head><title>政府信息公开</title></head><body><h3>部门信息公开</h3><ul>
<li><a href="/col/col1/index.html">区财政局</a></li><li><a href="/col/col2/index.html">区经济和信息化局</a></li></ul></body></html>`))
	}))
	defer srv.Close()
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "units.yaml")
	cfgText := "crawl: {allow_networks: [127.0.0.0/8], delay: 0s}\nunits:\n  - {id: finance, name: 财政局, kind: department}\n  - {id: economy_it, name: 经信局, kind: department}\n"
	if err := os.WriteFile(cfgPath, []byte(cfgText), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.yaml")
	code, stdout, stderr := gk(t, "init", "--portal", srv.URL+"/", "--out", out, "--config", cfgPath)
	if code != exitError {
		t.Fatalf("init = %d, want 1\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	want := "经信局（economy_it）：门户上没有名称与它相符的链接；名称相近的链接：区经济和信息化局 " + srv.URL + "/col/col2/index.html"
	if !strings.Contains(stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr)
	}
	if !strings.Contains(stdout, "finance") || !strings.Contains(stdout, srv.URL+"/col/col1/index.html") {
		t.Errorf("stdout: %s", stdout)
	}
}
