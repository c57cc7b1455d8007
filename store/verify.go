package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"gkaudit/checks"
	"os"

	bolt "go.etcd.io/bbolt"
)

// VerifyReport is what Verify checked and found. Problems are Chinese, one
// line each; an empty list means the file is sound.
type VerifyReport struct {
	Path          string
	Size          int64
	SchemaVersion int
	Buckets       []BucketCount // the expected buckets, in layout order
	Records       int           // stored values decoded
	Runs          []Run
	Problems      []string
	// Warnings are oddities that are not damage (a hand-made or very old
	// file): check prints them, gc goes ahead.
	Warnings []string
	// Truncated is set when more problems were found than are listed.
	Truncated bool
}

// BucketCount is one bucket's key count (-1: missing).
type BucketCount struct {
	Name string
	Keys int
}

// OK reports whether no problem was found.
func (r VerifyReport) OK() bool { return len(r.Problems) == 0 }

// maxProblems caps the list: a file damaged all over says so in a screen.
const maxProblems = 50

func (r *VerifyReport) problem(format string, args ...any) {
	if len(r.Problems) >= maxProblems {
		r.Truncated = true
		return
	}
	r.Problems = append(r.Problems, fmt.Sprintf(format, args...))
}

// expectedBuckets are the buckets of the current schema, in layout order.
var expectedBuckets = [][]byte{bucketMeta, bucketRuns, bucketSnapshots, bucketPages, bucketBodies, bucketBlobs,
	bucketFindings, bucketHistory, bucketFindingIDs, bucketEvents, bucketEventIndex, bucketNotices,
	bucketUsers, bucketReviews, bucketProbes, bucketViews, bucketViewSkeletons}

// Verify checks the store file at path without changing it: bbolt's
// consistency check, then gkaudit's schema: the schema version, every
// bucket, every stored value decodes, and references resolve (page records
// to their blobs and bodies, findings of
// complete runs to their history; finding ids to history entries; event
// index to events). The error is for a file that cannot be opened at all
// (missing, locked, foreign, damaged past opening).
func Verify(path string, opts Options) (VerifyReport, error) {
	rep := VerifyReport{Path: path}
	fi, err := os.Stat(path)
	if err != nil {
		return rep, fmt.Errorf("store: check %s: %w", path, err)
	}
	rep.Size = fi.Size()
	opts.ReadOnly, opts.Verify = true, false
	// An older schema is ErrSchemaOlder: its records are of a layout
	// this build reads only once a write command upgraded it.
	db, err := OpenWith(path, opts)
	if err != nil {
		return rep, err
	}
	defer db.Close()
	db.verify(&rep)
	return rep, nil
}

// section runs one part of the check in its own transaction, so damage
// that stops one part (a panic inside bbolt) still lets the others run.
func (db *DB) section(rep *VerifyReport, what string, fn func(tx *bolt.Tx) error) {
	// A section reads a whole bucket, or the whole file, in one
	// transaction: its pages are released as it goes (releaseDuring).
	err := db.view(func(tx *bolt.Tx) error {
		defer db.releaseDuring(tx)()
		return fn(tx)
	})
	if err == nil {
		return
	}
	var de *DamagedError
	if errors.As(err, &de) {
		rep.problem("%s：%s", what, de.What)
		return
	}
	rep.problem("%s：%v", what, err)
}

