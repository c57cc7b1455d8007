package audit

import (
	"fmt"

	"gkaudit/crawler"
	"gkaudit/site"
)

// earlierTitles gives each outbound link's landing page the title an
// earlier run saw for it (site.Landing.EarlierTitle) when that differs from
// tonight's, from the previous complete run's snapshot of the unit: the
// title that run had carried from before, else the one it saw.
// link.suspicious compares it with tonight's to catch a domain taken over.
// Being stored with the snapshot, the title seen before the change is
// carried from run to run, so a takeover stays reported until the link is
// fixed. It reads the store whatever --full says: history is not a
// conditional GET.
func earlierTitles(previous *previousUnit, snap *site.Snapshot) error {
	if snap == nil || len(snap.Probes) == 0 {
		return nil
	}
	_, prev, err := previous.get()
	if err != nil {
		return fmt.Errorf("audit: earlier landing titles: %w", err)
	}
	if prev == nil {
		return nil
	}
	seen := map[string]string{}
	for _, pr := range prev.Probes {
		if l := pr.Landing; l != nil {
			if t := l.EarlierTitle; t != "" {
				seen[pr.URL] = t
			} else if l.Title != "" {
				seen[pr.URL] = l.Title
			}
		}
	}
	for i := range snap.Probes {
		if l := snap.Probes[i].Landing; l != nil {
			// Only a title other than tonight's is worth keeping: an
			// unchanged landing page keeps the record it had, which the
			// store then shares with the last run's.
			if t, ok := seen[snap.Probes[i].URL]; ok && t != l.Title {
				c := *l // a carried-forward probe may share its Landing with the previous snapshot
				c.EarlierTitle = t
				snap.Probes[i].Landing = &c
			}
		}
	}
	return nil
}

// freshLandings keeps the outbound links that led to a page out of the
// probes the revisit policy carries forward: what such a page says can
// change overnight with nothing on the unit's site telling of it (a domain
// taken over), so link.suspicious needs it fetched every run. Attachments
// and links that led to no page are still carried.
func freshLandings(rev *crawler.Revisit) {
	if rev == nil || rev.PreviousProbe == nil {
		return
	}
	prev := rev.PreviousProbe
	rev.PreviousProbe = func(u string) (site.Probe, bool) {
		p, ok := prev(u)
		if ok && p.External && p.Landing != nil {
			return site.Probe{}, false
		}
		return p, ok
	}
}
