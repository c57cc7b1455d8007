package audit

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"gkaudit/checks"
	"gkaudit/config"
	"gkaudit/site"
	"gkaudit/store"
)

// This file lets a re-run skip the checks of a unit whose site did not
// change: when everything the checks read of tonight's snapshot is what the
// previous complete run saw (snapshotChange), and the program, config and
// unit settings are the same (unitInputs), the previous run's findings for
// the unit are tonight's too. Only the checks whose findings depend on
// something else run again: those that read what changes every night
// (checks.Check.Nightly) and those that read the as-of date when it moved
// (checks.Check.Dated). Reused findings are re-dated to tonight's fetches
// and name the run that judged them (checks.Evidence.ReusedFrom).

// judgeUnit returns the unit's findings and sets ur's item counts: the
// previous run's, with only the checks whose inputs changed run again, when
// the unit is unchanged since that run; otherwise every check's on snap.
func judgeUnit(opt Options, sh *shared, run store.Run, previous *previousUnit, snap *site.Snapshot, env checks.Env, ur *UnitResult) ([]checks.Finding, error) {
	ur.inputs = unitInputs(sh.program, run.ConfigSHA256, env.Unit)
	prev, why, err := reusable(opt, previous, snap, ur.inputs)
	if err != nil {
		return nil, err
	}
	ur.CheckedWhy = why
	if prev == nil {
		ur.Items, ur.Unread = checks.DisclosedItems(snap, env)
		if err := snap.TakeViewError(); err != nil {
			return nil, fmt.Errorf("audit: count the items of %s: %w", snap.UnitID, err)
		}
		return naWhenRefused(snap, checks.Run(snap, env)), nil
	}
	again := recheckIDs(prev.run.AsOf, run.AsOf)
	fresh := naWhenRefused(snap, checks.RunOnly(snap, env, again))
	if sameYear(prev.run.AsOf, run.AsOf) {
		ur.Items, ur.Unread = prev.count.Items, prev.count.Unread
	} else {
		ur.Items, ur.Unread = checks.DisclosedItems(snap, env)
		if err := snap.TakeViewError(); err != nil {
			return nil, fmt.Errorf("audit: count the items of %s: %w", snap.UnitID, err)
		}
	}
	ur.Reused, ur.Rechecked = prev.run.ID, again
	return mergeFindings(prev.findings, fresh, again, redater(snap, prev.run.ID)), nil
}

// previousJudgement is what a re-run reuses of the previous run's unit.
type previousJudgement struct {
	run      store.Run
	findings []checks.Finding
	count    store.UnitCount
}

// reusable returns the previous run's judgement of the unit when tonight's
// snapshot and inputs are what that run checked; nil, with the reason, when
// the unit must be checked (no previous run, --full, anything changed).
func reusable(opt Options, previous *previousUnit, snap *site.Snapshot, inputs string) (*previousJudgement, string, error) {
	switch {
	case opt.Full:
		return nil, "full", nil
	case inputs == "":
		return nil, "program unknown", nil
	}
	// The run revisit compares against: the newest complete run before
	// this one that saved the unit completely.
	prevRun, prevSnap, err := previous.get()
	if err != nil {
		return nil, "", err
	}
	if prevSnap == nil {
		return nil, "no previous run", nil
	}
	count, err := opt.DB.UnitCountOf(prevRun.ID, snap.UnitID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, "no counts in run " + prevRun.ID, nil
	}
	if err != nil {
		return nil, "", fmt.Errorf("audit: %w", err)
	}
	if count.Inputs != inputs {
		return nil, "program, config or unit settings changed", nil
	}
	if why := snapshotChange(prevSnap, snap); why != "" {
		return nil, why, nil
	}
	fs, err := opt.DB.UnitFindings(prevRun.ID, snap.UnitID)
	if err != nil {
		return nil, "", fmt.Errorf("audit: %w", err)
	}
	if len(fs) == 0 {
		// A run that saved the unit saved its findings: check again.
		return nil, "no findings in run " + prevRun.ID, nil
	}
	return &previousJudgement{run: prevRun, findings: fs, count: count}, "", nil
}

// recheckIDs returns the checks a reused unit runs again, in ID order: every
// nightly one, and the dated ones whose reading of the as-of date moved
// from prevAsOf to asOf (YYYY-MM-DD).
func recheckIDs(prevAsOf, asOf string) []string {
	var ids []string
	for _, c := range checks.All() {
		switch {
		case c.Nightly,
			c.Dated == checks.DatedByDay && prevAsOf != asOf,
			c.Dated == checks.DatedByYear && !sameYear(prevAsOf, asOf):
			ids = append(ids, c.ID)
		}
	}
	return ids
}

