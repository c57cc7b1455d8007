//go:build !linux

package store

// ReleaseMapped is a no-op where the store cannot drop mapped pages.
func (db *DB) ReleaseMapped() {}

// noteRead counts one read of a view or body; elsewhere than Linux there is
// nothing to release.
func (db *DB) noteRead() { db.reads.Add(1) }
