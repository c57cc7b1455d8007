package web

import (
	"crypto/rand"
	"encoding/base64"
	"sync"
	"time"
)

// Session limits.
const (
	// sessionIdle ends a session nobody used for this long; sessionMax
	// ends any session this long after login.
	sessionIdle = 2 * time.Hour
	sessionMax  = 12 * time.Hour
	// maxSessions bounds the table: the oldest idle sessions go first.
	maxSessions = 10000
)

// session is one logged-in browser, kept in the server's memory only: a
// restart logs everybody out, which is acceptable for an office tool and
// keeps tokens out of the database file.
type session struct {
	token string
	user  string
	role  string
	// changed is the account's Changed at login: a later change (password,
	// role, disabled) ends the session.
	changed time.Time
	csrf    string
	created time.Time
	seen    time.Time
	flash   string // shown once on the next page
}

type sessions struct {
	mu        sync.Mutex
	m         map[string]*session
	idle, max time.Duration
	limit     int
}

func newSessions(idle, max time.Duration, limit int) *sessions {
	return &sessions{m: map[string]*session{}, idle: idle, max: max, limit: limit}
}

// randomToken returns 32 random bytes, base64url: session ids and CSRF
// tokens cannot be guessed.
func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b) // crypto/rand.Read never fails (Go 1.24)
	return base64.RawURLEncoding.EncodeToString(b)
}

// create starts a session for user.
func (ss *sessions) create(user, role string, changed, now time.Time) *session {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if len(ss.m) >= ss.limit {
		ss.pruneLocked(now)
	}
	for len(ss.m) >= ss.limit {
		var oldest *session
		for _, s := range ss.m {
			if oldest == nil || s.seen.Before(oldest.seen) {
				oldest = s
			}
		}
		delete(ss.m, oldest.token)
	}
	s := &session{token: randomToken(), user: user, role: role, changed: changed, csrf: randomToken(), created: now, seen: now}
	ss.m[s.token] = s
	return s
}

// get returns the live session of token and marks it used; a copy, so
// the caller reads it without the lock.
func (ss *sessions) get(token string, now time.Time) (session, bool) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	s, ok := ss.m[token]
	if !ok {
		return session{}, false
	}
	if now.Sub(s.seen) > ss.idle || now.Sub(s.created) > ss.max {
		delete(ss.m, token)
		return session{}, false
	}
	s.seen = now
	return *s, true
}

// update applies fn to the session of token, if it still exists.
func (ss *sessions) update(token string, fn func(*session)) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if s, ok := ss.m[token]; ok {
		fn(s)
	}
}

// takeFlash returns and clears the session's flash message.
func (ss *sessions) takeFlash(token string) string {
	var f string
	ss.update(token, func(s *session) { f, s.flash = s.flash, "" })
	return f
}

func (ss *sessions) end(token string) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	delete(ss.m, token)
}

// endUser ends every session of user (disabled, password changed).
func (ss *sessions) endUser(user string) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	for k, s := range ss.m {
		if s.user == user {
			delete(ss.m, k)
		}
	}
}

func (ss *sessions) pruneLocked(now time.Time) {
	for k, s := range ss.m {
		if now.Sub(s.seen) > ss.idle || now.Sub(s.created) > ss.max {
			delete(ss.m, k)
		}
	}
}
