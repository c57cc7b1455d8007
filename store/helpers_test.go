package store_test

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"gkaudit/site"
	"gkaudit/store"
)

// mustOpen opens path, failing the test on error; the caller closes.
func mustOpen(t testing.TB, path string) *store.DB {
	t.Helper()
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func tempPath(t testing.TB) string { return filepath.Join(t.TempDir(), "gkaudit.db") }

func mustBeginRun(t testing.TB, db *store.DB) store.Run {
	t.Helper()
	r, err := db.BeginRun(store.Run{AsOf: "2025-06-30", ConfigSource: "test.yml", Units: []string{"u1", "u2"}})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

var t0 = time.Date(2025, 6, 30, 9, 0, 0, 0, time.UTC)

// newSnapshot builds a unit's snapshot of n pages whose bodies are
// body(i); a nil body makes a failed fetch.
func newSnapshot(unit string, n int, body func(i int) []byte) *site.Snapshot {
	s := &site.Snapshot{
		UnitID: unit, UnitName: unit + "人民政府", Entry: "http://" + unit + ".example/xxgk/",
		Started: t0, Finished: t0.Add(time.Minute),
		Columns:    []site.Column{{Kind: "org_info", Name: "机构信息", URL: "http://" + unit + ".example/xxgk/jgxx/", Source: "link", From: "http://" + unit + ".example/xxgk/"}},
		Probes:     []site.Probe{{URL: "http://" + unit + ".example/a.pdf", Status: 200, Method: "HEAD", FetchedAt: t0, Latency: 30 * time.Millisecond, Referrers: []string{"http://" + unit + ".example/xxgk/"}}},
		StopReason: "page budget 3000 reached",
	}
	for i := range n {
		p := &site.Page{
			URL: fmt.Sprintf("http://%s.example/xxgk/%d.html", unit, i), Status: 200,
			ContentType: "text/html", Charset: "gbk", FetchedAt: t0.Add(time.Duration(i) * time.Second),
			Latency: 120 * time.Millisecond, Depth: i % 4, Title: fmt.Sprintf("第%d页", i),
			Breadcrumb: []string{"首页", "信息公开"}, Links: []site.Link{{URL: "http://x/", Text: "首页"}}, Attempts: 1,
		}
		p.FinalURL = p.URL
		if b := body(i); b != nil {
			sum := sha256.Sum256(b)
			p.Body, p.SHA256, p.Size = b, hex.EncodeToString(sum[:]), int64(len(b))
		} else {
			p.Status, p.Err = 0, "connection refused"
		}
		s.Pages = append(s.Pages, p)
	}
	return s
}

func htmlBody(i int) []byte {
	return fmt.Appendf(nil, "<html><head><title>第%d页</title></head><body>索引号：%08d 发布机构：区政府办公室</body></html>", i, i)
}

func gzipOf(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
