package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"

	bolt "go.etcd.io/bbolt"

	"gkaudit/page"
	"gkaudit/site"
)

// Views are what one read of a page body yields (package page). They are
// derived from the body and the URL it was read at, so they are kept by
// both, and by page.Version: a gkaudit whose reading changed reads the body
// again instead of trusting a view an older one stored. A page that comes
// back unchanged (304, or carried forward) takes its view from here
// instead of being parsed again; gc drops the views of bodies it drops.

// viewKey is the key of the view of body sha read at pageURL:
// "<page.Version>/<sha>/<first 16 hex digits of SHA-256(pageURL)>".
func viewKey(sha, pageURL string) []byte {
	u := sha256.Sum256([]byte(pageURL))
	return []byte(strconv.Itoa(page.Version) + "/" + sha + "/" + hex.EncodeToString(u[:8]))
}

// viewSHA is the body digest a view key names ("" when the key is not one).
func viewSHA(key []byte) string {
	parts := bytes.Split(key, []byte("/"))
	if len(parts) != 3 {
		return ""
	}
	return string(parts[1])
}

// viewURL is the URL a page's view was read at: its final URL, else its URL.
func viewURL(p *site.Page) string {
	if p.FinalURL != "" {
		return p.FinalURL
	}
	return p.URL
}

// viewsPerTx bounds a write transaction of SaveViews.
const viewsPerTx = 500

