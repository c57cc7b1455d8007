// Package evidence writes the evidence behind a finding as a WARC/1.1 file
// (ISO 28500:2017) and verifies such files. It works on plain data (the
// exchanges, payloads and finding the store kept) and does no store access
// of its own, so that what it writes can be tested byte for byte.
//
// A file holds, each record in its own gzip member:
//
//   - warcinfo: the software, the run (ID, as-of date, config source and
//     SHA-256), the finding's ID;
//   - per exchange of every fetch behind the finding: a request record and
//     a response record linked by WARC-Concurrent-To; a 304 answer to a
//     conditional GET is a revisit record (profile server-not-modified)
//     referring to the full response of the run that fetched the body,
//     written before it when that run is still stored; a fetch recorded
//     before exchanges were (no headers) is a resource record of its body;
//   - metadata: the finding as JSON, and notes on anything left out.
//
// Every record has WARC-Block-Digest, and response and resource records
// WARC-Payload-Digest, as sha256 in unpadded base32.
package evidence

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/google/uuid"
	gowarc "github.com/nlnwa/gowarc/v3"

	"gkaudit/checks"
	"gkaudit/site"
)

// Info is what the warcinfo record says about the export.
type Info struct {
	Software string    // "gkaudit/v1.2.0 (go1.26.8)"
	Filename string    // the file's base name (WARC-Filename)
	Created  time.Time // when the file was written
	// The run the finding was read from.
	RunID        string
	RunStarted   time.Time
	AsOf         string
	ConfigSource string
	ConfigSHA256 string // "" for runs recorded before it was
}

// Fetch is one URL as the run fetched it.
type Fetch struct {
	// Exchanges are the fetch's HTTP exchanges in order (redirects, then
	// the final answer). Nil for a record written before they were kept:
	// then a resource record of Payload is written from URL, FetchedAt and
	// ContentType.
	Exchanges []site.Exchange
	// Payload is the final response's body as received (content coding
	// removed), nil when it was not kept (attachments, probes). Truncated is
	// set when the body hit the crawl's size limit.
	Payload   []byte
	Truncated bool
	// Original is, when the final answer is a 304, the full fetch whose body
	// it confirmed (nil when no stored run has it any more).
	Original *Fetch

	URL         string
	FetchedAt   time.Time
	ContentType string
}

// Export is everything one evidence file holds.
type Export struct {
	Info    Info
	Fetches []Fetch
	Finding checks.Finding
	// Notes say, in the reviewer's language, what the file could not
	// include and why; they go into the metadata record.
	Notes []string
}

// Profile of a revisit record for a 304 (WARC 1.1 §6.7.2).
const profileNotModified = gowarc.ProfileServerNotModifiedV1_1

// Write writes e to w as a gzip'd WARC/1.1 file and returns the number of
// records written by type.
func Write(w io.Writer, e Export) (map[string]int, error) {
	ww := &writer{w: w, counts: map[string]int{}, info: e.Info}
	if err := ww.warcinfo(e); err != nil {
		return nil, err
	}
	for _, f := range e.Fetches {
		if err := ww.fetch(f); err != nil {
			return nil, err
		}
	}
	if err := ww.metadata(e); err != nil {
		return nil, err
	}
	return ww.counts, nil
}

type writer struct {
	w        io.Writer
	info     Info
	infoID   string
	counts   map[string]int
	lastResp string // record ID of the latest final response written
}

// record is one WARC record to write.
type record struct {
	typ     gowarc.RecordType
	id      string
	date    time.Time
	ctype   string
	fields  [][2]string // further WARC fields, in order
	block   []byte
	payload int // offset of the payload in block; -1: no payload digest
}

func newID() string { return "<" + uuid.New().URN() + ">" }

