package checks

import (
	"bytes"
	"fmt"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"gopkg.in/yaml.v3"

	"gkaudit/config"
	"gkaudit/page"
	"gkaudit/site"
)

// The real-page corpus (testdata/corpus/): pages written for gkaudit, each
// modelled on a public government page (its URL in the manifest), placed in
// a unit's snapshot by its role, with the status a careful reviewer gives it
// under each check. manifest.yaml documents the format.

// corpusEntry is one page of the manifest.
type corpusEntry struct {
	File string `yaml:"file"`
	// Pair is the policy document a 解读 (role interp) belongs to.
	Pair   string `yaml:"pair"`
	Source string `yaml:"source"`
	Role   string `yaml:"role"`
	// URL, when set, is where the page is served instead of its role's URL
	// (a Hanweb /col/ or TRS /t2020…_ address: dates and relative links
	// depend on it).
	URL string `yaml:"url"`
	// Column is the column a role column page is, as the crawler maps the
	// entry page's link to it (config columns).
	Column *corpusColumn `yaml:"column"`
	// Pages are further pages the crawl fetched (sub-columns, articles).
	Pages []corpusPage `yaml:"pages"`
	// Links declares, for role links, what each link of the page led to.
	Links  map[string]corpusLink   `yaml:"links"`
	Expect map[string]corpusExpect `yaml:"expect"`
}

// corpusColumn is a column as the crawler maps it: its kind and link text.
type corpusColumn struct {
	Kind string `yaml:"kind"`
	Name string `yaml:"name"`
}

// corpusPage is a further fetched page: a corpus file served at URL, or,
// without a file, a page that answered Status with no body.
type corpusPage struct {
	File   string `yaml:"file"`
	URL    string `yaml:"url"`
	Status int    `yaml:"status"`
}

// corpusLink is the outcome of one link of a role links page (see
// manifest.yaml): a crawled page, or a probe for attachments and links to
// other hosts.
type corpusLink struct {
	// Kind is page or probe; by default probe for other hosts and
	// attachments (.pdf .doc .docx .xls .xlsx .zip .rar .wps), page otherwise.
	Kind   string `yaml:"kind"`
	Status int    `yaml:"status"`
	Err    string `yaml:"err"`
	// FirstTry is the failed first try of a link tried again; without it a
	// failed link was tried once (its second try never ran).
	FirstTry   *corpusTry `yaml:"first_try"`
	RetryAfter string     `yaml:"retry_after"`
	// FinalURL is where redirects ended (a deleted page sent to /404.html),
	// resolved as the key is.
	FinalURL string `yaml:"final_url"`
	// Landing is the corpus file the link answered with (a page's body, a
	// probe's sample).
	Landing string `yaml:"landing"`
	// EarlierTitle is the landing page's title an earlier run saw (an
	// outbound link's site.Landing.EarlierTitle: a domain taken over).
	EarlierTitle string `yaml:"earlier_title"`
	// Skip is robots.txt or link_ignore: the crawl never requested it.
	Skip   string `yaml:"skip"`
	Expect Status `yaml:"expect"`
	Why    string `yaml:"why"`
	// KnownWrong, as corpusExpect.KnownWrong.
	KnownWrong string `yaml:"known_wrong"`
}

type corpusTry struct {
	Status int    `yaml:"status"`
	Err    string `yaml:"err"`
}

// corpusExpect is the reviewer's verdict on the page under one check.
type corpusExpect struct {
	Status Status `yaml:"status"`
	Why    string `yaml:"why"`
	// Detail, when set, must appear in the finding's detail: the right
	// status for the wrong reason (another element missing) is wrong.
	Detail string `yaml:"detail"`
	// KnownWrong, when set, says how and why the check misjudges the page
	// today: the verdict is printed apart and counted neither as right nor
	// in the figures, and the test fails once the check gets it right (the
	// note is then stale).
	KnownWrong string `yaml:"known_wrong"`
}

