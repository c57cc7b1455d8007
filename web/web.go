// Package web is the reviewer UI of gkaudit: server-rendered pages in
// Chinese over the store (dashboard, units with their scorecards, findings
// with the stored page and its evidence, manual scoring, runs, notices and
// exports, the audit log, accounts), behind accounts with roles, session
// cookies and CSRF tokens.
//
// Stored pages are hostile content: they are served only from their own
// path (/page/<sha256>) under a sandbox CSP and shown only inside a
// sandboxed iframe, never inline in the app's origin. Every other response
// is escaped by html/template and carries a strict CSP: the app's script
// and style come from its own path, nothing inline.
//
// The UI reaches the store only through a store.Handle, so the file stays
// closed (and other gkaudit processes can open it) while nobody looks.
package web

import (
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"gkaudit/config"
	"gkaudit/store"
)

// Options configure the UI.
type Options struct {
	// Store is the database; the UI opens it only through the handle.
	Store *store.Handle
	// Config names the units and holds the rubric and notice settings
	// (default: the built-in district).
	Config *config.Config
	// Runner starts runs and reports progress; nil when the process cannot
	// run audits (then the run-now button is absent).
	Runner Runner
	// Secure marks the session cookies Secure (the UI is served over TLS).
	Secure bool
	// Logger receives logins, denials and changes (default: discard).
	Logger *slog.Logger
	// Now is the clock (default time.Now): session expiry, the time of
	// reviews and decisions, the date of notices.
	Now func() time.Time
}

// Runner is what the UI needs of the service that runs audits.
type Runner interface {
	// RunNow starts a run now; an error says why it cannot (one is running).
	RunNow() error
	// Status reports the current run, or the last one and the next.
	Status() RunStatus
}

// RunStatus is a Runner's progress report.
type RunStatus struct {
	Running               bool
	RunID                 string
	Started               time.Time
	UnitsDone, UnitsTotal int
	Pages                 int
	Current               []string // unit ids being crawled
	LastRun, LastOutcome  string
	Next                  time.Time // the next scheduled run; zero: none
}

// server is the UI's state: no globals, one per New.
type server struct {
	store  *store.Handle
	cfg    *config.Config
	runner Runner
	secure bool
	log    *slog.Logger
	now    func() time.Time

	pages    map[string]*template.Template
	sessions *sessions
	// Failed logins, per user name and per client address.
	userLimit, addrLimit *limiter

	dummyOnce sync.Once
	dummyHash []byte // compared against for unknown users, so timing says nothing
	mux       *http.ServeMux
}

// New returns the UI's handler.
func New(o Options) (http.Handler, error) {
	if o.Store == nil {
		return nil, errors.New("web: no store")
	}
	cfg := o.Config
	if cfg == nil {
		var err error
		if cfg, err = config.Default(); err != nil {
			return nil, fmt.Errorf("web: %w", err)
		}
	}
	s := &server{store: o.Store, cfg: cfg, runner: o.Runner, secure: o.Secure, log: o.Logger, now: o.Now}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	var err error
	if s.pages, err = parsePages(); err != nil {
		return nil, err
	}
	s.sessions = newSessions(sessionIdle, sessionMax, maxSessions)
	s.userLimit = newLimiter(userFailures, failureWindow, maxLimitKeys)
	s.addrLimit = newLimiter(addrFailures, failureWindow, maxLimitKeys)
	s.routes()
	return s, nil
}

// Role ranks: each role may do what the ones below it may.
var roleRank = map[string]int{store.RoleViewer: 1, store.RoleReviewer: 2, store.RoleAdmin: 3}

// maxForm bounds a posted form.
const maxForm = 64 << 10

// handle registers one handler with the least role allowed to call it; "" is
// public (the login page and the static files).
func (s *server) handle(pattern, role string, h func(http.ResponseWriter, *http.Request, *session)) {
	s.mux.Handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		appHeaders(w, s.secure)
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, maxForm) // forms are small
		}
		if role == "" {
			h(w, r, nil)
			return
		}
		sess, ok := s.authenticate(w, r)
		if !ok {
			s.toLogin(w, r)
			return
		}
		if roleRank[sess.role] < roleRank[role] {
			s.log.Warn("denied", "user", sess.user, "role", sess.role, "path", r.URL.Path, "need", role)
			s.forbidden(w, r, sess, "您的角色（"+store.RoleLabel(sess.role)+"）不能执行此操作：需要"+store.RoleLabel(role)+"权限。")
			return
		}
		if r.Method == http.MethodPost && !s.checkCSRF(r, sess) {
			s.log.Warn("csrf", "user", sess.user, "path", r.URL.Path)
			s.forbidden(w, r, sess, "表单已失效或来源不明（缺少有效的 CSRF 令牌）。请返回上一页，刷新后重试。")
			return
		}
		h(w, r, sess)
	}))
}