// digest is a WARC digest value: sha256 in unpadded base32 (a token, as
// WARC 1.1 requires: padding '=' is not allowed there).
func digest(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256:" + b32.EncodeToString(sum[:])
}

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// put builds the record with gowarc, which checks it against the standard
// (fields, digests, the HTTP message), and writes it as one gzip member.
func (ww *writer) put(r record) error {
	rb := gowarc.NewRecordBuilder(r.typ, gowarc.WithSpecViolationPolicy(gowarc.ErrFail),
		gowarc.WithSyntaxErrorPolicy(gowarc.ErrFail), gowarc.WithUnknownRecordTypePolicy(gowarc.ErrFail))
	rb.AddWarcHeader(gowarc.WarcRecordID, r.id)
	rb.AddWarcHeaderTime(gowarc.WarcDate, r.date)
	if r.typ != gowarc.Warcinfo {
		rb.AddWarcHeader(gowarc.WarcWarcinfoID, ww.infoID)
	}
	for _, f := range r.fields {
		rb.AddWarcHeader(f[0], f[1])
	}
	rb.AddWarcHeader(gowarc.ContentType, r.ctype)
	rb.AddWarcHeader(gowarc.WarcBlockDigest, digest(r.block))
	if r.payload >= 0 {
		rb.AddWarcHeader(gowarc.WarcPayloadDigest, digest(r.block[r.payload:]))
	}
	rb.AddWarcHeaderInt(gowarc.ContentLength, len(r.block))
	if _, err := rb.Write(r.block); err != nil {
		rb.Close()
		return fmt.Errorf("evidence: %s record: %w", r.typ, err)
	}
	rec, _, err := rb.Build()
	if err != nil {
		return fmt.Errorf("evidence: %s record: %w", r.typ, err)
	}
	defer rec.Close()
	zw := gzip.NewWriter(ww.w)
	if _, _, err := gowarc.NewMarshaler().Marshal(zw, rec, 0); err != nil {
		return fmt.Errorf("evidence: write %s record: %w", r.typ, err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("evidence: write %s record: %w", r.typ, err)
	}
	ww.counts[r.typ.String()]++
	return nil
}

func (ww *writer) warcinfo(e Export) error {
	fields := [][2]string{
		{"software", e.Info.Software},
		{"format", "WARC File Format 1.1"},
		{"conformsTo", "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"},
		{"description", "gkaudit evidence of finding " + e.Finding.ID},
		{"gkaudit-finding", e.Finding.ID},
		{"gkaudit-run", e.Info.RunID},
	}
	if !e.Info.RunStarted.IsZero() {
		fields = append(fields, [2]string{"gkaudit-run-started", e.Info.RunStarted.UTC().Format(time.RFC3339)})
	}
	fields = append(fields, [2]string{"gkaudit-as-of", e.Info.AsOf}, [2]string{"gkaudit-config-source", orNone(e.Info.ConfigSource)})
	sha := e.Info.ConfigSHA256
	if sha == "" {
		sha = "not recorded"
	}
	fields = append(fields, [2]string{"gkaudit-config-sha256", sha})
	var b strings.Builder
	for _, f := range fields {
		b.WriteString(f[0] + ": " + clean(f[1]) + "\r\n")
	}
	ww.infoID = newID()
	r := record{typ: gowarc.Warcinfo, id: ww.infoID, date: e.Info.Created, ctype: "application/warc-fields",
		block: []byte(b.String()), payload: -1}
	if e.Info.Filename != "" {
		r.fields = [][2]string{{gowarc.WarcFilename, e.Info.Filename}}
	}
	return ww.put(r)
}

func orNone(s string) string {
	if s == "" {
		return "built-in"
	}
	return s
}

// fetch writes the records of one fetch: the original full fetch first
// when the answer is a 304 and it is known.
func (ww *writer) fetch(f Fetch) error {
	if len(f.Exchanges) == 0 {
		return ww.resource(f)
	}
	var orig struct {
		id, uri string
		at      time.Time
	}
	if f.Original != nil && len(f.Original.Exchanges) > 0 {
		if err := ww.fetch(*f.Original); err != nil {
			return err
		}
		last := f.Original.Exchanges[len(f.Original.Exchanges)-1]
		orig.id, orig.uri, orig.at = ww.lastResp, last.Request.URL, last.At
	}
	for i, x := range f.Exchanges {
		final := i == len(f.Exchanges)-1
		reqID := newID()
		var respID string
		if x.Response != nil {
			respID = newID()
		}
		req := record{typ: gowarc.Request, id: reqID, date: x.At, ctype: "application/http;msgtype=request",
			fields: [][2]string{{gowarc.WarcTargetURI, x.Request.URL}}, block: requestMessage(x), payload: -1}
		if respID != "" {
			req.fields = append(req.fields, [2]string{gowarc.WarcConcurrentTo, respID})
		}
		if err := ww.put(req); err != nil {
			return err
		}
		if x.Response == nil {
			continue
		}
		resp := record{typ: gowarc.Response, id: respID, date: x.At, ctype: "application/http;msgtype=response",
			fields: [][2]string{{gowarc.WarcTargetURI, x.Request.URL}, {gowarc.WarcConcurrentTo, reqID}}}
		if final && statusCode(x.Response.Status) == 304 {
			resp.typ = gowarc.Revisit
			resp.fields = append(resp.fields, [2]string{gowarc.WarcProfile, profileNotModified})
			if orig.id != "" {
				resp.fields = append(resp.fields, [2]string{gowarc.WarcRefersTo, orig.id},
					[2]string{gowarc.WarcRefersToTargetURI, orig.uri},
					[2]string{gowarc.WarcRefersToDate, orig.at.UTC().Format(time.RFC3339Nano)})
			}
			resp.block, resp.payload = responseHead(x.Response, -1), -1
		} else {
			var payload []byte
			kept := final && f.Payload != nil
			if kept {
				payload = f.Payload
			}
			head := responseHead(x.Response, lenOr(payload, kept))
			resp.block, resp.payload = append(head, payload...), len(head)
			switch {
			case kept && f.Truncated:
				resp.fields = append(resp.fields, [2]string{gowarc.WarcTruncated, "length"})
			case !kept && !bodyless(x):
				// The body was not kept (a redirect's, an attachment's).
				resp.fields = append(resp.fields, [2]string{gowarc.WarcTruncated, "unspecified"})
			}
		}
		if err := ww.put(resp); err != nil {
			return err
		}
		if final {
			ww.lastResp = respID
		}
	}
	return nil
}

func lenOr(b []byte, kept bool) int {
	if !kept {
		return -1
	}
	return len(b)
}

// resource writes a body whose exchanges were not recorded.
func (ww *writer) resource(f Fetch) error {
	if f.Payload == nil {
		return nil
	}
	ct := f.ContentType
	if ct == "" {
		ct = "application/octet-stream"
	}
	r := record{typ: gowarc.Resource, id: newID(), date: f.FetchedAt, ctype: ct,
		fields: [][2]string{{gowarc.WarcTargetURI, f.URL}}, block: f.Payload, payload: 0}
	if f.Truncated {
		r.fields = append(r.fields, [2]string{gowarc.WarcTruncated, "length"})
	}
	return ww.put(r)
}

// findingMeta is the metadata record's JSON: the finding and the notes.
type findingMeta struct {
	Finding checks.Finding `json:"finding"`
	Run     string         `json:"run"`
	Notes   []string       `json:"notes,omitempty"`
}

func (ww *writer) metadata(e Export) error {
	if e.Finding.ID == "" {
		return errors.New("evidence: the finding has no ID")
	}
	var block bytes.Buffer
	enc := json.NewEncoder(&block)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // URLs with & and Chinese text stay readable
	if err := enc.Encode(findingMeta{Finding: e.Finding, Run: e.Info.RunID, Notes: e.Notes}); err != nil {
		return fmt.Errorf("evidence: metadata: %w", err)
	}
	uri := "urn:gkaudit:finding:" + e.Finding.ID
	return ww.put(record{typ: gowarc.Metadata, id: newID(), date: e.Info.Created, ctype: "application/json",
		fields: [][2]string{{gowarc.WarcTargetURI, uri}}, block: block.Bytes(), payload: -1})
}
