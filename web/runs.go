package web

import (
	"encoding/json"
	"net/http"
	"slices"
	"time"

	"gkaudit/cndate"
	"gkaudit/store"
)

type runRow struct {
	store.Run
	State string // 完整, 中断, 进行中
}

type runsView struct {
	Rows []runRow
	runnerInfo
	Names map[string]string // unit names, for the units being crawled
}

func (s *server) runs(w http.ResponseWriter, r *http.Request, sess *session) {
	v := runsView{runnerInfo: s.runnerView(), Names: map[string]string{}}
	for _, u := range s.cfg.Units {
		v.Names[u.ID] = u.Name
	}
	err := s.do(func(db *store.DB) error {
		runs, err := db.Runs()
		if err != nil {
			return err
		}
		slices.Reverse(runs)
		for _, run := range runs {
			row := runRow{Run: run, State: "完整"}
			switch {
			case run.Complete:
			case v.HasRunner && v.Status.Running && v.Status.RunID == run.ID:
				row.State = "进行中"
			default:
				row.State = "中断"
			}
			v.Rows = append(v.Rows, row)
		}
		return nil
	})
	if err != nil {
		s.serverError(w, r, sess, err)
		return
	}
	s.render(w, r, http.StatusOK, "runs", sess, "运行记录", v)
}

// statusJSON is the runner's progress as the runs page polls it.
type statusJSON struct {
	Running     bool     `json:"running"`
	Run         string   `json:"run"`
	Started     string   `json:"started"`
	UnitsDone   int      `json:"units_done"`
	UnitsTotal  int      `json:"units_total"`
	Pages       int      `json:"pages"`
	Current     []string `json:"current"`
	LastRun     string   `json:"last_run"`
	LastOutcome string   `json:"last_outcome"`
	Next        string   `json:"next"`
}

func (s *server) runStatus(w http.ResponseWriter, r *http.Request, sess *session) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if s.runner == nil {
		w.Write([]byte(`{"running":false,"runner":false}`))
		return
	}
	st := s.runner.Status()
	out := statusJSON{Running: st.Running, Run: st.RunID, UnitsDone: st.UnitsDone, UnitsTotal: st.UnitsTotal,
		Pages: st.Pages, Current: []string{}, LastRun: st.LastRun, LastOutcome: st.LastOutcome}
	name := map[string]string{}
	for _, u := range s.cfg.Units {
		name[u.ID] = u.Name
	}
	for _, id := range st.Current {
		if n := name[id]; n != "" {
			id = n
		}
		out.Current = append(out.Current, id)
	}
	if !st.Started.IsZero() {
		out.Started = st.Started.In(cndate.Shanghai).Format("2006-01-02 15:04")
	}
	if !st.Next.IsZero() {
		out.Next = st.Next.In(cndate.Shanghai).Format("2006-01-02 15:04")
	}
	json.NewEncoder(w).Encode(out)
}

func (s *server) runNow(w http.ResponseWriter, r *http.Request, sess *session) {
	if s.runner == nil {
		s.errorPage(w, r, sess, http.StatusConflict, "不能运行", "本进程不运行检查：请用 gkaudit audit 或 gkaudit serve。")
		return
	}
	if err := s.runner.RunNow(); err != nil {
		s.log.Warn("run now", "user", sess.user, "err", err)
		s.flash(sess, "未能开始运行：%v", err)
	} else {
		s.log.Info("run now", "user", sess.user)
		s.flash(sess, "已开始运行（%s 由 %s 发起）。", s.now().In(cndate.Shanghai).Format(time.TimeOnly), sess.user)
	}
	http.Redirect(w, r, "/runs", http.StatusSeeOther)
}