func (s *server) routes() {
	s.mux = http.NewServeMux()
	s.handle("GET /static/{file}", "", s.static)
	s.handle("GET /login", "", s.loginPage)
	s.handle("POST /login", "", s.login)
	s.handle("POST /logout", store.RoleViewer, s.logout)

	s.handle("GET /{$}", store.RoleViewer, s.dashboard)
	s.handle("GET /units/{id}", store.RoleViewer, s.unit)
	s.handle("GET /units/{id}/score", store.RoleReviewer, s.scoring)
	s.handle("POST /units/{id}/score", store.RoleReviewer, s.saveScore)
	s.handle("GET /findings/{id}", store.RoleViewer, s.finding)
	s.handle("POST /findings/{id}/{action}", store.RoleReviewer, s.decide)
	s.handle("GET /findings/{id}/evidence", store.RoleViewer, s.evidence)
	s.handle("GET /page/{sha}", store.RoleViewer, s.storedPage)
	s.handle("GET /page/{sha}/source", store.RoleViewer, s.storedSource)

	s.handle("GET /runs", store.RoleViewer, s.runs)
	s.handle("GET /runs/status", store.RoleViewer, s.runStatus)
	s.handle("POST /runs/now", store.RoleAdmin, s.runNow)

	s.handle("GET /notices", store.RoleViewer, s.notices)
	s.handle("GET /notices/draft/{unit}/{kind}", store.RoleViewer, s.noticePreview)
	s.handle("GET /notices/draft/{unit}/{kind}/doc", store.RoleViewer, s.noticeDraftDoc)
	s.handle("GET /notices/issued/{id}", store.RoleViewer, s.noticeIssued)
	s.handle("GET /notices/issued/{id}/doc", store.RoleViewer, s.noticeIssuedDoc)
	s.handle("POST /notices/issue", store.RoleAdmin, s.issueNotices)
	s.handle("GET /export/score.xlsx", store.RoleViewer, s.exportSheet)
	s.handle("GET /export/report.html", store.RoleViewer, s.exportReport)

	s.handle("GET /events", store.RoleViewer, s.events)
	s.handle("GET /account", store.RoleViewer, s.account)
	s.handle("POST /account/password", store.RoleViewer, s.changePassword)
	s.handle("GET /users", store.RoleAdmin, s.users)
	s.handle("POST /users", store.RoleAdmin, s.addUser)
	s.handle("POST /users/{name}/{action}", store.RoleAdmin, s.changeUser)
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// Handler finds the pattern only; ServeHTTP below sets the path values.
	if _, pattern := s.mux.Handler(r); pattern == "" {
		// Unknown paths and wrong methods: the same headers, a Chinese page,
		// and nothing said to the anonymous about what exists.
		appHeaders(w, s.secure)
		sess, ok := s.authenticate(w, r)
		if !ok {
			s.toLogin(w, r)
			return
		}
		s.notFound(w, r, sess)
		return
	}
	s.mux.ServeHTTP(w, r)
}

// Content-Security-Policy of the app's own pages: script and style only
// from the app's paths, frames only of the app (stored pages, notices).
const appCSP = "default-src 'self'; img-src 'self' data:; frame-src 'self'; form-action 'self'; frame-ancestors 'none'"

// appHeaders sets the security headers of every response; handlers that
// serve other content (stored pages, notices, downloads) override the CSP.
func appHeaders(w http.ResponseWriter, secure bool) {
	h := w.Header()
	h.Set("Content-Security-Policy", appCSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	h.Set("Cache-Control", "no-store")
	if secure {
		h.Set("Strict-Transport-Security", "max-age=31536000")
	}
}

// do runs fn with the store, opened through the handle.
func (s *server) do(fn func(*store.DB) error) error { return s.store.Do(fn) }
