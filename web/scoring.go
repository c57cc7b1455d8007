package web

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"gkaudit/rundata"
	"gkaudit/score"
	"gkaudit/store"
)

// scoreLine is one rubric line a reviewer may score on a unit.
type scoreLine struct {
	ID     string
	Kind   string // 评分项, 扣分项, 加分项
	Name   string
	Max    float64 // the most it awards or takes off
	Points float64 // now
	Source score.Source
	// Deduction: Points is what it takes off.
	Deduction bool
	Auto      string // what the checks gave a mixed item, "" if nothing
	Review    *score.Review
	Note      string
}

type scoringView struct {
	Run   store.Run
	Card  score.Card
	Lines []scoreLine
}

// scoreLines lists the lines of a card a reviewer scores: manual and mixed
// items, items no check could judge, manual deductions, bonuses, and any
// line scored before.
func scoreLines(c score.Card) []scoreLine {
	var out []scoreLine
	for _, it := range c.Items {
		if !itemEditable(it) {
			continue
		}
		l := scoreLine{ID: it.ID, Kind: "评分项", Name: it.Category + "·" + it.Name, Max: it.Max, Points: it.Points,
			Source: it.Source, Review: it.Review}
		if it.Judged > 0 {
			l.Auto = fmt.Sprintf("检查结果：%d 项检查中 %d 项通过", it.Judged, it.Passed)
		}
		out = append(out, l)
	}
	for _, d := range c.Deductions {
		if d.Mode != "manual" && d.Review == nil {
			continue
		}
		hi := d.Max
		if hi == 0 {
			hi = d.Points
		}
		out = append(out, scoreLine{ID: d.ID, Kind: "扣分项", Name: d.Text, Max: hi, Points: d.Deducted,
			Source: d.Source, Deduction: true, Review: d.Review})
	}
	for _, b := range c.Bonuses {
		out = append(out, scoreLine{ID: b.ID, Kind: "加分项", Name: b.Text, Max: b.Max, Points: b.Awarded,
			Source: b.Source, Review: b.Review})
	}
	// What still awaits a score first, each group in rubric order.
	slices.SortStableFunc(out, func(a, b scoreLine) int {
		return boolRank(a.Source != score.Pending) - boolRank(b.Source != score.Pending)
	})
	return out
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (s *server) scoring(w http.ResponseWriter, r *http.Request, sess *session) {
	var v scoringView
	found := true
	err := s.do(func(db *store.DB) error {
		d, i, err := s.latestUnit(db, r.PathValue("id"))
		if err != nil || i < 0 {
			found = err != nil
			return err
		}
		v = scoringView{Run: d.Run, Card: d.Cards[i], Lines: scoreLines(d.Cards[i])}
		return nil
	})
	switch {
	case errors.Is(err, errNoRuns) || !found:
		s.notFoundMsg(w, r, sess, "单位 "+r.PathValue("id")+" 不在最近一次运行中。")
		return
	case err != nil:
		s.serverError(w, r, sess, err)
		return
	}
	s.render(w, r, http.StatusOK, "scoring", sess, "人工评分 · "+v.Card.Name, v)
}

// latestUnit reads the shown run and the index of unit's card (-1: none).
func (s *server) latestUnit(db *store.DB, unit string) (rundata.Data, int, error) {
	run, err := shownRun(db, "")
	if err != nil {
		return rundata.Data{}, 0, err
	}
	d, err := rundata.Read(db, run.ID, s.cfg)
	if err != nil {
		return rundata.Data{}, 0, err
	}
	for i, c := range d.Cards {
		if c.Unit == unit {
			return d, i, nil
		}
	}
	return d, -1, nil
}

// saveScore records a reviewer's score of one line (store.AddReview, which
// also writes the audit-log event) and shows the unit's new total.
func (s *server) saveScore(w http.ResponseWriter, r *http.Request, sess *session) {
	unit := r.PathValue("id")
	item := r.PostFormValue("item")
	why := strings.TrimSpace(r.PostFormValue("why"))
	raw := strings.TrimSpace(r.PostFormValue("points"))
	points, perr := strconv.ParseFloat(raw, 64)
	var before, after score.Card
	var line scoreLine
	var problem string
	err := s.do(func(db *store.DB) error {
		d, i, err := s.latestUnit(db, unit)
		if err != nil {
			return err
		}
		if i < 0 {
			problem = "单位 " + unit + " 不在最近一次运行中。"
			return nil
		}
		before = d.Cards[i]
		var ok bool
		for _, l := range scoreLines(before) {
			if l.ID == item {
				line, ok = l, true
			}
		}
		switch {
		case !ok:
			problem = "评分项 " + item + " 不能人工评分：自动评分项请通过驳回或确认问题来调整。"
		case perr != nil || math.IsNaN(points) || math.IsInf(points, 0):
			problem = fmt.Sprintf("分值“%s”不是数字。", raw)
		case points < 0 || points > line.Max:
			problem = fmt.Sprintf("%s 的分值应在 0 到 %s 之间。", line.Name, fmtPoints(line.Max))
		case math.Mod(points*2, 1) != 0:
			problem = "分值以 0.5 分为单位。"
		case why == "":
			problem = "请填写评分说明（记入操作日志）。"
		}
		if problem != "" {
			return nil
		}
		if _, err := db.AddReview(store.Review{Unit: unit, Item: item, Points: points, By: sess.user, At: s.now(), Why: why}); err != nil {
			return err
		}
		d, i, err = s.latestUnit(db, unit)
		if err != nil {
			return err
		}
		after = d.Cards[i]
		return nil
	})
	switch {
	case err != nil:
		s.serverError(w, r, sess, err)
		return
	case problem != "":
		s.badRequest(w, r, sess, problem)
		return
	}
	s.log.Info("score", "user", sess.user, "unit", unit, "item", item, "points", points)
	verb := "评"
	if line.Deduction {
		verb = "扣"
	}
	s.flash(sess, "已保存：%s %s %s 分。总分 %s → %s（客观分 %s，人工评分 %s，待评 %d 项）",
		clip(line.Name, 24), verb, fmtPoints(points), fmtPoints(before.Total), fmtPoints(after.Total),
		fmtPoints(after.Objective), fmtPoints(after.Reviewed), len(after.Pending))
	http.Redirect(w, r, "/units/"+unit+"/score#line-"+item, http.StatusSeeOther)
}
