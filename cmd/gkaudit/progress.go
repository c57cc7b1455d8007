package main

import (
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"

	"gkaudit/audit"
)

// progress prints crawl progress on a terminal: a status line rewritten in
// place while units crawl, and one permanent line per finished unit. When the
// output is not a terminal (cron, CI, a pipe) it prints nothing.
type progress struct {
	w     io.Writer
	mu    sync.Mutex
	last  time.Time
	start time.Time
}

// newProgress returns a progress printer for w, or nil when w is not a terminal.
func newProgress(w io.Writer) *progress {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return &progress{w: w, start: time.Now()}
}

// event is an audit.Options.Progress callback. A nil printer ignores events.
func (p *progress) event(e audit.Event) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if e.Done {
		status := fmt.Sprintf("%d failing checks", e.Failing)
		if e.Err != nil {
			status = "error: " + e.Err.Error()
		}
		status += causeSummary(e.Causes)
		fmt.Fprintf(p.w, "\r\033[K[%2d/%d] %-22s %-16s %5d pages %4d errors %7s  %s\n",
			e.Finished, e.Total, e.Unit.ID, e.Unit.Name, e.Pages, e.Errors, e.Elapsed.Round(100*time.Millisecond), status)
		return
	}
	if time.Since(p.last) < 100*time.Millisecond {
		return
	}
	p.last = time.Now()
	fmt.Fprintf(p.w, "\r\033[K  crawling %s %s: %d pages, %d errors, %s (total %s)",
		e.Unit.ID, e.Unit.Name, e.Pages, e.Errors, e.Elapsed.Round(time.Second), time.Since(p.start).Round(time.Second))
}

// done clears the status line.
func (p *progress) done() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprint(p.w, "\r\033[K")
}

// causeSummary lists why a unit's fetches failed, most frequent first, as
// "（连接超时 3，连接被拒绝 1）"; "" when none did.
func causeSummary(causes map[string]int) string {
	if len(causes) == 0 {
		return ""
	}
	keys := slices.Collect(maps.Keys(causes))
	slices.SortFunc(keys, func(a, b string) int {
		if d := causes[b] - causes[a]; d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, causes[k])
	}
	return "（" + strings.Join(parts, "，") + "）"
}
