// Package notice drafts the audit office's 整改通知 (rectification notices)
// and 催办通知 (follow-ups) from a run's findings and their lifecycle, and
// renders them as HTML for A4 print. It decides what a notice lists; the
// store records an issued notice and moves its findings on.
package notice

import (
	"fmt"
	"slices"
	"time"

	"gkaudit/checks"
	"gkaudit/config"
	"gkaudit/score"
	"gkaudit/store"
)

// Kinds, as the store names them.
const (
	Rectification = store.NoticeRectification
	FollowUp      = store.NoticeFollowUp
)

// Doc is one notice as printed.
type Doc struct {
	Kind     string
	Draft    bool   // not issued: marked 草稿, numbered by nobody
	Number   string // 文号, "" for a draft
	Issuer   string // 发文机关
	Title    string
	District string
	UnitID   string
	UnitName string // 主送
	Site     string // the unit's disclosure column
	Date     time.Time
	AsOf     time.Time // the monitoring date of the run
	RunID    string
	Year     int // the assessment year
	// Deadline is the latest deadline of the problems (rectification).
	Deadline     time.Time
	DeadlineDays int // working days allowed (the most common one)
	Summary      []SummaryLine
	Veto         []string
	Problems     []Problem
	Contact      string
	CC           []string
	// CalendarNote says when a deadline fell in a year the working-day
	// calendar has no data for.
	CalendarNote string
}

// SummaryLine counts the problems under one rubric item.
type SummaryLine struct {
	Item  string // 考核指标, e.g. 主动公开·组织机构
	Count int
}

// Problem is one numbered problem of a notice.
type Problem struct {
	No        int
	ID        string // finding id
	Check     string
	Item      string // rubric item
	Detail    string
	URL       string
	Rule      string
	FirstSeen time.Time
	SHA256    string
	Deadline  time.Time
	// For follow-ups: the notice that set the deadline, and when.
	Notice     string
	NotifiedAt time.Time
}

// IDs returns the finding ids the notice lists.
func (d Doc) IDs() []string {
	ids := make([]string, len(d.Problems))
	for i, p := range d.Problems {
		ids[i] = p.ID
	}
	return ids
}

// Deadlines returns each listed finding's deadline, by id.
func (d Doc) Deadlines() map[string]time.Time {
	m := make(map[string]time.Time, len(d.Problems))
	for _, p := range d.Problems {
		m[p.ID] = p.Deadline
	}
	return m
}

// Input is what notices are drafted from.
type Input struct {
	Config   *config.Config
	Run      store.Run
	Units    []config.Unit
	Findings []checks.Finding
	Entries  map[string]store.HistoryEntry // by finding id
	Date     time.Time                     // the notices' date
	// AsOf maps run ids to their as-of dates, so that a problem is "first
	// seen" on the monitoring date of the run that first found it.
	AsOf map[string]string
}

// Plan drafts the notices due for each unit, in unit order: a rectification
// notice listing the run's failing findings still open (never notified, or
// reopened), and a follow-up listing the overdue ones. Dismissed, notified
// and fixed findings are not listed; a unit with nothing to list gets no
// notice. The docs come back as drafts.
func Plan(in Input) []Doc {
	byUnit := map[string][]checks.Finding{}
	seen := map[string]bool{}
	for _, f := range in.Findings {
		if f.Status != checks.Fail || f.ID == "" || seen[f.ID] {
			continue
		}
		seen[f.ID] = true
		if in.Entries[f.ID].State == store.StateDismissed {
			continue // never listed, never counted
		}
		byUnit[f.Unit] = append(byUnit[f.Unit], f)
	}
	var docs []Doc
	for _, u := range in.Units {
		var open, overdue []checks.Finding
		for _, f := range byUnit[u.ID] {
			switch in.Entries[f.ID].State {
			case store.StateOpen:
				open = append(open, f)
			case store.StateOverdue:
				overdue = append(overdue, f)
			}
		}
		if len(open) > 0 {
			docs = append(docs, draft(in, u, Rectification, open, byUnit[u.ID]))
		}
		if len(overdue) > 0 {
			docs = append(docs, draft(in, u, FollowUp, overdue, nil))
		}
	}
	return docs
}

