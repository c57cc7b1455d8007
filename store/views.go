package store

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync"

	bolt "go.etcd.io/bbolt"

	"gkaudit/page"
	"gkaudit/platform"
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

// SaveViews stores the views of the pages that carry one (site.Page.View)
// and a body digest, each (body, URL) once across runs.
func (db *DB) SaveViews(pages []*site.Page) error {
	type todo struct {
		key []byte
		p   *site.Page
		z   []byte
	}
	var list []todo
	seen := map[string]bool{}
	err := db.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketViews)
		for _, p := range pages {
			if p == nil || p.View == nil || p.SHA256 == "" {
				continue
			}
			k := viewKey(p.SHA256, viewURL(p))
			if seen[string(k)] || b.Get(k) != nil {
				continue
			}
			seen[string(k)] = true
			list = append(list, todo{key: k, p: p})
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: save views: %w", err)
	}
	// Encode outside the write transactions.
	for i := range list {
		raw, err := json.Marshal(list[i].p.View)
		if err == nil {
			list[i].z, err = compressFast(raw)
		}
		if err != nil {
			return fmt.Errorf("store: save view of %s: %w", list[i].p.URL, err)
		}
	}
	for len(list) > 0 {
		n := min(len(list), viewsPerTx)
		err := db.update(func(tx *bolt.Tx) error {
			b := tx.Bucket(bucketViews)
			for _, e := range list[:n] {
				if err := b.Put(e.key, e.z); err != nil {
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

// View returns the stored view of body sha read at pageURL, or an error
// wrapping ErrNotFound.
func (db *DB) View(sha, pageURL string) (*page.View, error) {
	v := &page.View{}
	if err := db.getView(sha, pageURL, v); err != nil {
		return nil, err
	}
	return v, nil
}

// getView decodes the stored view of body sha read at pageURL into v (a
// page.View, or a part of one), or returns an error wrapping ErrNotFound.
func (db *DB) getView(sha, pageURL string, v any) error {
	err := db.view(func(tx *bolt.Tx) error {
		z := tx.Bucket(bucketViews).Get(viewKey(sha, pageURL))
		if z == nil {
			return ErrNotFound
		}
		raw, err := decompress(z)
		if err != nil {
			return err
		}
		return corrupt(json.Unmarshal(raw, v))
	})
	if err != nil {
		return fmt.Errorf("store: view %s: %w", sha, err)
	}
	return nil
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
		bodies := tx.Bucket(bucketBodies)
		return tx.Bucket(bucketViews).ForEach(func(k, _ []byte) error {
			if !bytes.HasPrefix(k, prefix) || bodies.Get([]byte(viewSHA(k))) == nil {
				garbage = append(garbage, bytes.Clone(k))
			}
			return nil
		})
	})
	if err != nil {
		return err
	}
	return deleteKeys(db, bucketViews, garbage)
}

// fastGzipWriters compress views at gzip's fastest level: every page of a
// first run has one to store, and they are read back far more often than
// they are written (decompression costs the same at any level).
var fastGzipWriters = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
	return w
}}

// compressFast is compress at gzip.BestSpeed.
func compressFast(raw []byte) ([]byte, error) { return compressWith(&fastGzipWriters, raw) }

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

// viewSkeleton is the part of a stored view that page.View.Skeleton keeps,
// decoded without the rest (the JSON keys of page.View).
type viewSkeleton struct {
	Title        string             `json:"title"`
	Links        []page.Link        `json:"links"`
	Crumbs       []page.Crumb       `json:"crumbs"`
	Items        []page.Item        `json:"items"`
	Datastore    *page.Datastore    `json:"datastore"`
	Hanweb       *platform.Hanweb   `json:"hanweb"`
	TRS          *platform.TRSPager `json:"trs"`
	ScriptLoaded bool               `json:"script_loaded"`
	Size         int                `json:"size"`
}

// ViewSkeleton returns the skeleton (page.View.Skeleton) of the stored view
// of body sha read at pageURL, or an error wrapping ErrNotFound: what a
// crawl needs of an unchanged page, at a fraction of decoding the whole.
func (db *DB) ViewSkeleton(sha, pageURL string) (*page.View, error) {
	var sk viewSkeleton
	if err := db.getView(sha, pageURL, &sk); err != nil {
		return nil, err
	}
	return &page.View{Title: sk.Title, Links: sk.Links, Crumbs: sk.Crumbs, Items: sk.Items, Datastore: sk.Datastore,
		Hanweb: sk.Hanweb, TRS: sk.TRS, ScriptLoaded: sk.ScriptLoaded, Size: sk.Size, Partial: true}, nil
}
