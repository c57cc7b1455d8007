// Package store keeps audit runs in one bbolt file: run records, page metadata
// per run and unit, page bodies (gzip-compressed, keyed by SHA-256 and shared
// across runs), findings, and the history of each finding across runs.
//
// Writes go through short bbolt transactions (a unit's pages are saved in
// chunks), so a process killed mid-run leaves a valid file in which that run
// stays marked incomplete. A DB is safe for concurrent use: bbolt serialises
// writers.
//
// Layout (JSON, or gzip'd JSON where marked z):
//
//	meta       "schema_version" -> decimal version
//	runs       <run>                -> Run
//	snapshots  <run>/<unit>         -> z: unit name, entry, times, stop reason, save progress,
//	                                   blob of columns and probes, probe times
//	pages      <run>/<unit>/<chunk> -> z: blob of page metadata (no Body, no Links) for a
//	                                   chunk of pages sorted by URL, and each page's fetch
//	                                   time, latency, bytes, attempts, 304 flag
//	bodies     <sha256 hex>         -> gzip of the body (not JSON)
//	blobs      <sha256 hex>         -> z: metadata shared by runs that saw the same thing
//	findings   <run>/<unit>/<seq>   -> z: blob of one save's findings of the unit, and
//	                                   their evidence fetch times
//	history    <unit>/<check>/<subject>   -> z: HistoryEntry (see FindingKey), with
//	                                   its lifecycle state
//	finding_ids <finding id>       -> history key
//	events     <seq>                -> Event: the append-only audit log
//	event_index <finding id>/<seq> -> nil
//	notices    <seq>                -> Notice
//	users      <name>               -> User (bcrypt hash, role)
//	reviews    <seq>                -> Review (reviewer scores, append-only)
//	probes     <unit>/<time>        -> ProbeResult (availability probes)
//
// A run over an unchanged site therefore adds little: its fetch times, and
// references to blobs and bodies already there (see records.go).
package store

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"sync/atomic"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// Errors callers may branch on.
var (
	// ErrNotFound is returned when a run, snapshot or body does not exist.
	ErrNotFound = errors.New("not found")

	// ErrSchemaNewer is returned by Open when the file was written by a newer
	// gkaudit whose schema version this build does not know.
	ErrSchemaNewer = errors.New("file written by a newer gkaudit")

	// ErrLocked is returned (wrapped) by Open when another process (gkaudit
	// serve during a run, an audit, gc) held the file's lock for the whole
	// second Open waits. It is bbolt's timeout error.
	ErrLocked = bolterrors.ErrTimeout
)

var (
	bucketMeta      = []byte("meta")
	bucketRuns      = []byte("runs")
	bucketSnapshots = []byte("snapshots")
	bucketPages     = []byte("pages")
	bucketBodies    = []byte("bodies")
	bucketFindings  = []byte("findings")
	bucketHistory   = []byte("history")
	bucketBlobs     = []byte("blobs")
	// Lifecycle (schema 4).
	bucketEvents     = []byte("events")
	bucketEventIndex = []byte("event_index")
	bucketFindingIDs = []byte("finding_ids")
	bucketNotices    = []byte("notices")
	// Service (schema 5).
	bucketUsers   = []byte("users")
	bucketReviews = []byte("reviews")
	bucketProbes  = []byte("probes")
	bucketViews   = []byte("views")
	// Views split (schema 7).
	bucketViewSkeletons = []byte("view_skeletons")

	keySchemaVersion = []byte("schema_version")
)

// migrations[i] upgrades a file from schema version i to i+1. Append new steps;
// never edit or reorder released ones. The current version is len(migrations).
var migrations = []func(tx *bolt.Tx) error{
	// 1: initial buckets.
	func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketRuns, bucketSnapshots, bucketPages, bucketBodies, bucketFindings} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return fmt.Errorf("create bucket %s: %w", name, err)
			}
		}
		return nil
	},
	// 2: finding history, replayed from the complete runs in the file.
	func(tx *bolt.Tx) error {
		if _, err := tx.CreateBucket(bucketHistory); err != nil {
			return fmt.Errorf("create bucket history: %w", err)
		}
		return backfillHistory(tx)
	},
	// 3: per-run records split into shared blobs and the run's own part.
	func(tx *bolt.Tx) error {
		if _, err := tx.CreateBucket(bucketBlobs); err != nil {
			return fmt.Errorf("create bucket blobs: %w", err)
		}
		return convertRecords(tx)
	},
	// 4: finding lifecycle: states, the append-only event log, finding ids
	// and notices.
	func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketEvents, bucketEventIndex, bucketFindingIDs, bucketNotices} {
			if _, err := tx.CreateBucket(name); err != nil {
				return fmt.Errorf("create bucket %s: %w", name, err)
			}
		}
		return migrateLifecycle(tx)
	},
	// 5: the service: user accounts, reviewers' scores, availability probes.
	func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketUsers, bucketReviews, bucketProbes} {
			if _, err := tx.CreateBucket(name); err != nil {
				return fmt.Errorf("create bucket %s: %w", name, err)
			}
		}
		return nil
	},
	// 6: page views (package page), by body digest and page URL.
	func(tx *bolt.Tx) error {
		if _, err := tx.CreateBucket(bucketViews); err != nil {
			return fmt.Errorf("create bucket %s: %w", bucketViews, err)
		}
		return nil
	},
	// 7: views stored as a skeleton and the rest (viewcodec.go), in CBOR
	// and zstd; the gzipped JSON views of schema 6 are dropped (they are
	// read again from their bodies when needed).
	func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket(bucketViews); err != nil {
			return fmt.Errorf("delete bucket %s: %w", bucketViews, err)
		}
		for _, name := range [][]byte{bucketViews, bucketViewSkeletons} {
			if _, err := tx.CreateBucket(name); err != nil {
				return fmt.Errorf("create bucket %s: %w", name, err)
			}
		}
		return nil
	},
}

