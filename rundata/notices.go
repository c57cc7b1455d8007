package rundata

import (
	"time"

	"gkaudit/config"
	"gkaudit/notice"
	"gkaudit/store"
)

// Notices plans the notices due for the units of d's run on date and, when
// issue is set, issues them as by: each gets its 文号 and its findings move
// on (see store.IssueNotice). A notice whose findings were all issued
// already is left out. Without issue the docs are drafts and nothing
// changes.
func Notices(db *store.DB, d Data, cfg *config.Config, units []config.Unit, date time.Time, issue bool, by string) ([]notice.Doc, error) {
	runs, err := db.Runs()
	if err != nil {
		return nil, err
	}
	asOfs := map[string]string{}
	for _, r := range runs {
		asOfs[r.ID] = r.AsOf
	}
	docs := notice.Plan(notice.Input{Config: cfg, Run: d.Run, Units: units, Findings: d.Findings, Entries: d.ByID, Date: date, AsOf: asOfs})
	if !issue {
		return docs, nil
	}
	var out []notice.Doc
	for _, doc := range docs {
		n, err := db.IssueNotice(store.Issue{Kind: doc.Kind, Unit: doc.UnitID, Date: date, By: by, Run: d.Run.ID,
			Findings: doc.IDs(), Deadlines: doc.Deadlines(), Number: cfg.Notice.Number})
		if err != nil {
			return out, err
		}
		if n.ID == "" {
			continue // everything on it was issued already
		}
		doc.Draft, doc.Number = false, n.Number
		out = append(out, doc)
	}
	return out, nil
}