// sameYear reports whether two YYYY-MM-DD dates are in the same year: the
// assessment year (the config's, else the year before the as-of date) is
// then the same.
func sameYear(a, b string) bool {
	return len(a) >= 4 && len(b) >= 4 && a[:4] == b[:4]
}

// mergeFindings puts the unit's findings together in checks.Run's order
// (check ID, then each check's own order): fresh for the checks in again,
// the previous run's, re-dated, for the others. District checks
// (volume.low) are judged over every unit after the last one and are never
// carried over.
func mergeFindings(prev, fresh []checks.Finding, again []string, redate func(*checks.Finding)) []checks.Finding {
	byCheck := func(fs []checks.Finding) map[string][]checks.Finding {
		m := map[string][]checks.Finding{}
		for _, f := range fs {
			if c, ok := checks.Lookup(f.Check); ok {
				m[c.ID] = append(m[c.ID], f)
			}
		}
		return m
	}
	old, now := byCheck(prev), byCheck(fresh)
	out := make([]checks.Finding, 0, len(prev)+len(fresh))
	for _, c := range checks.All() {
		switch {
		case c.Run == nil:
			// A district check (volume.low), judged over every unit's
			// counts after the last unit.
		case slices.Contains(again, c.ID):
			out = append(out, now[c.ID]...)
		default:
			for _, f := range old[c.ID] {
				f.ID = "" // the store derives it again on read
				redate(&f)
				out = append(out, f)
			}
		}
	}
	return out
}

// redater returns the function that re-dates a reused finding to tonight:
// its evidence's FetchedAt becomes when tonight's crawl fetched or
// confirmed the page, probe or attachment it cites (the same URL, digest
// and status, as a re-check would cite it), and ReusedFrom names the run
// that judged it (the earliest, when that run reused it too).
func redater(snap *site.Snapshot, from string) func(*checks.Finding) {
	type key struct {
		url, sha string
		status   int
	}
	at := map[key]time.Time{}
	add := func(k key, t time.Time) {
		if _, ok := at[k]; !ok {
			at[k] = t
		}
	}
	for _, p := range snap.Pages {
		u := p.FinalURL
		if u == "" {
			u = p.URL
		}
		add(key{u, p.SHA256, p.Status}, p.FetchedAt)
	}
	for _, a := range snap.Attachments {
		add(key{a.URL, a.SHA256, a.Status}, a.FetchedAt)
	}
	for _, pr := range snap.Probes {
		add(key{pr.URL, "", pr.Status}, pr.FetchedAt)
	}
	return func(f *checks.Finding) {
		e := &f.Evidence
		if t, ok := at[key{e.URL, e.SHA256, e.HTTPStatus}]; ok {
			e.FetchedAt = t
		}
		if e.ReusedFrom == "" {
			e.ReusedFrom = from
		}
	}
}