// SchemaVersion is the schema version this build writes (and upgrades older
// files to).
func SchemaVersion() int { return len(migrations) }

// allocSize is how much the file grows by at a time. bbolt's default (16 MB)
// would make each nightly run that needs a page more cost 16 MB of disk.
const allocSize = 64 << 10

// denseFill is the fill percent of the buckets a run appends to or rewrites
// (bbolt's default, 0.5, leaves pages half empty when keys come in order).
const denseFill = 0.9

// DB is an open store file.
type DB struct {
	bolt     *bolt.DB
	path     string
	readOnly bool
	note     *BusyNote // the FILE.busy note a write open with a Holder keeps
	notices  io.Writer // see Options.Notices
	// The releaser of mapped pages (mapped_linux.go): kicks wakes it,
	// released is closed when it has stopped; active counts the open
	// transactions, touched is set when one begins.
	kicks    chan struct{}
	released chan struct{}
	active   atomic.Int64
	touched  atomic.Bool
}

// Open opens the store at path for writing, creating it if missing, and
// brings its schema up to date. It waits at most a second for another
// process's lock. See OpenWith.
func Open(path string) (*DB, error) {
	return OpenWith(path, Options{})
}

// migrate applies steps[v:] where v is the file's schema version, recording the
// version after each step. It runs in one transaction: all or nothing.
func migrate(tx *bolt.Tx, steps []func(*bolt.Tx) error) error {
	// Another program's bbolt file gets no bucket of ours.
	v, err := schemaVersion(tx)
	if err != nil {
		return err
	}
	meta, err := tx.CreateBucketIfNotExists(bucketMeta)
	if err != nil {
		return fmt.Errorf("create bucket meta: %w", err)
	}
	if v > len(steps) {
		return fmt.Errorf("file has schema version %d, this build supports up to %d: %w", v, len(steps), ErrSchemaNewer)
	}
	for ; v < len(steps); v++ {
		if err := steps[v](tx); err != nil {
			return fmt.Errorf("migrate schema to version %d: %w", v+1, err)
		}
		if err := meta.Put(keySchemaVersion, []byte(strconv.Itoa(v+1))); err != nil {
			return err
		}
	}
	return nil
}

// Close closes the file.
func (db *DB) Close() error {
	db.stopReleaser()
	if db.note != nil {
		// Before the lock goes: a note never names a process not holding it.
		_ = ClearBusyNote(db.path)
	}
	if err := db.bolt.Close(); err != nil {
		return fmt.Errorf("store: close: %w", err)
	}
	return nil
}

// Check runs bbolt's consistency check over the whole file and returns the
// first problem found, or nil.
func (db *DB) Check() error {
	return db.view(func(tx *bolt.Tx) error {
		defer db.releaseDuring(tx)()
		var errs []error
		for err := range tx.Check() {
			errs = append(errs, err)
		}
		if len(errs) > 0 {
			return fmt.Errorf("store: check %s: %w", db.bolt.Path(), errors.Join(errs...))
		}
		return nil
	})
}

// Stats counts what the file holds.
type Stats struct {
	Runs      int
	Snapshots int // (run, unit) pairs saved
	Pages     int // page records over all runs
	Bodies    int // distinct bodies stored
	Blobs     int // distinct metadata blobs stored
	Findings  int
	History   int   // finding identities ever failing
	FileSize  int64 // bytes on disk
}

// Stats returns counts of runs, snapshots, pages, bodies, findings and history
// entries, and the file size.
func (db *DB) Stats() (Stats, error) {
	var st Stats
	err := db.view(func(tx *bolt.Tx) error {
		st.Runs = tx.Bucket(bucketRuns).Stats().KeyN
		st.Snapshots = tx.Bucket(bucketSnapshots).Stats().KeyN
		st.Bodies = tx.Bucket(bucketBodies).Stats().KeyN
		st.Blobs = tx.Bucket(bucketBlobs).Stats().KeyN
		st.History = tx.Bucket(bucketHistory).Stats().KeyN
		// Pages and findings are stored in chunks; the runs keep the counts.
		return tx.Bucket(bucketRuns).ForEach(func(k, v []byte) error {
			var r Run
			if err := unmarshal(v, &r); err != nil {
				return fmt.Errorf("run %s: %w", k, err)
			}
			st.Pages += int(r.Pages)
			st.Findings += int(r.Findings)
			return nil
		})
	})
	if err != nil {
		return Stats{}, fmt.Errorf("store: stats: %w", err)
	}
	fi, err := os.Stat(db.bolt.Path())
	if err != nil {
		return Stats{}, fmt.Errorf("store: stats: %w", err)
	}
	st.FileSize = fi.Size()
	return st, nil
}
