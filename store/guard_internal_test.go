package store

import (
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// Ensure that guard turns only damage into errors: a panic raised by
// gkaudit's own code inside a transaction is a bug and goes on.
func TestGuard_BugIsNotDamage(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "gkaudit.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	defer func() {
		if r := recover(); r == nil {
			t.Error("a panic in the transaction's function was swallowed")
		}
	}()
	db.view(func(tx *bolt.Tx) error {
		var xs []int
		_ = xs[tx.Bucket(bucketRuns).Stats().KeyN+1] // index out of range
		return nil
	})
}
