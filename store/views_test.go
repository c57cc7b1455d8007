package store_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"gkaudit/page"
	"gkaudit/site"
	"gkaudit/store"
)

// Ensure that a page's view is stored by body and URL, read back whole,
// read back as the skeleton a crawl keeps (the same as View.Skeleton), and
// not found under another URL or an unknown body.
func TestViews_RoundTrip(t *testing.T) {
	db := mustOpen(t, filepath.Join(t.TempDir(), "v.db"))
	body := []byte(`<html><head><title>政策文件</title></head><body><div class="position">当前位置：<a href="/">首页</a> &gt; 政策文件</div>
		<ul><li><a href="/a/1.html">关于印发北仑区政务公开工作要点的通知</a><span>2019-03-05</span></li></ul>
		<table><tr><td>索引号：</td><td>11330206/2019-00001</td></tr></table>
		<script type="text/xml"><datastore><totalrecord>1</totalrecord><recordset><record><![CDATA[<li><a href="/a/2.html">区财政局2019年部门预算公开</a><span>2019-02-01</span></li>]]></record></recordset></datastore></script>
		</body></html>`)
	const u = "http://g.example/col/col1/index.html"
	p := &site.Page{URL: u, Status: 200, SHA256: "abc123", Body: body, View: page.Read(body, u)}
	if err := db.SaveViews([]*site.Page{p}); err != nil {
		t.Fatal(err)
	}
	whole, err := db.View("abc123", u)
	if err != nil {
		t.Fatal(err)
	}
	if whole.Title != "政策文件" || len(whole.Items) == 0 || whole.Datastore == nil || whole.Meta.Fields["index_no"] == "" || whole.Partial {
		t.Errorf("View = %+v, want the page's whole view", whole)
	}
	sk, err := db.ViewSkeleton("abc123", u)
	if err != nil {
		t.Fatal(err)
	}
	// Compared as stored: a decoded date is the same instant in a zone of
	// another name.
	got, _ := json.Marshal(sk)
	want, _ := json.Marshal(p.View.Skeleton())
	if !sk.Partial || string(got) != string(want) {
		t.Errorf("ViewSkeleton =\n%s\nwant View.Skeleton\n%s", got, want)
	}
	if _, err := db.View("abc123", u+"?x"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("View under another URL: %v, want ErrNotFound", err)
	}
	if _, err := db.ViewSkeleton("def", u); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("ViewSkeleton of an unknown body: %v, want ErrNotFound", err)
	}
}

// Ensure that every fixture and corpus page of the checks reads back from
// the store as the view it was stored as: the views' CBOR keeps what their
// JSON (schema 6) kept, every field, dates with their UTC offsets; like
// JSON it does not tell an empty map from a nil one.
func TestViews_FixturesRoundTrip(t *testing.T) {
	files, err := filepath.Glob("../checks/testdata/*/*.html")
	if err != nil {
		t.Fatal(err)
	}
	more, _ := filepath.Glob("../checks/testdata/*/*/*.html")
	files = append(files, more...)
	if len(files) < 100 {
		t.Fatalf("%d fixture pages, want the checks' fixtures and corpus", len(files))
	}
	db := mustOpen(t, filepath.Join(t.TempDir(), "v.db"))
	var pages []*site.Page
	for i, f := range files {
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		u := "http://g.example/" + filepath.ToSlash(f)
		pages = append(pages, &site.Page{URL: u, Status: 200, SHA256: fmt.Sprintf("%064x", i), View: page.Read(body, u)})
	}
	if err := db.SaveViews(pages); err != nil {
		t.Fatal(err)
	}
	for _, p := range pages {
		v, err := db.View(p.SHA256, p.URL)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := json.Marshal(v)
		var viaJSON page.View
		raw, _ := json.Marshal(p.View)
		if err := json.Unmarshal(raw, &viaJSON); err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(&viaJSON)
		if string(got) != string(want) {
			t.Errorf("%s: view read back differs from the one stored\n got %.300s\nwant %.300s", p.URL, got, want)
		}
	}
}
