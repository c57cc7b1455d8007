package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"gkaudit/checks"
	"gkaudit/site"
)

// fuzzStore writes a store with two complete runs (the second patched
// against the first, as a re-run is) and returns it with every stored value
// by bucket: the seed corpus of the decoders' fuzz tests is real records.
func fuzzStore(f *testing.F) (*DB, map[string][][]byte) {
	f.Helper()
	db, err := Open(filepath.Join(f.TempDir(), "gkaudit.db"))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { db.Close() })
	for n := range 2 {
		r, err := db.BeginRun(Run{AsOf: "2025-06-30", Units: []string{"u1"}})
		if err != nil {
			f.Fatal(err)
		}
		s := &site.Snapshot{UnitID: "u1", UnitName: "单位一", Entry: "http://u1/", Started: time.Unix(1e9, 0),
			Columns: []site.Column{{Name: "通知公告", URL: "http://u1/tzgg/"}}}
		for i := range 5 {
			body := fmt.Appendf(nil, "<html><title>第%d页</title>%d</html>", i, i*n)
			sum := sha256.Sum256(body)
			s.Pages = append(s.Pages, &site.Page{URL: fmt.Sprintf("http://u1/p%d", i), Status: 200, Body: body,
				SHA256: hex.EncodeToString(sum[:]), Title: fmt.Sprintf("第%d页", i)})
		}
		if err := db.SaveSnapshot(r.ID, s); err != nil {
			f.Fatal(err)
		}
		fs := []checks.Finding{
			{Unit: "u1", Check: "org.info", Subject: "org", Status: checks.Fail, URL: "http://u1/p0", Detail: "缺少机构职能"},
			{Unit: "u1", Check: "column.stale", Subject: fmt.Sprint("c", n), Status: checks.Fail, URL: "http://u1/p1"},
		}
		if err := db.SaveFindings(r.ID, fs); err != nil {
			f.Fatal(err)
		}
		if err := db.FinishRun(r.ID); err != nil {
			f.Fatal(err)
		}
	}
	seeds := map[string][][]byte{}
	err = db.view(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			return b.ForEach(func(_, v []byte) error {
				seeds[string(name)] = append(seeds[string(name)], bytes.Clone(v))
				return nil
			})
		})
	})
	if err != nil {
		f.Fatal(err)
	}
	return db, seeds
}

// fuzzDecode seeds f with the values of bucket and checks that decode,
// given any bytes, returns nil or an error marked ErrDamaged, and never
// panics.
func fuzzDecode(f *testing.F, bucket string, decode func(tx *bolt.Tx, v []byte) error) {
	db, seeds := fuzzStore(f)
	if len(seeds[bucket]) == 0 {
		f.Fatalf("no %s records to seed with", bucket)
	}
	for _, v := range seeds[bucket] {
		f.Add(v)
		if raw, err := decompress(v); err == nil {
			f.Add(raw) // the JSON inside, which the fuzz function also gzips
		}
	}
	f.Add([]byte{})
	f.Add([]byte("{"))
	f.Add([]byte{0x1f, 0x8b})
	f.Fuzz(func(t *testing.T, v []byte) {
		// As stored, and gzip'd: mutated JSON behind a valid gzip stream
		// reaches the decoders past the CRC.
		z, err := compress(v)
		if err != nil {
			t.Fatal(err)
		}
		for _, in := range [][]byte{v, z} {
			err := db.view(func(tx *bolt.Tx) error { return decode(tx, in) })
			if err != nil && !errors.Is(err, ErrDamaged) {
				t.Errorf("decoding %q: error %v is not marked damage", in, err)
			}
		}
	})
}

func FuzzDecodePages(f *testing.F) {
	fuzzDecode(f, "pages", func(tx *bolt.Tx, v []byte) error {
		_, _, err := decodePages(tx, []byte("000001/u1/000001"), v, map[string][]pageMeta{})
		return err
	})
}

func FuzzDecodeFindings(f *testing.F) {
	fuzzDecode(f, "findings", func(tx *bolt.Tx, v []byte) error {
		_, err := decodeFindings(tx, v, listBlobs{})
		return err
	})
}

func FuzzDecodeSnapshot(f *testing.F) {
	fuzzDecode(f, "snapshots", func(tx *bolt.Tx, v []byte) error {
		var rec snapshotRecord
		if err := decodeZ(v, &rec); err != nil {
			return err
		}
		_, _, err := rec.siteOf(tx, nil)
		return err
	})
}

func FuzzDecodeBlob(f *testing.F) {
	fuzzDecode(f, "blobs", func(tx *bolt.Tx, v []byte) error {
		raw, err := decompress(v)
		if err != nil {
			return err
		}
		var metas []pageMeta
		return unmarshal(raw, &metas)
	})
}

func FuzzDecodeBody(f *testing.F) {
	fuzzDecode(f, "bodies", func(tx *bolt.Tx, v []byte) error {
		_, err := decompress(v)
		return err
	})
}

func FuzzDecodeHistory(f *testing.F) {
	fuzzDecode(f, "history", func(tx *bolt.Tx, v []byte) error {
		var e HistoryEntry
		return decodeZ(v, &e)
	})
}

func FuzzDecodeEvent(f *testing.F) {
	fuzzDecode(f, "events", func(tx *bolt.Tx, v []byte) error {
		var ev Event
		return unmarshal(v, &ev)
	})
}

func FuzzDecodeRun(f *testing.F) {
	fuzzDecode(f, "runs", func(tx *bolt.Tx, v []byte) error {
		var r Run
		return unmarshal(v, &r)
	})
}
