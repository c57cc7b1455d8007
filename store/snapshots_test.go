package store_test

import (
	"bytes"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"gkaudit/internal/testutil"
	"gkaudit/site"
	"gkaudit/store"
)

// Ensure that a snapshot spanning several write chunks reads back equal, with
// bodies left out of the pages and available through Body, and links left
// out (they are extracted from the body).
func TestSaveSnapshot_RoundTrip(t *testing.T) {
	db := testutil.MustOpenStore(t)
	r := mustBeginRun(t, db)
	want := newSnapshot("u1", 450, func(i int) []byte {
		if i%10 == 3 {
			return nil // failed fetch
		}
		return htmlBody(i)
	})
	if err := db.SaveSnapshot(r.ID, want); err != nil {
		t.Fatal(err)
	}

	got, err := db.Snapshot(r.ID, "u1")
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Pages) != len(want.Pages) {
		t.Fatalf("Snapshot(%s, u1) has %d pages, want %d", r.ID, len(got.Pages), len(want.Pages))
	}
	var size int64
	for i, p := range want.Pages {
		size += p.Size
		if p.Body != nil {
			body, err := db.Body(p.SHA256)
			if err != nil {
				t.Fatalf("Body(page %d): %v", i, err)
			}
			if !bytes.Equal(body, p.Body) {
				t.Errorf("Body(page %d) = %q, want %q", i, body, p.Body)
			}
		}
		cp := *p
		cp.Body, cp.Links = nil, nil
		if !reflect.DeepEqual(got.Pages[i], &cp) {
			t.Errorf("page %d = %+v, want %+v", i, got.Pages[i], &cp)
		}
	}
	gotMeta, wantMeta := *got, *want
	gotMeta.Pages, wantMeta.Pages = nil, nil
	if !reflect.DeepEqual(gotMeta, wantMeta) {
		t.Errorf("Snapshot(%s, u1) = %+v, want %+v", r.ID, gotMeta, wantMeta)
	}

	run, err := db.Run(r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if run.Pages != 450 || run.Bytes != size {
		t.Errorf("run totals pages=%d bytes=%d, want %d, %d", run.Pages, run.Bytes, 450, size)
	}
}

// Ensure that two runs saving the same bodies store each body once.
func TestSaveSnapshot_DedupBodies(t *testing.T) {
	db := testutil.MustOpenStore(t)
	body := func(i int) []byte { return htmlBody(i % 50) } // 50 distinct bodies
	for range 2 {
		r := mustBeginRun(t, db)
		for _, unit := range []string{"u1", "u2"} {
			if err := db.SaveSnapshot(r.ID, newSnapshot(unit, 100, body)); err != nil {
				t.Fatal(err)
			}
		}
	}
	st, err := db.Stats()
	if err != nil {
		t.Fatal(err)
	}
	if st.Runs != 2 || st.Snapshots != 4 || st.Pages != 400 || st.Bodies != 50 {
		t.Errorf("Stats() = %+v, want 2 runs, 4 snapshots, 400 pages, 50 bodies", st)
	}
}

// Ensure that saving a unit again replaces its pages and the run's totals.
func TestSaveSnapshot_Replace(t *testing.T) {
	db := testutil.MustOpenStore(t)
	r := mustBeginRun(t, db)
	if err := db.SaveSnapshot(r.ID, newSnapshot("u1", 300, htmlBody)); err != nil {
		t.Fatal(err)
	}
	small := newSnapshot("u1", 10, htmlBody)
	if err := db.SaveSnapshot(r.ID, small); err != nil {
		t.Fatal(err)
	}
	got, err := db.Snapshot(r.ID, "u1")
	if err != nil {
		t.Fatal(err)
	}
	run, err := db.Run(r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Pages) != 10 || run.Pages != 10 {
		t.Errorf("after replace: %d pages, run.Pages = %d, want 10, 10", len(got.Pages), run.Pages)
	}
}

