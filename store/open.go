package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// More errors callers may branch on (see also store.go).
var (
	// ErrDamaged marks (errors.Is) every error caused by a damaged file: a
	// truncated or overwritten page, a record that no longer decodes. The
	// error is a *DamagedError saying what was found.
	ErrDamaged = errors.New("store file is damaged")

	// ErrForeign is returned by Open for a bbolt file that has buckets but
	// no gkaudit meta bucket: some other program's database. Nothing is
	// added to it.
	ErrForeign = errors.New("not a gkaudit database")

	// ErrSchemaOlder is returned by a read-only open of a file whose schema
	// predates this build: only a write open may upgrade it.
	ErrSchemaOlder = errors.New("file needs a schema upgrade")
)

// DamagedError says what is wrong with a damaged file. What is Chinese, for
// the one-line message a command prints.
type DamagedError struct {
	Path string
	What string
	Err  error // the underlying error, if any
}

func (e *DamagedError) Error() string {
	return fmt.Sprintf("store: %s 已损坏：%s", e.Path, e.What)
}

// Is makes errors.Is(err, ErrDamaged) true.
func (e *DamagedError) Is(target error) bool { return target == ErrDamaged }

func (e *DamagedError) Unwrap() error { return e.Err }

// corruptError marks a decoding error of a stored record as damage; the
// guard around each transaction turns it into a *DamagedError with the path.
type corruptError struct{ err error }

func (e corruptError) Error() string        { return e.err.Error() }
func (e corruptError) Unwrap() error        { return e.err }
func (e corruptError) Is(target error) bool { return target == ErrDamaged }

// corrupt marks err, a failure to decode stored bytes, as damage.
func corrupt(err error) error {
	if err == nil || errors.Is(err, ErrDamaged) {
		return err
	}
	return corruptError{err}
}

// Options of OpenWith.
type Options struct {
	// ReadOnly opens the file O_RDONLY with a shared lock: the file must
	// exist, and is never created, migrated or written.
	ReadOnly bool
	// Wait is how long to wait for another process's lock (0: a second).
	Wait time.Duration
	// Verify runs bbolt's consistency check (every page reachable once,
	// keys in order) at open, so a damaged file is reported before a
	// command reads or writes anything.
	Verify bool
	// Holder, for a write open, is who holds the file ("gkaudit audit"):
	// it is written into the FILE.busy note while the file is open, so a
	// command that cannot get the lock can say who has it.
	Holder string
	// Notices, if set, receives one-line notes for the user (Chinese, on
	// stderr): ResolveRun skipping interrupted runs, or giving one.
	Notices io.Writer
}

// OpenWith opens the store at path as opts says. A write open creates a
// missing file and brings its schema up to date; a read-only open changes
// no byte of the file. Damage found at open is a *DamagedError.
func OpenWith(path string, opts Options) (*DB, error) {
	wait := opts.Wait
	if wait <= 0 {
		wait = time.Second
	}
	fi, err := os.Stat(path)
	switch {
	case err != nil && !(errors.Is(err, fs.ErrNotExist) && !opts.ReadOnly):
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	case err == nil && fi.IsDir():
		return nil, fmt.Errorf("store: open %s: %w", path, ErrForeign)
	case err == nil && fi.Size() == 0 && opts.ReadOnly:
		return nil, fmt.Errorf("store: open %s: 空文件: %w", path, ErrForeign)
	case err == nil && fi.Size() > 0:
		// Before bbolt maps the file: a truncated file would fault.
		if err := precheck(path, fi.Size()); err != nil {
			return nil, err
		}
	}
	db := &DB{path: path, readOnly: opts.ReadOnly, notices: opts.Notices}
	err = db.guard(func() error {
		bdb, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: wait, ReadOnly: opts.ReadOnly})
		if err != nil {
			return err
		}
		db.bolt = bdb
		return nil
	})
	if errors.Is(err, ErrLocked) {
		return nil, lockedError(path, wait, err)
	}
	if err != nil {
		if errors.Is(err, ErrDamaged) {
			return nil, err
		}
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	db.bolt.AllocSize = allocSize
	if !opts.ReadOnly {
		// Not on a read-only file: bbolt loads its freelist lazily there,
		// inside the consistency check, racing with any transaction begun
		// beside it (the releaser's).
		db.startReleaser()
	}
	if err := db.opened(opts); err != nil {
		db.stopReleaser()
		db.bolt.Close()
		return nil, err
	}
	if opts.Holder != "" && !opts.ReadOnly {
		db.note = &BusyNote{PID: os.Getpid(), By: opts.Holder, Started: time.Now()}
		// Best effort: a directory we may not write loses only the note.
		_ = WriteBusyNote(path, *db.note)
	}
	return db, nil
}

