package service

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"gkaudit/audit"
	"gkaudit/config"
	"gkaudit/store"
)

// probeServers serves /ok (200), /500 and /hang (never answers until the
// client gives up) on loopback.
func probeServers(t *testing.T) (*httptest.Server, *atomic.Value) {
	t.Helper()
	agents := &atomic.Value{}
	mux := http.NewServeMux()
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) {
		agents.Store(r.UserAgent())
		w.Write([]byte("<html><body>信息公开</body></html>"))
	})
	mux.HandleFunc("/500", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "boom", http.StatusInternalServerError)
	})
	mux.HandleFunc("/hang", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, agents
}

// Ensure that a 2xx within the timeout is a success, and a 500 and a page
// that does not come within the timeout are failed probes with the status,
// latency and error noted.
func TestProber_Probe(t *testing.T) {
	srv, agents := probeServers(t)
	p := &Prober{Client: srv.Client(), UserAgent: "gkaudit-test", Timeout: 300 * time.Millisecond}
	tests := []struct {
		path   string
		ok     bool
		status int
		err    string
	}{
		{"/ok", true, 200, ""},
		{"/500", false, 500, ""},
		{"/hang", false, 0, "超过 300ms 未打开页面"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			start := time.Now()
			r := p.Probe(context.Background(), config.Unit{ID: "u", URL: srv.URL + tt.path})
			if r.OK != tt.ok || r.Status != tt.status || !strings.Contains(r.Err, tt.err) || (tt.err == "" && r.Err != "") {
				t.Errorf("Probe(%s) = ok %v status %d err %q, want ok %v status %d err %q", tt.path, r.OK, r.Status, r.Err, tt.ok, tt.status, tt.err)
			}
			if r.Unit != "u" || r.URL != srv.URL+tt.path || r.At.Before(start) || r.Latency <= 0 {
				t.Errorf("Probe(%s) = %+v, want unit, URL, time and latency", tt.path, r)
			}
			if time.Since(start) > 2*time.Second {
				t.Errorf("Probe(%s) took %s, timeout 300ms", tt.path, time.Since(start))
			}
		})
	}
	if ua, _ := agents.Load().(string); ua != "gkaudit-test" {
		t.Errorf("probe User-Agent = %q, want the crawl's", ua)
	}
	if k := audit.FetchErrorKind(0, p.Probe(context.Background(), config.Unit{URL: srv.URL + "/hang"}).Err); k != "timeout" {
		t.Errorf("a hanging probe's kind = %q, want timeout", k)
	}
}

// Ensure that a round probes the units of one host one at a time.
func TestProber_RoundOnePerHost(t *testing.T) {
	var now, most atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := now.Add(1)
		defer now.Add(-1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		time.Sleep(20 * time.Millisecond)
	}))
	defer srv.Close()
	var units []config.Unit
	for i := range 6 {
		units = append(units, config.Unit{ID: string(rune('a' + i)), URL: srv.URL + "/col/" + string(rune('a'+i)) + "/"})
	}
	p := &Prober{Client: srv.Client(), Timeout: time.Second}
	rs := p.Round(context.Background(), units)
	if len(rs) != 6 || most.Load() != 1 {
		t.Errorf("Round = %d results, %d probes of the host at once; want 6 and 1", len(rs), most.Load())
	}
}

