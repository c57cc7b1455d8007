package score

import (
	"time"

	"gkaudit/checks"
)

// Source says where an awarded number came from.
type Source string

// Sources.
const (
	// Auto: computed from the findings of the checks the rubric lists.
	Auto Source = "auto"
	// Manual: set by a reviewer (a Review).
	Manual Source = "manual"
	// Pending: not scored yet (a manual line without a review, or an auto
	// line none of whose checks could judge the unit); it awards 0.
	Pending Source = "pending"
)

// Absent is the status of a check that reported no finding for the unit (not
// run, not implemented yet, or nothing to judge).
const Absent = "absent"

// Card is one unit's scorecard under the rubric.
type Card struct {
	Unit string `json:"unit"` // unit id
	Name string `json:"name"`
	Kind string `json:"kind"`
	// Rank is the unit's place by Objective, 1 the highest; equal
	// subtotals share a rank (1, 2, 2, 4).
	Rank int `json:"rank"`
	// Objective is the objective subtotal: the points of the items scored
	// automatically minus the automatic deductions.
	Objective float64 `json:"objective"`
	// AutoMax is the sum of the maximum points of the auto and mixed items,
	// the most Objective can be.
	AutoMax float64 `json:"auto_max"`
	// AutoPoints is the points of the items scored automatically, before
	// deductions; Deducted is the automatic deductions (a positive number).
	AutoPoints float64 `json:"auto_points"`
	Deducted   float64 `json:"deducted"`
	// Reviewed is what reviewers set: manual item points plus bonuses minus
	// manual deductions. Total is Objective + Reviewed; it is final only
	// when Pending is empty.
	Reviewed   float64          `json:"reviewed"`
	Total      float64          `json:"total"`
	Items      []ItemScore      `json:"items"`
	Deductions []DeductionScore `json:"deductions"`
	Bonuses    []BonusScore     `json:"bonuses"`
	// Pending lists the rubric lines not scored yet, in rubric order:
	// items, then deductions, then bonuses.
	Pending []PendingLine `json:"pending"`
	// Veto lists the 单项否决 lines the unit's failing findings reach.
	Veto []VetoRisk `json:"veto"`
}

// ItemScore is one rubric item (二级指标) of a card.
type ItemScore struct {
	ID       string  `json:"id"`
	Category string  `json:"category"` // 一级指标
	Name     string  `json:"name"`     // 二级指标
	Mode     string  `json:"mode"`     // the rubric's mode: auto, manual or mixed
	Max      float64 `json:"max"`
	Points   float64 `json:"points"` // awarded
	Source   Source  `json:"source"`
	// Passed and Judged count the feeding checks that passed and that could
	// judge the unit (pass or fail); Points = Max × Passed / Judged.
	Passed   int           `json:"passed"`
	Judged   int           `json:"judged"`
	Checks   []CheckResult `json:"checks,omitempty"`
	Findings []FindingRef  `json:"findings,omitempty"`
	Note     string        `json:"note,omitempty"`
	Review   *Review       `json:"review,omitempty"`
}

// DeductionScore is one 减分标准 line of a card.
type DeductionScore struct {
	ID     string  `json:"id"`
	Text   string  `json:"text"`
	Mode   string  `json:"mode"`
	Points float64 `json:"points"` // per occurrence
	Max    float64 `json:"max,omitempty"`
	Once   bool    `json:"once,omitempty"`
	// Count is the occurrences found (failing findings); Deducted the points
	// taken off (positive), after once and max.
	Count    int           `json:"count"`
	Deducted float64       `json:"deducted"`
	Source   Source        `json:"source"`
	Checks   []CheckResult `json:"checks,omitempty"`
	Findings []FindingRef  `json:"findings,omitempty"`
	Note     string        `json:"note,omitempty"`
	Review   *Review       `json:"review,omitempty"`
}

// BonusScore is one 加分标准 line of a card.
type BonusScore struct {
	ID      string  `json:"id"`
	Text    string  `json:"text"`
	Max     float64 `json:"max"`
	Awarded float64 `json:"awarded"`
	Source  Source  `json:"source"`
	Note    string  `json:"note,omitempty"`
	Review  *Review `json:"review,omitempty"`
}

// PendingLine is a rubric line that still awaits a score.
type PendingLine struct {
	Kind   string  `json:"kind"` // item, deduction or bonus
	ID     string  `json:"id"`
	Name   string  `json:"name"`
	Points float64 `json:"points"` // the most it can add or take off
	Why    string  `json:"why"`
}

// CheckResult is one feeding check's verdict on the unit: pass, fail, na,
// error, or Absent.
type CheckResult struct {
	ID     string `json:"id"`
	Status string `json:"status"`
	// Reason is the detail of a na or error finding (why it could not judge).
	Reason string `json:"reason,omitempty"`
}

// FindingRef is the part of a finding a scorecard shows; the full finding
// (rule, evidence) is in the store under the same unit, check and subject.
type FindingRef struct {
	ID      string        `json:"id,omitempty"` // the finding's stable id
	Check   string        `json:"check"`
	Status  checks.Status `json:"status"`
	Subject string        `json:"subject,omitempty"`
	URL     string        `json:"url,omitempty"`
	Detail  string        `json:"detail,omitempty"`
}

// Review is a reviewer's score for one rubric line of one unit: a manual
// item, a manual deduction or a bonus, or an overruling of an automatic one.
// Item is the id of a rubric item, deduction or bonus (looked up in that
// order). Points is what the line awards: item or bonus points, or for a
// deduction the points taken off (a positive number); it is clamped to the
// line's range.
type Review struct {
	Unit   string    `json:"unit"`
	Item   string    `json:"item"`
	Points float64   `json:"points"`
	By     string    `json:"by"`
	At     time.Time `json:"at"`
	Why    string    `json:"why"`
}