// corpusURL is where each role's page is served in the snapshot.
var corpusURL = map[string]string{
	"doc":        docURL,
	"policy_doc": docURL,
	"guide":      guideURL,
	"apply":      applyURL,
	"org":        "http://gov.example/xxgk/jgxx/index.html",
	"report":     "http://gov.example/art/2020/1/20/art_1229105_41234.html",
	"entry":      testEntry,
	"catalog":    catalogURL,
	"interp":     interpURL,
	"column":     "http://gov.example/xxgk/col/index.html",
	"links":      testEntry,
}

// servedAt is where an entry's page is served.
func (e corpusEntry) servedAt() string {
	if e.URL != "" {
		return e.URL
	}
	return corpusURL[e.Role]
}

// corpusSnapshot places the page in a unit as its role says.
//   - doc: an article the 政府信息公开目录 lists.
//   - policy_doc: an article of the 政策文件 column, beside a catalogue that
//     lists another, complete entry (so the policy column is catalogued).
//   - guide: the page the entry's 政府信息公开指南 link leads to.
//   - apply: the page of the entry's 依申请公开 column.
//   - org: the page of the 机构信息 column.
//   - report: the article the 年报 column lists.
//   - entry: the unit's 信息公开 entry page itself.
//   - catalog: the page of the 政府信息公开目录 column.
//   - interp: a 解读 the 政策解读 column lists; its pair, the document,
//     is listed by the 政策文件 column.
//   - column: the page of the column e.Column, which the entry page links
//     with the column's text; e.Pages are further pages the crawl fetched.
//   - links: the entry page, whose links led where e.Links says.
func corpusSnapshot(t *testing.T, e corpusEntry, p, pair *site.Page) *site.Snapshot {
	t.Helper()
	switch e.Role {
	case "column":
		if e.Column == nil {
			t.Fatalf("%s: role column needs a column", e.File)
		}
		return columnSnapshot(e.Column.Kind, e.Column.Name, p.URL, append([]*site.Page{p}, corpusPages(t, e)...)...)
	case "links":
		return linksSnapshot(t, e, p)
	case "interp":
		if pair == nil {
			t.Fatalf("role interp needs a pair")
		}
		return interpSnapshot(p, pair)
	case "doc":
		return catalogSnapshot(listing(catalogURL, p), p)
	case "policy_doc":
		other := fixturePage("http://gov.example/xxgk/gkml/202001/t20200110_1.html",
			`<table><tr><td>索引号：</td><td>11330206MB0000000X/2020-00001</td><td>发布机构：</td><td>测试单位</td></tr><tr><td>成文日期：</td><td>2020-01-10</td></tr></table><h1>测试单位2020年工作要点</h1>`)
		zcwj := listing(policyURL, p)
		s := catalogSnapshot(listing(catalogURL, other), other, zcwj, p)
		s.Columns = append(s.Columns, site.Column{Kind: "policy", Name: "政策文件", URL: policyURL, Source: "link", From: testEntry})
		return s
	case "guide":
		return guideSnapshot(p)
	case "apply":
		return applySnapshot(p)
	case "org":
		return orgSnapshot(p)
	case "report":
		return reportSnapshot(articleTitle(p), p)
	case "entry":
		return &site.Snapshot{UnitID: "u1", UnitName: "测试单位", Entry: testEntry, Pages: []*site.Page{p}}
	case "catalog":
		return catalogSnapshot(p)
	}
	t.Fatalf("unknown corpus role %q", e.Role)
	return nil
}

// corpusPages loads an entry's further pages.
func corpusPages(t *testing.T, e corpusEntry) []*site.Page {
	t.Helper()
	var out []*site.Page
	for _, cp := range e.Pages {
		if cp.File == "" {
			out = append(out, &site.Page{URL: cp.URL, FinalURL: cp.URL, Status: cp.Status, Attempts: 1})
			continue
		}
		p := withLinks(loadPage(t, filepath.Join("testdata", "corpus", cp.File), cp.URL))
		p.Title = titleOf(p)
		if cp.Status != 0 {
			p.Status = cp.Status
		}
		out = append(out, p)
	}
	return out
}

