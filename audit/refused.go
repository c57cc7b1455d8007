package audit

import (
	"gkaudit/checks"
	"gkaudit/site"
)

// naWhenRefused turns the failing findings of a unit whose host the run's
// politeness budget gave up (it kept answering 429/503) into na, with the
// reason: the checks judged a site the crawler was not allowed to see, so a
// fail would blame the unit for the audit's own budget. Passing findings
// stand: what was seen was seen.
func naWhenRefused(snap *site.Snapshot, fs []checks.Finding) []checks.Finding {
	if snap == nil || snap.Refused == "" {
		return fs
	}
	for i := range fs {
		if fs[i].Status != checks.Fail {
			continue
		}
		fs[i].Status = checks.NA
		fs[i].Detail = "未判定：" + snap.Refused + "（原结论：" + fs[i].Detail + "）"
	}
	return fs
}
