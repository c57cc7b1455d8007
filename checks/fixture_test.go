package checks

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"golang.org/x/net/html/charset"

	"gkaudit/config"
	"gkaudit/page"
	"gkaudit/site"
)

// fixture is one HTML file of testdata/<check>/, named <status>_<case>.html.
type fixture struct {
	name string
	want Status
	path string
}

// fixtures lists testdata/<check>/*.html with the status each name expects.
func fixtures(t *testing.T, check string) []fixture {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", check, "*.html"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no fixtures for %s: %v", check, err)
	}
	sort.Strings(paths)
	var out []fixture
	for _, p := range paths {
		base := filepath.Base(p)
		status, _, _ := strings.Cut(base, "_")
		out = append(out, fixture{name: strings.TrimSuffix(base, ".html"), want: Status(status), path: p})
	}
	return out
}

// loadPage reads a fixture as the crawler would hand it over: decoded to
// UTF-8 from whatever charset the file declares (or GB18030 when it is not
// UTF-8 and declares nothing).
func loadPage(t *testing.T, path, url string) *site.Page {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	enc, name, _ := charset.DetermineEncoding(raw, "text/html")
	body, err := io.ReadAll(enc.NewDecoder().Reader(bytes.NewReader(raw)))
	if err != nil {
		t.Fatalf("decode %s as %s: %v", path, name, err)
	}
	sum := sha256.Sum256(body)
	return &site.Page{URL: url, FinalURL: url, Status: 200, ContentType: "text/html", Charset: name,
		FetchedAt: time.Date(2020, 3, 1, 2, 0, 0, 0, time.UTC), Body: body, SHA256: hex.EncodeToString(sum[:]), Size: int64(len(raw)), Attempts: 1}
}

// entryPage is a minimal fetched 信息公开 entry page linking to the given URLs.
func entryPage(url string, links ...site.Link) *site.Page {
	var b strings.Builder
	b.WriteString("<html><body><h1>信息公开</h1>")
	for _, l := range links {
		b.WriteString(`<a href="` + l.URL + `">` + l.Text + `</a>`)
	}
	b.WriteString("</body></html>")
	return &site.Page{URL: url, FinalURL: url, Status: 200, ContentType: "text/html", Body: []byte(b.String()), Links: links, Attempts: 1}
}

func testEnv() Env {
	return Env{AsOf: time.Date(2020, 3, 1, 0, 0, 0, 0, time.UTC), Unit: config.Unit{ID: "u1", Name: "测试单位", Kind: "department"}}
}

// onlyStatus returns the single finding's status, failing the test when the
// check returned other than one finding.
func onlyStatus(t *testing.T, fs []Finding) Finding {
	t.Helper()
	if len(fs) != 1 {
		t.Fatalf("got %d findings, want 1: %+v", len(fs), fs)
	}
	return fs[0]
}

// withLinks fills a fixture page's Links from its anchors, as the crawler does.
func withLinks(p *site.Page) *site.Page {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(p.HTML()))
	if err != nil {
		return p
	}
	base, _ := url.Parse(pageURL(p))
	p.Links = nil
	doc.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		if u := page.Resolve(base, href); u != "" {
			p.Links = append(p.Links, site.Link{URL: u, Text: page.Collapse(a.Text())})
		}
	})
	return p
}

// htmlPage is a fetched page with the given body, its links filled in.
func htmlPage(u, body string) *site.Page {
	return withLinks(&site.Page{URL: u, FinalURL: u, Status: 200, ContentType: "text/html", Body: []byte(body), Attempts: 1})
}

// addFixtureSeeds adds the HTML fixtures of the given checks to a fuzz
// corpus, as served (undecoded): real page shapes for the fuzzer to mutate.
func addFixtureSeeds(f *testing.F, checkIDs ...string) {
	f.Helper()
	n := 0
	for _, id := range checkIDs {
		paths, err := filepath.Glob(filepath.Join("testdata", id, "*.html"))
		if err != nil {
			f.Fatal(err)
		}
		for _, p := range paths {
			data, err := os.ReadFile(p)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
			n++
		}
	}
	if n == 0 {
		f.Fatalf("no fixtures for %v", checkIDs)
	}
}
