//go:build !linux

package store

// ReleaseMapped is a no-op where the store cannot drop mapped pages.
func (db *DB) ReleaseMapped() {}
