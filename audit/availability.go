package audit

import (
	"fmt"
	"time"

	"gkaudit/checks"
	"gkaudit/cndate"
	"gkaudit/store"
)

// AvailabilityWindow is how far back the probes site.reachable judges go:
// 国办秘函〔2019〕19号 monitors a site for one week.
const AvailabilityWindow = 7 * 24 * time.Hour

// availability summarises the unit's probes in the week before the run
// started (gkaudit serve records them; none without it).
func availability(db *store.DB, unit string, until time.Time) (checks.Availability, error) {
	since := until.Add(-AvailabilityWindow)
	ps, err := db.Probes(unit, since, until)
	if err != nil {
		return checks.Availability{}, fmt.Errorf("audit: availability of %s: %w", unit, err)
	}
	av := checks.Availability{Since: since, Until: until, Total: len(ps)}
	for _, p := range ps {
		if !p.OK {
			av.Failed++
		}
	}
	return av, nil
}

// Today is the date an audit started at t judges the rules at: t's date in
// Asia/Shanghai, at midnight there.
func Today(t time.Time) time.Time {
	t = t.In(cndate.Shanghai)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, cndate.Shanghai)
}
