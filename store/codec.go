package store

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"sync"

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
	out, err := io.ReadAll(r)
	return out, corrupt(err)
}

// unmarshal decodes a stored JSON value; a failure is damage.
func unmarshal(raw []byte, v any) error {
	return corrupt(json.Unmarshal(raw, v))
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
