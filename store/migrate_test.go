package store_test

import (
	"encoding/json"
	"fmt"
	"testing"

	bolt "go.etcd.io/bbolt"

	"gkaudit/checks"
	"gkaudit/internal/testutil"
	"gkaudit/store"
)

// writeV1 writes a schema version 1 file as gkaudit before the history bucket
// wrote it: the v1 buckets, run records and findings, no history.
func writeV1(t *testing.T, path string, runs []store.Run, findings map[string][]checks.Finding) {
	t.Helper()
	bdb, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	err = bdb.Update(func(tx *bolt.Tx) error {
		bs := map[string]*bolt.Bucket{}
		for _, name := range []string{"meta", "runs", "snapshots", "pages", "bodies", "findings"} {
			b, err := tx.CreateBucket([]byte(name))
			if err != nil {
				return err
			}
			bs[name] = b
		}
		if err := bs["meta"].Put([]byte("schema_version"), []byte("1")); err != nil {
			return err
		}
		for _, r := range runs {
			if _, err := bs["runs"].NextSequence(); err != nil {
				return err
			}
			for _, f := range findings[r.ID] {
				seq, _ := bs["findings"].NextSequence()
				v, _ := json.Marshal(f)
				if err := bs["findings"].Put(fmt.Appendf(nil, "%s/%s/%s/%010d", r.ID, f.Unit, f.Check, seq), v); err != nil {
					return err
				}
			}
			r.Findings = int64(len(findings[r.ID]))
			v, _ := json.Marshal(r)
			if err := bs["runs"].Put([]byte(r.ID), v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Ensure that opening a version 1 file adds the history bucket and fills it
// from the complete runs in run order, skipping incomplete ones, and that the
// file then goes on as a current one.
func TestOpen_MigratesV1History(t *testing.T) {
	f := testutil.Finding
	a := func(st checks.Status) checks.Finding { return f("u1", "org.info", "org_info", st) }
	b := func(st checks.Status) checks.Finding { return f("u1", "guide.present", "guide", st) }
	c := f("u2", "org.info", "org_info", fail)
	runs := []store.Run{
		{ID: "000001", Started: t0, Complete: true, Finished: t0, Units: []string{"u1", "u2"}},
		{ID: "000002", Started: t0.AddDate(0, 0, 1), Units: []string{"u1"}}, // killed
		{ID: "000003", Started: t0.AddDate(0, 0, 2), Complete: true, Finished: t0, Units: []string{"u1"}},
		{ID: "000004", Started: t0.AddDate(0, 0, 3), Complete: true, Finished: t0, Units: []string{"u1"}},
	}
	findings := map[string][]checks.Finding{
		"000001": {a(fail), b(fail), c},
		"000002": {a(pass), f("u1", "link.broken", "http://x/", fail)},
		"000003": {a(pass), b(pass)},
		"000004": {a(fail), b(pass)},
	}
	path := tempPath(t)
	writeV1(t, path, runs, findings)

	db := mustOpen(t, path)
	defer db.Close()
	if err := db.Check(); err != nil {
		t.Fatal(err)
	}
	es, err := db.History("u1")
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 2 {
		t.Fatalf("History(u1) after migration = %+v, want 2 entries", es)
	}
	for _, tt := range []struct {
		f                        checks.Finding
		first, last, fixed, chkd string
		reopened                 int
	}{
		{a(fail), "000001", "000004", "", "000004", 1},
		{b(fail), "000001", "000001", "000003", "000004", 0},
		{c, "000001", "000001", "", "000001", 0},
	} {
		e := mustHistoryOf(t, db, tt.f)
		if e.FirstSeen.Run != tt.first || e.LastSeen.Run != tt.last || e.Fixed.Run != tt.fixed || e.LastChecked.Run != tt.chkd || e.Reopened != tt.reopened {
			t.Errorf("%s = %+v, want first %s, last %s, fixed %q, checked %s, reopened %d",
				e.Key, e, tt.first, tt.last, tt.fixed, tt.chkd, tt.reopened)
		}
		if !e.FirstSeen.At.Equal(t0) {
			t.Errorf("%s first seen at %v, want %v", e.Key, e.FirstSeen.At, t0)
		}
		// Schema 4 gives it an id, a state and a migrate event.
		wantState := store.StateOpen
		if tt.fixed != "" {
			wantState = store.StateFixed
		}
		if e.ID != store.FindingID(e.Key) || e.State != wantState {
			t.Errorf("%s id %q state %s, want %q %s", e.Key, e.ID, e.State, store.FindingID(e.Key), wantState)
		}
		if byID, err := db.Entry(e.ID); err != nil || byID.Key != e.Key {
			t.Errorf("Entry(%s) = %+v, %v", e.ID, byID, err)
		}
		evs, err := db.Events(store.EventFilter{Finding: e.ID})
		if err != nil || len(evs) != 1 || evs[0].Action != store.ActionMigrate || evs[0].To != wantState {
			t.Errorf("events of %s = %+v, %v; want one migrate event to %s", e.Key, evs, err, wantState)
		}
	}

	// The migrated file keeps going: the next run continues IDs and history.
	r5 := testutil.MustAddRun(t, db, day(4, "u1"), a(pass))
	if r5.ID != "000005" {
		t.Errorf("run after migration has ID %s, want 000005", r5.ID)
	}
	if e := mustHistoryOf(t, db, a(fail)); e.Fixed.Run != r5.ID {
		t.Errorf("%s after run %s = %+v, want fixed there", e.Key, r5.ID, e)
	}
}
