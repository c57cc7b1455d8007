package store_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"gkaudit/checks"
	"gkaudit/internal/testutil"
	"gkaudit/site"
	"gkaudit/store"
)

// revisit is what a re-run over an unchanged site saves: the same pages,
// fetched later with a 304, in another order, the same columns found in
// another order, and the same findings but for one latency in a detail.
func revisit(s *site.Snapshot) *site.Snapshot {
	cp := *s
	cp.Started, cp.Finished = s.Started.Add(24*time.Hour), s.Finished.Add(24*time.Hour)
	cp.Pages = nil
	for i := len(s.Pages) - 1; i >= 0; i-- {
		p := *s.Pages[i]
		p.FetchedAt, p.Latency = p.FetchedAt.Add(24*time.Hour), 3*time.Millisecond
		if p.Body != nil {
			p.Size, p.NotModified = 0, true
		}
		cp.Pages = append(cp.Pages, &p)
	}
	cp.Columns = nil
	for i := len(s.Columns) - 1; i >= 0; i-- {
		cp.Columns = append(cp.Columns, s.Columns[i])
	}
	return &cp
}

// Ensure that a second run over an unchanged site stores no body and no
// metadata blob again (only its own fetch times and patches), and that both
// runs read back exactly as saved.
func TestSaveSnapshot_UnchangedRunSharesBlobs(t *testing.T) {
	db := testutil.MustOpenStore(t)
	first := newSnapshot("u1", 450, htmlBody)
	first.Columns = append(first.Columns, site.Column{Kind: "guide", Name: "公开指南", URL: "http://u1.example/xxgk/zn/", Source: "link", From: "http://u1.example/xxgk/"})
	fs := newFindings("u1", 30)
	r1 := mustBeginRun(t, db)
	if err := db.SaveSnapshot(r1.ID, first); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveFindings(r1.ID, fs); err != nil {
		t.Fatal(err)
	}
	st1, err := db.Stats()
	if err != nil {
		t.Fatal(err)
	}

	second := revisit(first)
	fs2 := append([]checks.Finding(nil), fs...)
	fs2[3].Detail = "入口页可访问（HTTP 200，7 ms）"
	for i := range fs2 {
		fs2[i].Evidence.FetchedAt = t0.Add(24 * time.Hour)
	}
	r2 := mustBeginRun(t, db)
	if err := db.SaveSnapshot(r2.ID, second); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveFindings(r2.ID, fs2); err != nil {
		t.Fatal(err)
	}
	st2, err := db.Stats()
	if err != nil {
		t.Fatal(err)
	}
	if st2.Bodies != st1.Bodies || st2.Blobs != st1.Blobs {
		t.Errorf("after the unchanged run: %d bodies, %d blobs; want %d, %d as after the first", st2.Bodies, st2.Blobs, st1.Bodies, st1.Blobs)
	}

	for _, tt := range []struct {
		run  string
		want *site.Snapshot
		fs   []checks.Finding
	}{{r1.ID, first, fs}, {r2.ID, second, fs2}} {
		got, err := db.Snapshot(tt.run, "u1")
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Pages) != len(tt.want.Pages) {
			t.Fatalf("Snapshot(%s) has %d pages, want %d", tt.run, len(got.Pages), len(tt.want.Pages))
		}
		for i, p := range tt.want.Pages {
			cp := *p
			cp.Body, cp.Links = nil, nil
			if !reflect.DeepEqual(got.Pages[i], &cp) {
				t.Fatalf("Snapshot(%s) page %d = %+v, want %+v", tt.run, i, got.Pages[i], &cp)
			}
		}
		if !reflect.DeepEqual(got.Columns, tt.want.Columns) || !reflect.DeepEqual(got.Probes, tt.want.Probes) {
			t.Errorf("Snapshot(%s) columns %+v probes %+v, want %+v %+v", tt.run, got.Columns, got.Probes, tt.want.Columns, tt.want.Probes)
		}
		gotFs, err := db.Findings(tt.run)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(gotFs) != fmt.Sprint(sortedByCheck(tt.fs)) {
			t.Errorf("Findings(%s) =\n%+v\nwant\n%+v", tt.run, gotFs, sortedByCheck(tt.fs))
		}
	}
}

// withIDs returns a copy of fs with the IDs the store sets on read.
func withIDs(fs []checks.Finding) []checks.Finding {
	out := append([]checks.Finding(nil), fs...)
	for i := range out {
		out[i].ID = store.FindingID(store.FindingKey(out[i]))
	}
	return out
}

func sortedByCheck(fs []checks.Finding) []checks.Finding {
	out := withIDs(fs)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].Check < out[j-1].Check; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// Ensure that PreviousPages finds the newest complete run before the given