// corpusAttachment matches the file types the crawler probes rather than
// crawls.
var corpusAttachment = map[string]bool{".pdf": true, ".doc": true, ".docx": true, ".xls": true, ".xlsx": true, ".zip": true, ".rar": true, ".wps": true}

// linksSnapshot is a crawl of the entry page p in which each link led where
// e.Links says, as the crawler records it: in-site pages fetched (body the
// landing page), attachments and other hosts probed (HEAD; GET with a
// sample of the body for error answers), robots.txt and link_ignore skips.
// Links not declared opened (200). The crawl made second tries.
func linksSnapshot(t *testing.T, e corpusEntry, p *site.Page) *site.Snapshot {
	t.Helper()
	s := &site.Snapshot{UnitID: "u1", UnitName: "测试单位", Entry: p.URL, Pages: []*site.Page{p}, SecondTries: true}
	at := time.Date(2020, 3, 1, 2, 0, 0, 0, time.UTC)
	declared := corpusLinks(t, e, p)
	entryHost := hostOf(p.URL)
	seen := map[string]bool{p.URL: true}
	for _, l := range p.Links {
		if seen[l.URL] {
			continue
		}
		seen[l.URL] = true
		o := declared[l.URL]
		if o.Skip != "" {
			s.Skipped = append(s.Skipped, site.Skip{URL: l.URL, Reason: o.Skip})
			continue
		}
		status := o.Status
		if status == 0 && o.Err == "" {
			status = 200
		}
		var first *site.Try
		if o.FirstTry != nil {
			first = &site.Try{At: at.Add(-30 * time.Minute), Status: o.FirstTry.Status, Err: o.FirstTry.Err}
		}
		var exs []site.Exchange
		if o.RetryAfter != "" {
			exs = []site.Exchange{{At: at, Request: site.Request{Method: "GET", URL: l.URL},
				Response: &site.Response{Proto: "HTTP/1.1", Status: fmt.Sprintf("%d", status), Header: site.Header{"Retry-After": {o.RetryAfter}}}}}
		}
		var body []byte
		if o.Landing != "" {
			lp := loadPage(t, filepath.Join("testdata", "corpus", o.Landing), l.URL)
			if !utf8.Valid(lp.Body) {
				t.Fatalf("%s: landing %s did not decode", e.File, o.Landing)
			}
			body = lp.Body
		}
		kind := o.Kind
		if kind == "" {
			kind = "page"
			if hostOf(l.URL) != entryHost || corpusAttachment[strings.ToLower(path.Ext(urlPath(l.URL)))] {
				kind = "probe"
			}
		}
		if kind == "probe" {
			pr := site.Probe{URL: l.URL, Status: status, Method: "HEAD", Err: o.Err, FetchedAt: at, Referrers: []string{p.URL},
				External: hostOf(l.URL) != entryHost, Exchanges: exs, FirstTry: first}
			if status >= 400 || o.Err != "" {
				pr.Method = "GET"
				pr.Sample = string(body)
			} else if pr.External && body != nil && status < 300 {
				// The crawler GETs an outbound page that answered 2xx and
				// keeps its title and the start of its text (site.Landing).
				pr.Landing = corpusLanding(body, o.EarlierTitle)
			}
			s.Probes = append(s.Probes, pr)
			continue
		}
		final := l.URL
		if o.FinalURL != "" {
			final = page.Resolve(mustParse(l.URL), o.FinalURL)
		}
		lp := &site.Page{URL: l.URL, FinalURL: final, Status: status, Err: o.Err, FetchedAt: at, Depth: 1, Attempts: 1, FirstTry: first, Exchanges: exs}
		if o.Err == "" {
			lp.ContentType, lp.Body = "text/html", body
			lp = withLinks(lp)
			lp.Title = titleOf(lp)
		}
		s.Pages = append(s.Pages, lp)
	}
	return s
}

