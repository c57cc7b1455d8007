package store

import (
	"bytes"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// listRef stores a list (a JSON array) as a base blob and the elements that
// differ from it. A run whose findings or columns are those of the run
// before but for a few elements (a latency in a detail text, a column found
// from another page) stores those elements only. A base is always a full
// list, never a patched one, so no record depends on more than one blob.
type listRef struct {
	Base  string                  `json:"base"`
	Len   int                     `json:"n"`
	Patch map[int]json.RawMessage `json:"p,omitempty"`
}

// listBlobs caches decoded base lists.
type listBlobs map[string][]json.RawMessage

func (lb listBlobs) get(tx *bolt.Tx, sha string) ([]json.RawMessage, error) {
	if l, ok := lb[sha]; ok {
		return l, nil
	}
	var l []json.RawMessage
	if err := getBlob(tx, sha, &l); err != nil {
		return nil, err
	}
	if lb != nil {
		lb[sha] = l
	}
	return l, nil
}

// plannedList is a list ready to be written: its ref and, when it becomes a
// base itself, the blob.
type plannedList struct {
	ref  listRef
	blob *blob
}

// planList encodes elems against the best of the candidate bases (read in
// tx), or as a new base when no candidate saves at least half the bytes.
func planList(tx *bolt.Tx, elems []json.RawMessage, candidates []string, cache listBlobs) (plannedList, error) {
	total := 0
	for _, e := range elems {
		total += len(e)
	}
	var best plannedList
	bestBytes := -1
	for _, c := range candidates {
		base, err := cache.get(tx, c)
		if err != nil {
			continue // collected since: not a candidate
		}
		ref := listRef{Base: c, Len: len(elems)}
		n := 0
		for i, e := range elems {
			if i < len(base) && bytes.Equal(base[i], e) {
				continue
			}
			if ref.Patch == nil {
				ref.Patch = map[int]json.RawMessage{}
			}
			ref.Patch[i] = e
			n += len(e)
		}
		if bestBytes < 0 || n < bestBytes {
			best, bestBytes = plannedList{ref: ref}, n
		}
	}
	if bestBytes >= 0 && 2*bestBytes <= total {
		return best, nil
	}
	b, err := newBlob(elems)
	if err != nil {
		return plannedList{}, err
	}
	return plannedList{ref: listRef{Base: b.sha, Len: len(elems)}, blob: &b}, nil
}

// put stores the list's blob, if it has one of its own.
func (p plannedList) put(tx *bolt.Tx) error {
	if p.blob == nil {
		return nil
	}
	return p.blob.put(tx)
}

// decodeList rebuilds the list of ref and unmarshals it into v (a pointer
// to a slice).
func decodeList(tx *bolt.Tx, ref listRef, v any, cache listBlobs) error {
	base, err := cache.get(tx, ref.Base)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	buf.WriteByte('[')
	for i := range ref.Len {
		if i > 0 {
			buf.WriteByte(',')
		}
		e, ok := ref.Patch[i]
		if !ok {
			if i >= len(base) {
				return corrupt(fmt.Errorf("list %s: element %d neither in the base nor patched", ref.Base, i))
			}
			e = base[i]
		}
		buf.Write(e)
	}
	buf.WriteByte(']')
	return unmarshal(buf.Bytes(), v)
}

// marshalElems marshals each element of a slice.
func marshalElems[T any](xs []T) ([]json.RawMessage, error) {
	out := make([]json.RawMessage, len(xs))
	for i := range xs {
		var err error
		if out[i], err = json.Marshal(&xs[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}