// snapshotChange says what differs between the previous run's snapshot of
// a unit and tonight's in anything a check other than a nightly one reads,
// "" when nothing does. Compared:
//
//   - the entry URL, the unit's name, why the crawl stopped and why the host
//     refused it (entry-unreachable details, naWhenRefused);
//   - the pages, by URL: final URL, status, content type, SHA-256 of the
//     body (which stands for everything read from it: its links, texts,
//     lists, read by the same program, unitInputs), truncation, error and
//     its cause, title and breadcrumb;
//   - the columns found: kind, name and URL;
//   - the probes, by URL: method, status, error and cause, whether
//     outbound, the referring pages, the error-page sample and the landing
//     page of an outbound link (title, text and the title an earlier run
//     saw, which link.suspicious compares);
//   - the attachments, by URL: type, status, SHA-256 of the file and of its
//     text, truncation, error, referrers.
//
// Pages, columns, probes and referrers are compared as sets: the crawl's
// order follows the timing of parallel answers and changes from run to run
// on an unchanged site, and a re-check would cite equally valid pages in
// another order too. Not compared, because only nightly checks (run again
// on every reuse) read them or no check does: fetch times and latencies,
// attempts, first tries, depth, exchanges, validators and 304s, skipped
// URLs, whether failures were tried twice.
func snapshotChange(prev, cur *site.Snapshot) string {
	switch {
	case prev.Entry != cur.Entry:
		return "entry"
	case prev.UnitName != cur.UnitName:
		return "unit name"
	case prev.StopReason != cur.StopReason:
		return "stop reason"
	case prev.Refused != cur.Refused:
		return "refused"
	case len(prev.Pages) != len(cur.Pages):
		return fmt.Sprintf("%d pages, were %d", len(cur.Pages), len(prev.Pages))
	case len(prev.Probes) != len(cur.Probes):
		return fmt.Sprintf("%d probes, were %d", len(cur.Probes), len(prev.Probes))
	case len(prev.Attachments) != len(cur.Attachments):
		return fmt.Sprintf("%d attachments, were %d", len(cur.Attachments), len(prev.Attachments))
	case !sameSet(prev.Columns, cur.Columns, func(a, b site.Column) int { return cmp.Compare(columnKey(a), columnKey(b)) }):
		return "columns"
	}
	pages := make(map[string]*site.Page, len(prev.Pages))
	for _, p := range prev.Pages {
		pages[p.URL] = p
	}
	for _, p := range cur.Pages {
		q, ok := pages[p.URL]
		if !ok {
			return "new page " + p.URL
		}
		if d := pageChange(q, p); d != "" {
			return "page " + p.URL + ": " + d
		}
	}
	probes := make(map[string]*site.Probe, len(prev.Probes))
	for i := range prev.Probes {
		probes[prev.Probes[i].URL] = &prev.Probes[i]
	}
	for _, p := range cur.Probes {
		q, ok := probes[p.URL]
		if !ok {
			return "new probe " + p.URL
		}
		if p.Method != q.Method || p.Status != q.Status || p.Err != q.Err || p.ErrCause() != q.ErrCause() ||
			p.External != q.External || p.Sample != q.Sample || !sameSet(p.Referrers, q.Referrers, strings.Compare) ||
			(p.Landing == nil) != (q.Landing == nil) || p.Landing != nil && *p.Landing != *q.Landing {
			return "probe " + p.URL
		}
	}
	atts := make(map[string]*site.Attachment, len(prev.Attachments))
	for i := range prev.Attachments {
		atts[prev.Attachments[i].URL] = &prev.Attachments[i]
	}
	for _, a := range cur.Attachments {
		b, ok := atts[a.URL]
		if !ok {
			return "new attachment " + a.URL
		}
		if a.Type != b.Type || a.Status != b.Status || a.SHA256 != b.SHA256 || textDigest(a) != b.TextSHA256 ||
			a.Truncated != b.Truncated || a.Err != b.Err || !sameSet(a.Referrers, b.Referrers, strings.Compare) {
			return "attachment " + a.URL
		}
	}
	return ""
}

// pageChange names the first field of a page that a check reads and that
// differs between two fetches, "" when none does.
func pageChange(q, p *site.Page) string {
	switch {
	case p.FinalURL != q.FinalURL:
		return "final url"
	case p.Status != q.Status:
		return "status"
	case p.ContentType != q.ContentType:
		return "content type"
	case p.SHA256 != q.SHA256:
		return "body"
	case p.Truncated != q.Truncated:
		return "truncated"
	case p.Err != q.Err || p.ErrCause() != q.ErrCause():
		return "error"
	case p.Title != q.Title:
		return "title"
	case !slices.Equal(p.Breadcrumb, q.Breadcrumb):
		return "breadcrumb"
	}
	return ""
}

// sameSet reports whether a and b hold the same elements, in any order.
func sameSet[T any](a, b []T, compare func(T, T) int) bool {
	if len(a) != len(b) {
		return false
	}
	a, b = slices.Clone(a), slices.Clone(b)
	slices.SortFunc(a, compare)
	slices.SortFunc(b, compare)
	return slices.EqualFunc(a, b, func(x, y T) bool { return compare(x, y) == 0 })
}

// columnKey is what the checks read of a column: where the crawler saw it
// (Source, From) follows the crawl's order and no check reads it.
func columnKey(c site.Column) string {
	return c.Kind + "\x00" + c.Name + "\x00" + c.URL
}

// textDigest is the SHA-256 the store files an attachment's text under
// (store.SaveSnapshot), "" without text.
func textDigest(a site.Attachment) string {
	if a.Text == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(a.Text))
	return hex.EncodeToString(sum[:])
}

// unitInputs is the digest of what a unit's findings depend on besides its
// snapshot and the as-of date: the program (its rules), the effective
// config (ConfigSHA256: terms, thresholds, calendar, the other units) and
// the unit's own settings. "" when the program is unknown: nothing is
// reused then.
func unitInputs(program, configSHA256 string, u config.Unit) string {
	if program == "" || configSHA256 == "" {
		return ""
	}
	b, err := json.Marshal(u)
	if err != nil {
		return ""
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%s\n", program, configSHA256)
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil))
}

// programDigest is the SHA-256 of the running executable: another build,
// with other rules, judges the same pages afresh. "" when it cannot be read.
var programDigest = sync.OnceValue(func() string {
	path, err := os.Executable()
	if err != nil {
		return ""
	}
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil))
})
