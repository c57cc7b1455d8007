package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// ProbeResult is one availability probe of a unit's entry page, as
// 国办秘函〔2019〕19号 measures availability (a page that has not opened
// within the timeout fails).
type ProbeResult struct {
	Unit    string        `json:"unit"`
	URL     string        `json:"url"`
	At      time.Time     `json:"at"`
	OK      bool          `json:"ok"`
	Status  int           `json:"status,omitempty"`
	Latency time.Duration `json:"latency"`
	Err     string        `json:"err,omitempty"`
}

// probeKey orders a unit's probes by time: unit/RFC 3339 nano UTC.
func probeKey(unit string, at time.Time) []byte {
	return []byte(unit + "/" + at.UTC().Format("2006-01-02T15:04:05.000000000Z"))
}

// SaveProbes records probe results in one transaction.
func (db *DB) SaveProbes(rs []ProbeResult) error {
	err := db.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketProbes)
		b.FillPercent = denseFill
		for _, r := range rs {
			raw, err := json.Marshal(r)
			if err != nil {
				return err
			}
			if err := b.Put(probeKey(r.Unit, r.At), raw); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: save probes: %w", err)
	}
	return nil
}

// Probes returns the probes of unit in [from, to), oldest first.
func (db *DB) Probes(unit string, from, to time.Time) ([]ProbeResult, error) {
	var out []ProbeResult
	err := db.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketProbes).Cursor()
		end := probeKey(unit, to)
		prefix := []byte(unit + "/")
		for k, v := c.Seek(probeKey(unit, from)); k != nil && bytes.HasPrefix(k, prefix) && bytes.Compare(k, end) < 0; k, v = c.Next() {
			var r ProbeResult
			if err := unmarshal(v, &r); err != nil {
				return fmt.Errorf("probe %s: %w", k, err)
			}
			if r.Unit == unit {
				out = append(out, r)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: probes %s: %w", unit, err)
	}
	return out, nil
}

// DropProbesBefore deletes the probes older than t (retention) and returns
// how many went.
func (db *DB) DropProbesBefore(t time.Time) (int, error) {
	n := 0
	err := db.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketProbes)
		var old [][]byte
		err := b.ForEach(func(k, v []byte) error {
			var r ProbeResult
			if err := unmarshal(v, &r); err != nil {
				return fmt.Errorf("probe %s: %w", k, err)
			}
			if r.At.Before(t) {
				old = append(old, bytes.Clone(k))
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, k := range old {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		n = len(old)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: drop probes: %w", err)
	}
	return n, nil
}
