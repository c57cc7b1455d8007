package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"gkaudit/checks"
	"gkaudit/site"
)

// Schema 3 splits every per-run record into what a re-run over an unchanged
// site repeats and what it does not. The repeated part (page metadata,
// findings, columns and probes, each without its timestamps) goes into the
// blobs bucket as gzip'd JSON keyed by its SHA-256, like the bodies, so a
// second run that sees the same thing adds only a reference; the run's own
// part (when each page was fetched, how long it took, how many bytes came,
// whether the server answered 304) stays under the run's keys, gzip'd.

// blob is a record prepared for the blobs bucket outside a write
// transaction.
type blob struct {
	sha string
	z   []byte // gzip of the JSON
}

// newBlob marshals v and compresses it.
func newBlob(v any) (blob, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return blob{}, err
	}
	sum := sha256.Sum256(raw)
	z, err := compress(raw)
	if err != nil {
		return blob{}, err
	}
	return blob{sha: hex.EncodeToString(sum[:]), z: z}, nil
}

// put stores the blob unless the bucket has it already.
func (b blob) put(tx *bolt.Tx) error {
	bb := tx.Bucket(bucketBlobs)
	if bb.Get([]byte(b.sha)) != nil {
		return nil
	}
	return bb.Put([]byte(b.sha), b.z)
}

// getBlob decodes the blob with the given key into v.
func getBlob(tx *bolt.Tx, sha string, v any) error {
	z := tx.Bucket(bucketBlobs).Get([]byte(sha))
	if z == nil {
		return corrupt(fmt.Errorf("blob %s: %w", sha, ErrNotFound)) // a record refers to it
	}
	raw, err := decompress(z)
	if err != nil {
		return fmt.Errorf("blob %s: %w", sha, err)
	}
	if err := unmarshal(raw, v); err != nil {
		return fmt.Errorf("blob %s: %w", sha, err)
	}
	return nil
}

// putZ stores v as gzip'd JSON.
func putZ(b *bolt.Bucket, key []byte, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	z, err := compress(raw)
	if err != nil {
		return err
	}
	return b.Put(key, z)
}

// getZ decodes a value written by putZ, or plain JSON as schema 2 wrote it.
func getZ(b *bolt.Bucket, key []byte, v any) error {
	raw := b.Get(key)
	if raw == nil {
		return ErrNotFound
	}
	return decodeZ(raw, v)
}

func decodeZ(raw []byte, v any) error {
	if isPlainJSON(raw) {
		return unmarshal(raw, v)
	}
	data, err := decompress(raw)
	if err != nil {
		return err
	}
	return unmarshal(data, v)
}

// isPlainJSON tells a schema-2 JSON value from a gzip stream (0x1f 0x8b).
func isPlainJSON(raw []byte) bool { return len(raw) > 0 && raw[0] == '{' }

// pageMeta is the part of a page record that a re-run over an unchanged page
// repeats. Body and Links are not kept: the body is in the bodies bucket and
// the links are extracted from it again.
type pageMeta struct {
	URL          string   `json:"u"`
	FinalURL     string   `json:"f,omitempty"`
	Status       int      `json:"s,omitempty"`
	ContentType  string   `json:"ct,omitempty"`
	Charset      string   `json:"cs,omitempty"`
	Depth        int      `json:"d,omitempty"`
	SHA256       string   `json:"h,omitempty"`
	Truncated    bool     `json:"tr,omitempty"`
	Title        string   `json:"ti,omitempty"`
	Breadcrumb   []string `json:"bc,omitempty"`
	Err          string   `json:"e,omitempty"`
	ETag         string   `json:"et,omitempty"`
	LastModified string   `json:"lm,omitempty"`
	// Exchanges are the stable part of the fetch's exchanges (of the full
	// fetch a 304 confirmed: see exchanges.go); RawSHA256 keys the body as
	// received when it differs from the decoded one.
	Exchanges []storedExchange `json:"x,omitempty"`
	RawSHA256 string           `json:"rh,omitempty"`
}

// pageVisit is the run's own part of a page record; Seq is the page's index
// in the snapshot (fetch order).
type pageVisit struct {
	Seq         int           `json:"i"`
	FetchedAt   time.Time     `json:"t"`
	Latency     time.Duration `json:"l,omitempty"`
	Size        int64         `json:"z,omitempty"`
	Attempts    int           `json:"a,omitempty"`
	NotModified bool          `json:"n,omitempty"`
	// Carried: the page was carried forward from the last run (no request).
	Carried bool `json:"c,omitempty"`
	// Exchanges: how this fetch's exchanges differ from the stable part
	// (nil: not at all); NoExchanges: none were recorded although the
	// stable part has some.
	Exchanges   []exchangeDiff `json:"x,omitempty"`
	NoExchanges bool           `json:"nx,omitempty"`
	// FirstTry and Cause are the page's (site.Page): link.broken judges a
	// failure by both tries.
	FirstTry *site.Try `json:"f,omitempty"`
	Cause    string    `json:"e,omitempty"`
	// HostSilent is the page's (site.Page): site.reachable says why the
	// entry page was not tried again.
	HostSilent int `json:"hs,omitempty"`
}

