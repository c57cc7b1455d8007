package web

import (
	"sync"
	"time"
)

// Login limits: failed attempts per window, per user name and per client
// address. A user name is limited tighter (a guess at one account), an
// address looser (an office behind one NAT address).
const (
	userFailures  = 5
	addrFailures  = 20
	failureWindow = 15 * time.Minute
	// maxLimitKeys bounds each limiter's table, so a flood of made-up user
	// names cannot grow memory without bound.
	maxLimitKeys = 10000
)

// limiter counts failures per key in fixed windows, in memory.
type limiter struct {
	mu    sync.Mutex
	m     map[string]*window
	max   int
	per   time.Duration
	limit int
}

type window struct {
	start time.Time
	n     int
}

func newLimiter(max int, per time.Duration, limit int) *limiter {
	return &limiter{m: map[string]*window{}, max: max, per: per, limit: limit}
}

// blocked reports whether key has used up its failures, and for how long
// it stays blocked.
func (l *limiter) blocked(key string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	w, ok := l.m[key]
	if !ok {
		return false, 0
	}
	if now.Sub(w.start) >= l.per {
		delete(l.m, key)
		return false, 0
	}
	if w.n >= l.max {
		return true, l.per - now.Sub(w.start)
	}
	return false, 0
}

// fail counts a failure of key.
func (l *limiter) fail(key string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	w, ok := l.m[key]
	if ok && now.Sub(w.start) < l.per {
		w.n++
		return
	}
	if !ok && len(l.m) >= l.limit {
		l.evictLocked(now)
	}
	l.m[key] = &window{start: now, n: 1}
}

// reset forgets key's failures (a successful login).
func (l *limiter) reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.m, key)
}

// evictLocked drops expired windows, and the oldest one when none has
// expired.
func (l *limiter) evictLocked(now time.Time) {
	var oldest string
	var at time.Time
	for k, w := range l.m {
		if now.Sub(w.start) >= l.per {
			delete(l.m, k)
			continue
		}
		if oldest == "" || w.start.Before(at) {
			oldest, at = k, w.start
		}
	}
	if len(l.m) >= l.limit && oldest != "" {
		delete(l.m, oldest)
	}
}