// corpusLanding is what the crawler keeps of an outbound landing page:
// its title and, meta keywords and description first, the start of its
// visible text (as crawler.landingOf, whose package the checks cannot
// import).
func corpusLanding(body []byte, earlier string) *site.Landing {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return &site.Landing{EarlierTitle: earlier}
	}
	var meta []string
	doc.Find(`meta[name="keywords"], meta[name="description"]`).Each(func(_ int, m *goquery.Selection) {
		if v := strings.TrimSpace(m.AttrOr("content", "")); v != "" {
			meta = append(meta, v)
		}
	})
	title := page.Collapse(doc.Find("title").First().Text())
	doc.Find("script, style, noscript, template, title").Remove()
	text := []rune(page.Collapse(strings.Join(meta, " ") + " " + doc.Find("body").Text()))
	return &site.Landing{Title: title, Text: string(text[:min(len(text), 2000)]), EarlierTitle: earlier}
}

// corpusLinks resolves the keys of e.Links against the page's URL and
// checks that each is a link of the page.
func corpusLinks(t *testing.T, e corpusEntry, p *site.Page) map[string]corpusLink {
	t.Helper()
	base, _ := url.Parse(p.URL)
	on := map[string]bool{}
	for _, l := range p.Links {
		on[l.URL] = true
	}
	out := map[string]corpusLink{}
	for k, o := range e.Links {
		u := page.Resolve(base, k)
		if !on[u] {
			t.Fatalf("%s: links names %s (%s), which the page does not link", e.File, k, u)
		}
		out[u] = o
	}
	return out
}

func mustParse(u string) *url.URL {
	x, _ := url.Parse(u)
	return x
}

func urlPath(u string) string {
	x, err := url.Parse(u)
	if err != nil {
		return u
	}
	return x.Path
}

// corpusVerdict runs one check on the snapshot and returns its verdict on
// the page: the finding whose subject is the page, else the only finding.
// A keyarea.<area> check is run for that one area. For link.broken and
// link.suspicious, whose findings are per link, the verdict on the page is
// the unit's: fail when a link is reported (the details joined), else the
// summary's pass, else na; all holds every finding.
func corpusVerdict(t *testing.T, check string, s *site.Snapshot, u string) (f Finding, all []Finding) {
	t.Helper()
	c, ok := Lookup(check)
	if !ok {
		t.Fatalf("corpus names unknown check %q", check)
	}
	env := testEnv()
	env.Unit.Name = "测试单位"
	if area, ok := strings.CutPrefix(check, KeyAreaPrefix); ok {
		env.Unit.KeyAreas = []string{area}
	}
	fs := c.Run(s, env)
	switch {
	case check == "link.broken" || check == "link.suspicious":
		var details []string
		for _, f := range fs {
			if f.Status == Fail {
				details = append(details, f.Detail)
			}
		}
		if len(details) > 0 {
			return Finding{Status: Fail, Detail: strings.Join(details, "；")}, fs
		}
		for _, f := range fs {
			if f.Subject == "links" {
				return f, fs
			}
		}
		if len(fs) > 0 {
			return Finding{Status: fs[0].Status, Detail: fs[0].Detail}, fs
		}
		t.Fatalf("%s gave no finding", check)
	case strings.HasPrefix(check, KeyAreaPrefix):
		for _, f := range fs {
			if f.Check == check {
				return f, fs
			}
		}
		t.Fatalf("%s gave no finding for its area: %+v", check, fs)
	}
	for _, f := range fs {
		if f.Subject == u {
			return f, fs
		}
	}
	if len(fs) == 1 {
		return fs[0], fs
	}
	t.Fatalf("%s gave %d findings and none on %s: %+v", check, len(fs), u, fs)
	return Finding{}, nil
}

