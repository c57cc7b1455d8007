package store_test

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"gkaudit/checks"
	"gkaudit/internal/testutil"
	"gkaudit/store"
)

// noisyBody is a body that gzip cannot shrink much, so dropping it shows in
// the file size.
func noisyBody(tag string, i int) []byte {
	var b []byte
	for j := range 64 {
		sum := sha256.Sum256(fmt.Appendf(nil, "%s-%d-%d", tag, i, j))
		b = hex.AppendEncode(b, sum[:])
	}
	return b
}

func shaOf(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Ensure that GC keeps the newest complete runs with their pages, findings
// and bodies (also bodies first stored by a dropped run), drops the rest
// (an interrupted run older than them too) but the history, and leaves a
// smaller file that passes the consistency check and continues run IDs.
func TestGC_KeepsNewestRuns(t *testing.T) {
	shared := []byte("<html>共享页面</html>")
	evidenceOnly := noisyBody("evidence", 0)
	f := testutil.Finding
	old := f("u1", "org.info", "org_info", fail)
	var runs []store.Run
	path := testutil.MustWriteStore(t, func(db *store.DB) {
		for n := range 4 {
			fs := []checks.Finding{old, f("u1", "guide.present", fmt.Sprint(n), pass)}
			if n == 3 {
				fs[1].Evidence.SHA256 = shaOf(evidenceOnly)
			}
			var r store.Run
			if n == 0 {
				r = testutil.MustBeginRun(t, db, day(n, "u1"), fs...) // killed: counts for nothing
			} else {
				r = testutil.MustAddRun(t, db, day(n, "u1"), fs...)
			}
			body := func(i int) []byte {
				switch {
				case i == 0 && (n == 0 || n == 3):
					return shared
				case i == 1 && n == 0:
					return evidenceOnly
				}
				return noisyBody(r.ID, i)
			}
			if err := db.SaveSnapshot(r.ID, newSnapshot("u1", 100, body)); err != nil {
				t.Fatal(err)
			}
			runs = append(runs, r)
		}
	})
	before, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}

	rep, err := store.GC(path, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Removed) != 2 || rep.Removed[0].ID != runs[0].ID || rep.Removed[1].ID != runs[1].ID {
		t.Errorf("GC removed %+v, want runs %s, %s", rep.Removed, runs[0].ID, runs[1].ID)
	}
	// Run 1 had 98 bodies of its own (one shared, one evidence), run 2 had 100.
	if rep.Snapshots != 2 || rep.Pages != 200 || rep.Findings != 4 || rep.Bodies != 198 {
		t.Errorf("GC report = %+v, want 2 snapshots, 200 pages, 4 findings, 198 bodies", rep)
	}
	if rep.SizeBefore != before.Size() || rep.SizeAfter >= rep.SizeBefore {
		t.Errorf("GC sizes %d -> %d (file was %d), want it to shrink", rep.SizeBefore, rep.SizeAfter, before.Size())
	}
	if after, err := os.Stat(path); err != nil || after.Size() != rep.SizeAfter {
		t.Errorf("file after GC: %v, %v; report says %d bytes", after, err, rep.SizeAfter)
	}

	if ents, err := os.ReadDir(filepath.Dir(path)); err != nil || len(ents) != 1 {
		t.Errorf("directory after GC holds %v (%v), want only the database", ents, err)
	}
	db := mustOpen(t, path)
	defer db.Close()
	if err := db.Check(); err != nil {
		t.Fatalf("consistency check after GC: %v", err)
	}
	got, err := db.Runs()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != runs[2].ID || got[1].ID != runs[3].ID || !got[0].Complete {
		t.Errorf("runs after GC = %+v, want complete %s and %s", got, runs[2].ID, runs[3].ID)
	}
	if _, err := db.Findings(runs[0].ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("findings of dropped run %s: err = %v, want ErrNotFound", runs[0].ID, err)
	}
	if _, err := db.Snapshot(runs[1].ID, "u1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("snapshot of dropped run %s: err = %v, want ErrNotFound", runs[1].ID, err)
	}
	for _, r := range runs[2:] {
		s, err := db.Snapshot(r.ID, "u1")
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range s.Pages {
			if _, err := db.Body(p.SHA256); err != nil {
				t.Errorf("kept run %s page %s: %v", r.ID, p.URL, err)
			}
		}
		if fs, err := db.Findings(r.ID); err != nil || len(fs) != 2 {
			t.Errorf("Findings(%s) after GC = %d, %v, want 2", r.ID, len(fs), err)
		}
	}
	if _, err := db.Body(shaOf(evidenceOnly)); err != nil {
		t.Errorf("body referenced only by a kept finding's evidence: %v", err)
	}
	if e := mustHistoryOf(t, db, old); e.FirstSeen.Run != runs[1].ID {
		t.Errorf("history after GC = %+v, want first seen in dropped run %s", e, runs[1].ID)
	}
	st, err := db.Stats()
	if err != nil {
		t.Fatal(err)
	}
	if st.Bodies != 201 || st.Pages != 200 {
		t.Errorf("Stats() after GC = %+v, want 200 pages, 201 bodies", st)
	}
	if r := testutil.MustBeginRun(t, db, day(5, "u1")); r.ID != "000005" {
		t.Errorf("run after GC has ID %s, want 000005", r.ID)
	}
}

// Ensure that GC refuses to keep fewer than one run, and to work on a file
// another process has open.
func TestGC_Errors(t *testing.T) {
	path := testutil.MustWriteStore(t, func(db *store.DB) { testutil.MustAddRun(t, db, day(0, "u1")) })
	if _, err := store.GC(path, 0); err == nil {
		t.Error("GC(keep 0) succeeded")
	}
	if testing.Short() {
		return // the rest waits for the lock timeout
	}
	db := mustOpen(t, path)
	defer db.Close()
	if _, err := store.GC(path, 1); err == nil {
		t.Error("GC on a file open elsewhere succeeded")
	}
}
