package store

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"

	bolt "go.etcd.io/bbolt"

	"gkaudit/site"
)

// A bbolt write transaction costs a commit (dirty pages written, the file
// synced), so streamed bodies are committed in batches: bodyBatchCount
// bodies, or bodyBatchBytes of them compressed, whichever comes first.
const (
	bodyBatchCount = 256
	bodyBatchBytes = 4 << 20
)

// BodyWriter writes page bodies to the store as a crawl receives them, so
// that a crawl need not keep them until SaveSnapshot. Bodies are keyed by
// the hex SHA-256 of their bytes, as SaveSnapshot keys them, and each is
// stored once across all runs: one already stored is neither compressed nor
// written again, and SaveSnapshot skips the bodies a writer stored.
//
// A body is kept by GC only while a saved page (or finding, or attachment)
// refers to it: the bodies of a run interrupted before SaveSnapshot are
// garbage to GC, like those of a dropped run. Verify does not mind them.
//
// Put and PutPage may be called from many goroutines. Batches are committed
// by one goroutine of the writer, at most one batch waiting behind the one
// being committed (a caller blocks beyond that), so a writer holds a few
// batches of compressed bodies at most. Close commits the rest; the first
// error of any write is returned by every later call and by Close.
type BodyWriter struct {
	db *DB

	mu      sync.Mutex
	batch   []streamedBody
	size    int             // compressed bytes in batch
	seen    map[string]bool // digests stored or queued by this writer
	err     error
	closed  bool
	commits chan []streamedBody // to the committer; nil until the first batch
	done    chan struct{}       // closed when the committer has returned
	sending sync.WaitGroup      // callers handing a batch over, which Close waits for
}

type streamedBody struct {
	sha string
	z   []byte // compressed
	// view, when set, is a page view to store (PutView) instead of a body.
	view *viewRecord
}

// size is how many compressed bytes sb holds.
func (sb streamedBody) size() int {
	if sb.view != nil {
		return len(sb.view.skeleton) + len(sb.view.rest)
	}
	return len(sb.z)
}

// NewBodyWriter returns a writer of bodies into db. The caller must Close it.
func (db *DB) NewBodyWriter() *BodyWriter {
	return &BodyWriter{db: db, seen: map[string]bool{}}
}

// PutPage stores the page's body (Page.Body under Page.SHA256) and raw body
// (Page.RawBody under Page.RawSHA256), computing a digest that is empty. The
// body of a page answered 304 or carried forward is not written: it was read
// from the store by its digest.
func (w *BodyWriter) PutPage(p *site.Page) error {
	if p == nil {
		return nil
	}
	if p.Body != nil && !p.NotModified && !p.CarriedForward {
		if err := w.Put(p.SHA256, p.Body); err != nil {
			return err
		}
	}
	if p.RawBody != nil {
		return w.Put(p.RawSHA256, p.RawBody)
	}
	return nil
}

// PutView stores the page's view (site.Page.View, when whole) as SaveViews
// does, in the writer's batches.
func (w *BodyWriter) PutView(p *site.Page) error {
	if p == nil || p.View == nil || p.View.Partial || p.SHA256 == "" {
		return nil
	}
	key := string(viewKey(p.SHA256, viewURL(p)))
	if mine, err := w.claim(key); !mine {
		return err
	}
	stored, err := w.db.hasView([]byte(key))
	if err != nil {
		return w.fail(fmt.Errorf("store: view of %s: %w", p.URL, err))
	}
	if stored {
		return nil
	}
	rec, err := newViewRecord([]byte(key), p)
	if err != nil {
		return w.fail(err)
	}
	w.add(streamedBody{view: &rec})
	return w.usableErr()
}

// claim marks key (a body's digest or a view's key) as this writer's to
// store: false when it has already stored or queued it, or has failed.
func (w *BodyWriter) claim(key string) (bool, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.usable(); err != nil {
		return false, err
	}
	if w.seen[key] {
		return false, nil
	}
	w.seen[key] = true
	return true, nil
}

// add queues one compressed value, handing a full batch to the committer.
func (w *BodyWriter) add(sb streamedBody) {
	w.mu.Lock()
	if w.usable() != nil {
		w.mu.Unlock()
		return
	}
	w.batch = append(w.batch, sb)
	w.size += sb.size()
	var full []streamedBody
	if len(w.batch) >= bodyBatchCount || w.size >= bodyBatchBytes {
		full = w.take()
	}
	w.handOver(full)
}