// pageChunk is the value of a pages key: a blob of pageMeta and the visits
// of the same pages, in the same order.
type pageChunk struct {
	Blob   string      `json:"blob"`
	Visits []pageVisit `json:"visits"`
}

func splitPage(p *site.Page, seq int) (pageMeta, pageVisit) {
	base := p.Exchanges
	if p.NotModified || p.CarriedForward {
		base = p.Origin
	}
	m := pageMeta{
		URL: p.URL, FinalURL: p.FinalURL, Status: p.Status, ContentType: p.ContentType, Charset: p.Charset,
		Depth: p.Depth, SHA256: p.SHA256, Truncated: p.Truncated, Title: p.Title, Breadcrumb: p.Breadcrumb,
		Err: p.Err, ETag: p.ETag, LastModified: p.LastModified,
		Exchanges: stableExchanges(base), RawSHA256: p.RawSHA256,
	}
	v := pageVisit{Seq: seq, FetchedAt: p.FetchedAt, Latency: p.Latency, Size: p.Size, Attempts: p.Attempts,
		NotModified: p.NotModified, Carried: p.CarriedForward, FirstTry: p.FirstTry, Cause: p.Cause, HostSilent: p.HostSilent}
	v.Exchanges, v.NoExchanges = diffExchanges(p.Exchanges, m.Exchanges, p.FetchedAt, validators{p.ETag, p.LastModified})
	return m, v
}

func joinPage(m pageMeta, v pageVisit) *site.Page {
	p := &site.Page{
		URL: m.URL, FinalURL: m.FinalURL, Status: m.Status, ContentType: m.ContentType, Charset: m.Charset,
		FetchedAt: v.FetchedAt, Latency: v.Latency, Depth: m.Depth, SHA256: m.SHA256, Size: v.Size,
		Truncated: m.Truncated, Title: m.Title, Breadcrumb: m.Breadcrumb, Err: m.Err, Attempts: v.Attempts,
		ETag: m.ETag, LastModified: m.LastModified, NotModified: v.NotModified, RawSHA256: m.RawSHA256,
		Exchanges: joinExchanges(m.Exchanges, v.Exchanges, v.NoExchanges, v.FetchedAt, validators{m.ETag, m.LastModified}),
	}
	if v.NotModified || v.Carried {
		p.Origin = siteExchanges(m.Exchanges)
	}
	p.CarriedForward, p.FirstTry, p.Cause, p.HostSilent = v.Carried, v.FirstTry, v.Cause, v.HostSilent
	return p
}

// Chunks of a unit's pages. Pages are sorted by URL and cut where a URL's
// hash says so (at least chunkMin, at most chunkMax pages), so that a page
// added or removed changes the chunk around it, not every chunk after it.
const (
	chunkMin  = 8
	chunkMax  = 200
	chunkMask = 31 // a cut after about one URL in 32
)

