package audit

import (
	"fmt"
	"hash/fnv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"gkaudit/checks"
	"gkaudit/cndate"
	"gkaudit/crawler"
	"gkaudit/page"
	"gkaudit/site"
	"gkaudit/store"
)

// shared is what the units of one run share: the politeness budget.
type shared struct {
	hosts *crawler.HostBudget
	env   checks.Env // the run's (runEnv): thresholds resolved once
	// program is the running executable's digest (programDigest), which a
	// reused unit's previous run must have had.
	program string
	// judging holds one unit's checks at a time: a unit's whole page views
	// are read back only while it is judged (readViewsBack), the crawls of the
	// others going on beside with their views' skeletons.
	judging sync.Mutex
}

// failingURLs returns the URLs behind the unit's failing findings in run:
// where each points, its evidence and its subject when that is a URL. It
// reads the unit's findings only (not the run's: at district scale those
// were the biggest allocation of a re-run).
func (sh *shared) failingURLs(db *store.DB, runID, unit string) (map[string]bool, error) {
	fs, err := db.UnitFindings(runID, unit)
	if err != nil {
		return nil, err
	}
	m := map[string]bool{}
	for _, f := range fs {
		if f.Status != checks.Fail || f.Unit != unit {
			continue
		}
		for _, u := range []string{f.URL, f.Evidence.URL, f.Subject} {
			if strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://") {
				m[u] = true
			}
		}
	}
	return m, nil
}

// previousAttachments returns the URLs of the attachments the previous run
// read for the unit (crawler.Options.PreviousAttachments); nil when there
// is no such run (or opt.Full).
func previousAttachments(opt Options, prev *previousUnit) (map[string]bool, error) {
	if opt.Full {
		return nil, nil
	}
	_, snap, err := prev.get()
	if err != nil || snap == nil {
		return nil, err
	}
	urls := make(map[string]bool, len(snap.Attachments))
	for _, a := range snap.Attachments {
		urls[a.URL] = true
	}
	return urls, nil
}

// previousRun returns the lookup of the pages the newest complete run before
// run stored for the unit and the revisit policy over them; both nil when
// there is no such run (or opt.Full).
func previousRun(opt Options, sh *shared, run store.Run, unit string, prev *previousUnit) (func(string) (crawler.PrevPage, bool), *crawler.Revisit, error) {
	if opt.Full {
		return nil, nil, nil
	}
	prevRun, snap, err := prev.get()
	if err != nil || snap == nil {
		return nil, nil, err
	}
	pages := make(map[string]*site.Page, len(snap.Pages))
	for _, p := range snap.Pages {
		if _, dup := pages[p.URL]; !dup {
			pages[p.URL] = p
		}
	}
	previous := func(url string) (crawler.PrevPage, bool) {
		p, ok := pages[url]
		if !ok || p.SHA256 == "" {
			return crawler.PrevPage{}, false
		}
		return crawler.PrevPage{Page: p, Body: func() ([]byte, error) { return opt.DB.Body(p.SHA256) },
			// The crawl keeps skeletons only (ReleaseBodies): the whole view
			// comes back when the unit is judged (readViewsBack).
			View: func(pageURL string) (*page.View, error) { return opt.DB.ViewSkeleton(p.SHA256, pageURL) }}, true
	}
	period := opt.Config.Revisit.Articles.D()
	if period < 24*time.Hour {
		return previous, nil, nil // every page every night
	}
	failing, err := sh.failingURLs(opt.DB, prevRun.ID, unit)
	if err != nil {
		return nil, nil, fmt.Errorf("audit: %w", err)
	}
	probes := make(map[string]site.Probe, len(snap.Probes))
	for _, p := range snap.Probes {
		probes[p.URL] = p
	}
	atts := make(map[string]site.Attachment, len(snap.Attachments))
	for _, a := range snap.Attachments {
		atts[a.URL] = a
	}
	due := dueFunc(period, run.Started, failing)
	return previous, &crawler.Revisit{
		Entries:            listEntries,
		Pager:              checks.FurtherPages,
		Due:                due,
		PreviousProbe:      func(u string) (site.Probe, bool) { p, ok := probes[u]; return p, ok },
		PreviousAttachment: func(u string) (site.Attachment, bool) { a, ok := atts[u]; return a, ok },
		AttachmentText: func(a site.Attachment) (string, error) {
			b, err := opt.DB.Body(a.TextSHA256)
			return string(b), err
		},
	}, nil
}

// dueFunc is the rotating schedule: of the pages that could be carried
// forward, those whose URL hashes to tonight's slot (one night in period's
// days, counted in Beijing dates from the run's start) are confirmed, and so
// is any page last confirmed about a period ago (a night the run did not
// happen) and any page behind a failing finding (a fix is credited the night
// it is made).
func dueFunc(period time.Duration, started time.Time, failing map[string]bool) func(string, time.Time) bool {
	days := int64(period / (24 * time.Hour))
	t := started.In(cndate.Shanghai)
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC).Unix() / 86400
	return func(u string, last time.Time) bool {
		if failing[u] || last.IsZero() || started.Sub(last) >= period-12*time.Hour {
			return true
		}
		h := fnv.New64a()
		h.Write([]byte(u))
		return int64(h.Sum64()%uint64(days)) == day%days
	}
}

// minEntryTitle is the shortest title (in runes) the revisit policy takes
// for an article's entry: shorter dated links are column names heading a box
// (工作动态 2020-02-18), and a column is fetched every run.
const minEntryTitle = 6

// listEntries is the revisit policy's view of a list page: the entries the
// checks read from it (checks.PageItems: its list, and the records of a
// Hanweb datastore or dataproxy answer), by link, title and date.
func listEntries(p *site.Page) []crawler.ListEntry {
	items := checks.PageItems(p)
	out := make([]crawler.ListEntry, 0, len(items))
	for _, it := range items {
		if utf8.RuneCountInString(it.Title) < minEntryTitle {
			continue
		}
		d := ""
		if !it.Date.IsZero() {
			d = it.Date.Format(time.DateOnly)
		}
		out = append(out, crawler.ListEntry{URL: it.URL, Title: it.Title, Date: d})
	}
	return out
}

// judge runs f, one unit's checks, while no other unit of the run is judged.
func (sh *shared) judge(f func() ([]checks.Finding, error)) ([]checks.Finding, error) {
	sh.judging.Lock()
	defer sh.judging.Unlock()
	return f()
}
