// Package testutil holds helpers shared by tests of several packages.
package testutil

import (
	"path/filepath"
	"testing"

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
