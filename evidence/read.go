package evidence

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"strings"

	gowarc "github.com/nlnwa/gowarc/v3"
)

// Record is a WARC record as read back.
type Record struct {
	Fields [][2]string // WARC header fields, in order
	Block  []byte
	Offset int64 // where the record starts in the uncompressed file
}

// Get returns the first value of the WARC field name (any case), or "".
func (r Record) Get(name string) string {
	for _, f := range r.Fields {
		if strings.EqualFold(f[0], name) {
			return f[1]
		}
	}
	return ""
}

// Type is the record's WARC-Type.
func (r Record) Type() string { return r.Get(gowarc.WarcType) }

// isHTTP reports whether the block is an HTTP message.
func (r Record) isHTTP() bool {
	return strings.HasPrefix(strings.ToLower(strings.TrimSpace(r.Get(gowarc.ContentType))), "application/http")
}

// Payload returns the block's payload: for an HTTP message the body after
// its head, else the whole block.
func (r Record) Payload() []byte {
	if !r.isHTTP() {
		return r.Block
	}
	return r.Block[httpHeadLen(r.Block):]
}

// httpHeadLen is the length of an HTTP message's head: lines up to and
// including the first empty one ("\r\n" or "\n"), or all of b when there
// is none. It reads a head as gowarc does, so digests agree with it.
func httpHeadLen(b []byte) int {
	n := 0
	for n < len(b) {
		i := bytes.IndexByte(b[n:], '\n')
		if i < 0 {
			return len(b)
		}
		line := b[n : n+i+1]
		n += i + 1
		if len(line) < 3 {
			return n
		}
	}
	return n
}

// ErrMalformed wraps every error Read and Verify return for a file that is
// not a readable WARC file.
var ErrMalformed = errors.New("not a valid WARC file")

// Read reads every record of a WARC file: gzip'd (one member per record as
// Write writes, or the whole file in one) or uncompressed.
func Read(r io.Reader) ([]Record, error) {
	var out []Record
	err := each(r, func(rec Record) error {
		out = append(out, rec)
		return nil
	})
	return out, err
}

// each calls fn with every record in order.
//
// The gzip layer is undone here, not by gowarc: gowarc takes each gzip
// member for one record and skips the rest of a member, so a file gzip'd
// as a whole would pass with only its first record read.
func each(r io.Reader, fn func(Record) error) error {
	br := bufio.NewReader(r)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br) // multistream: the members one after another
		if err != nil {
			return fmt.Errorf("%w: %v", ErrMalformed, err)
		}
		defer zr.Close()
		r = zr
	} else {
		r = br
	}
	rd, err := gowarc.NewWarcFileReaderFromStream(r, 0, gowarc.WithSkipParseBlock(),
		gowarc.WithSyntaxErrorPolicy(gowarc.ErrFail), gowarc.WithSpecViolationPolicy(gowarc.ErrWarn),
		gowarc.WithUnknownRecordTypePolicy(gowarc.ErrWarn))
	if err != nil {
		return fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	defer rd.Close()
	for n := 1; ; n++ {
		rec, err := rd.Next()
		if errors.Is(err, io.EOF) && rec.WarcRecord == nil {
			if n == 1 {
				return fmt.Errorf("%w: no records", ErrMalformed)
			}
			return nil
		}
		if err != nil || rec.WarcRecord == nil {
			rec.Close()
			return fmt.Errorf("%w: record %d (offset %d): %v", ErrMalformed, n, rec.Offset, orUnknown(err))
		}
		out, err := readRecord(rec)
		rec.Close()
		if err != nil {
			return fmt.Errorf("%w: record %d (offset %d): %v", ErrMalformed, n, rec.Offset, err)
		}
		if err := fn(out); err != nil {
			return err
		}
	}
}

func orUnknown(err error) error {
	if err == nil {
		return errors.New("unreadable record")
	}
	return err
}

// readRecord takes the fields and block of a record gowarc has read. Its
// own digest checks are left to Verify, which names the digest; any other
// finding of gowarc's (a Content-Length that does not match, a bad end of
// record) makes the file malformed.
func readRecord(rec gowarc.Record) (Record, error) {
	for _, v := range rec.Validation {
		var de *gowarc.DigestError
		if !errors.As(v, &de) {
			return Record{}, v
		}
	}
	out := Record{Offset: rec.Offset}
	for _, nv := range *rec.WarcRecord.WarcHeader() {
		out.Fields = append(out.Fields, [2]string{nv.Name, nv.Value})
	}
	raw, err := rec.WarcRecord.Block().RawBytes()
	if err != nil {
		return Record{}, err
	}
	if out.Block, err = io.ReadAll(raw); err != nil {
		return Record{}, err
	}
	return out, nil
}