func (db *DB) verify(rep *VerifyReport) {
	db.section(rep, "bbolt 一致性", func(tx *bolt.Tx) error {
		if tx.Size() > rep.Size {
			rep.problem("文件被截断（应至少 %d 字节，实际 %d 字节）", tx.Size(), rep.Size)
		}
		for err := range tx.Check(bolt.WithKVStringer(shortKV{})) {
			rep.problem("bbolt 一致性：%v", err)
		}
		return nil
	})
	var missing bool
	db.section(rep, "格式", func(tx *bolt.Tx) error {
		v, err := schemaVersion(tx)
		rep.SchemaVersion = v
		if err != nil {
			return err
		}
		if v != len(migrations) {
			rep.problem("格式版本为 %d，本程序为 %d", v, len(migrations))
		}
		for _, name := range expectedBuckets {
			b := tx.Bucket(name)
			if b == nil {
				missing = true
				rep.Buckets = append(rep.Buckets, BucketCount{string(name), -1})
				rep.problem("缺少桶 %s", name)
				continue
			}
			n := 0
			if err := b.ForEach(func(_, _ []byte) error { n++; return nil }); err != nil {
				return err
			}
			rep.Buckets = append(rep.Buckets, BucketCount{string(name), n})
		}
		return nil
	})
	if missing || rep.SchemaVersion != len(migrations) {
		return
	}
	runs := map[string]Run{}
	db.section(rep, "运行记录", func(tx *bolt.Tx) error {
		return tx.Bucket(bucketRuns).ForEach(func(k, v []byte) error {
			rep.Records++
			var r Run
			if err := unmarshal(v, &r); err != nil {
				rep.problem("运行 %s 无法解码：%v", k, err)
				return nil
			}
			if r.ID != string(k) {
				rep.problem("运行 %s 的记录写着 ID %q", k, r.ID)
			}
			runs[string(k)] = r
			rep.Runs = append(rep.Runs, r)
			return nil
		})
	})
	hasBody := func(tx *bolt.Tx, sha string) bool { return tx.Bucket(bucketBodies).Get([]byte(sha)) != nil }
	ownRun := func(what string, k []byte) {
		run, _, _ := bytes.Cut(k, []byte("/"))
		if _, ok := runs[string(run)]; !ok {
			rep.problem("%s %s 属于不存在的运行 %s", what, k, run)
		}
	}
	db.section(rep, "快照", func(tx *bolt.Tx) error {
		return tx.Bucket(bucketSnapshots).ForEach(func(k, v []byte) error {
			rep.Records++
			ownRun("快照", k)
			var rec snapshotRecord
			if err := decodeZ(v, &rec); err != nil {
				rep.problem("快照 %s 无法解码：%v", k, err)
				return nil
			}
			if _, _, err := rec.siteOf(tx, nil); err != nil {
				rep.problem("快照 %s 的栏目或探测记录无法读出：%v", k, err)
			}
			for _, a := range rec.Attachments {
				if a.TextSHA256 != "" && !hasBody(tx, a.TextSHA256) {
					rep.problem("快照 %s 的附件 %s 引用的文本 %s 不存在", k, a.URL, a.TextSHA256)
				}
			}
			return nil
		})
	})
	db.section(rep, "页面记录", func(tx *bolt.Tx) error {
		blobs := map[string][]pageMeta{}
		return tx.Bucket(bucketPages).ForEach(func(k, v []byte) error {
			rep.Records++
			ownRun("页面记录", k)
			ps, _, err := decodePages(tx, k, v, blobs)
			if err != nil {
				rep.problem("页面记录 %s 无法解码：%v", k, err)
				return nil
			}
			for _, p := range ps {
				if p.SHA256 != "" && !hasBody(tx, p.SHA256) {
					rep.problem("页面记录 %s（%s）引用的正文 %s 不存在", k, p.URL, p.SHA256)
				}
				if p.RawSHA256 != "" && !hasBody(tx, p.RawSHA256) {
					rep.problem("页面记录 %s（%s）引用的原始正文 %s 不存在", k, p.URL, p.RawSHA256)
				}
			}
			return nil
		})
	})
	ids := map[string]bool{} // finding ids of complete runs
	db.section(rep, "问题记录", func(tx *bolt.Tx) error {
		cache := listBlobs{}
		return tx.Bucket(bucketFindings).ForEach(func(k, v []byte) error {
			rep.Records++
			ownRun("问题记录", k)
			fs, err := decodeFindings(tx, v, cache)
			if err != nil {
				rep.problem("问题记录 %s 无法解码：%v", k, err)
				return nil
			}
			run, _, _ := bytes.Cut(k, []byte("/"))
			for _, f := range fs {
				if runs[string(run)].Complete && f.Status == checks.Fail {
					ids[f.ID] = true
				}
			}
			return nil
		})
	})
	db.section(rep, "问题历史", func(tx *bolt.Tx) error {
		h := tx.Bucket(bucketHistory)
		if err := h.ForEach(func(k, v []byte) error {
			rep.Records++
			var e HistoryEntry
			if err := decodeZ(v, &e); err != nil {
				rep.problem("问题历史 %s 无法解码：%v", k, err)
			}
			return nil
		}); err != nil {
			return err
		}
		fi := tx.Bucket(bucketFindingIDs)
		if err := fi.ForEach(func(k, v []byte) error {
			rep.Records++
			if h.Get(v) == nil {
				rep.problem("问题 ID %s 指向不存在的历史记录 %s", k, v)
			}
			return nil
		}); err != nil {
			return err
		}
		for id := range ids {
			if fi.Get([]byte(id)) == nil {
				if len(rep.Warnings) < maxProblems {
					rep.Warnings = append(rep.Warnings, fmt.Sprintf("完整运行中的问题 %s 没有历史记录", id))
				}
			}
		}
		return nil
	})
	db.section(rep, "审计日志", func(tx *bolt.Tx) error {
		eb := tx.Bucket(bucketEvents)
		if err := eb.ForEach(func(k, v []byte) error {
			rep.Records++
			var ev Event
			if err := unmarshal(v, &ev); err != nil {
				rep.problem("事件 %s 无法解码：%v", k, err)
			}
			return nil
		}); err != nil {
			return err
		}
		return tx.Bucket(bucketEventIndex).ForEach(func(k, _ []byte) error {
			i := bytes.LastIndexByte(k, '/')
			if i < 0 || eb.Get(k[i+1:]) == nil {
				rep.problem("事件索引 %s 指向不存在的事件", k)
			}
			return nil
		})
	})
	decodeAll := func(what string, bucket []byte, v any) {
		db.section(rep, what, func(tx *bolt.Tx) error {
			return tx.Bucket(bucket).ForEach(func(k, raw []byte) error {
				rep.Records++
				if err := unmarshal(raw, v); err != nil {
					rep.problem("%s %s 无法解码：%v", what, k, err)
				}
				return nil
			})
		})
	}
	db.section(rep, "单位统计", func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketUnitCounts)
		if b == nil {
			return nil // created on first write: a file without shards or counts has none
		}
		runs := tx.Bucket(bucketRuns)
		return b.ForEach(func(k, v []byte) error {
			rep.Records++
			var c UnitCount
			if err := json.Unmarshal(v, &c); err != nil {
				rep.problem("单位统计 %s 无法解码：%v", k, err)
			}
			if i := bytes.IndexByte(k, '/'); i < 0 || runs.Get(k[:i]) == nil {
				rep.problem("单位统计 %s 属于不存在的运行", k)
			}
			return nil
		})
	})
	decodeAll("通知书", bucketNotices, &Notice{})
	decodeAll("用户", bucketUsers, &User{})
	decodeAll("复核评分", bucketReviews, &Review{})
	decodeAll("可用性探测", bucketProbes, &ProbeResult{})
	db.section(rep, "共享记录", func(tx *bolt.Tx) error {
		return tx.Bucket(bucketBlobs).ForEach(func(k, v []byte) error {
			rep.Records++
			raw, err := decompress(v)
			if err == nil && !json.Valid(raw) {
				err = errors.New("不是 JSON")
			}
			if err != nil {
				rep.problem("共享记录 %s 无法解码：%v", k, err)
			}
			return nil
		})
	})
	db.section(rep, "正文", func(tx *bolt.Tx) error {
		// gzip's CRC-32 and length: the one checksum the file has.
		return tx.Bucket(bucketBodies).ForEach(func(k, v []byte) error {
			rep.Records++
			if _, err := decompress(v); err != nil {
				rep.problem("正文 %s 无法解压：%v", k, err)
			}
			return nil
		})
	})
}
