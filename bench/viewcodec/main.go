// Command viewcodec measures what reading a stored page view back costs in
// the two encodings gkaudit has used: gzipped JSON (store schema 6) and
// zstd-compressed CBOR (schema 7, store/viewcodec.go), over the views of a
// store file written by gkaudit audit (benchmark, not a test):
//
//	go run ./bench/viewcodec -db bench/out/rss/bench.db -n 3000
//
// It reads n whole views through the store, re-encodes each both ways with
// the options the store uses, and prints the mean encoded size and decode
// time of each.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/fxamacker/cbor/v2"
	"github.com/klauspost/compress/zstd"

	"gkaudit/page"
	"gkaudit/store"
)

func main() {
	dbPath := flag.String("db", "", "a gkaudit store file (read only)")
	n := flag.Int("n", 3000, "how many views to measure")
	flag.Parse()
	db, err := store.OpenWith(*dbPath, store.Options{ReadOnly: true})
	check(err)
	defer db.Close()
	views, err := sampleViews(db, *n)
	check(err)
	if len(views) == 0 {
		check(fmt.Errorf("%s 中没有页面视图；请先对它运行一次 gkaudit audit", *dbPath))
	}

	enc, err := cbor.EncOptions{Time: cbor.TimeRFC3339Nano}.EncMode()
	check(err)
	zenc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest))
	check(err)
	zdec, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(0))
	check(err)
	var gz, cz [][]byte
	var raw, gzSize, czSize int
	for _, v := range views {
		j, err := json.Marshal(v)
		check(err)
		raw += len(j)
		var b bytes.Buffer
		w, _ := gzip.NewWriterLevel(&b, gzip.BestSpeed)
		_, _ = w.Write(j)
		check(w.Close())
		gz = append(gz, b.Bytes())
		gzSize += b.Len()
		c, err := enc.Marshal(v)
		check(err)
		z := zenc.EncodeAll(c, nil)
		cz = append(cz, z)
		czSize += len(z)
	}
	per := func(d time.Duration) float64 { return float64(d.Microseconds()) / float64(len(views)) }
	start := time.Now()
	for _, z := range gz {
		r, err := gzip.NewReader(bytes.NewReader(z))
		check(err)
		j, err := io.ReadAll(r)
		check(err)
		check(json.Unmarshal(j, &page.View{}))
	}
	jsonTime := time.Since(start)
	start = time.Now()
	for _, z := range cz {
		c, err := zdec.DecodeAll(z, nil)
		check(err)
		check(cbor.Unmarshal(c, &page.View{}))
	}
	cborTime := time.Since(start)
	fmt.Printf("%d views, JSON %d bytes each on average\n", len(views), raw/len(views))
	fmt.Printf("| encoding | stored bytes per view | decode µs per view |\n|---|---:|---:|\n")
	fmt.Printf("| gzip JSON (schema 6) | %d | %.1f |\n", gzSize/len(views), per(jsonTime))
	fmt.Printf("| zstd CBOR (schema 7) | %d | %.1f |\n", czSize/len(views), per(cborTime))
	fmt.Printf("decode time ratio (CBOR / JSON): %.2f\n", cborTime.Seconds()/jsonTime.Seconds())
}

// sampleViews returns up to n whole views of the newest run's pages.
func sampleViews(db *store.DB, n int) ([]*page.View, error) {
	runs, err := db.Runs()
	if err != nil || len(runs) == 0 {
		return nil, err
	}
	run := runs[len(runs)-1]
	var out []*page.View
	for _, unit := range run.Units {
		s, err := db.ReadableSnapshot(run.ID, unit)
		if err != nil {
			return nil, err
		}
		for _, p := range s.Pages {
			if p.View == nil {
				continue
			}
			out = append(out, p.View)
			if len(out) == n {
				return out, nil
			}
		}
	}
	return out, nil
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "viewcodec:", err)
		os.Exit(1)
	}
}
