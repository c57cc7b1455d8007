package store

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"sync"

	jsonv1 "github.com/go-json-experiment/json/v1"
	bolt "go.etcd.io/bbolt"
)

// Bodies are stored as plain gzip streams, so `bbolt get ... | gunzip` works.

var gzipWriters = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(nil, gzip.DefaultCompression)
	return w
}}

func compress(body []byte) ([]byte, error) {
	var buf bytes.Buffer
	w := gzipWriters.Get().(*gzip.Writer)
	defer gzipWriters.Put(w)
	w.Reset(&buf)
	if _, err := w.Write(body); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// decompress un-gzips a stored value; a failure (gzip's CRC and length
// checks catch most overwritten bytes) is damage.
func decompress(z []byte) ([]byte, error) {
	r, err := gzip.NewReader(bytes.NewReader(z))
	if err != nil {
		return nil, corrupt(err)
	}
	// Sized by the gzip trailer's length (ISIZE, the size mod 2^32 of the
	// one member compress writes), not grown by doubling as io.ReadAll
	// does: a body read back for a 304 or a carried page is kept for the
	// rest of its unit, and doubling leaves it up to twice its size. The
	// trailer is only a hint (bytes.Buffer grows past it); the CRC-32 and
	// the length are checked by the reader at the end as before.
	hint := 0
	if len(z) >= 18 { // the smallest gzip stream: 10-byte header, 8-byte trailer
		hint = int(binary.LittleEndian.Uint32(z[len(z)-4:]))
	}
	buf := bytes.NewBuffer(make([]byte, 0, min(hint, maxSizeHint)+bytes.MinRead))
	_, err = buf.ReadFrom(r)
	return buf.Bytes(), corrupt(err)
}

// maxSizeHint caps the buffer a damaged trailer could make decompress
// allocate up front; a bigger value grows as it is read.
const maxSizeHint = 64 << 20

// unmarshal decodes a stored JSON value; a failure is damage. It decodes
// with the v1 semantics of encoding/json, as the values were written, but
// through the JSON v2 implementation (go-json-experiment/json/v1, what
// encoding/json becomes with GOEXPERIMENT=jsonv2): v1 scans every value twice,
// and decoding stored pages and findings was a quarter of an unchanged
// re-run's CPU (bench/gkprof; 10% less CPU with this one).
func unmarshal(raw []byte, v any) error {
	return corrupt(jsonv1.Unmarshal(raw, v))
}

// decodeBucket decodes every value of a bucket of JSON records, in key
// order; what names a record in errors ("run 000001: …").
func decodeBucket[T any](tx *bolt.Tx, bucket []byte, what string) ([]T, error) {
	var out []T
	err := tx.Bucket(bucket).ForEach(func(k, v []byte) error {
		var rec T
		if err := unmarshal(v, &rec); err != nil {
			return fmt.Errorf("%s %s: %w", what, k, err)
		}
		out = append(out, rec)
		return nil
	})
	return out, err
}
