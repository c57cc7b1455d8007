package checks

import (
	"fmt"
	"time"
)

// Availability summarises a unit's availability probes (gkaudit serve) over
// a window before the run: the indicator of 国办秘函〔2019〕19号 judges a site
// by a week of probes, not by one fetch. The audit reads the probes from the
// store and passes the summary in Env, so the check itself stays pure.
type Availability struct {
	Since, Until  time.Time // the window the probes were taken in
	Total, Failed int       // probes in the window, and those that failed
}

// AvailabilityKind is the Kind of a site.reachable finding that fails on
// the probe ratio; the 单项否决 summary counts it. The veto line itself
// (5% of at least 20 probes, 国办秘函〔2019〕19号) is config
// thresholds.availability_veto_percent and availability_min_probes, read
// through Params.AvailabilityVeto.
const AvailabilityKind = "availability"

// Ratio is Failed/Total, 0 without probes.
func (a Availability) Ratio() float64 {
	if a.Total == 0 {
		return 0
	}
	return float64(a.Failed) / float64(a.Total)
}

// days is the window's length in whole days, at least 1.
func (a Availability) days() int {
	if a.Until.IsZero() || a.Since.IsZero() {
		return 7
	}
	return max(int((a.Until.Sub(a.Since)+12*time.Hour)/(24*time.Hour)), 1)
}

// describe words the probes for a finding's detail: "近7天可用性监测 168 次，
// 失败 12 次（7.1%）".
func (a Availability) describe() string {
	return fmt.Sprintf("近%d天可用性监测 %d 次，失败 %d 次（%.1f%%）", a.days(), a.Total, a.Failed, 100*a.Ratio())
}