// linkVerdict is link.broken's verdict on one link: its finding's status,
// or pass when no finding names it.
func linkVerdict(fs []Finding, u string) Finding {
	for _, f := range fs {
		if f.Subject == u {
			return f
		}
	}
	return Finding{Status: Pass, Detail: "未报告"}
}

// corpusScore counts one check's verdicts against the reviewer's.
type corpusScore struct {
	tp, fp, fn, decided, undecided, n int
	wrong                             []string
}

func (c corpusScore) precision() float64 {
	if c.tp+c.fp == 0 {
		return 1
	}
	return float64(c.tp) / float64(c.tp+c.fp)
}

func (c corpusScore) recall() float64 {
	if c.tp+c.fn == 0 {
		return 1
	}
	return float64(c.tp) / float64(c.tp+c.fn)
}

func (c corpusScore) undecidedRate() float64 {
	if c.decided == 0 {
		return 0
	}
	return float64(c.undecided) / float64(c.decided)
}

func (c *corpusScore) add(want, got Status, what string) {
	c.n++
	switch {
	case got == Fail && want == Fail:
		c.tp++
	case got == Fail:
		c.fp++
	case want == Fail:
		c.fn++
	}
	if want == Pass || want == Fail {
		c.decided++
		if got == NA || got == Error {
			c.undecided++
		}
	}
	if got != want {
		c.wrong = append(c.wrong, what)
	}
}

func loadCorpus(t *testing.T) []corpusEntry {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "corpus", "manifest.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var entries []corpusEntry
	dec := yaml.NewDecoder(strings.NewReader(string(raw)))
	dec.KnownFields(true)
	if err := dec.Decode(&entries); err != nil {
		t.Fatalf("manifest.yaml: %v", err)
	}
	return entries
}