// draft builds one notice listing fs; all is every failing finding of the
// unit, for the veto summary.
func draft(in Input, u config.Unit, kind string, fs []checks.Finding, all []checks.Finding) Doc {
	cfg := in.Config
	asOf, _ := time.Parse(time.DateOnly, in.Run.AsOf)
	d := Doc{Kind: kind, Draft: true, Issuer: cfg.Notice.Issuer, District: cfg.District, UnitID: u.ID, UnitName: u.Name,
		Site: u.URL, Date: in.Date, AsOf: asOf, RunID: in.Run.ID, Year: cfg.Year, Contact: cfg.Notice.Contact, CC: cfg.Notice.CC}
	switch kind {
	case Rectification:
		d.Title = "关于" + u.Name + "网站政务公开问题的整改通知"
	default:
		d.Title = "关于督促" + u.Name + "限期整改网站政务公开问题的催办通知"
	}
	cal := cfg.Calendar()
	counts := map[string]int{}
	var items []string
	days := map[int]int{}
	for _, f := range fs {
		e := in.Entries[f.ID]
		first := e.FirstSeen.At
		if d, err := time.Parse(time.DateOnly, in.AsOf[e.FirstSeen.Run]); err == nil {
			first = d
		}
		p := Problem{ID: f.ID, Check: f.Check, Detail: f.Detail, URL: f.URL, Rule: f.Rule, FirstSeen: first,
			SHA256: f.Evidence.SHA256, Notice: e.Notice, NotifiedAt: e.NotifiedAt}
		if it, ok := score.ItemFor(&cfg.Rubric, f.Check); ok {
			p.Item = it.Category + "·" + it.Name
		} else {
			p.Item = "其他"
		}
		if kind == Rectification {
			n := cfg.DeadlineWorkdays(f.Check)
			days[n]++
			p.Deadline = cal.AddWorkdays(in.Date, n)
			if missing := cal.Missing(in.Date, p.Deadline); len(missing) > 0 && d.CalendarNote == "" {
				d.CalendarNote = fmt.Sprintf("%v 年缺少节假日数据，整改期限按周末计算", missing)
			}
			if p.Deadline.After(d.Deadline) {
				d.Deadline = p.Deadline
			}
		} else {
			p.Deadline = e.Deadline
		}
		if counts[p.Item] == 0 {
			items = append(items, p.Item)
		}
		counts[p.Item]++
		d.Problems = append(d.Problems, p)
	}
	// Problems in rubric order, so the summary and the list read alike.
	order := map[string]int{}
	for i, it := range cfg.Rubric.Items {
		order[it.Category+"·"+it.Name] = i + 1
	}
	rank := func(item string) int {
		if o, ok := order[item]; ok {
			return o
		}
		return len(order) + 1
	}
	slices.SortStableFunc(d.Problems, func(a, b Problem) int { return rank(a.Item) - rank(b.Item) })
	slices.SortStableFunc(items, func(a, b string) int { return rank(a) - rank(b) })
	for i := range d.Problems {
		d.Problems[i].No = i + 1
	}
	for _, it := range items {
		d.Summary = append(d.Summary, SummaryLine{Item: it, Count: counts[it]})
	}
	for n, c := range days {
		if c > days[d.DeadlineDays] || c == days[d.DeadlineDays] && n < d.DeadlineDays {
			d.DeadlineDays = n
		}
	}
	for _, r := range score.VetoRisks(score.VetoRulesOf(cfg), u.ID, all) {
		d.Veto = append(d.Veto, r.Summary())
	}
	return d
}
