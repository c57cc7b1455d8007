package audit

import (
	"errors"
	"fmt"
	"sync"

	"gkaudit/site"
	"gkaudit/store"
)

// previousUnit is the snapshot of a unit that the newest complete run
// before this one saved completely (store.PreviousSnapshot), read once for
// the unit's revisit policy, the landing titles seen before and the reuse
// of findings, which all compare against it. None of them may change it:
// the crawler copies what it carries forward.
type previousUnit struct {
	db     *store.DB
	unit   string
	before string // this run's ID

	once sync.Once
	run  store.Run
	snap *site.Snapshot // nil when there is no such run
	err  error
}

func newPreviousUnit(db *store.DB, unit, before string) *previousUnit {
	return &previousUnit{db: db, unit: unit, before: before}
}

// get returns that run and snapshot; a nil snapshot when there is none.
func (p *previousUnit) get() (store.Run, *site.Snapshot, error) {
	p.once.Do(func() {
		if p.db == nil {
			return
		}
		p.run, p.snap, p.err = p.db.PreviousSnapshot(p.unit, p.before)
		if errors.Is(p.err, store.ErrNotFound) {
			p.run, p.snap, p.err = store.Run{}, nil, nil
		}
		if p.err != nil {
			p.err = fmt.Errorf("audit: %w", p.err)
		}
	})
	return p.run, p.snap, p.err
}
