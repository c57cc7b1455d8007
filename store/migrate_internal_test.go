package store

import (
	"path/filepath"
	"strconv"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// Ensure that a file at the current version gets later migration steps applied
// in order and the version recorded, and that a failing step leaves it
// untouched.
func TestMigrate_AppliesLaterSteps(t *testing.T) {
	path := filepath.Join(t.TempDir(), "gkaudit.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	var order []int
	step := func(n int) func(*bolt.Tx) error {
		return func(tx *bolt.Tx) error {
			order = append(order, n)
			_, err := tx.CreateBucket([]byte{'b', byte('0' + n)})
			return err
		}
	}
	steps := append(append([]func(*bolt.Tx) error{}, migrations...), step(8), step(9))
	if err := db.bolt.Update(func(tx *bolt.Tx) error { return migrate(tx, steps) }); err != nil {
		t.Fatal(err)
	}
	if len(order) != 2 || order[0] != 8 || order[1] != 9 {
		t.Errorf("steps ran in order %v, want [8 9]", order)
	}
	if err := db.bolt.Update(func(tx *bolt.Tx) error { return migrate(tx, steps) }); err != nil {
		t.Fatal(err)
	}
	if len(order) != 2 {
		t.Errorf("second migrate reran steps: %v", order)
	}
	failing := append(steps, func(tx *bolt.Tx) error {
		if _, err := tx.CreateBucket([]byte("b4")); err != nil {
			return err
		}
		return bolt.ErrBucketNameRequired // any error
	})
	if err := db.bolt.Update(func(tx *bolt.Tx) error { return migrate(tx, failing) }); err == nil {
		t.Error("migrate with a failing step succeeded")
	}
	err = db.bolt.View(func(tx *bolt.Tx) error {
		if tx.Bucket([]byte("b4")) != nil {
			t.Error("failed step's bucket b4 was kept")
		}
		want := strconv.Itoa(len(migrations) + 2)
		if got := string(tx.Bucket(bucketMeta).Get(keySchemaVersion)); got != want {
			t.Errorf("schema_version = %q, want %q", got, want)
		}
		if tx.Bucket([]byte("b9")) == nil {
			t.Error("bucket b9 missing")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
