package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gkaudit/store"
)

// lockedBuffer is stderr for a command running in another goroutine.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// listenAddr is the addr of the JSON log line saying serve listens.
func (l *lockedBuffer) listenAddr() string {
	for _, line := range strings.Split(l.String(), "\n") {
		var rec struct{ Msg, Addr string }
		if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "正在监听" {
			return rec.Addr
		}
	}
	return ""
}

// Ensure that gkaudit serve answers /healthz and /metrics on its address,
// says at / that it has no UI, logs JSON when stderr is not a terminal,
// and stops within 10 s of its context ending, leaving the file free.
func TestServe_HealthzAndStop(t *testing.T) {
	dir := t.TempDir()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().String()
	l.Close()
	cfgPath := filepath.Join(dir, "serve.yaml")
	cfgText := "schedule: \"0 2 1 1 *\"\nprobe: {every: 0}\nunits:\n  - {id: xinqi, name: 新碶街道, kind: street, url: \"http://" + closed + "/xxgk/\"}\n"
	if err := os.WriteFile(cfgPath, []byte(cfgText), 0o644); err != nil {
		t.Fatal(err)
	}
	dbPath := filepath.Join(dir, "audit.db")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout bytes.Buffer
	stderr := &lockedBuffer{}
	exit := make(chan int, 1)
	go func() {
		exit <- run(ctx, []string{"serve", "--config", cfgPath, "--db", dbPath, "--listen", "127.0.0.1:0"}, &stdout, stderr)
	}()
	var addr string
	until := time.Now().Add(10 * time.Second)
	for addr == "" && time.Now().Before(until) {
		select {
		case code := <-exit:
			t.Fatalf("serve exited %d: %s", code, stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
		addr = stderr.listenAddr()
	}
	if addr == "" {
		t.Fatalf("serve did not log its address: %s", stderr.String())
	}
	client := &http.Client{Timeout: 5 * time.Second}
	fetch := func(path string) (int, string) {
		resp, err := client.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := fetch("/healthz"); code != http.StatusOK || !strings.Contains(body, `"healthy": true`) {
		t.Errorf("/healthz = %d %s", code, body)
	}
	if code, body := fetch("/metrics"); code != http.StatusOK || !strings.Contains(body, "gkaudit_runs_total") {
		t.Errorf("/metrics = %d, lacks gkaudit_runs_total", code)
	}
	// The reviewer UI is mounted at /: anonymous visitors land on its login.
	if code, body := fetch("/"); code != http.StatusOK || !strings.Contains(body, "登录") {
		t.Errorf("/ = %d, want the UI's login page:\n%.300s", code, body)
	}

	cancel()
	stop := time.Now()
	select {
	case code := <-exit:
		if code != exitOK {
			t.Errorf("serve exited %d after the stop: %s", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop within 10 s")
	}
	if el := time.Since(stop); el > 2*time.Second {
		t.Errorf("idle serve took %s to stop", el)
	}
	db, err := store.Open(dbPath)
	if err != nil {
		t.Fatalf("store.Open after serve stopped: %v", err)
	}
	db.Close()
}

func TestServe_Usage(t *testing.T) {
	tests := []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"serve"}, exitUsage, "gkaudit serve: 需要 --config 和 --db"},
		{[]string{"serve", "--db", "x.db"}, exitUsage, "gkaudit serve: 需要 --config 和 --db"},
		{[]string{"serve", "--config", "c.yaml", "--db", "x.db", "--tls-cert", "c.pem"}, exitUsage, "gkaudit serve: --tls-cert 和 --tls-key 要一起给出"},
		{[]string{"serve", "--config", "nosuch.yaml", "--db", "x.db"}, exitError, "nosuch.yaml: 找不到这个配置文件"},
		{[]string{"serve", "--nosuch"}, exitUsage, "gkaudit serve: 没有参数 -nosuch"},
		{[]string{"serve", "-h"}, exitOK, `提供 /healthz、/metrics 和审核网页的地址（默认 "127.0.0.1:8080"）`},
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

// Ensure that serve names a unit without url by file, line and key, in
// Chinese, as config check does (it said "unit x (y) has no url").
func TestServe_UnitWithoutURL(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "c.yaml")
	if err := os.WriteFile(cfg, []byte("units:\n  - {id: a, name: 甲, kind: street, url: \"http://a.example/\"}\n  - {id: b, name: 乙, kind: street}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := gk(t, "serve", "--config", cfg, "--db", filepath.Join(t.TempDir(), "x.db"))
	if want := cfg + ":3: units[1]: 单位 b（乙）没有 url"; code != exitError || !strings.Contains(stderr, want) {
		t.Errorf("serve with a unit without url = %d, stderr %q; want 1 and %q", code, stderr, want)
	}
}