// opened checks the open file (under its lock) and migrates it if allowed.
func (db *DB) opened(opts Options) error {
	err := db.view(func(tx *bolt.Tx) error {
		fi, err := os.Stat(db.path)
		if err != nil {
			return err
		}
		if tx.Size() > fi.Size() {
			return truncated(db.path, tx.Size(), fi.Size())
		}
		if !opts.Verify {
			return nil
		}
		// Drain the channel: bbolt checks in its own goroutine, which must
		// be done reading the mapped file before the transaction ends.
		defer db.releaseDuring(tx)()
		var first error
		for err := range tx.Check(bolt.WithKVStringer(shortKV{})) {
			if first == nil {
				first = err
			}
		}
		if first != nil {
			return &DamagedError{Path: db.path, What: "bbolt 一致性检查失败：" + first.Error(), Err: first}
		}
		return nil
	})
	if err != nil {
		return err
	}
	var v int
	err = db.view(func(tx *bolt.Tx) error {
		var err error
		v, err = schemaVersion(tx)
		return err
	})
	if db.readOnly || err != nil || v >= len(migrations) {
		// A write open of a current file writes nothing either: even an
		// empty bbolt commit rewrites a meta page.
		switch {
		case err != nil:
			return fmt.Errorf("store: open %s: %w", db.path, err)
		case v > len(migrations):
			return fmt.Errorf("store: open %s: file has schema version %d, this build supports up to %d: %w", db.path, v, len(migrations), ErrSchemaNewer)
		case v < len(migrations) && db.readOnly:
			return fmt.Errorf("store: open %s: file has schema version %d, this build writes %d: %w", db.path, v, len(migrations), ErrSchemaOlder)
		}
		return nil
	}
	if err := db.update(func(tx *bolt.Tx) error { return migrate(tx, migrations) }); err != nil {
		if errors.Is(err, ErrDamaged) {
			return err
		}
		return fmt.Errorf("store: open %s: %w", db.path, err)
	}
	return nil
}

// schemaVersion reads the file's schema version: 0 for a file without
// buckets (new), ErrForeign for one with buckets but no gkaudit meta.
func schemaVersion(tx *bolt.Tx) (int, error) {
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		var any bool
		_ = tx.ForEach(func([]byte, *bolt.Bucket) error { any = true; return errors.New("stop") })
		if any {
			return 0, ErrForeign
		}
		return 0, nil
	}
	raw := meta.Get(keySchemaVersion)
	if raw == nil {
		return 0, corrupt(errors.New("meta 桶中没有 schema_version"))
	}
	v, err := strconv.Atoi(string(raw))
	if err != nil || v < 0 {
		return 0, corrupt(fmt.Errorf("bad schema version %q", raw))
	}
	return v, nil
}

func truncated(path string, want, got int64) error {
	return &DamagedError{Path: path, What: fmt.Sprintf("文件被截断（应至少 %d 字节，实际 %d 字节）", want, got)}
}

// precheck reads bbolt's two meta pages with plain reads and compares the
// file's size with the newest valid meta's high-water mark, so that a
// truncated file is reported instead of faulting once mapped.
func precheck(path string, size int64) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("store: open %s: %w", path, err)
	}
	defer f.Close()
	var best *boltMeta
	m0, _ := readMeta(f, 0)
	if m0 != nil {
		best = m0
	}
	sizes := []int64{4096, 8192, 16384, 65536}
	if m0 != nil {
		sizes = []int64{int64(m0.pageSize)}
	}
	for _, ps := range sizes {
		if m1, _ := readMeta(f, ps); m1 != nil && int64(m1.pageSize) == ps {
			if best == nil || m1.txid > best.txid {
				best = m1
			}
			break
		}
	}
	if best == nil {
		if m0 == nil && !looksLikeBolt(f) && !zeroed(f, size) {
			return fmt.Errorf("store: open %s: 不是 bbolt 文件: %w", path, ErrForeign)
		}
		return &DamagedError{Path: path, What: "两个 bbolt 元数据页都无效"}
	}
	if want := int64(best.pgid) * int64(best.pageSize); size < want {
		return truncated(path, want, size)
	}
	return nil
}

// looksLikeBolt reports whether the file starts with bbolt's magic number
// (a meta page whose checksum fails is damage, not a foreign file).
func looksLikeBolt(f *os.File) bool {
	var b [24]byte
	if _, err := f.ReadAt(b[:], 0); err != nil {
		return false
	}
	return binary.LittleEndian.Uint32(b[16:]) == boltMagic
}

