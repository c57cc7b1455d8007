//go:build linux

package store

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Ensure that the releaser dropping mapped pages in the middle of long
// transactions (a 12 MB write at random keys, reads beside it) loses nothing:
// every record reads back as written, and the race detector sees the
// releaser, the writer and the readers together.
func TestReleaser_DuringLongTransactions(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	value := func(i int) []byte { return bytes.Repeat(fmt.Appendf(nil, "%08d", i), 256) }
	key := func(i int) []byte {
		sum := sha256.Sum256(fmt.Appendf(nil, "%d", i))
		return []byte(hex.EncodeToString(sum[:]))
	}
	const n = 6000
	done := make(chan error, 1)
	go func() { // a reader beside the writer, over the records written so far
		var err error
		for range 20 {
			err = cmp.Or(err, db.view(func(tx *bolt.Tx) error {
				return tx.Bucket(bucketBodies).ForEach(func(k, v []byte) error {
					if len(v) != 8*256 {
						return fmt.Errorf("record %s: %d bytes", k, len(v))
					}
					return nil
				})
			}))
			time.Sleep(2 * time.Millisecond)
		}
		done <- err
	}()
	err = db.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketBodies)
		for i := range n {
			if err := b.Put(key(i), value(i)); err != nil {
				return err
			}
			if i%500 == 0 {
				time.Sleep(3 * releaseEvery) // the releaser runs meanwhile
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	db.ReleaseMapped()
	err = db.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketBodies)
		for i := range n {
			if got := b.Get(key(i)); !bytes.Equal(got, value(i)) {
				return fmt.Errorf("record %d: %d bytes, want %d", i, len(got), len(value(i)))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Idle, the releaser has taken note of every transaction and sleeps.
	time.Sleep(10 * releaseEvery)
	if db.active.Load() != 0 || db.touched.Load() {
		t.Errorf("after the transactions: %d open, touched %v; want 0 and false (the releaser has run)", db.active.Load(), db.touched.Load())
	}
}

// Ensure that the releaser can tell how much of the file is mapped: without
// it, it would release on every tick.
func TestSharedResident(t *testing.T) {
	statm, err := os.Open("/proc/self/statm")
	if err != nil {
		t.Skip("no /proc/self/statm:", err)
	}
	defer statm.Close()
	for range 2 { // read again from the start, as the releaser does
		if n, ok := sharedResident(statm); !ok || n <= 0 {
			t.Fatalf("sharedResident = %d, %v; want the binary's mapped pages at least", n, ok)
		}
	}
	if _, ok := sharedResident(nil); ok {
		t.Error("sharedResident(nil) reported a size")
	}
}