// SaveViews stores the views of the pages that carry a whole one
// (site.Page.View) and a body digest, each (body, URL) once across runs.
func (db *DB) SaveViews(pages []*site.Page) error {
	var list []viewRecord
	seen := map[string]bool{}
	for _, p := range pages {
		if p == nil || p.View == nil || p.View.Partial || p.SHA256 == "" {
			continue
		}
		k := viewKey(p.SHA256, viewURL(p))
		if seen[string(k)] {
			continue
		}
		seen[string(k)] = true
		stored, err := db.hasView(k)
		if err != nil {
			return fmt.Errorf("store: save views: %w", err)
		}
		if stored {
			continue
		}
		rec, err := newViewRecord(k, p)
		if err != nil {
			return err
		}
		list = append(list, rec)
	}
	for len(list) > 0 {
		n := min(len(list), viewsPerTx)
		err := db.update(func(tx *bolt.Tx) error {
			for _, r := range list[:n] {
				if err := r.put(tx); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("store: save views: %w", err)
		}
		list = list[n:]
	}
	return nil
}

// viewRecord is a view encoded for the store (encodeView).
type viewRecord struct {
	key            []byte
	skeleton, rest []byte
}

// newViewRecord encodes the page's view under key.
func newViewRecord(key []byte, p *site.Page) (viewRecord, error) {
	sk, rest, err := encodeView(p.View)
	if err != nil {
		return viewRecord{}, fmt.Errorf("store: encode view of %s: %w", p.URL, err)
	}
	return viewRecord{key: key, skeleton: sk, rest: rest}, nil
}

// put writes the record's two parts, unless another writer stored them.
func (r viewRecord) put(tx *bolt.Tx) error {
	views, skeletons := tx.Bucket(bucketViews), tx.Bucket(bucketViewSkeletons)
	if views.Get(r.key) != nil {
		return nil
	}
	if err := skeletons.Put(r.key, r.skeleton); err != nil {
		return err
	}
	return views.Put(r.key, r.rest)
}

// hasView reports whether the view under key is stored.
func (db *DB) hasView(key []byte) (bool, error) {
	stored := false
	err := db.view(func(tx *bolt.Tx) error {
		stored = tx.Bucket(bucketViews).Get(key) != nil
		return nil
	})
	return stored, err
}

// View returns the stored view of body sha read at pageURL, or an error
// wrapping ErrNotFound.
func (db *DB) View(sha, pageURL string) (*page.View, error) {
	v := &page.View{}
	key := viewKey(sha, pageURL)
	err := db.view(func(tx *bolt.Tx) error {
		rest, skel := tx.Bucket(bucketViews).Get(key), tx.Bucket(bucketViewSkeletons).Get(key)
		if rest == nil || skel == nil {
			return ErrNotFound
		}
		// The rest first: its record holds the skeleton's fields as zero
		// (size), which the skeleton's then sets.
		if err := decodeRecord(rest, v); err != nil {
			return err
		}
		return decodeRecord(skel, v)
	})
	if err != nil {
		return nil, fmt.Errorf("store: view %s: %w", sha, err)
	}
	return v, nil
}

// ViewSkeleton returns the skeleton (page.View.Skeleton) of the stored view
// of body sha read at pageURL, or an error wrapping ErrNotFound: what a
// crawl needs of an unchanged page, without reading the rest.
func (db *DB) ViewSkeleton(sha, pageURL string) (*page.View, error) {
	v := &page.View{}
	key := viewKey(sha, pageURL)
	err := db.view(func(tx *bolt.Tx) error {
		z := tx.Bucket(bucketViewSkeletons).Get(key)
		if z == nil {
			return ErrNotFound
		}
		return decodeRecord(z, v)
	})
	if err != nil {
		return nil, fmt.Errorf("store: view %s: %w", sha, err)
	}
	v.Partial = true
	return v, nil
}

// ReadableSnapshot returns a unit's snapshot as saved under a run (Snapshot)
// ready to be checked again: each page with a body gets its view (the
// stored one, else read now from the stored body) and its links from it.
// Bodies stay in the store (the checks read views only; Body reads one).
func (db *DB) ReadableSnapshot(runID, unitID string) (*site.Snapshot, error) {
	s, err := db.Snapshot(runID, unitID)
	if err != nil {
		return nil, err
	}
	for _, p := range s.Pages {
		if p.SHA256 == "" {
			continue
		}
		v, err := db.PageView(p)
		if err != nil {
			return nil, err
		}
		p.View, p.Links = v, v.Links
	}
	for i := range s.Attachments {
		a := &s.Attachments[i]
		if a.TextSHA256 == "" {
			continue
		}
		text, err := db.Body(a.TextSHA256)
		if err != nil {
			return nil, fmt.Errorf("store: text of attachment %s: %w", a.URL, err)
		}
		a.Text = string(text)
	}
	return s, nil
}

// gcViews deletes the views of bodies no longer stored, and those an older
// page.Version wrote (never read again).
func (db *DB) gcViews() error {
	var garbage [][]byte
	prefix := []byte(strconv.Itoa(page.Version) + "/")
	err := db.view(func(tx *bolt.Tx) error {
		bodies, views := tx.Bucket(bucketBodies), tx.Bucket(bucketViews)
		err := views.ForEach(func(k, _ []byte) error {
			if !bytes.HasPrefix(k, prefix) || bodies.Get([]byte(viewSHA(k))) == nil {
				garbage = append(garbage, bytes.Clone(k))
			}
			return nil
		})
		if err != nil {
			return err
		}
		// A skeleton is written with its rest, in one transaction: one
		// alone is left from a damaged file, and read by nobody.
		return tx.Bucket(bucketViewSkeletons).ForEach(func(k, _ []byte) error {
			if views.Get(k) == nil {
				garbage = append(garbage, bytes.Clone(k))
			}
			return nil
		})
	})
	if err != nil {
		return err
	}
	if err := deleteKeys(db, bucketViews, garbage); err != nil {
		return err
	}
	return deleteKeys(db, bucketViewSkeletons, garbage)
}

// PageView returns the whole view of a page of a snapshot: the stored one,
// else read now from the stored body (a page whose body was not kept, not
// HTML, has an empty view).
func (db *DB) PageView(p *site.Page) (*page.View, error) {
	v, err := db.View(p.SHA256, viewURL(p))
	if err == nil {
		return v, nil
	}
	if !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	body, err := db.Body(p.SHA256)
	if errors.Is(err, ErrNotFound) {
		return page.Read(nil, viewURL(p)), nil
	}
	if err != nil {
		return nil, err
	}
	return page.Read(body, viewURL(p)), nil
}
