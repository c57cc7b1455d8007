package crawler

import (
	"context"
	"net/http"
	"sync"
	"testing"

	"gkaudit/config"
)

// Ensure that units crawled in one run with the run's host budget check an
// outbound link they share once (its probe and landing page), each unit's
// snapshot still recording it with the unit's own referrers; a unit with a
// budget of its own checks it itself.
func TestLinkCache_OutboundCheckedOncePerRun(t *testing.T) {
	var mu sync.Mutex
	asked := map[string]int{}
	out := http.NewServeMux()
	outSrv := newServer(t, out)
	out.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked[r.Method]++
		mu.Unlock()
		htmlPage("中国政府网", "国务院")(w, r)
	})
	units := http.NewServeMux()
	unitSrv := newServer(t, units)
	for _, p := range []string{"/a/", "/b/"} {
		units.HandleFunc(p, htmlPage("单位", `<a href="`+outSrv.URL+`/zhengce/">中国政府网</a>`))
	}
	pol := testPolicy()
	pol.Robots = false
	crawl := func(hosts *HostBudget, path string) {
		s, err := Crawl(context.Background(), config.Unit{ID: path, Name: "单位", URL: unitSrv.URL + path}, Options{Policy: pol, Hosts: hosts})
		if err != nil {
			t.Fatal(err)
		}
		pr := probeByPath(s, "/zhengce/")
		if pr == nil || pr.Status != 200 || pr.Landing == nil || len(pr.Referrers) != 1 {
			t.Errorf("unit %s: probe = %+v, want 200 with its landing page and the unit's referrer", path, pr)
		}
		if shared := hosts != nil && path == "/b/"; pr != nil && pr.Shared != shared {
			t.Errorf("unit %s: Shared = %v, want %v (only the second unit of the run reuses the check)", path, pr.Shared, shared)
		}
	}
	run := NewHostBudget(pol)
	crawl(run, "/a/")
	crawl(run, "/b/")
	mu.Lock()
	once := asked[http.MethodHead] + asked[http.MethodGet]
	mu.Unlock()
	crawl(nil, "/a/")
	mu.Lock()
	defer mu.Unlock()
	if once != 2 {
		t.Errorf("two units of one run: %d requests to the outbound host (%v), want 2 (HEAD and the landing GET)", once, asked)
	}
	if total := asked[http.MethodHead] + asked[http.MethodGet]; total != 4 {
		t.Errorf("a unit with its own budget: %d requests in all, want 4", total)
	}
}