// Ensure that the checks judge real-page shapes as a careful reviewer does:
// precision of their fails at least 0.98, recall of the true fails at least
// 0.95, and at most 2% of decidable verdicts left undecided (na).
func TestCorpus_RealPages(t *testing.T) {
	entries := loadCorpus(t)
	scores := map[string]*corpusScore{}
	total := &corpusScore{}
	var knownWrong []string
	// withKnown counts every verdict, the known wrong ones included: the
	// figures as the checks stand, printed beside the thresholds' figures.
	withKnown := &corpusScore{}
	knownOf := map[string]*corpusScore{}
	score := func(check string, want corpusExpect, f Finding, what string) {
		if scores[check] == nil {
			scores[check] = &corpusScore{}
		}
		got := f.Status
		what = fmt.Sprintf("%s = %s (%s), want %s: %s", what, f.Status, page.Clip(f.Detail, 120), want.Status, want.Why)
		if want.Detail != "" && !strings.Contains(f.Detail, want.Detail) {
			got = Status("wrong-reason") // counts as a miss, never as the expected verdict
			what += "（detail 应含 “" + want.Detail + "”）"
		}
		withKnown.add(want.Status, got, what)
		if knownOf[check] == nil {
			knownOf[check] = &corpusScore{}
		}
		knownOf[check].add(want.Status, got, what)
		if want.KnownWrong != "" {
			if got == want.Status {
				t.Errorf("%s: marked known_wrong (%s) but now judged right; remove the note", what, want.KnownWrong)
			}
			knownWrong = append(knownWrong, what+" — known_wrong: "+want.KnownWrong)
			return
		}
		scores[check].add(want.Status, got, what)
		total.add(want.Status, got, what)
	}
	for _, e := range entries {
		var pair *site.Page
		if e.Pair != "" {
			pair = withLinks(loadPage(t, filepath.Join("testdata", "corpus", e.Pair), policyDocURL))
		}
		p := withLinks(loadPage(t, filepath.Join("testdata", "corpus", e.File), e.servedAt()))
		if e.Role == "column" || e.Role == "links" {
			p.Title = titleOf(p) // as the crawler records it; older roles' checks never read it
		}
		s := corpusSnapshot(t, e, p, pair)
		checks := make([]string, 0, len(e.Expect))
		for c := range e.Expect {
			checks = append(checks, c)
		}
		sort.Strings(checks)
		for _, check := range checks {
			f, all := corpusVerdict(t, check, s, p.URL)
			score(check, e.Expect[check], f, e.File+" "+check)
			if check != "link.broken" {
				continue
			}
			base, _ := url.Parse(p.URL)
			keys := make([]string, 0, len(e.Links))
			for k := range e.Links {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				o := e.Links[k]
				if o.Expect == "" {
					continue
				}
				u := page.Resolve(base, k)
				score(check, corpusExpect{Status: o.Expect, Why: o.Why, KnownWrong: o.KnownWrong}, linkVerdict(all, u), e.File+" "+check+" link "+k)
			}
		}
	}
	ids := make([]string, 0, len(scores))
	for id := range scores {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		c := scores[id]
		t.Logf("%-22s verdicts %2d  fails %2d/%2d reported  precision %.2f  recall %.2f  undecided %.2f", id, c.n, c.tp, c.tp+c.fn, c.precision(), c.recall(), c.undecidedRate())
		if k := knownOf[id]; k.n > c.n {
			t.Logf("%-22s   incl. %d known wrong: precision %.2f  recall %.2f", "", k.n-c.n, k.precision(), k.recall())
		}
		for _, w := range c.wrong {
			t.Logf("    differs: %s", w)
		}
	}
	t.Logf("%-22s verdicts %2d  fails %2d/%2d reported  precision %.2f  recall %.2f  undecided %.2f", "overall", total.n, total.tp, total.tp+total.fn, total.precision(), total.recall(), total.undecidedRate())
	if len(knownWrong) > 0 {
		t.Logf("%-22s verdicts %2d  fails %2d/%2d reported  precision %.2f  recall %.2f  undecided %.2f", "overall incl. known", withKnown.n, withKnown.tp, withKnown.tp+withKnown.fn, withKnown.precision(), withKnown.recall(), withKnown.undecidedRate())
		t.Logf("known wrong (%d verdicts, not counted in overall; the checks misjudge these pages):", len(knownWrong))
		for _, w := range knownWrong {
			t.Logf("    %s", w)
		}
	}
	if p := total.precision(); p < 0.98 {
		t.Errorf("corpus precision = %.3f, want ≥ 0.98", p)
	}
	if r := total.recall(); r < 0.95 {
		t.Errorf("corpus recall = %.3f, want ≥ 0.95", r)
	}
	if u := total.undecidedRate(); u > 0.02 {
		t.Errorf("corpus undecided = %.3f, want ≤ 0.02", u)
	}
}

