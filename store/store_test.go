package store_test

import (
	"errors"
	"testing"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"gkaudit/internal/testutil"
	"gkaudit/store"
)

// Ensure that opening a new file creates every bucket and records schema version 2.
func TestOpen_CreatesSchema(t *testing.T) {
	path := tempPath(t)
	db := mustOpen(t, path)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	bdb, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	err = bdb.View(func(tx *bolt.Tx) error {
		for _, name := range []string{"meta", "runs", "snapshots", "pages", "bodies", "findings", "history", "blobs", "events", "event_index", "finding_ids", "notices", "users", "reviews", "probes", "views", "view_skeletons"} {
			if tx.Bucket([]byte(name)) == nil {
				t.Errorf("bucket %s missing", name)
			}
		}
		if meta := tx.Bucket([]byte("meta")); meta != nil {
			if got := string(meta.Get([]byte("schema_version"))); got != "7" {
				t.Errorf("schema_version = %q, want %q", got, "7")
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Ensure that reopening a file keeps its runs and continues the ID sequence.
func TestOpen_Reopen(t *testing.T) {
	path := tempPath(t)
	db := mustOpen(t, path)
	r1 := mustBeginRun(t, db)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db = mustOpen(t, path)
	defer db.Close()
	got, err := db.Run(r1.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != r1.ID || got.ConfigSource != r1.ConfigSource {
		t.Errorf("Run(%s) = %+v, want %+v", r1.ID, got, r1)
	}
	r2 := mustBeginRun(t, db)
	if r2.ID != "000002" {
		t.Errorf("second run ID = %q, want %q", r2.ID, "000002")
	}
}

// Ensure that a file written by a newer schema is refused with ErrSchemaNewer
// and a message naming both versions.
func TestOpen_ErrSchemaNewer(t *testing.T) {
	path := tempPath(t)
	if err := mustOpen(t, path).Close(); err != nil {
		t.Fatal(err)
	}
	bdb, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = bdb.Update(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("meta")).Put([]byte("schema_version"), []byte("99"))
	})
	if err != nil {
		t.Fatal(err)
	}
	bdb.Close()

	db, err := store.Open(path)
	if err == nil {
		db.Close()
		t.Fatal("Open succeeded on schema version 99")
	}
	if !errors.Is(err, store.ErrSchemaNewer) {
		t.Errorf("Open error = %v, want ErrSchemaNewer", err)
	}
	const want = "store: open " // then path, then the versions
	if msg := err.Error(); len(msg) < len(want) || msg[:len(want)] != want {
		t.Errorf("Open error = %q, want prefix %q", msg, want)
	}
	t.Log(err)
}

// Ensure that a second open of a locked file gives up after the lock timeout.
func TestOpen_ErrTimeout(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the 1s lock timeout")
	}
	path := tempPath(t)
	db := mustOpen(t, path)
	defer db.Close()
	db2, err := store.Open(path)
	if err == nil {
		db2.Close()
		t.Fatal("second Open succeeded on a locked file")
	}
	if !errors.Is(err, berrors.ErrTimeout) {
		t.Errorf("second Open error = %v, want ErrTimeout", err)
	}
}

// Ensure that Stats counts an empty file's zero records and its size.
func TestStats_Empty(t *testing.T) {
	db := testutil.MustOpenStore(t)
	st, err := db.Stats()
	if err != nil {
		t.Fatal(err)
	}
	if st.Runs != 0 || st.Pages != 0 || st.Bodies != 0 || st.Findings != 0 || st.FileSize == 0 {
		t.Errorf("Stats() = %+v, want zero counts and a file size", st)
	}
}
