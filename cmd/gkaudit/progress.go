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
// place (units finished, pages so far, time, the units in flight), and one
// permanent line per finished unit. A ticker redraws the status line every
// second, so that the elapsed times keep moving while every unit waits on a
// hanging host and no event arrives. When the output is not a terminal (cron,
// CI, a pipe) it prints nothing.
type progress struct {
	w     io.Writer
	width int
	start time.Time
	stop  chan struct{}
	wg    sync.WaitGroup

	mu        sync.Mutex
	last      time.Time
	inflight  []unitProgress // in the order they started
	pagesDone int            // pages of finished units
	finished  int
	total     int
}

// unitProgress is a unit being crawled, as its latest event says.
type unitProgress struct {
	id, name      string
	pages, errors int
	started       time.Time
}

// progressTick is how often the status line is redrawn without events.
const progressTick = time.Second

// newProgress returns a progress printer for w, or nil when w is not a terminal.
func newProgress(w io.Writer) *progress {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	p := &progress{w: w, width: outputWidth(w), start: time.Now(), stop: make(chan struct{})}
	p.wg.Add(1)
	go p.tick()
	return p
}

func (p *progress) tick() {
	defer p.wg.Done()
	t := time.NewTicker(progressTick)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case now := <-t.C:
			p.mu.Lock()
			p.redraw(now)
			p.mu.Unlock()
		}
	}
}

// event is an audit.Options.Progress callback. A nil printer ignores events.
func (p *progress) event(e audit.Event) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	p.total = e.Total
	i := slices.IndexFunc(p.inflight, func(u unitProgress) bool { return u.id == e.Unit.ID })
	if e.Done {
		if i >= 0 {
			p.inflight = slices.Delete(p.inflight, i, i+1)
		}
		p.finished = max(p.finished, e.Finished)
		p.pagesDone += e.Pages
		fmt.Fprint(p.w, "\r\033[K"+doneLine(e)+"\n")
		p.redraw(now)
		return
	}
	if i < 0 {
		p.inflight = append(p.inflight, unitProgress{id: e.Unit.ID, name: e.Unit.Name, started: now.Add(-e.Elapsed)})
		i = len(p.inflight) - 1
	}
	p.inflight[i].pages, p.inflight[i].errors = e.Pages, e.Errors
	if now.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.redraw(now)
}

// redraw rewrites the status line; p.mu is held.
func (p *progress) redraw(now time.Time) {
	p.last = now
	fmt.Fprint(p.w, "\r\033[K"+statusLine(now, p.start, p.finished, p.total, p.pagesDone, p.inflight, p.width))
}

// done stops the ticker and clears the status line.
func (p *progress) done() {
	if p == nil {
		return
	}
	close(p.stop)
	p.wg.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprint(p.w, "\r\033[K")
}

// Column widths of a finished unit's line, in display cells.
const (
	progressIDWidth   = 22
	progressNameWidth = 16
)

// doneLine is the permanent line of a finished unit, its columns padded (or
// cut) by display width so that Chinese names line up.
func doneLine(e audit.Event) string {
	status := fmt.Sprintf("%d 项不合格", e.Failing)
	if e.Err != nil {
		status = "出错：" + e.Err.Error()
	}
	status += causeSummary(e.Causes)
	return termSafe(fmt.Sprintf("[%2d/%d] %s %s %5d 页 %4d 个错误 %7s  %s",
		e.Finished, e.Total, padWidth(truncateWidth(e.Unit.ID, progressIDWidth), progressIDWidth),
		padWidth(truncateWidth(e.Unit.Name, progressNameWidth), progressNameWidth),
		e.Pages, e.Errors, e.Elapsed.Round(100*time.Millisecond), status), false)
}

// statusLine is the line rewritten in place: units finished, pages so far,
// time since the start, and each unit in flight with its pages and time,
// cut to width-1 cells so that it never wraps (a wrapped line would not be
// rewritten by \r).
func statusLine(now, start time.Time, finished, total, pagesDone int, inflight []unitProgress, width int) string {
	pages := pagesDone
	parts := make([]string, 0, len(inflight))
	for _, u := range inflight {
		pages += u.pages
		s := fmt.Sprintf("%s %s（%d 页", u.id, u.name, u.pages)
		if u.errors > 0 {
			s += fmt.Sprintf("，%d 个错误", u.errors)
		}
		parts = append(parts, s+"，"+now.Sub(u.started).Round(time.Second).String()+"）")
	}
	line := fmt.Sprintf("  已完成 %d/%d 个单位，已抓取 %d 个页面，用时 %s", finished, total, pages, now.Sub(start).Round(time.Second))
	if len(parts) > 0 {
		line += "；正在检查：" + strings.Join(parts, "、")
	}
	return truncateWidth(termSafe(line, false), width-1)
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