// Report is what Verify found.
type Report struct {
	Records int
	// Types counts records and checked digests by WARC-Type, in the order
	// the types first appear.
	Types      []TypeCount
	Mismatches []Mismatch
}

// TypeCount is one record type's line of a report: its records, and of
// their block and payload digests how many were recomputed and matched.
type TypeCount struct {
	Type                       string
	Records                    int
	BlockDigests, BlocksOK     int
	PayloadDigests, PayloadsOK int
}

// Mismatch is a digest that does not match its record, or that is missing
// (Recorded ""): every record needs a block digest, and response and
// resource records a payload digest, to be evidence.
type Mismatch struct {
	RecordID, Type, TargetURI string
	Field                     string // WARC-Block-Digest or WARC-Payload-Digest
	Recorded, Computed        string
}

// Verify reads every record of a WARC file and recomputes its
// WARC-Block-Digest and WARC-Payload-Digest. A digest that does not match is
// a Mismatch in the report; a file that cannot be read is an error wrapping
// ErrMalformed. A revisit's payload digest is that of the record it refers
// to and is not recomputed.
func Verify(r io.Reader) (Report, error) {
	var rep Report
	byType := map[string]int{} // index in rep.Types
	err := each(r, func(rec Record) error {
		rep.Records++
		typ := rec.Type()
		i, ok := byType[typ]
		if !ok {
			i = len(rep.Types)
			rep.Types = append(rep.Types, TypeCount{Type: typ})
			byType[typ] = i
		}
		tc := &rep.Types[i] // valid until the next append, after this record
		tc.Records++
		// check recomputes one digest field; a missing one is reported
		// when required.
		check := func(field string, data []byte, required bool, checked, matched *int) error {
			want := rec.Get(field)
			if want == "" {
				if required {
					rep.Mismatches = append(rep.Mismatches, Mismatch{RecordID: rec.Get(gowarc.WarcRecordID), Type: typ,
						TargetURI: rec.Get(gowarc.WarcTargetURI), Field: field, Computed: digest(data)})
				}
				return nil
			}
			got, ok, err := recompute(want, data)
			if err != nil {
				return fmt.Errorf("record %s: %s: %w", rec.Get(gowarc.WarcRecordID), field, err)
			}
			*checked++
			if ok {
				*matched++
				return nil
			}
			rep.Mismatches = append(rep.Mismatches, Mismatch{RecordID: rec.Get(gowarc.WarcRecordID), Type: typ,
				TargetURI: rec.Get(gowarc.WarcTargetURI), Field: field, Recorded: want, Computed: got})
			return nil
		}
		if err := check(gowarc.WarcBlockDigest, rec.Block, true, &tc.BlockDigests, &tc.BlocksOK); err != nil {
			return err
		}
		if typ == "revisit" {
			return nil
		}
		required := typ == "response" || typ == "resource"
		return check(gowarc.WarcPayloadDigest, rec.Payload(), required, &tc.PayloadDigests, &tc.PayloadsOK)
	})
	if err != nil {
		if !errors.Is(err, ErrMalformed) {
			err = fmt.Errorf("%w: %v", ErrMalformed, err)
		}
		return rep, err
	}
	return rep, nil
}

// recompute digests data with the algorithm of a WARC digest value
// ("sha256:BASE32...", also sha1/sha512, base32, base16 or base64) and
// reports the value computed, in the recorded encoding, and whether it
// matches.
func recompute(value string, data []byte) (string, bool, error) {
	alg, enc, ok := strings.Cut(strings.TrimSpace(value), ":")
	if !ok {
		return "", false, fmt.Errorf("digest %q has no algorithm", value)
	}
	var h hash.Hash
	switch strings.ToLower(strings.ReplaceAll(alg, "-", "")) {
	case "sha1":
		h = sha1.New()
	case "sha256":
		h = sha256.New()
	case "sha512":
		h = sha512.New()
	default:
		return "", false, fmt.Errorf("digest algorithm %q is not supported", alg)
	}
	h.Write(data)
	sum := h.Sum(nil)
	for _, e := range []struct {
		encode func([]byte) string
		fold   bool
	}{
		{b32.EncodeToString, true},
		{base32.StdEncoding.EncodeToString, true},
		{hex.EncodeToString, true},
		{base64.StdEncoding.EncodeToString, false},
		{base64.RawStdEncoding.EncodeToString, false},
	} {
		s := e.encode(sum)
		if len(s) != len(enc) {
			continue
		}
		if s == enc || e.fold && strings.EqualFold(s, enc) {
			return alg + ":" + s, true, nil
		}
		// Right length for this encoding, different value: a mismatch,
		// shown as the recorded value would be.
		return alg + ":" + s, false, nil
	}
	return alg + ":" + b32.EncodeToString(sum), false, nil
}
