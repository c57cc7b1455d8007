package store_test

import (
	"bytes"
	"errors"
	"fmt"
	"sync"
	"testing"

	"gkaudit/internal/testutil"
	"gkaudit/site"
	"gkaudit/store"
)

// streamPages puts the bodies of a snapshot's pages through a body writer
// from several goroutines, as a crawl's fetch goroutines do, and closes it.
func streamPages(t *testing.T, db *store.DB, s *site.Snapshot) {
	t.Helper()
	w := db.NewBodyWriter()
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := g; i < len(s.Pages); i += 4 {
				if err := w.PutPage(s.Pages[i]); err != nil {
					t.Errorf("PutPage %s: %v", s.Pages[i].URL, err)
				}
			}
		})
	}
	wg.Wait()
	if err := w.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
}

// Ensure that bodies streamed through a BodyWriter, more than one batch of
// them from several goroutines, read back by their digest, raw bodies too,
// and that a snapshot saved after them without its bodies in memory (what
// the crawl's ReleaseBodies leaves) reads back with every body and passes
// the consistency check.
func TestBodyWriter_StreamedBodiesReadBack(t *testing.T) {
	db := testutil.MustOpenStore(t)
	r := mustBeginRun(t, db)
	s := newSnapshot("u1", 700, func(i int) []byte {
		if i%50 == 7 {
			return nil // failed fetch: no body
		}
		return noisyBody("stream", i)
	})
	gbk := []byte{0xd5, 0xfe, 0xce, 0xf1, 0xb9, 0xab, 0xbf, 0xaa} // 政务公开 in GBK
	s.Pages[1].RawBody, s.Pages[1].RawSHA256 = gbk, shaOf(gbk)
	streamPages(t, db, s)

	for _, p := range s.Pages {
		if p.Body == nil {
			continue
		}
		got, err := db.Body(p.SHA256)
		if err != nil || !bytes.Equal(got, p.Body) {
			t.Fatalf("Body(%s) of %s = %d bytes, %v; want the streamed body", p.SHA256, p.URL, len(got), err)
		}
	}
	if got, err := db.Body(shaOf(gbk)); err != nil || !bytes.Equal(got, gbk) {
		t.Errorf("raw body = %x, %v, want %x", got, err, gbk)
	}

	released := *s
	released.Pages = make([]*site.Page, len(s.Pages))
	for i, p := range s.Pages {
		cp := *p
		cp.Body, cp.RawBody = nil, nil
		released.Pages[i] = &cp
	}
	if err := db.SaveSnapshot(r.ID, &released); err != nil {
		t.Fatal(err)
	}
	back, err := db.Snapshot(r.ID, "u1")
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Pages) != len(s.Pages) {
		t.Fatalf("snapshot read back has %d pages, want %d", len(back.Pages), len(s.Pages))
	}
	for i, p := range back.Pages {
		if p.SHA256 != s.Pages[i].SHA256 {
			t.Fatalf("page %d SHA256 = %q, want %q", i, p.SHA256, s.Pages[i].SHA256)
		}
	}
	if back.Pages[1].RawSHA256 != shaOf(gbk) {
		t.Errorf("raw digest read back = %q, want %q", back.Pages[1].RawSHA256, shaOf(gbk))
	}
	if err := db.Check(); err != nil {
		t.Errorf("consistency check: %v", err)
	}
	st, err := db.Stats()
	if err != nil {
		t.Fatal(err)
	}
	if want := 700 - 14 + 1; st.Bodies != want {
		t.Errorf("Stats().Bodies = %d, want %d (each streamed body once)", st.Bodies, want)
	}
}

