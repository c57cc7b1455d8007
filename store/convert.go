package store

import (
	"bytes"
	"fmt"
	"strings"

	bolt "go.etcd.io/bbolt"

	"gkaudit/checks"
	"gkaudit/site"
)

// convertRecords rewrites the snapshots, pages and findings of a schema-2
// file in the schema-3 format (see records.go), in the migration's
// transaction. Page links are dropped: they are extracted from the bodies.
func convertRecords(tx *bolt.Tx) error {
	sb, pb := tx.Bucket(bucketSnapshots), tx.Bucket(bucketPages)
	var snapKeys [][]byte
	if err := sb.ForEach(func(k, _ []byte) error {
		snapKeys = append(snapKeys, bytes.Clone(k))
		return nil
	}); err != nil {
		return err
	}
	cache := listBlobs{}
	for _, key := range snapKeys {
		var rec snapshotRecord
		if err := getZ(sb, key, &rec); err != nil {
			return fmt.Errorf("snapshot %s: %w", key, err)
		}
		if rec.ColumnList == nil {
			lists, err := splitSite(&site.Snapshot{Columns: rec.Columns, Probes: rec.Probes})
			if err != nil {
				return err
			}
			run, unit, _ := strings.Cut(string(key), "/")
			colBases, probeBases := snapshotBases(tx, run, unit)
			cl, err := planList(tx, lists.columns, colBases, cache)
			if err != nil {
				return err
			}
			pl, err := planList(tx, lists.probes, probeBases, cache)
			if err != nil {
				return err
			}
			for _, l := range []plannedList{cl, pl} {
				if err := l.put(tx); err != nil {
					return err
				}
			}
			rec.ColumnList, rec.ColumnOrder, rec.ProbeList, rec.ProbeVisits = &cl.ref, lists.order, &pl.ref, lists.visits
			rec.Columns, rec.Probes = nil, nil
		}
		if err := putZ(sb, key, rec); err != nil {
			return err
		}

		// The unit's pages, by their old sequence numbers.
		prefix := append(bytes.Clone(key), '/')
		var pages []*site.Page
		var old [][]byte
		c := pb.Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			if !isPageKey(k, prefix) {
				continue
			}
			ps, seqs, err := decodePages(tx, k, v, nil)
			if err != nil {
				return fmt.Errorf("pages %s: %w", k, err)
			}
			old = append(old, bytes.Clone(k))
			for i, p := range ps {
				for len(pages) <= seqs[i] {
					pages = append(pages, nil)
				}
				pages[seqs[i]] = p
			}
		}
		for _, k := range old {
			if err := pb.Delete(k); err != nil {
				return err
			}
		}
		for n, idx := range chunkPages(pages) {
			ch := pageChunk{Visits: make([]pageVisit, len(idx))}
			metas := make([]pageMeta, len(idx))
			for j, i := range idx {
				metas[j], ch.Visits[j] = splitPage(pages[i], i)
			}
			b, err := newBlob(metas)
			if err != nil {
				return err
			}
			if err := b.put(tx); err != nil {
				return err
			}
			ch.Blob = b.sha
			if err := putZ(pb, pageKey(key, n), ch); err != nil {
				return err
			}
		}
	}
	return convertFindings(tx)
}

// convertFindings groups schema-2 findings (one per key) into one record per
// run and unit, in key order.
func convertFindings(tx *bolt.Tx) error {
	fb := tx.Bucket(bucketFindings)
	type group struct {
		run, unit string
		fs        []checks.Finding
	}
	var groups []*group
	var old [][]byte
	err := fb.ForEach(func(k, v []byte) error {
		if !isPlainJSON(v) {
			return nil
		}
		var f checks.Finding
		if err := unmarshal(v, &f); err != nil {
			return fmt.Errorf("finding %s: %w", k, err)
		}
		run, _, _ := strings.Cut(string(k), "/")
		if n := len(groups); n == 0 || groups[n-1].run != run || groups[n-1].unit != f.Unit {
			groups = append(groups, &group{run: run, unit: f.Unit})
		}
		g := groups[len(groups)-1]
		g.fs = append(g.fs, f)
		old = append(old, bytes.Clone(k))
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range old {
		if err := fb.Delete(k); err != nil {
			return err
		}
	}
	cache := listBlobs{}
	for _, g := range groups {
		var rec findingsRecord
		elems, times, err := stableFindings(g.fs)
		if err != nil {
			return err
		}
		l, err := planList(tx, elems, findingsBases(tx, g.run, g.unit), cache)
		if err != nil {
			return err
		}
		if err := l.put(tx); err != nil {
			return err
		}
		rec.List, rec.FetchedAt = l.ref, times
		seq, err := fb.NextSequence()
		if err != nil {
			return err
		}
		if err := putZ(fb, fmt.Appendf(nil, "%s/%s/%010d", g.run, g.unit, seq), rec); err != nil {
			return err
		}
	}
	return nil
}
