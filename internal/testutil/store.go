// Package testutil holds helpers shared by tests of several packages.
package testutil

import (
	"path/filepath"
	"testing"

	"gkaudit/checks"
	"gkaudit/store"
)

// MustOpenStore opens a new store in t.TempDir. On cleanup it runs the
// store's consistency check and closes it, failing the test on any error.
func MustOpenStore(t testing.TB) *store.DB {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "gkaudit.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := db.Check(); err != nil {
			t.Error(err)
		}
		if err := db.Close(); err != nil {
			t.Error(err)
		}
	})
	return db
}

// MustWriteStore creates a store file in t.TempDir, lets fill write to it,
// checks and closes it, and returns its path: for tests of code that opens
// the file itself, such as the command line.
func MustWriteStore(t testing.TB, fill func(db *store.DB)) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "gkaudit.db")
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	fill(db)
	if err := db.Check(); err != nil {
		t.Error(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// MustBeginRun begins run r and saves fs under it, leaving it incomplete as a
// killed process would.
func MustBeginRun(t testing.TB, db *store.DB, r store.Run, fs ...checks.Finding) store.Run {
	t.Helper()
	r, err := db.BeginRun(r)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) > 0 {
		if err := db.SaveFindings(r.ID, fs); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

// MustAddRun records a complete run: MustBeginRun, then FinishRun.
func MustAddRun(t testing.TB, db *store.DB, r store.Run, fs ...checks.Finding) store.Run {
	t.Helper()
	r = MustBeginRun(t, db, r, fs...)
	if err := db.FinishRun(r.ID); err != nil {
		t.Fatal(err)
	}
	r, err := db.Run(r.ID)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// Finding returns a finding of unit and check on subject with status st, its
// URL the subject and a detail naming all three.
func Finding(unit, check, subject string, st checks.Status) checks.Finding {
	return checks.Finding{Unit: unit, Check: check, Subject: subject, Status: st, URL: subject,
		Detail: check + " " + string(st) + " at " + subject}
}
