package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"gkaudit/cndate"
	"gkaudit/config"
	"gkaudit/store"
)

// eventsPage is how many events one page of the log shows.
const eventsPage = 200

// actions are the log's actions in the order the filter lists them.
var actions = []string{store.ActionDetect, store.ActionReopen, store.ActionFix, store.ActionOverdue, store.ActionNotify,
	store.ActionFollowUp, store.ActionConfirm, store.ActionDismiss, store.ActionScore, store.ActionAccount, store.ActionMigrate}

type option struct{ Value, Label string }

type eventRow struct {
	store.Event
	UnitName string
	Line     string // the rubric line of a score event
}

type eventsView struct {
	Rows                  []eventRow
	Total                 int
	Page, Pages           int
	PrevURL, NextURL      string
	Unit, By, Action      string
	From, To              string
	Units, Users, Actions []option
	Bad                   string // a filter that could not be read
}

func (s *server) events(w http.ResponseWriter, r *http.Request, sess *session) {
	q := r.URL.Query()
	v := eventsView{Unit: q.Get("unit"), By: q.Get("by"), Action: q.Get("action"), From: q.Get("from"), To: q.Get("to")}
	f := store.EventFilter{Unit: v.Unit, By: v.By, Action: v.Action}
	var until time.Time
	if v.From != "" {
		t, err := time.ParseInLocation(time.DateOnly, v.From, cndate.Shanghai)
		if err != nil {
			v.Bad = "起始日期应为 YYYY-MM-DD。"
		}
		f.Since = t
	}
	if v.To != "" {
		t, err := time.ParseInLocation(time.DateOnly, v.To, cndate.Shanghai)
		if err != nil {
			v.Bad = "截止日期应为 YYYY-MM-DD。"
		}
		until = t.AddDate(0, 0, 1)
	}
	v.Page, _ = strconv.Atoi(q.Get("page"))
	v.Page = max(v.Page, 1)
	names := map[string]string{}
	for _, u := range s.cfg.Units {
		names[u.ID] = u.Name
		v.Units = append(v.Units, option{u.ID, u.Name})
	}
	for _, a := range actions {
		v.Actions = append(v.Actions, option{a, store.Event{Action: a}.ActionLabel()})
	}
	err := s.do(func(db *store.DB) error {
		evs, err := db.Events(f)
		if err != nil {
			return err
		}
		// Who appears in the log, for the filter (the whole log, not the
		// filtered part, so the filter can be widened again).
		all := evs
		if f != (store.EventFilter{}) {
			if all, err = db.Events(store.EventFilter{}); err != nil {
				return err
			}
		}
		seen := map[string]bool{}
		for _, ev := range all {
			if !seen[ev.By] {
				seen[ev.By] = true
				v.Users = append(v.Users, option{ev.By, ev.ByLabel()})
			}
		}
		if !until.IsZero() {
			evs = slices.DeleteFunc(evs, func(ev store.Event) bool { return !ev.At.Before(until) })
		}
		slices.Reverse(evs)
		v.Total = len(evs)
		v.Pages = max(1, (len(evs)+eventsPage-1)/eventsPage)
		v.Page = min(v.Page, v.Pages)
		lo := (v.Page - 1) * eventsPage
		for _, ev := range evs[lo:min(len(evs), lo+eventsPage)] {
			row := eventRow{Event: ev, UnitName: names[ev.Unit]}
			if ev.Action == store.ActionScore {
				row.Line = lineName(s.cfg, ev.Subject)
			}
			v.Rows = append(v.Rows, row)
		}
		return nil
	})
	if err != nil {
		s.serverError(w, r, sess, err)
		return
	}
	slices.SortFunc(v.Users, func(a, b option) int {
		switch {
		case a.Value == store.SystemUser:
			return -1
		case b.Value == store.SystemUser:
			return 1
		case a.Value < b.Value:
			return -1
		case a.Value > b.Value:
			return 1
		}
		return 0
	})
	page := func(n int) string {
		q := url.Values{}
		for k, val := range map[string]string{"unit": v.Unit, "by": v.By, "action": v.Action, "from": v.From, "to": v.To} {
			if val != "" {
				q.Set(k, val)
			}
		}
		q.Set("page", strconv.Itoa(n))
		return "/events?" + q.Encode()
	}
	if v.Page > 1 {
		v.PrevURL = page(v.Page - 1)
	}
	if v.Page < v.Pages {
		v.NextURL = page(v.Page + 1)
	}
	s.render(w, r, http.StatusOK, "events", sess, "操作日志", v)
}

// lineName names a rubric line (item, deduction or bonus) by its id.
func lineName(cfg *config.Config, id string) string {
	for _, it := range cfg.Rubric.Items {
		if it.ID == id {
			return it.Category + "·" + it.Name
		}
	}
	for _, d := range cfg.Rubric.Deductions {
		if d.ID == id {
			return "减分·" + clip(d.Text, 16)
		}
	}
	for _, b := range cfg.Rubric.Bonuses {
		if b.ID == id {
			return "加分·" + clip(b.Text, 16)
		}
	}
	return id
}