// Ensure that a body streamed twice, or streamed and then saved with its
// snapshot, is stored once, and that the bodies of pages answered 304 or
// carried forward (read from the store) are not put again.
func TestBodyWriter_StoresEachBodyOnce(t *testing.T) {
	db := testutil.MustOpenStore(t)
	r := mustBeginRun(t, db)
	s := newSnapshot("u1", 10, func(i int) []byte { return htmlBody(i % 5) })
	streamPages(t, db, s)
	if err := db.SaveSnapshot(r.ID, s); err != nil {
		t.Fatal(err)
	}
	st, err := db.Stats()
	if err != nil {
		t.Fatal(err)
	}
	if st.Bodies != 5 {
		t.Errorf("Stats().Bodies = %d, want 5", st.Bodies)
	}

	// A 304 page's body is not looked up or written: the writer trusts the
	// crawl that read it from the store by that digest.
	w := db.NewBodyWriter()
	nm := &site.Page{URL: "http://u1.example/nm.html", Body: []byte("<html>304</html>"), SHA256: shaOf([]byte("<html>304</html>")), NotModified: true}
	cf := &site.Page{URL: "http://u1.example/cf.html", Body: []byte("<html>carried</html>"), SHA256: shaOf([]byte("<html>carried</html>")), CarriedForward: true}
	for _, p := range []*site.Page{nm, cf} {
		if err := w.PutPage(p); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	for _, p := range []*site.Page{nm, cf} {
		if _, err := db.Body(p.SHA256); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("body of %s (NotModified %v, CarriedForward %v): err = %v, want it not written", p.URL, p.NotModified, p.CarriedForward, err)
		}
	}
	if err := w.Put("", []byte("late")); err == nil {
		t.Error("Put after Close succeeded, want an error")
	}
	if err := w.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// Ensure that GC keeps streamed bodies that a kept run's pages refer to and
// drops those of a run interrupted before it saved its snapshot (bodies on
// disk that no record names), whether that run is dropped or kept, and that
// the file passes the consistency check before and after.
func TestBodyWriter_GCOfStreamedBodies(t *testing.T) {
	var kept, orphan, dropped *site.Snapshot
	path := testutil.MustWriteStore(t, func(db *store.DB) {
		// Run 1: streamed and saved, then dropped by GC (keep 1).
		r1 := testutil.MustAddRun(t, db, day(1, "u1"))
		dropped = newSnapshot("u1", 30, func(i int) []byte { return noisyBody("run1", i) })
		streamPages(t, db, dropped)
		if err := db.SaveSnapshot(r1.ID, dropped); err != nil {
			t.Fatal(err)
		}
		// Run 2: complete, its bodies streamed and its snapshot saved.
		r2 := testutil.MustBeginRun(t, db, day(2, "u1"))
		kept = newSnapshot("u1", 30, func(i int) []byte { return noisyBody("run2", i) })
		streamPages(t, db, kept)
		if err := db.SaveSnapshot(r2.ID, kept); err != nil {
			t.Fatal(err)
		}
		if err := db.FinishRun(r2.ID); err != nil {
			t.Fatal(err)
		}
		// Run 3: interrupted mid-crawl: bodies streamed, no snapshot, not finished.
		testutil.MustBeginRun(t, db, day(3, "u1"))
		orphan = newSnapshot("u1", 30, func(i int) []byte { return noisyBody("run3", i) })
		streamPages(t, db, orphan)
	})
	rep, err := store.Verify(path, store.Options{})
	if err != nil || !rep.OK() {
		t.Fatalf("Verify before GC = %+v, %v: streamed bodies no record names must not be damage", rep.Problems, err)
	}

	gc, err := store.GC(path, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(gc.Removed) != 1 || gc.Bodies != 60 {
		t.Errorf("GC report = %+v, want run 1 removed and 60 bodies (run 1's and the interrupted run's)", gc)
	}
	db := mustOpen(t, path)
	defer db.Close()
	if err := db.Check(); err != nil {
		t.Fatalf("consistency check after GC: %v", err)
	}
	for what, s := range map[string]*site.Snapshot{"kept": kept, "dropped run": dropped, "interrupted run": orphan} {
		for _, p := range s.Pages {
			_, err := db.Body(p.SHA256)
			if what == "kept" && err != nil {
				t.Errorf("%s body of %s: %v", what, p.URL, err)
			}
			if what != "kept" && !errors.Is(err, store.ErrNotFound) {
				t.Errorf("%s body of %s after GC: err = %v, want ErrNotFound", what, p.URL, err)
			}
		}
	}
	runs, err := db.Runs()
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 2 || runs[1].Complete {
		t.Errorf("runs after GC = %+v, want run 2 and the interrupted run 3", runs)
	}
}

// Ensure that a store error reaches the Put that met it, every later Put and
// Close: a writer on a closed store can neither look bodies up nor commit.
func TestBodyWriter_ErrorReachesClose(t *testing.T) {
	db := mustOpen(t, tempPath(t))
	w := db.NewBodyWriter()
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if err := w.Put("", fmt.Appendf(nil, "body %d", i)); err == nil {
			t.Errorf("Put %d on a closed store succeeded, want an error", i)
		}
	}
	if err := w.Close(); err == nil {
		t.Error("Close after failed Puts returned nil, want their error")
	}
}
