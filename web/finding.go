package web

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"gkaudit/checks"
	"gkaudit/config"
	"gkaudit/evidence"
	"gkaudit/rundata"
	"gkaudit/store"
)

// findingIDPattern is a store.FindingID: 12 hex digits.
var findingIDPattern = regexp.MustCompile(`^[0-9a-f]{12}$`)

// shaPattern is a body's SHA-256 in hex.
var shaPattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

type findingView struct {
	Run     store.Run
	F       checks.Finding
	Unit    config.Unit
	Entry   *store.HistoryEntry
	Events  []store.Event
	Stored  bool // the evidence page's body is in the store
	Context excerptView
	Page    *pageInfo
	CanDo   map[string]bool // confirm, dismiss, reopen
	Item    string          // the rubric line it feeds
	Looked  []string        // what the check looked at besides URL
}

// pageInfo is what the run recorded of the evidence page.
type pageInfo struct {
	FinalURL    string
	ContentType string
	Charset     string
	Size        int64
	NotModified bool
	Truncated   bool
	RawSHA256   string
}

func (s *server) finding(w http.ResponseWriter, r *http.Request, sess *session) {
	id := r.PathValue("id")
	if !findingIDPattern.MatchString(id) {
		s.notFoundMsg(w, r, sess, "问题编号应为 12 位十六进制数字。")
		return
	}
	var v findingView
	err := s.do(func(db *store.DB) error {
		run, f, err := db.FindingByID(id, r.URL.Query().Get("run"))
		if err != nil {
			return err
		}
		v = findingView{Run: run, F: f, CanDo: map[string]bool{}}
		for _, u := range f.Looked {
			if u != f.URL {
				v.Looked = append(v.Looked, u)
			}
		}
		if u, ok := s.cfg.UnitByID(f.Unit); ok {
			v.Unit = u
		} else {
			v.Unit = config.Unit{ID: f.Unit, Name: f.Unit}
		}
		if it, ok := itemFor(s.cfg, f.Check); ok {
			v.Item = it
		}
		if e, err := db.Entry(id); err == nil {
			v.Entry = &e
			switch e.State {
			case store.StateOpen, store.StateNotified, store.StateOverdue:
				v.CanDo["confirm"], v.CanDo["dismiss"] = true, true
			case store.StateDismissed, store.StateFixed:
				v.CanDo["reopen"] = true
			}
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if v.Events, err = db.Events(store.EventFilter{Finding: id}); err != nil {
			return err
		}
		slices.Reverse(v.Events)
		if snap, err := db.Snapshot(run.ID, f.Unit); err == nil {
			if p := snap.Page(f.Evidence.URL); p != nil {
				v.Page = &pageInfo{FinalURL: p.FinalURL, ContentType: p.ContentType, Charset: p.Charset, Size: p.Size,
					NotModified: p.NotModified, Truncated: p.Truncated, RawSHA256: p.RawSHA256}
			}
		}
		if shaPattern.MatchString(f.Evidence.SHA256) {
			body, err := db.Body(f.Evidence.SHA256)
			switch {
			case err == nil:
				v.Stored = true
				v.Context = excerptContext(body, f.Evidence.Excerpt)
			case !errors.Is(err, store.ErrNotFound):
				return err
			}
		}
		if !v.Stored && f.Evidence.Excerpt != "" {
			v.Context = excerptView{Found: false, Match: f.Evidence.Excerpt}
		}
		return nil
	})
	switch {
	case errors.Is(err, store.ErrCollected):
		s.notFoundMsg(w, r, sess, "问题 "+id+" 所在的运行已被清理（gc），页面和证据已不在数据库中。")
		return
	case errors.Is(err, store.ErrNotFound):
		s.notFoundMsg(w, r, sess, "没有编号为 "+id+" 的问题。")
		return
	case err != nil:
		s.serverError(w, r, sess, err)
		return
	}
	s.render(w, r, http.StatusOK, "finding", sess, "问题 "+id, v)
}

// itemFor names the rubric line a check feeds: an item, else a deduction.
func itemFor(cfg *config.Config, check string) (string, bool) {
	for _, it := range cfg.Rubric.Items {
		for _, ref := range it.Checks {
			if matchRef(ref, check) {
				return it.Category + "·" + it.Name, true
			}
		}
	}
	for _, d := range cfg.Rubric.Deductions {
		for _, ref := range d.Checks {
			if matchRef(ref, check) {
				return "减分·" + clip(d.Text, 20), true
			}
		}
	}
	return "", false
}

func matchRef(ref, id string) bool {
	if p, ok := strings.CutSuffix(ref, "*"); ok {
		return strings.HasPrefix(id, p)
	}
	return ref == id
}

// decide applies a reviewer's confirm, dismiss or reopen to a finding.
func (s *server) decide(w http.ResponseWriter, r *http.Request, sess *session) {
	id, action := r.PathValue("id"), r.PathValue("action")
	why := strings.TrimSpace(r.PostFormValue("why"))
	if !findingIDPattern.MatchString(id) {
		s.notFoundMsg(w, r, sess, "问题编号应为 12 位十六进制数字。")
		return
	}
	var e store.HistoryEntry
	err := s.do(func(db *store.DB) error {
		var err error
		switch action {
		case "confirm":
			e, err = db.Confirm(id, sess.user, why, s.now())
		case "dismiss":
			e, err = db.Dismiss(id, sess.user, why, s.now())
		case "reopen":
			e, err = db.Reopen(id, sess.user, why, s.now())
		default:
			return errUnknownAction
		}
		return err
	})
	switch {
	case errors.Is(err, errUnknownAction):
		s.notFound(w, r, sess)
		return
	case errors.Is(err, store.ErrReasonRequired):
		s.badRequest(w, r, sess, "请填写理由：驳回和重新打开都要说明原因（记入操作日志）。")
		return
	case errors.Is(err, store.ErrNotFound):
		s.notFoundMsg(w, r, sess, "问题 "+id+" 没有整改记录（只有在完整运行中不合格过的问题才能审核）。")
		return
	case errors.Is(err, store.ErrTransition):
		s.errorPage(w, r, sess, http.StatusConflict, "不能执行", map[string]string{
			"confirm": "只能确认待整改、已通知、已逾期的问题。",
			"dismiss": "只能驳回待整改、已通知、已逾期的问题。",
			"reopen":  "只能重新打开已驳回或已整改的问题。",
		}[action]+"该问题的状态可能已被他人改变，请刷新页面。")
		return
	case err != nil:
		s.serverError(w, r, sess, err)
		return
	}
	s.log.Info("decide", "user", sess.user, "finding", id, "action", action, "state", e.State)
	s.flash(sess, "问题 %s：已%s，当前状态：%s", id, map[string]string{"confirm": "确认", "dismiss": "驳回", "reopen": "重新打开"}[action], e.State.Label())
	http.Redirect(w, r, "/findings/"+id, http.StatusSeeOther)
}

var errUnknownAction = errors.New("unknown action")

// evidence sends the finding's WARC file, assembled as gkaudit evidence
// does it.
func (s *server) evidence(w http.ResponseWriter, r *http.Request, sess *session) {
	id := r.PathValue("id")
	if !findingIDPattern.MatchString(id) {
		s.notFoundMsg(w, r, sess, "问题编号应为 12 位十六进制数字。")
		return
	}
	name := id + ".warc.gz"
	var buf bytes.Buffer
	err := s.do(func(db *store.DB) error {
		run, f, err := db.FindingByID(id, r.URL.Query().Get("run"))
		if err != nil {
			return err
		}
		exp, err := rundata.Evidence(db, run, f, name, s.now())
		if err != nil {
			return err
		}
		_, err = evidence.Write(&buf, exp)
		return err
	})
	switch {
	case errors.Is(err, store.ErrCollected):
		s.notFoundMsg(w, r, sess, "问题 "+id+" 的页面所在的运行已被清理（gc），无法导出证据。")
		return
	case errors.Is(err, rundata.ErrPagesMissing):
		s.notFoundMsg(w, r, sess, "问题 "+id+" 的页面没有保存在该运行中，无法导出证据。")
		return
	case errors.Is(err, store.ErrNotFound):
		s.notFoundMsg(w, r, sess, "没有编号为 "+id+" 的问题。")
		return
	case err != nil:
		s.serverError(w, r, sess, err)
		return
	}
	s.log.Info("evidence", "user", sess.user, "finding", id)
	download(w, "application/warc", name, buf.Bytes())
}

// download sends data as an attachment: never shown in the app's origin.
func download(w http.ResponseWriter, ctype, name string, data []byte) {
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Disposition", fmt.Sprintf("attachment; filename*=UTF-8''%s", pathEscape(name)))
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Content-Length", fmt.Sprint(len(data)))
	w.Write(data)
}

// Content-Security-Policy of a stored page: a unique origin (sandbox) that
// runs no script, submits no form and loads nothing but data: and the
// app's own images; its styles and relative images do not load, and
// nothing is ever fetched from the site.
const storedCSP = "sandbox; default-src 'none'; img-src 'self' data:"

// storedPage serves a stored body as the crawler saw it (decoded to UTF-8),
// from its own path only, for the sandboxed frame of the finding page.
func (s *server) storedPage(w http.ResponseWriter, r *http.Request, sess *session) {
	s.serveBody(w, r, sess, "text/html; charset=utf-8")
}

// storedSource serves the same body as plain text: the page's source.
func (s *server) storedSource(w http.ResponseWriter, r *http.Request, sess *session) {
	s.serveBody(w, r, sess, "text/plain; charset=utf-8")
}

func (s *server) serveBody(w http.ResponseWriter, r *http.Request, sess *session, ctype string) {
	sha := r.PathValue("sha")
	if !shaPattern.MatchString(sha) {
		s.notFound(w, r, sess)
		return
	}
	var body []byte
	err := s.do(func(db *store.DB) error {
		var err error
		body, err = db.Body(sha)
		return err
	})
	switch {
	case errors.Is(err, store.ErrNotFound):
		s.notFoundMsg(w, r, sess, "数据库中没有这个页面。")
		return
	case err != nil:
		s.serverError(w, r, sess, err)
		return
	}
	h := w.Header()
	h.Set("Content-Security-Policy", storedCSP)
	h.Set("X-Frame-Options", "SAMEORIGIN")
	h.Set("Content-Type", ctype)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	// The body is immutable (named by its hash): caching it is safe.
	h.Set("Cache-Control", "private, max-age=86400, immutable")
	w.Write(body)
}
