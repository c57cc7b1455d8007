//go:build linux

package store

import (
	"time"

	"golang.org/x/sys/unix"

	bolt "go.etcd.io/bbolt"
)

// bbolt reads the store file through mmap, and every page a transaction
// reads stays mapped into the process: its resident set grows with the
// file to the size of the whole district's bodies and views. So the DB
// drops the mapped pages (madvise DONTNEED) at most every releaseEvery,
// after any transaction (kick), in a goroutine of its own. They stay in the
// kernel's page cache and are mapped again on the next read.

// releaseEvery bounds how long mapped pages stay: reading at a few hundred
// MB a second, a process then holds some tens of MB of the file at a time.
const releaseEvery = 20 * time.Millisecond

// startReleaser starts the goroutine that releases the mapped file when
// kicked; Close stops it.
func (db *DB) startReleaser() {
	db.kicks = make(chan struct{}, 1)
	db.released = make(chan struct{})
	go func() {
		defer close(db.released)
		for range db.kicks {
			db.ReleaseMapped()
		}
	}()
}

// stopReleaser stops the releaser goroutine and waits for it.
func (db *DB) stopReleaser() {
	if db.kicks != nil {
		close(db.kicks)
		<-db.released
		db.kicks = nil
	}
}

// kick asks the releaser to drop the mapped pages when releaseEvery has
// passed since it last did. It never blocks, and it is called after a
// transaction, not inside one: the releaser opens a read transaction of its
// own, which keeps bbolt from remapping the file while it runs.
func (db *DB) kick() {
	if db.kicks == nil {
		return
	}
	now := time.Now().UnixNano()
	last := db.lastKick.Load()
	if now-last < int64(releaseEvery) || !db.lastKick.CompareAndSwap(last, now) {
		return
	}
	select {
	case db.kicks <- struct{}{}:
	default: // a release is already waiting
	}
}

// ReleaseMapped drops the pages of the store file that reading has mapped
// into the process. It runs inside a read transaction, which keeps bbolt
// from remapping the file meanwhile. Errors are ignored: this only affects
// memory accounting, never data.
func (db *DB) ReleaseMapped() {
	_ = db.bolt.View(func(tx *bolt.Tx) error {
		release(db.bolt.Info().Data, tx.Size())
		return nil
	})
}

func release(data uintptr, size int64) {
	if data != 0 && size > 0 {
		_, _, _ = unix.Syscall(unix.SYS_MADVISE, data, uintptr(size), unix.MADV_DONTNEED)
	}
}

// releaseDuring releases the pages tx maps every few milliseconds until
// stop is called: bbolt's consistency check reads every page of the file
// in one transaction. tx, open meanwhile, keeps the mapping in place.
func (db *DB) releaseDuring(tx *bolt.Tx) (stop func()) {
	data, size := db.bolt.Info().Data, tx.Size()
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				release(data, size)
				return
			case <-t.C:
				release(data, size)
			}
		}
	}()
	return func() { close(done); <-finished }
}