// Ensure that a unit whose ID extends another's with "/" does not leak its
// pages into the shorter one's snapshot.
func TestSnapshot_UnitIDPrefix(t *testing.T) {
	db := testutil.MustOpenStore(t)
	r := mustBeginRun(t, db)
	for unit, n := range map[string]int{"a": 3, "a/b": 5} {
		if err := db.SaveSnapshot(r.ID, newSnapshot(unit, n, htmlBody)); err != nil {
			t.Fatal(err)
		}
	}
	for unit, n := range map[string]int{"a": 3, "a/b": 5} {
		s, err := db.Snapshot(r.ID, unit)
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Pages) != n {
			t.Errorf("Snapshot(%s, %s) has %d pages, want %d", r.ID, unit, len(s.Pages), n)
		}
	}
}

// Ensure that units saved from concurrent goroutines, as the audit runner
// does, all land with correct totals (run with -race).
func TestSaveSnapshot_Concurrent(t *testing.T) {
	db := testutil.MustOpenStore(t)
	r := mustBeginRun(t, db)
	const units, pages = 8, 250
	var wg sync.WaitGroup
	errs := make(chan error, 2*units)
	for u := range units {
		wg.Go(func() {
			unit := fmt.Sprintf("u%02d", u)
			// Bodies overlap across units, so goroutines race to store them.
			if err := db.SaveSnapshot(r.ID, newSnapshot(unit, pages, func(i int) []byte { return htmlBody(i + u*100) })); err != nil {
				errs <- err
			}
			if err := db.SaveFindings(r.ID, newFindings(unit, 5)); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	run, err := db.Run(r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if run.Pages != units*pages || run.Findings != units*5 {
		t.Errorf("run totals pages=%d findings=%d, want %d, %d", run.Pages, run.Findings, units*pages, units*5)
	}
	st, err := db.Stats()
	if err != nil {
		t.Fatal(err)
	}
	if want := pages + (units-1)*100; st.Bodies != want {
		t.Errorf("Stats().Bodies = %d, want %d", st.Bodies, want)
	}
	s, err := db.Snapshot(r.ID, "u03")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Pages) != pages || strings.Contains(s.StopReason, "interrupted") {
		t.Errorf("Snapshot(u03): %d pages, stop reason %q", len(s.Pages), s.StopReason)
	}
}

// Ensure that a snapshot keeps what the crawl recorded beside its pages:
// attachment records, their texts as bodies under TextSHA256 (not in the
// record), skipped URLs, second tries and a refused host; and that gc keeps
// an attachment's text while a run refers to it.
func TestSaveSnapshot_AttachmentsAndCrawlState(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.db")
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	r := mustBeginRun(t, db)
	s := newSnapshot("u1", 3, htmlBody)
	s.Attachments = []site.Attachment{{URL: "http://gov.example/f/a.csv", Type: "csv", Status: 200, Size: 20, Text: "姓名,单位\n张三,新碶街道"}}
	s.Skipped = []site.Skip{{URL: "http://gov.example/login", Reason: "link_ignore"}}
	s.SecondTries, s.Refused = true, "主机 gov.example 连续 8 次拒绝抓取"
	if err := db.SaveSnapshot(r.ID, s); err != nil {
		t.Fatal(err)
	}
	if err := db.FinishRun(r.ID); err != nil {
		t.Fatal(err)
	}
	got, err := db.Snapshot(r.ID, "u1")
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Attachments) != 1 || got.Attachments[0].Text != "" || got.Attachments[0].TextSHA256 == "" ||
		len(got.Skipped) != 1 || !got.SecondTries || got.Refused == "" {
		t.Fatalf("Snapshot = attachments %+v, skipped %v, second tries %v, refused %q", got.Attachments, got.Skipped, got.SecondTries, got.Refused)
	}
	db.Close()
	if _, err := store.GC(path, 1); err != nil {
		t.Fatal(err)
	}
	db, err = store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	text, err := db.Body(got.Attachments[0].TextSHA256)
	if err != nil || string(text) != "姓名,单位\n张三,新碶街道" {
		t.Errorf("Body(attachment text) = %q, %v; want the text, kept by gc", text, err)
	}
}
