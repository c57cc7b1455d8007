//go:build linux

package store

import (
	"golang.org/x/sys/unix"

	bolt "go.etcd.io/bbolt"
)

// ReleaseMapped drops the pages of the store file that reading has mapped
// into the process (bbolt reads the file through mmap). They stay in the
// kernel's page cache and are mapped again on the next read; until then
// they no longer count in the process's resident set, which otherwise grows
// with the file to the size of the whole district's bodies. It runs inside
// a read transaction, which keeps bbolt from remapping the file meanwhile.
// Errors are ignored: this only affects memory accounting, never data.
func (db *DB) ReleaseMapped() {
	_ = db.bolt.View(func(tx *bolt.Tx) error {
		data := db.bolt.Info().Data
		if size := tx.Size(); data != 0 && size > 0 {
			_, _, _ = unix.Syscall(unix.SYS_MADVISE, data, uintptr(size), unix.MADV_DONTNEED)
		}
		return nil
	})
}

// releaseEveryReads is how many views and bodies may be read through the
// mapped file between two releases of its pages. The count matters more
// than their bytes: a read of a few hundred bytes at a random key faults
// in the pages around it as well (the kernel maps up to 64 KB of cached
// file around a fault), so 256 reads keep at most about 16 MB mapped.
const releaseEveryReads = 256

// noteRead counts one read of a view or body (outside any transaction:
// ReleaseMapped opens its own) and releases the mapped pages every
// releaseEveryReads reads.
func (db *DB) noteRead() {
	if db.reads.Add(1)%releaseEveryReads == 0 {
		db.ReleaseMapped()
	}
}