// Ensure that a round is saved, that the 7-day success ratio per unit is
// set from the store, that probes older than 30 days are dropped and that
// a round in which every probe of 3 hosts went unanswered is not counted.
func TestService_ProbeRound(t *testing.T) {
	srv, _ := probeServers(t)
	cfg := testConfig(t)
	cfg.Units = []config.Unit{
		{ID: "up", Name: "正常", Kind: config.KindStreet, URL: srv.URL + "/ok"},
		{ID: "broken", Name: "报错", Kind: config.KindStreet, URL: srv.URL + "/500"},
		{ID: "slow", Name: "超时", Kind: config.KindStreet, URL: srv.URL + "/hang"},
	}
	cfg.Probe.Timeout = config.Duration(200 * time.Millisecond)
	s, _, _ := newTestService(t, cfg, Options{ProbeTransport: srv.Client().Transport})

	now := time.Now()
	old := []store.ProbeResult{
		{Unit: "up", URL: srv.URL + "/ok", At: now.Add(-31 * 24 * time.Hour)},         // past retention
		{Unit: "up", URL: srv.URL + "/ok", At: now.Add(-8 * 24 * time.Hour)},          // kept, out of the week
		{Unit: "up", URL: srv.URL + "/ok", At: now.Add(-24 * time.Hour)},              // a failure in the week
		{Unit: "up", URL: srv.URL + "/ok", At: now.Add(-2 * time.Hour), OK: true},     // a success in the week
		{Unit: "up", URL: srv.URL + "/ok", At: now.Add(-3 * time.Hour), OK: true},     // another
		{Unit: "slow", URL: srv.URL + "/hang", At: now.Add(-2 * time.Hour), OK: true}, // a success in the week
	}
	if err := s.store.Do(func(db *store.DB) error { return db.SaveProbes(old) }); err != nil {
		t.Fatal(err)
	}
	if left := s.probeRound(context.Background(), nil); len(left) != 0 {
		t.Fatalf("probeRound left %d unsaved", len(left))
	}
	ratio := func(unit string) float64 { return testutil.ToFloat64(s.metrics.probeRatio.WithLabelValues(unit)) }
	if r := ratio("up"); r != 0.75 { // 3 of 4 in the week
		t.Errorf("ratio[up] = %v, want 0.75", r)
	}
	if r := ratio("broken"); r != 0 {
		t.Errorf("ratio[broken] = %v, want 0", r)
	}
	if r := ratio("slow"); r != 0.5 {
		t.Errorf("ratio[slow] = %v, want 0.5", r)
	}
	if ok, fail := testutil.ToFloat64(s.metrics.probes.WithLabelValues("ok")), testutil.ToFloat64(s.metrics.probes.WithLabelValues("fail")); ok != 1 || fail != 2 {
		t.Errorf("probes counted ok %v fail %v, want 1 and 2", ok, fail)
	}
	err := s.store.Do(func(db *store.DB) error {
		ps, err := db.Probes("up", now.Add(-40*24*time.Hour), now.Add(time.Minute))
		if err != nil {
			return err
		}
		if len(ps) != 5 {
			t.Errorf("up has %d probes, want 5 (the one past 30 days dropped, this round's added)", len(ps))
		}
		broken, err := db.Probes("broken", now, now.Add(time.Minute))
		if err != nil {
			return err
		}
		if len(broken) != 1 || broken[0].Status != 500 || broken[0].OK {
			t.Errorf("broken's probe = %+v, want one failed with 500", broken)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// Three closed ports: nothing answers anywhere.
	var dead []config.Unit
	for i := range 3 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		dead = append(dead, config.Unit{ID: "dead" + string(rune('a'+i)), URL: "http://" + l.Addr().String() + "/"})
		l.Close()
	}
	s.cfg.Units = dead
	s.probeRound(context.Background(), nil)
	err = s.store.Do(func(db *store.DB) error {
		ps, err := db.Probes("deada", now.Add(-time.Hour), time.Now().Add(time.Minute))
		if len(ps) != 0 {
			t.Errorf("a round with every probe unanswered saved %d probes, want none", len(ps))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Ensure that the service probes on start and saves the results while
// holding the file only briefly.
func TestService_ProbesOnStart(t *testing.T) {
	srv, _ := probeServers(t)
	cfg := testConfig(t)
	cfg.Units[0].URL = srv.URL + "/ok"
	cfg.Probe.Every = config.Duration(time.Hour)
	s, logs, _ := newTestService(t, cfg, Options{ProbeTransport: srv.Client().Transport})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	waitFor(t, 5*time.Second, "the first round", func() bool { return count(logs.messages(t), "本轮可用性监测完成") == 1 })
	cancel()
	<-done
	waitFor(t, 2*time.Second, "the file to close", func() bool { return !s.store.IsOpen() })
	if r := testutil.ToFloat64(s.metrics.probeRatio.WithLabelValues("xinqi")); r != 1 {
		t.Errorf("ratio[xinqi] = %v, want 1", r)
	}
}

// Ensure that availability probes pass the crawl's SSRF guard: loopback is
// refused (with the guard's reason, kind blocked) unless the config's
// crawl.allow_networks lists it.
func TestDial_ProbesBlockLoopbackByDefault(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Write([]byte("<html><body>信息公开</body></html>"))
	}))
	defer srv.Close()
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	u := config.Unit{ID: "u", Name: "单位", Kind: config.KindStreet, URL: srv.URL + "/"}

	r := newProber(cfg, nil).Probe(t.Context(), u)
	if r.OK || !strings.Contains(r.Err, "已按安全策略拒绝连接") || audit.FetchErrorKind(r.Status, r.Err) != "blocked" || hits.Load() != 0 {
		t.Errorf("probe without allow_networks = %+v (%d requests), want blocked before connecting", r, hits.Load())
	}
	cfg.Crawl.AllowNetworks = []string{"127.0.0.0/8"}
	if r := newProber(cfg, nil).Probe(t.Context(), u); !r.OK || hits.Load() != 1 {
		t.Errorf("probe with 127.0.0.0/8 allowed = %+v, want a successful probe", r)
	}
}
