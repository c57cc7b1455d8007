package store

import (
	"errors"
	"fmt"
	"sync"
	"time"
)

// ErrHandleClosed is returned by a Handle after Close.
var ErrHandleClosed = errors.New("store handle closed")

// Handle shares one open store among the goroutines of a long-lived
// process (gkaudit serve) without holding the file's lock while nobody uses
// it: the file is opened on first use and closed once it has been idle for
// the given time, so other gkaudit processes can open it between uses.
type Handle struct {
	path string
	idle time.Duration

	mu     sync.Mutex
	db     *DB
	users  int
	timer  *time.Timer
	closed bool
	gen    int // bumps on each open, so a stale timer closes nothing
}

// NewHandle returns a handle on the store at path that closes it after idle.
func NewHandle(path string, idle time.Duration) *Handle {
	return &Handle{path: path, idle: idle}
}

// Acquire opens the store if needed and returns it with the release func
// the caller must call when done (a run holds it for the whole run).
func (h *Handle) Acquire() (*DB, func(), error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, nil, ErrHandleClosed
	}
	if h.timer != nil {
		h.timer.Stop()
		h.timer = nil
	}
	if h.db == nil {
		db, err := Open(h.path)
		if err != nil {
			return nil, nil, err
		}
		h.db = db
		h.gen++
	}
	h.users++
	var once sync.Once
	return h.db, func() { once.Do(h.release) }, nil
}

// Do runs fn with the open store.
func (h *Handle) Do(fn func(*DB) error) error {
	db, release, err := h.Acquire()
	if err != nil {
		return err
	}
	defer release()
	return fn(db)
}

func (h *Handle) release() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.users--
	if h.users > 0 || h.db == nil {
		return
	}
	gen := h.gen
	h.timer = time.AfterFunc(h.idle, func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		if h.users == 0 && h.db != nil && h.gen == gen {
			h.db.Close()
			h.db = nil
		}
	})
}

// Path is the store file's path.
func (h *Handle) Path() string { return h.path }

// IsOpen reports whether the file is open (and locked) right now.
func (h *Handle) IsOpen() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.db != nil
}

// Close closes the store now; users still holding it must have released it.
func (h *Handle) Close() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	if h.timer != nil {
		h.timer.Stop()
	}
	if h.db == nil {
		return nil
	}
	if h.users > 0 {
		return fmt.Errorf("store: close %s: %d users still hold it", h.path, h.users)
	}
	err := h.db.Close()
	h.db = nil
	return err
}
