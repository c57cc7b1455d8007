package web

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"gkaudit/config"
	"gkaudit/notice"
	"gkaudit/report"
	"gkaudit/rundata"
	"gkaudit/sheet"
	"gkaudit/store"
)

type noticesView struct {
	Run    store.Run
	Drafts []notice.Doc
	Issued []store.Notice
	Names  map[string]string
	Date   string
	// Incomplete is set when the newest run is not complete: notices go
	// out only on complete runs.
	Incomplete bool
}

// noticeRun reads the run notices are drafted from: the newest complete
// one.
func (s *server) noticeRun(db *store.DB) (rundata.Data, error) {
	run, err := db.LatestComplete("")
	if errors.Is(err, store.ErrNotFound) {
		return rundata.Data{}, errNoRuns
	}
	if err != nil {
		return rundata.Data{}, err
	}
	return rundata.Read(db, run.ID, s.cfg)
}

func (s *server) notices(w http.ResponseWriter, r *http.Request, sess *session) {
	v := noticesView{Names: map[string]string{}, Date: s.today().Format("2006-01-02")}
	err := s.do(func(db *store.DB) error {
		d, err := s.noticeRun(db)
		if err != nil {
			return err
		}
		v.Run = d.Run
		for _, u := range d.Units {
			v.Names[u.ID] = u.Name
		}
		if v.Drafts, err = rundata.Notices(db, d, s.cfg, d.Units, s.today(), false, sess.user); err != nil {
			return err
		}
		if v.Issued, err = db.Notices(""); err != nil {
			return err
		}
		slices.Reverse(v.Issued)
		return nil
	})
	switch {
	case errors.Is(err, errNoRuns):
		s.render(w, r, http.StatusOK, "notices", sess, "通知与导出", v)
		return
	case err != nil:
		s.serverError(w, r, sess, err)
		return
	}
	s.render(w, r, http.StatusOK, "notices", sess, "通知与导出", v)
}

// draftDoc plans the draft of kind for unit on today's date.
func (s *server) draftDoc(db *store.DB, unit, kind, by string) (notice.Doc, bool, error) {
	d, err := s.noticeRun(db)
	if err != nil {
		return notice.Doc{}, false, err
	}
	var units []config.Unit
	for _, u := range d.Units {
		if u.ID == unit {
			units = append(units, u)
		}
	}
	docs, err := rundata.Notices(db, d, s.cfg, units, s.today(), false, by)
	if err != nil {
		return notice.Doc{}, false, err
	}
	for _, doc := range docs {
		if doc.Kind == kind {
			return doc, true, nil
		}
	}
	return notice.Doc{}, false, nil
}

type previewView struct {
	Doc    notice.Doc
	DocURL string
	Issued *store.Notice
}

// noticePreview is the app page around a draft: what it lists, the notice
// in a sandboxed frame, the issue button.
func (s *server) noticePreview(w http.ResponseWriter, r *http.Request, sess *session) {
	unit, kind := r.PathValue("unit"), r.PathValue("kind")
	var v previewView
	var ok bool
	err := s.do(func(db *store.DB) error {
		var err error
		v.Doc, ok, err = s.draftDoc(db, unit, kind, sess.user)
		return err
	})
	switch {
	case err != nil && !errors.Is(err, errNoRuns):
		s.serverError(w, r, sess, err)
		return
	case !ok:
		s.notFoundMsg(w, r, sess, "单位 "+unit+" 目前没有需要发出的"+map[bool]string{true: "催办通知", false: "整改通知"}[kind == notice.FollowUp]+"。")
		return
	}
	v.DocURL = "/notices/draft/" + url.PathEscape(unit) + "/" + url.PathEscape(kind) + "/doc"
	s.render(w, r, http.StatusOK, "notice", sess, v.Doc.Title, v)
}

// noticeDoc sends a rendered notice for a sandboxed frame (or, with
// ?download=1, as a file to print).
func (s *server) noticeDoc(w http.ResponseWriter, r *http.Request, doc notice.Doc) {
	var buf bytes.Buffer
	if err := notice.Render(&buf, doc); err != nil {
		s.serverError(w, r, nil, err)
		return
	}
	h := w.Header()
	if r.URL.Query().Get("download") != "" {
		name := doc.UnitID + "-" + map[bool]string{true: "催办通知", false: "整改通知"}[doc.Kind == notice.FollowUp]
		if doc.Draft {
			name += "-草稿"
		} else {
			name += "-" + strings.NewReplacer("/", "_", " ", "_").Replace(doc.Number)
		}
		download(w, "text/html; charset=utf-8", name+".html", buf.Bytes())
		return
	}
	// Our own escaped HTML, with its print stylesheet inline: styles may
	// apply, nothing else runs or loads; only the app may frame it.
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'")
	h.Set("X-Frame-Options", "SAMEORIGIN")
	h.Set("Content-Type", "text/html; charset=utf-8")
	w.Write(buf.Bytes())
}

func (s *server) noticeDraftDoc(w http.ResponseWriter, r *http.Request, sess *session) {
	var doc notice.Doc
	var ok bool
	err := s.do(func(db *store.DB) error {
		var err error
		doc, ok, err = s.draftDoc(db, r.PathValue("unit"), r.PathValue("kind"), sess.user)
		return err
	})
	switch {
	case err != nil && !errors.Is(err, errNoRuns):
		s.serverError(w, r, sess, err)
		return
	case !ok:
		s.notFoundMsg(w, r, sess, "没有这份草稿。")
		return
	}
	s.noticeDoc(w, r, doc)
}