// one that saved the unit completely, keyed by URL, and ErrNotFound when
// there is none.
func TestPreviousPages(t *testing.T) {
	db := testutil.MustOpenStore(t)
	r1 := testutil.MustAddRun(t, db, store.Run{Units: []string{"u1"}})
	if err := db.SaveSnapshot(r1.ID, newSnapshot("u1", 5, htmlBody)); err != nil {
		t.Fatal(err)
	}
	r2 := testutil.MustBeginRun(t, db, store.Run{Units: []string{"u1"}}) // killed
	if err := db.SaveSnapshot(r2.ID, newSnapshot("u1", 7, htmlBody)); err != nil {
		t.Fatal(err)
	}
	r3 := testutil.MustAddRun(t, db, store.Run{Units: []string{"u2"}})
	if err := db.SaveSnapshot(r3.ID, newSnapshot("u2", 2, htmlBody)); err != nil {
		t.Fatal(err)
	}
	run, pages, err := db.PreviousPages("u1", "")
	if err != nil {
		t.Fatal(err)
	}
	if run.ID != r1.ID || len(pages) != 5 {
		t.Fatalf("PreviousPages(u1) = run %s, %d pages, want %s, 5", run.ID, len(pages), r1.ID)
	}
	p := pages["http://u1.example/xxgk/3.html"]
	if p == nil || p.SHA256 != shaOf(htmlBody(3)) {
		t.Errorf("PreviousPages(u1)[3.html] = %+v, want the page with body 3", p)
	}
	if _, _, err := db.PreviousPages("u1", r1.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("PreviousPages(u1, before %s): err = %v, want ErrNotFound", r1.ID, err)
	}
}

// Ensure that opening a schema 2 file (a JSON record per page, with links,
// and per finding) converts its records and reads them back as before,
// links aside, and that GC still finds every body they refer to.
func TestOpen_MigratesV2Records(t *testing.T) {
	path := tempPath(t)
	snap := newSnapshot("u1", 30, func(i int) []byte {
		if i == 4 {
			return nil
		}
		return htmlBody(i)
	})
	fs := newFindings("u1", 3)
	run := store.Run{ID: "000001", Started: t0, Finished: t0, Complete: true, Units: []string{"u1"}, Pages: 30, Findings: 3}
	bdb, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = bdb.Update(func(tx *bolt.Tx) error {
		bs := map[string]*bolt.Bucket{}
		for _, name := range []string{"meta", "runs", "snapshots", "pages", "bodies", "findings", "history"} {
			b, err := tx.CreateBucket([]byte(name))
			if err != nil {
				return err
			}
			bs[name] = b
		}
		put := func(b, k string, v any) {
			raw, _ := json.Marshal(v)
			if err == nil {
				err = bs[b].Put([]byte(k), raw)
			}
		}
		bs["meta"].Put([]byte("schema_version"), []byte("2"))
		bs["runs"].NextSequence()
		put("runs", run.ID, run)
		put("snapshots", "000001/u1", map[string]any{"unit_id": "u1", "unit_name": snap.UnitName, "entry": snap.Entry,
			"started": snap.Started, "finished": snap.Finished, "columns": snap.Columns, "probes": snap.Probes,
			"stop_reason": snap.StopReason, "total": 30, "saved": 30, "complete": true})
		for i, p := range snap.Pages {
			put("pages", fmt.Sprintf("000001/u1/%06d", i), p)
			if p.Body != nil {
				z := gzipOf(t, p.Body)
				bs["bodies"].Put([]byte(p.SHA256), z)
			}
		}
		for i, f := range fs {
			put("findings", fmt.Sprintf("000001/u1/%s/%010d", f.Check, i+1), f)
		}
		return err
	})
	bdb.Close()
	if err != nil {
		t.Fatal(err)
	}

	db := mustOpen(t, path)
	got, err := db.Snapshot("000001", "u1")
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Pages) != 30 || !reflect.DeepEqual(got.Columns, snap.Columns) || !reflect.DeepEqual(got.Probes, snap.Probes) {
		t.Fatalf("Snapshot after migration: %d pages, columns %+v, probes %+v", len(got.Pages), got.Columns, got.Probes)
	}
	for i, p := range snap.Pages {
		cp := *p
		cp.Body, cp.Links = nil, nil
		if !reflect.DeepEqual(got.Pages[i], &cp) {
			t.Errorf("page %d after migration = %+v, want %+v", i, got.Pages[i], &cp)
		}
	}
	gotFs, err := db.Findings("000001")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(gotFs, sortedByCheck(fs)) {
		t.Errorf("Findings after migration = %+v, want %+v", gotFs, sortedByCheck(fs))
	}
	if err := db.Check(); err != nil {
		t.Fatal(err)
	}
	db.Close()
	rep, err := store.GC(path, 1)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Bodies != 0 {
		t.Errorf("GC after migration dropped %d bodies still referred to", rep.Bodies)
	}
}
