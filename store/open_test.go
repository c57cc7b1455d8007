package store_test

import (
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"gkaudit/store"
)

// Ensure that OpenWith reports a truncated file as a *DamagedError before
// bbolt maps it (which faulted), in both modes, and leaves it alone.
func TestOpen_TruncatedFileIsDamaged(t *testing.T) {
	path := tempPath(t)
	db := mustOpen(t, path)
	r := mustBeginRun(t, db)
	if err := db.SaveSnapshot(r.ID, newSnapshot("u1", 200, htmlBody)); err != nil {
		t.Fatal(err)
	}
	db.Close()
	fi, _ := os.Stat(path)
	if err := os.Truncate(path, fi.Size()/2); err != nil {
		t.Fatal(err)
	}
	for _, ro := range []bool{true, false} {
		_, err := store.OpenWith(path, store.Options{ReadOnly: ro})
		var de *store.DamagedError
		if !errors.Is(err, store.ErrDamaged) || !errors.As(err, &de) || de.Path != path {
			t.Errorf("OpenWith(read-only %v) of a truncated file = %v, want a DamagedError", ro, err)
		}
	}
	if now, _ := os.Stat(path); now.Size() != fi.Size()/2 {
		t.Errorf("open changed the truncated file's size to %d", now.Size())
	}
}

// Ensure that a read-only open of a missing file fails with ErrNotExist and
// creates nothing, while a write open creates it.
func TestOpen_ReadOnlyMissingFile(t *testing.T) {
	path := tempPath(t)
	if _, err := store.OpenWith(path, store.Options{ReadOnly: true}); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("read-only open of a missing file = %v, want ErrNotExist", err)
	}
	if _, err := os.Stat(path); err == nil {
		t.Fatal("read-only open created the file")
	}
	db, err := store.OpenWith(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
}

// Ensure that a write open refuses another program's bbolt file and adds
// no bucket to it.
func TestOpen_ForeignBoltFileGetsNoBuckets(t *testing.T) {
	path := tempPath(t)
	bdb, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	bdb.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("theirs")); return err })
	bdb.Close()
	for _, ro := range []bool{true, false} {
		if _, err := store.OpenWith(path, store.Options{ReadOnly: ro}); !errors.Is(err, store.ErrForeign) {
			t.Errorf("OpenWith(read-only %v) of a foreign file = %v, want ErrForeign", ro, err)
		}
	}
	bdb, err = bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	var names []string
	bdb.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, _ *bolt.Bucket) error { names = append(names, string(name)); return nil })
	})
	if len(names) != 1 || names[0] != "theirs" {
		t.Errorf("buckets of the foreign file after the opens = %q, want only theirs", names)
	}
}

// Ensure that a write open holding a Holder writes the busy note naming
// its run once begun, and removes it on close.
func TestOpen_HolderNote(t *testing.T) {
	path := tempPath(t)
	db, err := store.OpenWith(path, store.Options{Holder: "gkaudit audit"})
	if err != nil {
		t.Fatal(err)
	}
	r := mustBeginRun(t, db)
	raw, err := os.ReadFile(path + ".busy")
	if err != nil || !contains(string(raw), `"by":"gkaudit audit"`) || !contains(string(raw), `"run":"`+r.ID+`"`) {
		t.Errorf("busy note = %s, %v; want gkaudit audit and run %s", raw, err, r.ID)
	}
	db.Close()
	if _, err := os.Stat(path + ".busy"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("busy note after close: %v, want it gone", err)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
