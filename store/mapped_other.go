//go:build !linux

package store

import bolt "go.etcd.io/bbolt"

// Elsewhere than Linux the store does not drop mapped pages.

func (db *DB) startReleaser() {}
func (db *DB) stopReleaser()  {}
func (db *DB) begin() func()  { return func() {} }

// ReleaseMapped is a no-op where the store cannot drop mapped pages.
func (db *DB) ReleaseMapped() {}

func (db *DB) releaseDuring(*bolt.Tx) (stop func()) { return func() {} }
