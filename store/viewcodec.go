package store

import (
	"fmt"
	"math"
	"sync"

	"github.com/fxamacker/cbor/v2"
	"github.com/klauspost/compress/zstd"

	"gkaudit/page"
)

// A page's view is stored as two records: its skeleton (page.View.Skeleton:
// what a crawl reads of an unchanged page) in the view_skeletons bucket and
// the rest in the views bucket, under the same key. A re-crawl reads only
// skeletons, the checks both (page.View.Skeleton and Rest split a view,
// and decoding the skeleton record over the rest's joins it again). Each
// record is CBOR (the JSON field names and omissions of page.View, so a
// record reads like the view's JSON) compressed with zstd:
// a view is read back far more often than it is written, and both decode
// several times faster than gzipped JSON (bench/viewcodec).

// viewCodec encodes and decodes view records. Its modes and zstd coders are
// safe for concurrent use; one serves the process (codec).
type viewCodec struct {
	enc  cbor.EncMode
	dec  cbor.DecMode
	zenc *zstd.Encoder
	zdec *zstd.Decoder
}

// newViewCodec is called once (codec): building the coders allocates their
// tables.
func newViewCodec() (*viewCodec, error) {
	// Times as RFC 3339 text, as JSON writes them: a date read off a page
	// keeps the page's UTC offset (the checks print it in the page's day).
	enc, err := cbor.EncOptions{Time: cbor.TimeRFC3339Nano}.EncMode()
	if err != nil {
		return nil, err
	}
	dec, err := cbor.DecOptions{
		// A page may hold more links than CBOR's default limits allow
		// (131,072), and text the HTML parser passed through unchecked.
		MaxArrayElements: math.MaxInt32,
		MaxMapPairs:      math.MaxInt32,
		MaxNestedLevels:  64,
		UTF8:             cbor.UTF8DecodeInvalid,
	}.DecMode()
	if err != nil {
		return nil, err
	}
	zenc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(1))
	if err != nil {
		return nil, err
	}
	// One goroutine per DecodeAll at most, and no window beyond what a
	// view can need: a damaged record must not make the decoder allocate
	// its default maximum.
	zdec, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(0), zstd.WithDecoderMaxMemory(1<<30))
	if err != nil {
		return nil, err
	}
	return &viewCodec{enc: enc, dec: dec, zenc: zenc, zdec: zdec}, nil
}

// codec is the process's view codec: it holds no state between calls, only
// the tables the coders build once.
var codec = sync.OnceValues(newViewCodec)

// encodeView returns the compressed skeleton and rest records of v.
func encodeView(v *page.View) (skeleton, rest []byte, err error) {
	c, err := codec()
	if err != nil {
		return nil, nil, err
	}
	sk, err := c.enc.Marshal(v.Skeleton())
	if err != nil {
		return nil, nil, err
	}
	r, err := c.enc.Marshal(v.Rest())
	if err != nil {
		return nil, nil, err
	}
	return c.zenc.EncodeAll(sk, nil), c.zenc.EncodeAll(r, nil), nil
}

// decodeRecord decodes one compressed record into v; a failure is damage.
func decodeRecord(z []byte, v any) error {
	c, err := codec()
	if err != nil {
		return err
	}
	raw, err := c.zdec.DecodeAll(z, nil)
	if err != nil {
		return corrupt(fmt.Errorf("zstd: %w", err))
	}
	if err := c.dec.Unmarshal(raw, v); err != nil {
		return corrupt(fmt.Errorf("cbor: %w", err))
	}
	return nil
}
