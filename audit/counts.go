package audit

import (
	"fmt"

	"gkaudit/site"
	"gkaudit/store"
)

// requestsOf counts the HTTP requests a snapshot's run sent: every exchange of
// its pages and probes (redirects included; robots.txt is not recorded), not
// those of probes carried forward from an earlier night, and one per
// attachment read (answered) tonight.
func requestsOf(s *site.Snapshot) int {
	n := 0
	for _, p := range s.Pages {
		n += len(p.Exchanges)
	}
	for _, p := range s.Probes {
		if p.FetchedAt.Before(s.Started) || p.Shared {
			continue // carried forward, or checked by another unit: not this unit's requests
		}
		n += len(p.Exchanges)
	}
	for _, a := range s.Attachments {
		if !a.CarriedForward && a.Status != 0 {
			n++ // the GET that read the file (attachments record no exchanges)
		}
	}
	return n
}

// saveCounts records the unit's counts under the run: volume.low is judged
// from them once every unit of the district is done, in this process or, for
// a sharded run, at gkaudit merge; the next run's scheduler weighs the unit by
// the time it took.
func saveCounts(db *store.DB, runID string, ur UnitResult) error {
	c := store.UnitCount{Unit: ur.Unit.ID, Items: ur.Items, Reachable: ur.Reachable, Pages: ur.Pages, Requests: ur.Requests, ElapsedMS: ur.Elapsed.Milliseconds(), Unread: ur.Unread, Inputs: ur.inputs}
	if err := db.SaveUnitCounts(runID, []store.UnitCount{c}); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}