// Put stores body under sha, its hex SHA-256 digest (computed when empty).
func (w *BodyWriter) Put(sha string, body []byte) error {
	if sha == "" {
		sum := sha256.Sum256(body)
		sha = hex.EncodeToString(sum[:])
	}
	if mine, err := w.claim(sha); !mine {
		return err
	}

	// Looked up and compressed outside the writer's lock: other pages of the
	// crawl go on meanwhile.
	stored := false
	err := w.db.view(func(tx *bolt.Tx) error {
		stored = tx.Bucket(bucketBodies).Get([]byte(sha)) != nil
		return nil
	})
	if err != nil {
		return w.fail(fmt.Errorf("store: body %s: %w", sha, err))
	}
	if stored {
		return nil
	}
	z, err := compress(body)
	if err != nil {
		return w.fail(fmt.Errorf("store: compress body %s: %w", sha, err))
	}
	w.add(streamedBody{sha: sha, z: z})
	return w.usableErr()
}

// usableErr is usable's error, under the writer's lock.
func (w *BodyWriter) usableErr() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.usable()
}

// Flush hands what waits to the committer without waiting for the commit.
func (w *BodyWriter) Flush() error {
	w.mu.Lock()
	if err := w.usable(); err != nil {
		w.mu.Unlock()
		return err
	}
	w.handOver(w.take())
	return nil
}

// Close commits every body put so far and returns the first error of any
// write. Puts after Close fail; Close may be called again.
func (w *BodyWriter) Close() error {
	w.mu.Lock()
	if w.closed {
		err := w.err
		w.mu.Unlock()
		return err
	}
	var full []streamedBody
	if w.err == nil {
		full = w.take()
	}
	commits := w.queue(full)
	w.closed = true
	err := w.err
	w.mu.Unlock()
	if commits == nil {
		return err // no batch was ever handed over
	}
	if full != nil {
		commits <- full
	}
	w.sending.Wait() // no one starts handing over once closed is set
	close(commits)
	<-w.done
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

// take empties the batch. Callers hold w.mu.
func (w *BodyWriter) take() []streamedBody {
	if len(w.batch) == 0 {
		return nil
	}
	b := w.batch
	w.batch, w.size = nil, 0
	return b
}

// handOver passes a full batch (if any) to the committer, blocking while one
// batch waits behind the one being committed. Callers hold w.mu, which
// handOver releases.
func (w *BodyWriter) handOver(full []streamedBody) {
	commits := w.queue(full)
	if full == nil {
		w.mu.Unlock()
		return
	}
	w.sending.Add(1)
	w.mu.Unlock()
	defer w.sending.Done()
	commits <- full
}

// queue starts the committer when a first batch is about to be handed to
// it, and returns its channel. Callers hold w.mu.
func (w *BodyWriter) queue(full []streamedBody) chan []streamedBody {
	if full != nil && w.commits == nil {
		w.commits, w.done = make(chan []streamedBody, 1), make(chan struct{})
		go w.commit(w.commits)
	}
	return w.commits
}

// usable is the error a call meets: the first write error, or use after
// Close. Callers hold w.mu.
func (w *BodyWriter) usable() error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return fmt.Errorf("store: body writer closed")
	}
	return nil
}

// fail records err as the writer's first error and returns the first one.
func (w *BodyWriter) fail(err error) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err == nil {
		w.err = err
	}
	return w.err
}

// commit writes the batches handed to it, one transaction each, until the
// channel is closed. After a failure it drains the channel and writes no more.
func (w *BodyWriter) commit(batches <-chan []streamedBody) {
	defer close(w.done)
	failed := false
	for b := range batches {
		if failed {
			continue
		}
		err := w.db.update(func(tx *bolt.Tx) error {
			bodies := tx.Bucket(bucketBodies)
			for _, sb := range b {
				if sb.view != nil {
					if err := sb.view.put(tx); err != nil {
						return err
					}
					continue
				}
				// Another writer (another unit of the run) may have stored it.
				if bodies.Get([]byte(sb.sha)) != nil {
					continue
				}
				if err := bodies.Put([]byte(sb.sha), sb.z); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			w.fail(fmt.Errorf("store: write %d bodies: %w", len(b), err))
			failed = true
		}
	}
}