// zeroed reports whether the file's first two pages are all zeros but it
// has more: bbolt's meta pages wiped, not a foreign file.
func zeroed(f *os.File, size int64) bool {
	if size <= 2*4096 {
		return false
	}
	b := make([]byte, 2*4096)
	if _, err := f.ReadAt(b, 0); err != nil {
		return false
	}
	return bytes.Count(b, []byte{0}) == len(b)
}

const (
	boltMagic      = 0xED0CDAED
	boltVersion    = 2
	pageHeaderSize = 16
	metaSumLen     = 56 // bytes of the meta before its checksum
)

// boltMeta is the part of bbolt's (frozen, version 2) meta page precheck
// needs.
type boltMeta struct {
	pageSize uint32
	pgid     uint64 // high-water mark: pages the file must hold
	txid     uint64
}

func readMeta(f io.ReaderAt, off int64) (*boltMeta, error) {
	var b [pageHeaderSize + metaSumLen + 8]byte
	if _, err := f.ReadAt(b[:], off); err != nil {
		return nil, err
	}
	m := b[pageHeaderSize:]
	h := fnv.New64a()
	h.Write(m[:metaSumLen])
	le := binary.LittleEndian
	if le.Uint32(m[0:]) != boltMagic || le.Uint32(m[4:]) != boltVersion || h.Sum64() != le.Uint64(m[metaSumLen:]) {
		return nil, errors.New("invalid meta page")
	}
	return &boltMeta{pageSize: le.Uint32(m[8:]), pgid: le.Uint64(m[40:]), txid: le.Uint64(m[48:])}, nil
}

// view and update run a bbolt transaction under guard, the releaser of
// the pages it maps awake meanwhile (mapped_linux.go).
func (db *DB) view(fn func(*bolt.Tx) error) error {
	defer db.begin()()
	return db.guard(func() error { return db.bolt.View(fn) })
}

func (db *DB) update(fn func(*bolt.Tx) error) error {
	defer db.begin()()
	return db.guard(func() error { return db.bolt.Update(fn) })
}

// guard runs f, turning what a damaged file causes into a *DamagedError:
// a memory fault reading the mapped file (SetPanicOnFault is per goroutine,
// so it is set here, around each call), a panic raised inside bbolt (its
// page assertions), a record marked corrupt, or bbolt's own errors for
// invalid meta pages. bbolt rolls the transaction back as the panic passes.
// A panic from elsewhere is a bug and goes on.
func (db *DB) guard(f func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		what, ok := damagePanic(r)
		if !ok {
			panic(r)
		}
		err = &DamagedError{Path: db.path, What: what, Err: fmt.Errorf("%v", r)}
	}()
	return db.damaged(f())
}

// damagePanic says whether the recovered value r comes from reading a
// damaged file, and how to describe it.
func damagePanic(r any) (string, bool) {
	// With SetPanicOnFault a fault is a runtime.Error carrying its address;
	// low addresses are nil dereferences, bugs rather than damage.
	if fe, ok := r.(interface{ Addr() uintptr }); ok && fe.Addr() >= 1<<16 {
		return "读取文件时越界（页面指向文件之外，文件可能被截断或改写）", true
	}
	pcs := make([]uintptr, 32)
	n := runtime.Callers(3, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	for {
		fr, more := frames.Next()
		if !strings.HasPrefix(fr.Function, "runtime.") {
			if strings.HasPrefix(fr.Function, "go.etcd.io/bbolt") {
				return fmt.Sprintf("bbolt 页面结构错误（%v）", r), true
			}
			return "", false
		}
		if !more {
			return "", false
		}
	}
}

// damaged gives a damage error the file's path, and maps bbolt's errors
// for unreadable meta pages to damage.
func (db *DB) damaged(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, bolterrors.ErrInvalid) || errors.Is(err, bolterrors.ErrChecksum) ||
		errors.Is(err, bolterrors.ErrVersionMismatch) || errors.Is(err, bolterrors.ErrInvalidMapping) {
		return &DamagedError{Path: db.path, What: "bbolt 元数据无效（" + err.Error() + "）", Err: err}
	}
	if !errors.Is(err, ErrDamaged) {
		return err
	}
	var de *DamagedError
	if errors.As(err, &de) {
		if de.Path == "" {
			de.Path = db.path
		}
		return err
	}
	return &DamagedError{Path: db.path, What: "记录无法解码（" + err.Error() + "）", Err: err}
}

// shortKV prints keys in bbolt's check errors briefly: a problem is one
// line, not two 64-byte hex dumps.
type shortKV struct{}

func (shortKV) KeyToString(k []byte) string {
	if len(k) > 24 {
		return fmt.Sprintf("%q…", k[:24])
	}
	return fmt.Sprintf("%q", k)
}

func (shortKV) ValueToString(v []byte) string { return fmt.Sprintf("(%d 字节)", len(v)) }
