package service

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gkaudit/config"
	"gkaudit/internal/testutil"
	"gkaudit/store"
)

// syncBuffer is a log sink that the service's goroutines may write to
// while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// messages returns the msg of every JSON log line.
func (s *syncBuffer) messages(t *testing.T) []string {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(s.b.String()), "\n") {
		if line == "" {
			continue
		}
		var rec struct{ Msg string }
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		out = append(out, rec.Msg)
	}
	return out
}

func count(msgs []string, msg string) int {
	n := 0
	for _, m := range msgs {
		if m == msg {
			n++
		}
	}
	return n
}

// testConfig is the default config with one unit, probing off and a
// schedule that is not due during a test (02:00 on 1 January).
func testConfig(t *testing.T) *config.Config {
	t.Helper()
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	testutil.AllowLoopback(cfg)
	cfg.Units = []config.Unit{{ID: "xinqi", Name: "新碶街道", Kind: config.KindStreet, URL: "http://127.0.0.1:9/xxgk/"}}
	cfg.Schedule = "CRON_TZ=Asia/Shanghai 0 2 1 1 *"
	cfg.Probe.Every = 0
	return cfg
}

// newTestService returns a service on a store in t.TempDir and its log.
func newTestService(t *testing.T, cfg *config.Config, opt Options) (*Service, *syncBuffer, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "gkaudit.db")
	h := store.NewHandle(path, 20*time.Millisecond)
	t.Cleanup(func() { h.Close() })
	logs := &syncBuffer{}
	opt.Config, opt.Store = cfg, h
	opt.Logger = slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s, err := New(opt)
	if err != nil {
		t.Fatal(err)
	}
	return s, logs, path
}

// waitFor polls cond until it holds or d passes.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	until := time.Now().Add(d)
	for !cond() {
		if time.Now().After(until) {
			t.Fatalf("waited %s for %s", d, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