// chunkPages returns the indices of pages grouped into chunks.
func chunkPages(pages []*site.Page) [][]int {
	idx := make([]int, 0, len(pages))
	for i, p := range pages {
		if p != nil {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int { return strings.Compare(pages[a].URL, pages[b].URL) })
	var out [][]int
	var cur []int
	for _, i := range idx {
		cur = append(cur, i)
		h := fnv.New32a()
		h.Write([]byte(pages[i].URL))
		if len(cur) >= chunkMax || len(cur) >= chunkMin && h.Sum32()&chunkMask == 0 {
			out = append(out, cur)
			cur = nil
		}
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// decodePages decodes the value of a pages key: a chunk, or one page as
// schema 2 stored it under key (whose last segment is its sequence number).
// The pages come back with their sequence numbers.
func decodePages(tx *bolt.Tx, key, raw []byte, blobs map[string][]pageMeta) ([]*site.Page, []int, error) {
	if isPlainJSON(raw) {
		p := new(site.Page)
		if err := unmarshal(raw, p); err != nil {
			return nil, nil, err
		}
		seq, err := strconv.Atoi(string(key[bytes.LastIndexByte(key, '/')+1:]))
		if err != nil {
			return nil, nil, corrupt(fmt.Errorf("bad page key %q", key))
		}
		return []*site.Page{p}, []int{seq}, nil
	}
	var ch pageChunk
	if err := decodeZ(raw, &ch); err != nil {
		return nil, nil, err
	}
	metas, ok := blobs[ch.Blob]
	if !ok {
		if err := getBlob(tx, ch.Blob, &metas); err != nil {
			return nil, nil, err
		}
		if blobs != nil {
			blobs[ch.Blob] = metas
		}
	}
	if len(metas) != len(ch.Visits) {
		return nil, nil, corrupt(fmt.Errorf("chunk has %d visits for %d pages", len(ch.Visits), len(metas)))
	}
	pages := make([]*site.Page, len(metas))
	seqs := make([]int, len(metas))
	for i, m := range metas {
		pages[i], seqs[i] = joinPage(m, ch.Visits[i]), ch.Visits[i].Seq
	}
	return pages, seqs, nil
}

// findingsRecord is the value of a findings key: the findings of one unit
// saved in one call, with the evidence fetch times cleared, as a list (see
// listRef), and those times in order.
type findingsRecord struct {
	List      listRef     `json:"list"`
	FetchedAt []time.Time `json:"t"`
	// Reused holds, in order, each finding's Evidence.ReusedFrom, kept out
	// of the list like the times so that a run reusing an earlier run's
	// findings shares that run's blob; nil when no finding was reused.
	Reused []string `json:"r,omitempty"`
}

// stableFindings splits the evidence fetch times off findings.
func stableFindings(fs []checks.Finding) ([]json.RawMessage, []time.Time, error) {
	times := make([]time.Time, len(fs))
	stable := slices.Clone(fs)
	for i := range stable {
		times[i] = stable[i].Evidence.FetchedAt
		stable[i].Evidence.FetchedAt = time.Time{}
		stable[i].ID = "" // derived from the identity on read
	}
	elems, err := marshalElems(stable)
	return elems, times, err
}

// decodeFindings decodes the value of a findings key: a record, or one
// finding as schema 2 stored it.
func decodeFindings(tx *bolt.Tx, raw []byte, cache listBlobs) ([]checks.Finding, error) {
	if isPlainJSON(raw) {
		var f checks.Finding
		if err := unmarshal(raw, &f); err != nil {
			return nil, err
		}
		f.ID = FindingID(FindingKey(f))
		return []checks.Finding{f}, nil
	}
	var rec findingsRecord
	if err := decodeZ(raw, &rec); err != nil {
		return nil, err
	}
	var fs []checks.Finding
	if err := decodeList(tx, rec.List, &fs, cache); err != nil {
		return nil, err
	}
	if len(fs) != len(rec.FetchedAt) {
		return nil, corrupt(fmt.Errorf("findings record has %d times for %d findings", len(rec.FetchedAt), len(fs)))
	}
	if rec.Reused != nil && len(fs) != len(rec.Reused) {
		return nil, corrupt(fmt.Errorf("findings record has %d reuse marks for %d findings", len(rec.Reused), len(fs)))
	}
	for i := range fs {
		fs[i].Evidence.FetchedAt = rec.FetchedAt[i]
		if rec.Reused != nil {
			fs[i].Evidence.ReusedFrom = rec.Reused[i]
		}
		fs[i].ID = FindingID(FindingKey(fs[i]))
	}
	return fs, nil
}

// earlierRuns calls fn with the IDs of the runs before runID, newest first,
// until fn returns true or limit runs were seen.
func earlierRuns(tx *bolt.Tx, runID string, limit int, fn func(id string) bool) {
	c := tx.Bucket(bucketRuns).Cursor()
	k, _ := c.Seek([]byte(runID))
	if k == nil {
		k, _ = c.Last()
	}
	for ; k != nil && limit > 0; k, _ = c.Prev() {
		if string(k) >= runID {
			continue
		}
		limit--
		if fn(string(k)) {
			return
		}
	}
}

// baseCandidates are how many earlier runs are searched for a unit's
// records to patch against.
const baseCandidates = 3

// findingsBases returns the bases of the unit's findings records in the
// newest earlier run that has any.
func findingsBases(tx *bolt.Tx, runID, unit string) []string {
	var out []string
	earlierRuns(tx, runID, baseCandidates, func(id string) bool {
		prefix := []byte(id + "/" + unit + "/")
		c := tx.Bucket(bucketFindings).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			if !isPageKey(k, prefix) || isPlainJSON(v) {
				continue
			}
			var rec findingsRecord
			if decodeZ(v, &rec) == nil {
				out = append(out, rec.List.Base)
			}
		}
		return len(out) > 0
	})
	return out
}

// snapshotBases returns the lists of the unit's snapshot in the newest
// earlier run that has one.
func snapshotBases(tx *bolt.Tx, runID, unit string) (columns, probes []string) {
	earlierRuns(tx, runID, baseCandidates, func(id string) bool {
		var rec snapshotRecord
		if getZ(tx.Bucket(bucketSnapshots), []byte(id+"/"+unit), &rec) != nil || rec.ColumnList == nil {
			return false
		}
		columns, probes = []string{rec.ColumnList.Base}, []string{rec.ProbeList.Base}
		return true
	})
	return columns, probes
}

// probeVisit is when a probe ran, how long it took, and how its exchanges
// differ from the stable part in the list (see exchanges.go).
type probeVisit struct {
	FetchedAt   time.Time      `json:"t"`
	Latency     time.Duration  `json:"l,omitempty"`
	Exchanges   []exchangeDiff `json:"x,omitempty"`
	NoExchanges bool           `json:"nx,omitempty"`
}

// storedProbe is a probe as its list keeps it: without times, with the
// stable part of its exchanges. Lists written before exchanges were
// recorded decode into it unchanged.
type storedProbe struct {
	site.Probe
	StableExchanges []storedExchange `json:"x,omitempty"`
}

// siteLists is a snapshot's columns, sorted, with the order they were found
// in, and its probes without their times, with the times.
type siteLists struct {
	columns []json.RawMessage
	order   []int // order[i]: the position of sorted column i as found
	probes  []json.RawMessage
	visits  []probeVisit
}

func splitSite(s *site.Snapshot) (siteLists, error) {
	var out siteLists
	idx := make([]int, len(s.Columns))
	for i := range idx {
		idx[i] = i
	}
	key := func(c site.Column) string {
		return c.Kind + "\x00" + c.URL + "\x00" + c.Name + "\x00" + c.Source + "\x00" + c.From
	}
	slices.SortStableFunc(idx, func(a, b int) int { return strings.Compare(key(s.Columns[a]), key(s.Columns[b])) })
	cols := make([]site.Column, len(idx))
	for i, j := range idx {
		cols[i] = s.Columns[j]
	}
	out.order = idx
	probes := make([]storedProbe, len(s.Probes))
	out.visits = make([]probeVisit, len(probes))
	for i, pr := range s.Probes {
		sp := storedProbe{Probe: pr, StableExchanges: stableExchanges(pr.Exchanges)}
		v := probeVisit{FetchedAt: pr.FetchedAt, Latency: pr.Latency}
		v.Exchanges, v.NoExchanges = diffExchanges(pr.Exchanges, sp.StableExchanges, pr.FetchedAt, validators{})
		sp.FetchedAt, sp.Latency, sp.Exchanges = time.Time{}, 0, nil
		probes[i], out.visits[i] = sp, v
	}
	var err error
	if out.columns, err = marshalElems(cols); err != nil {
		return out, err
	}
	out.probes, err = marshalElems(probes)
	return out, err
}

// siteOf returns the columns and probes of a snapshot record.
func (rec *snapshotRecord) siteOf(tx *bolt.Tx, cache listBlobs) ([]site.Column, []site.Probe, error) {
	if rec.ColumnList == nil {
		return rec.Columns, rec.Probes, nil // schema 2
	}
	var sorted []site.Column
	if err := decodeList(tx, *rec.ColumnList, &sorted, cache); err != nil {
		return nil, nil, err
	}
	if len(sorted) != len(rec.ColumnOrder) {
		return nil, nil, fmt.Errorf("snapshot has %d column positions for %d columns", len(rec.ColumnOrder), len(sorted))
	}
	var cols []site.Column
	if len(sorted) > 0 {
		cols = make([]site.Column, len(sorted))
		for i, j := range rec.ColumnOrder {
			if j < 0 || j >= len(cols) {
				return nil, nil, fmt.Errorf("snapshot column position %d out of range", j)
			}
			cols[j] = sorted[i]
		}
	}
	var stored []storedProbe
	if err := decodeList(tx, *rec.ProbeList, &stored, cache); err != nil {
		return nil, nil, err
	}
	if len(stored) != len(rec.ProbeVisits) {
		return nil, nil, fmt.Errorf("snapshot has %d probe times for %d probes", len(rec.ProbeVisits), len(stored))
	}
	var probes []site.Probe
	for i, v := range rec.ProbeVisits {
		pr := stored[i].Probe
		pr.FetchedAt, pr.Latency = v.FetchedAt, v.Latency
		pr.Exchanges = joinExchanges(stored[i].StableExchanges, v.Exchanges, v.NoExchanges, v.FetchedAt, validators{})
		probes = append(probes, pr)
	}
	return cols, probes, nil
}

// lists returns the refs of the lists a snapshot record keeps.
func (rec *snapshotRecord) lists() []listRef {
	var out []listRef
	for _, r := range []*listRef{rec.ColumnList, rec.ProbeList} {
		if r != nil {
			out = append(out, *r)
		}
	}
	return out
}