// issuedNotice reads notice id and rebuilds its document.
func (s *server) issuedNotice(db *store.DB, id string) (store.Notice, notice.Doc, error) {
	ns, err := db.Notices("")
	if err != nil {
		return store.Notice{}, notice.Doc{}, err
	}
	for _, n := range ns {
		if n.ID == id {
			doc, err := rundata.Issued(db, s.cfg, n)
			return n, doc, err
		}
	}
	return store.Notice{}, notice.Doc{}, fmt.Errorf("notice %s: %w", id, store.ErrNotFound)
}

func (s *server) noticeIssued(w http.ResponseWriter, r *http.Request, sess *session) {
	id := r.PathValue("id")
	var v previewView
	err := s.do(func(db *store.DB) error {
		n, doc, err := s.issuedNotice(db, id)
		v.Issued, v.Doc = &n, doc
		return err
	})
	switch {
	case errors.Is(err, store.ErrNotFound):
		s.notFoundMsg(w, r, sess, "没有这份通知，或它依据的运行已被清理（gc），无法重新生成。")
		return
	case err != nil:
		s.serverError(w, r, sess, err)
		return
	}
	v.DocURL = "/notices/issued/" + url.PathEscape(id) + "/doc"
	s.render(w, r, http.StatusOK, "notice", sess, v.Doc.Title, v)
}

func (s *server) noticeIssuedDoc(w http.ResponseWriter, r *http.Request, sess *session) {
	var doc notice.Doc
	err := s.do(func(db *store.DB) error {
		var err error
		_, doc, err = s.issuedNotice(db, r.PathValue("id"))
		return err
	})
	switch {
	case errors.Is(err, store.ErrNotFound):
		s.notFoundMsg(w, r, sess, "没有这份通知。")
		return
	case err != nil:
		s.serverError(w, r, sess, err)
		return
	}
	s.noticeDoc(w, r, doc)
}

// issueNotices issues the due notices of one unit (unit=ID) or of every
// unit (unit=all): 文号, findings notified with deadlines, audit-log events.
func (s *server) issueNotices(w http.ResponseWriter, r *http.Request, sess *session) {
	unit := r.PostFormValue("unit")
	var issued []notice.Doc
	var known bool
	err := s.do(func(db *store.DB) error {
		d, err := s.noticeRun(db)
		if err != nil {
			return err
		}
		units := d.Units
		if unit != "all" {
			units = nil
			for _, u := range d.Units {
				if u.ID == unit {
					units = append(units, u)
				}
			}
		}
		known = len(units) > 0
		if !known {
			return nil
		}
		issued, err = rundata.Notices(db, d, s.cfg, units, s.today(), true, sess.user)
		return err
	})
	switch {
	case errors.Is(err, errNoRuns):
		s.badRequest(w, r, sess, "没有完整的运行，不能发通知。")
		return
	case err != nil:
		s.serverError(w, r, sess, err)
		return
	case !known:
		s.badRequest(w, r, sess, "单位 "+unit+" 不在最近一次完整运行中。")
		return
	}
	var nums []string
	for _, d := range issued {
		nums = append(nums, d.UnitName+" "+d.Number)
	}
	s.log.Info("issue notices", "user", sess.user, "unit", unit, "count", len(issued))
	if len(issued) == 0 {
		s.flash(sess, "没有需要印发的通知（问题已通知、已整改或已驳回）。")
	} else {
		s.flash(sess, "已印发 %d 份通知，问题已转为已通知：%s", len(issued), strings.Join(nums, "；"))
	}
	http.Redirect(w, r, "/notices", http.StatusSeeOther)
}

// exportSheet sends the score sheet of the shown run.
func (s *server) exportSheet(w http.ResponseWriter, r *http.Request, sess *session) {
	var buf bytes.Buffer
	var run store.Run
	err := s.do(func(db *store.DB) error {
		var err error
		if run, err = shownRun(db, r.URL.Query().Get("run")); err != nil {
			return err
		}
		sd, err := rundata.Sheet(db, run.ID, s.cfg)
		if err != nil {
			return err
		}
		return sheet.Write(&buf, sd)
	})
	if s.exportFailed(w, r, sess, err) {
		return
	}
	download(w, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "score-"+run.ID+".xlsx", buf.Bytes())
}

// exportReport sends the district report of the shown run.
func (s *server) exportReport(w http.ResponseWriter, r *http.Request, sess *session) {
	var buf bytes.Buffer
	var run store.Run
	err := s.do(func(db *store.DB) error {
		var err error
		if run, err = shownRun(db, r.URL.Query().Get("run")); err != nil {
			return err
		}
		rd, err := rundata.Report(db, run.ID, s.cfg, trendRuns)
		if err != nil {
			return err
		}
		return report.Render(&buf, rd)
	})
	if s.exportFailed(w, r, sess, err) {
		return
	}
	download(w, "text/html; charset=utf-8", "report-"+run.ID+".html", buf.Bytes())
}

func (s *server) exportFailed(w http.ResponseWriter, r *http.Request, sess *session, err error) bool {
	switch {
	case err == nil:
		return false
	case errors.Is(err, errNoRuns):
		s.notFoundMsg(w, r, sess, "数据库中还没有运行记录。")
	case errors.Is(err, store.ErrNotFound):
		s.notFoundMsg(w, r, sess, "没有这次运行。")
	default:
		s.serverError(w, r, sess, err)
	}
	return true
}

func pathEscape(s string) string { return url.PathEscape(s) }
