package store

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Review is a reviewer's score for one rubric line of one unit: a manual
// item, deduction or bonus, or an adjustment of an automatic one (see
// score.Review). Reviews are append-only: the latest for a (unit, item)
// wins, and every one is also an audit-log event.
type Review struct {
	Seq    uint64    `json:"seq"`
	Unit   string    `json:"unit"`
	Item   string    `json:"item"` // rubric item, deduction or bonus id
	Points float64   `json:"points"`
	By     string    `json:"by"`
	At     time.Time `json:"at"`
	Why    string    `json:"why"`
}

// ActionScore is the event action of a review.
const ActionScore = "score"

// AddReview records a review and its audit-log event in one transaction.
// A comment (Why) is required.
func (db *DB) AddReview(r Review) (Review, error) {
	if strings.TrimSpace(r.Why) == "" {
		return Review{}, fmt.Errorf("store: review %s/%s: %w", r.Unit, r.Item, ErrReasonRequired)
	}
	if r.At.IsZero() {
		r.At = time.Now()
	}
	err := db.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketReviews)
		seq, err := b.NextSequence()
		if err != nil {
			return err
		}
		r.Seq = seq
		raw, err := json.Marshal(r)
		if err != nil {
			return err
		}
		if err := b.Put(eventKey(seq), raw); err != nil {
			return err
		}
		return appendEvent(tx, Event{Unit: r.Unit, Subject: r.Item, Action: ActionScore, By: r.By, At: r.At,
			Why: fmt.Sprintf("%s 评分 %g：%s", r.Item, r.Points, r.Why)})
	})
	if err != nil {
		return Review{}, fmt.Errorf("store: review %s/%s: %w", r.Unit, r.Item, err)
	}
	return r, nil
}

// Reviews returns every review, oldest first.
func (db *DB) Reviews() ([]Review, error) {
	var out []Review
	err := db.view(func(tx *bolt.Tx) (err error) {
		out, err = decodeBucket[Review](tx, bucketReviews, "review")
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: reviews: %w", err)
	}
	return out, nil
}
