package web

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"gkaudit/checks"
	"gkaudit/cndate"
	"gkaudit/notice"
	"gkaudit/report"
	"gkaudit/score"
	"gkaudit/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// funcs are the templates' helpers: numbers, times and labels as the office
// reads them.
var funcs = template.FuncMap{
	"pts":    fmtPoints,
	"signed": fmtSigned,
	"dt": func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return t.In(cndate.Shanghai).Format("2006-01-02 15:04")
	},
	"date": func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return t.In(cndate.Shanghai).Format(time.DateOnly)
	},
	"state":  func(s store.State) string { return s.Label() },
	"role":   store.RoleLabel,
	"check":  report.CheckName,
	"short":  clip,
	"source": sourceLabel,
	"status": statusLabel,
	"kind": func(k string) string {
		switch k {
		case "street":
			return "街道"
		case "department":
			return "部门"
		}
		return k
	},
	"noticeKind": func(k string) string {
		if k == notice.FollowUp {
			return "催办通知"
		}
		return "整改通知"
	},
	"runNo": func(id string) string { return strings.TrimLeft(id, "0") },
	"sha":   func(s string) string { return clip(s, 12) },
	"add":   func(a, b int) int { return a + b },
}

func fmtPoints(x float64) string { return strconv.FormatFloat(math.Round(x*10)/10, 'f', -1, 64) }

func fmtSigned(x float64) string {
	switch {
	case x > 0:
		return "+" + fmtPoints(x)
	case x < 0:
		return "−" + fmtPoints(-x)
	}
	return "±0"
}

// clip cuts s to n characters, with an ellipsis.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

func sourceLabel(s score.Source) string {
	switch s {
	case score.Auto:
		return "自动"
	case score.Manual:
		return "人工"
	case score.Pending:
		return "待评"
	}
	return string(s)
}

// statusLabel is checks.Status.Label, the words the command line's tables
// use too.
func statusLabel(s checks.Status) string { return s.Label() }

// parsePages parses each page with the layout: one template set per page,
// so that every page defines its own "content".
func parsePages() (map[string]*template.Template, error) {
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/_partials.html")
	if err != nil {
		return nil, fmt.Errorf("web: templates: %w", err)
	}
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("web: templates: %w", err)
	}
	pages := map[string]*template.Template{}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		if name == "layout" || strings.HasPrefix(name, "_") {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(templateFS, f)
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", name, err)
		}
		pages[name] = t
	}
	return pages, nil
}

// view is what the layout reads; Data is the page's own.
type view struct {
	Title    string
	Nav      string
	District string
	Year     int
	User     string
	Role     string
	CSRF     string
	Flash    string
	Reviewer bool // may score and decide
	Admin    bool
	Data     any
}

// render writes page with the layout. It renders into a buffer first, so
// that a template error is a clean 500, not half a page.
func (s *server) render(w http.ResponseWriter, r *http.Request, status int, page string, sess *session, title string, data any) {
	v := view{Title: title, Nav: page, District: s.cfg.District, Year: s.cfg.Year, Data: data}
	if sess != nil {
		v.User, v.Role, v.CSRF = sess.user, sess.role, sess.csrf
		v.Flash = s.sessions.takeFlash(sess.token)
		v.Reviewer = roleRank[sess.role] >= roleRank[store.RoleReviewer]
		v.Admin = sess.role == store.RoleAdmin
	}
	t, ok := s.pages[page]
	if !ok {
		s.log.Error("no template", "page", page)
		http.Error(w, "内部错误", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		s.log.Error("render", "page", page, "err", err)
		http.Error(w, "内部错误：页面生成失败", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

type errorView struct {
	Status  int
	Heading string
	Message string
}

func (s *server) errorPage(w http.ResponseWriter, r *http.Request, sess *session, status int, heading, msg string) {
	s.render(w, r, status, "error", sess, heading, errorView{Status: status, Heading: heading, Message: msg})
}

func (s *server) forbidden(w http.ResponseWriter, r *http.Request, sess *session, msg string) {
	s.errorPage(w, r, sess, http.StatusForbidden, "无权操作", msg)
}

func (s *server) notFound(w http.ResponseWriter, r *http.Request, sess *session) {
	s.errorPage(w, r, sess, http.StatusNotFound, "页面不存在", "没有找到 "+r.URL.Path+"。")
}

func (s *server) notFoundMsg(w http.ResponseWriter, r *http.Request, sess *session, msg string) {
	s.errorPage(w, r, sess, http.StatusNotFound, "未找到", msg)
}

func (s *server) badRequest(w http.ResponseWriter, r *http.Request, sess *session, msg string) {
	s.errorPage(w, r, sess, http.StatusBadRequest, "请求有误", msg)
}

// serverError logs err and shows a page without its text (paths and
// internals are for the log); a file locked by another process says so.
func (s *server) serverError(w http.ResponseWriter, r *http.Request, sess *session, err error) {
	if errors.Is(err, bolt.ErrTimeout) {
		s.log.Warn("store busy", "path", r.URL.Path, "err", err)
		s.errorPage(w, r, sess, http.StatusServiceUnavailable, "数据库忙",
			"数据库文件正被另一个 gkaudit 进程使用（如 gkaudit audit 或 gc），请稍后刷新。")
		return
	}
	s.log.Error("request", "path", r.URL.Path, "err", err)
	s.errorPage(w, r, sess, http.StatusInternalServerError, "内部错误", "处理请求时出错，详情已记入服务日志。")
}

// static serves the embedded CSS and script.
func (s *server) static(w http.ResponseWriter, r *http.Request, _ *session) {
	name := r.PathValue("file")
	data, err := staticFS.ReadFile("static/" + name)
	if err != nil || strings.Contains(name, "/") {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", mime.TypeByExtension(path.Ext(name)))
	w.Header().Set("Cache-Control", "private, max-age=300")
	w.Write(data)
}
