package checks

import (
	"time"

	"gkaudit/cndate"
)

// Status is the outcome of one check on one subject.
type Status string

// Statuses. A check that cannot decide says NA (it could not look) or Error
// (it looked and could not parse), always with a reason: never a silent pass.
const (
	Pass  Status = "pass"
	Fail  Status = "fail"
	NA    Status = "na"
	Error Status = "error"
)

// Finding is one check's verdict on one subject of one unit.
type Finding struct {
	// ID is the finding's stable id across runs (store.FindingID of its
	// unit, check and subject); the store sets it when it reads findings.
	ID    string `json:"id,omitempty"`
	Unit  string `json:"unit"`  // unit id
	Check string `json:"check"` // check ID
	// Subject identifies what was judged within the unit (a URL, a column kind);
	// with Unit and Check it is the finding's identity across runs.
	Subject string `json:"subject"`
	// Kind is the kind of the subject where the rule knows it: for a
	// column finding the column kind (news, notice, policy ...), which the
	// 单项否决 summary counts by.
	Kind   string `json:"kind,omitempty"`
	Status Status `json:"status"`
	URL    string `json:"url"`    // where the problem is, or where the check looked first
	Detail string `json:"detail"` // what is missing or wrong, in the unit editor's terms
	Rule   string `json:"rule"`   // the rule enforced, e.g. 条例第二十条（二）
	// Looked lists the URLs the check examined.
	Looked   []string `json:"looked,omitempty"`
	Evidence Evidence `json:"evidence"`
}

// Evidence is what the crawler saw: enough for a reviewer to find the stored
// page and verify it.
type Evidence struct {
	URL        string    `json:"url"`
	FetchedAt  time.Time `json:"fetched_at"`
	HTTPStatus int       `json:"http_status"`
	SHA256     string    `json:"sha256"`
	Excerpt    string    `json:"excerpt,omitempty"`
	// ErrorRaw is the fetch error as Go reported it, when the page did not
	// open; the detail words it as a Chinese cause.
	ErrorRaw string `json:"error_raw,omitempty"`
	// ReusedFrom is the run whose checks judged the finding, when this run
	// found every page of the unit unchanged and reused that judgement
	// instead of checking again (audit/reuse.go); FetchedAt is then when
	// this run confirmed the page unchanged. Empty when this run judged it.
	ReusedFrom string `json:"reused_from,omitempty"`
}

// ReusedNote words Evidence.ReusedFrom for a reviewer: that the finding is
// an earlier run's judgement of pages this run confirmed unchanged. Empty
// when the finding was judged by its own run.
func (e Evidence) ReusedNote() string {
	if e.ReusedFrom == "" {
		return ""
	}
	note := "本次复核页面未变化，沿用运行 " + e.ReusedFrom + " 的检查结果"
	if !e.FetchedAt.IsZero() {
		note += "（页面于 " + e.FetchedAt.In(cndate.Shanghai).Format("2006-01-02 15:04") + " 确认未变）"
	}
	return note
}
