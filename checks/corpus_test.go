package checks

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

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
	Pair   string                  `yaml:"pair"`
	Source string                  `yaml:"source"`
	Role   string                  `yaml:"role"`
	Expect map[string]corpusExpect `yaml:"expect"`
}

// corpusExpect is the reviewer's verdict on the page under one check.
type corpusExpect struct {
	Status Status `yaml:"status"`
	Why    string `yaml:"why"`
	// Detail, when set, must appear in the finding's detail: the right
	// status for the wrong reason (another element missing) is wrong.
	Detail string `yaml:"detail"`
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
func corpusSnapshot(t *testing.T, role string, p, pair *site.Page) *site.Snapshot {
	t.Helper()
	switch role {
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
	t.Fatalf("unknown corpus role %q", role)
	return nil
}

// corpusVerdict runs one check on the snapshot and returns its verdict on
// the page: the finding whose subject is the page, else the only finding.
func corpusVerdict(t *testing.T, check string, s *site.Snapshot, u string) Finding {
	t.Helper()
	c, ok := Lookup(check)
	if !ok {
		t.Fatalf("corpus names unknown check %q", check)
	}
	env := testEnv()
	env.Unit.Name = "测试单位"
	fs := c.Run(s, env)
	for _, f := range fs {
		if f.Subject == u {
			return f
		}
	}
	if len(fs) == 1 {
		return fs[0]
	}
	t.Fatalf("%s gave %d findings and none on %s: %+v", check, len(fs), u, fs)
	return Finding{}
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
	for _, e := range entries {
		var pair *site.Page
		if e.Pair != "" {
			pair = withLinks(loadPage(t, filepath.Join("testdata", "corpus", e.Pair), policyDocURL))
		}
		s := corpusSnapshot(t, e.Role, withLinks(loadPage(t, filepath.Join("testdata", "corpus", e.File), corpusURL[e.Role])), pair)
		checks := make([]string, 0, len(e.Expect))
		for c := range e.Expect {
			checks = append(checks, c)
		}
		sort.Strings(checks)
		for _, check := range checks {
			want := e.Expect[check]
			f := corpusVerdict(t, check, s, corpusURL[e.Role])
			if scores[check] == nil {
				scores[check] = &corpusScore{}
			}
			what := fmt.Sprintf("%s %s = %s (%s), want %s: %s", e.File, check, f.Status, clip(f.Detail, 120), want.Status, want.Why)
			got := f.Status
			if want.Detail != "" && !strings.Contains(f.Detail, want.Detail) {
				got = Status("wrong-reason") // counts as a miss, never as the expected verdict
				what += "（detail 应含 “" + want.Detail + "”）"
			}
			scores[check].add(want.Status, got, what)
			total.add(want.Status, got, what)
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
		for _, w := range c.wrong {
			t.Logf("    differs: %s", w)
		}
	}
	t.Logf("%-22s verdicts %2d  fails %2d/%2d reported  precision %.2f  recall %.2f  undecided %.2f", "overall", total.n, total.tp, total.tp+total.fn, total.precision(), total.recall(), total.undecidedRate())
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
	for _, f := range files {
		if !listed[filepath.Base(f)] {
			t.Errorf("%s is not in manifest.yaml", f)
		}
	}
	for c, n := range per {
		if n[Pass]+n[Fail]+n[NA] < 3 || n[Pass] == 0 || n[Fail] == 0 {
			t.Errorf("%s: %d pass, %d fail, %d na pages; want at least 3 with both pass and fail", c, n[Pass], n[Fail], n[NA])
		}
	}
}
