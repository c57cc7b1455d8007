//go:build linux

package store

import (
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	bolt "go.etcd.io/bbolt"
)

// bbolt reads the store file through mmap, and every page a transaction
// reads stays mapped into the process: its resident set grows with the
// file to the size of the whole district's bodies and views. Worse, the
// kernel maps a window of 64 KB around each page read (fault-around), and
// bodies and views are stored by digest, at random keys: every put or
// lookup reads another leaf, and a few thousand of them (one batch of a
// crawl's bodies, a second of four crawls' lookups) map a hundred MB or
// more. So while transactions run, the DB drops the mapped pages (madvise
// DONTNEED) in a goroutine of its own, looking every releaseEvery and
// releasing once releaseAbove more is mapped, also in the middle of a long
// write transaction. They stay in the kernel's page cache and are mapped
// again on the next read.

// releaseEvery bounds how long mapped pages stay: at the random reads of a
// district's crawl, a process then holds some tens of MB of the file.
const releaseEvery = 5 * time.Millisecond

// releaseAbove is how much the process's file-backed resident set may grow
// after a release before a tick releases again. A release walks the whole
// mapping (0.2 to 1.5 ms on a district's file); most ticks find little
// mapped, and a read of /proc/self/statm costs some microseconds.
const releaseAbove = 8 << 20

// startReleaser starts the goroutine that releases the mapped file while
// transactions run; Close stops it (stopReleaser). It sleeps while the
// store is idle: the first transaction to begin wakes it (begin), and it
// goes back to sleep after a tick with no transaction open or begun.
func (db *DB) startReleaser() {
	db.kicks = make(chan struct{}, 1)
	db.released = make(chan struct{})
	go func() {
		defer close(db.released)
		t := time.NewTicker(releaseEvery)
		defer t.Stop()
		statm, _ := os.Open("/proc/self/statm") // nil: release every tick
		if statm != nil {
			defer statm.Close()
		}
		after := int64(-1) // file-backed resident bytes after the last release
		for range db.kicks {
			for {
				<-t.C
				if now, ok := sharedResident(statm); !ok || after < 0 || now-after >= releaseAbove {
					db.ReleaseMapped()
					after, _ = sharedResident(statm)
				}
				if db.active.Load() == 0 && !db.touched.Swap(false) {
					break
				}
			}
		}
	}()
}

// sharedResident reads the process's resident file-backed (and shared)
// bytes from /proc/self/statm, its third field; false when it cannot.
func sharedResident(statm *os.File) (int64, bool) {
	if statm == nil {
		return 0, false
	}
	var buf [128]byte
	n, err := statm.ReadAt(buf[:], 0)
	if n == 0 || (err != nil && err != io.EOF) {
		return 0, false
	}
	fields := strings.Fields(string(buf[:n]))
	if len(fields) < 3 {
		return 0, false
	}
	pages, err := strconv.ParseInt(fields[2], 10, 64)
	if err != nil {
		return 0, false
	}
	return pages * int64(os.Getpagesize()), true
}

// stopReleaser stops the releaser goroutine and waits for it.
func (db *DB) stopReleaser() {
	if db.kicks != nil {
		close(db.kicks)
		<-db.released
		db.kicks = nil
	}
}

// begin marks a transaction of the store's as open until the returned
// function is called, waking the releaser if it sleeps. It never blocks.
func (db *DB) begin() (end func()) {
	if db.kicks == nil {
		return func() {}
	}
	db.active.Add(1)
	db.touched.Store(true)
	select {
	case db.kicks <- struct{}{}:
	default: // awake, or about to be
	}
	return func() { db.active.Add(-1) }
}

// ReleaseMapped drops the pages of the store file that reading has mapped
// into the process. It runs inside a read transaction, which keeps bbolt
// from remapping the file meanwhile (a write transaction's commit, which
// may remap, waits for it), so it is safe beside any other transaction.
// Errors are ignored: this only affects memory accounting, never data.
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