// Ensure that the corpus is what its README promises: every page in the
// manifest and every manifest entry on disk, with a source, a reason per
// verdict, at least 40 pages, and for each check passing and failing pages.
func TestCorpus_Manifest(t *testing.T) {
	entries := loadCorpus(t)
	cfg := defaultConfig(t)
	if len(entries) < 40 {
		t.Errorf("corpus has %d pages, want at least 40", len(entries))
	}
	listed := map[string]bool{}
	per := map[string]map[Status]int{}
	for _, e := range entries {
		if listed[e.File] {
			t.Errorf("%s listed twice", e.File)
		}
		listed[e.File] = true
		if e.Pair != "" {
			listed[e.Pair] = true
		}
		for _, cp := range e.Pages {
			if cp.File != "" {
				listed[cp.File] = true
			}
			if !strings.HasPrefix(cp.URL, "http") {
				t.Errorf("%s: further page %s has no URL", e.File, cp.File)
			}
		}
		for k, o := range e.Links {
			if o.Landing != "" {
				listed[o.Landing] = true
			}
			switch o.Expect {
			case "", Pass, Fail, NA:
			default:
				t.Errorf("%s link %s: expect %q", e.File, k, o.Expect)
			}
			if o.Expect != "" && o.Why == "" {
				t.Errorf("%s link %s: no reason", e.File, k)
			}
			if o.Skip != "" && o.Skip != "robots.txt" && o.Skip != "link_ignore" {
				t.Errorf("%s link %s: skip %q, want robots.txt or link_ignore", e.File, k, o.Skip)
			}
		}
		if (e.Role == "column") != (e.Column != nil) {
			t.Errorf("%s: role %s with column %+v; a column goes with role column", e.File, e.Role, e.Column)
		}
		if e.Column != nil && !corpusColumnNamed(cfg, e.Column.Kind, e.Column.Name) {
			t.Errorf("%s: the crawler would not map the link text %q to %s (config columns)", e.File, e.Column.Name, e.Column.Kind)
		}
		if e.Links != nil && e.Role != "links" {
			t.Errorf("%s: links declared for role %s", e.File, e.Role)
		}
		if !strings.HasPrefix(e.Source, "http") {
			t.Errorf("%s: source %q is not a URL", e.File, e.Source)
		}
		if _, ok := corpusURL[e.Role]; !ok {
			t.Errorf("%s: unknown role %q", e.File, e.Role)
		}
		if len(e.Expect) == 0 {
			t.Errorf("%s: no expectations", e.File)
		}
		for c, x := range e.Expect {
			if x.Why == "" {
				t.Errorf("%s %s: no reason", e.File, c)
			}
			switch x.Status {
			case Pass, Fail, NA:
			default:
				t.Errorf("%s %s: status %q", e.File, c, x.Status)
			}
			if per[c] == nil {
				per[c] = map[Status]int{}
			}
			per[c][x.Status]++
		}
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "corpus", "*.html"))
	for _, sub := range []string{"landing", "monitoring"} {
		more, _ := filepath.Glob(filepath.Join("testdata", "corpus", sub, "*.html"))
		files = append(files, more...)
	}
	for _, f := range files {
		rel, _ := filepath.Rel(filepath.Join("testdata", "corpus"), f)
		if !listed[filepath.ToSlash(rel)] {
			t.Errorf("%s is not in manifest.yaml", f)
		}
	}
	// keyarea.<area> IDs are one check: the minimum holds for keyarea as a
	// whole, and for each area with 3 pages or more.
	group := map[string]map[Status]int{}
	for c, n := range per {
		if !strings.HasPrefix(c, KeyAreaPrefix) {
			continue
		}
		if group["keyarea"] == nil {
			group["keyarea"] = map[Status]int{}
		}
		for st, k := range n {
			group["keyarea"][st] += k
		}
	}
	for c, n := range group {
		per[c] = n
	}
	for c, n := range per {
		total := n[Pass] + n[Fail] + n[NA]
		if strings.HasPrefix(c, KeyAreaPrefix) && total < 3 {
			continue
		}
		if total < 3 || n[Pass] == 0 || n[Fail] == 0 {
			t.Errorf("%s: %d pass, %d fail, %d na pages; want at least 3 with both pass and fail", c, n[Pass], n[Fail], n[NA])
		}
	}
}

// corpusColumnNamed reports whether a link text is one the crawler maps to
// kind with the default config: the text holds one of the kind's synonyms
// (the crawler matches whole texts, suffixes and, for short texts,
// contained synonyms; this is the loose form of it, to catch a manifest
// that declares a column no crawl would find).
func corpusColumnNamed(cfg *config.Config, kind, name string) bool {
	n := strings.Join(strings.Fields(name), "")
	for _, syn := range cfg.Columns[kind] {
		if strings.Contains(n, syn) {
			return true
		}
	}
	return false
}
