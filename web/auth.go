package web

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"gkaudit/cndate"
	"gkaudit/store"
)

// MinPasswordLen is the least number of characters of a password.
const MinPasswordLen = 8

// ErrWeakPassword is returned by HashPassword for a password that is too
// short or too long for bcrypt (72 bytes).
var ErrWeakPassword = errors.New("密码至少 8 个字符，且不超过 72 字节")

// HashPassword checks a new password's length and returns its bcrypt
// hash, as store.User.Hash keeps it. The command line and the users page
// both make accounts through it.
func HashPassword(password string) ([]byte, error) {
	if utf8.RuneCountInString(password) < MinPasswordLen || len(password) > 72 {
		return nil, ErrWeakPassword
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return nil, fmt.Errorf("web: hash password: %w", err)
	}
	return h, nil
}

// cookieName is the session cookie's name; over TLS the __Host- prefix
// makes the browser refuse it unless Secure, host-only and on /.
func (s *server) cookieName() string {
	if s.secure {
		return "__Host-gkaudit"
	}
	return "gkaudit_session"
}

// loginCookie carries the login form's CSRF token before there is a session
// (double submit: the form's hidden field must equal it).
func (s *server) loginCookie() string {
	if s.secure {
		return "__Host-gkaudit-login"
	}
	return "gkaudit_login"
}

func (s *server) setCookie(w http.ResponseWriter, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteStrictMode})
}

// authenticate returns the request's live session. The account is read
// on every request, so a disabled account, or one whose password or role
// changed, loses its sessions at once.
func (s *server) authenticate(w http.ResponseWriter, r *http.Request) (*session, bool) {
	c, err := r.Cookie(s.cookieName())
	if err != nil || c.Value == "" {
		return nil, false
	}
	sess, ok := s.sessions.get(c.Value, s.now())
	if !ok {
		return nil, false
	}
	var u store.User
	err = s.do(func(db *store.DB) error {
		var err error
		u, err = db.GetUser(sess.user)
		return err
	})
	if err != nil || u.Disabled || !u.Changed.Equal(sess.changed) {
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			s.log.Error("session check", "user", sess.user, "err", err)
		}
		s.sessions.end(sess.token)
		return nil, false
	}
	sess.role = u.Role
	return &sess, true
}

// toLogin sends an anonymous request to the login page, back to where it
// was going afterwards (GET only: a form posted without a session is lost).
func (s *server) toLogin(w http.ResponseWriter, r *http.Request) {
	target := "/login"
	if r.Method == http.MethodGet && r.URL.Path != "/" {
		target += "?next=" + url.QueryEscape(r.URL.RequestURI())
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// checkCSRF reports whether a POST carries the session's token.
func (s *server) checkCSRF(r *http.Request, sess *session) bool {
	got := r.PostFormValue("csrf")
	if got == "" {
		got = r.Header.Get("X-CSRF-Token")
	}
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(sess.csrf)) == 1
}

// safeNext keeps a redirect after login on this site: a path, not
// //host or a scheme.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") || strings.ContainsAny(next, "\r\n") {
		return "/"
	}
	return next
}

// clientAddr is the address login attempts are counted by: the peer's IP.
// Forwarded headers are not trusted: the UI is served directly.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

type loginView struct {
	Name  string
	Next  string
	Error string
	CSRF  string
}

func (s *server) loginPage(w http.ResponseWriter, r *http.Request, _ *session) {
	if _, ok := s.authenticate(w, r); ok {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	s.renderLogin(w, r, http.StatusOK, loginView{Next: safeNext(r.URL.Query().Get("next"))})
}

func (s *server) renderLogin(w http.ResponseWriter, r *http.Request, status int, v loginView) {
	// Keep the token of a login page already open in another tab.
	if c, err := r.Cookie(s.loginCookie()); err == nil && len(c.Value) >= 40 {
		v.CSRF = c.Value
	} else {
		v.CSRF = randomToken()
	}
	s.setCookie(w, s.loginCookie(), v.CSRF, 3600)
	s.render(w, r, status, "login", nil, "登录", v)
}

func (s *server) login(w http.ResponseWriter, r *http.Request, _ *session) {
	name := strings.TrimSpace(r.PostFormValue("name"))
	password := r.PostFormValue("password")
	next := safeNext(r.PostFormValue("next"))
	c, err := r.Cookie(s.loginCookie())
	if err != nil || c.Value == "" || subtle.ConstantTimeCompare([]byte(c.Value), []byte(r.PostFormValue("csrf"))) != 1 {
		s.log.Warn("login csrf", "addr", clientAddr(r))
		s.forbidden(w, r, nil, "登录表单已失效（缺少有效的 CSRF 令牌）。请刷新登录页后重试。")
		return
	}
	now := s.now()
	addr := clientAddr(r)
	v := loginView{Name: name, Next: next}
	for _, l := range []struct {
		lim *limiter
		key string
	}{{s.userLimit, strings.ToLower(name)}, {s.addrLimit, addr}} {
		if blocked, wait := l.lim.blocked(l.key, now); blocked {
			s.log.Warn("login limited", "user", name, "addr", addr)
			v.Error = fmt.Sprintf("登录失败次数过多，请 %d 分钟后再试。", int(wait.Minutes())+1)
			s.renderLogin(w, r, http.StatusTooManyRequests, v)
			return
		}
	}
	var u store.User
	err = s.do(func(db *store.DB) error {
		var err error
		u, err = db.GetUser(name)
		return err
	})
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		s.serverError(w, r, nil, err)
		return
	}
	hash := u.Hash
	if err != nil || len(hash) == 0 {
		hash = s.dummy()
	}
	// Compare even for unknown or disabled accounts: the answer takes as
	// long either way.
	bad := bcrypt.CompareHashAndPassword(hash, []byte(password)) != nil
	if err != nil || bad || u.Disabled {
		s.userLimit.fail(strings.ToLower(name), now)
		s.addrLimit.fail(addr, now)
		s.log.Warn("login failed", "user", name, "addr", addr, "disabled", u.Disabled)
		v.Error = "用户名或密码错误，或账号已停用。"
		s.renderLogin(w, r, http.StatusUnauthorized, v)
		return
	}
	s.userLimit.reset(strings.ToLower(name))
	sess := s.sessions.create(u.Name, u.Role, u.Changed, now)
	s.setCookie(w, s.cookieName(), sess.token, 0)
	s.setCookie(w, s.loginCookie(), "", -1)
	s.log.Info("login", "user", u.Name, "role", u.Role, "addr", addr)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// dummy is a bcrypt hash of nothing anyone types, made once per server.
func (s *server) dummy() []byte {
	s.dummyOnce.Do(func() {
		s.dummyHash, _ = bcrypt.GenerateFromPassword([]byte(randomToken()), bcrypt.DefaultCost)
	})
	return s.dummyHash
}

func (s *server) logout(w http.ResponseWriter, r *http.Request, sess *session) {
	s.sessions.end(sess.token)
	s.setCookie(w, s.cookieName(), "", -1)
	s.log.Info("logout", "user", sess.user)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// flash leaves a message for the session's next page.
func (s *server) flash(sess *session, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	s.sessions.update(sess.token, func(x *session) { x.flash = msg })
}

// now in Beijing, for dates people read.
func (s *server) today() time.Time {
	t := s.now().In(cndate.Shanghai)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, cndate.Shanghai)
}
