package evidence_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base32"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"gkaudit/checks"
	"gkaudit/evidence"
	"gkaudit/site"
)

var t0 = time.Date(2020, 3, 1, 2, 3, 4, 567000000, time.UTC)

func get(u string, at time.Time, extra ...string) site.Request {
	h := site.Header{"Host": {"www.example.gov.cn"}, "User-Agent": {"gkaudit/0.1"}, "Accept-Encoding": {"gzip"}}
	for i := 0; i+1 < len(extra); i += 2 {
		h[extra[i]] = []string{extra[i+1]}
	}
	return site.Request{Method: "GET", URL: u, Header: h}
}

func resp(status string, kv ...string) *site.Response {
	h := site.Header{"Date": {"Sun, 01 Mar 2020 02:03:04 GMT"}, "Server": {"nginx"}}
	for i := 0; i+1 < len(kv); i += 2 {
		h[kv[i]] = append(h[kv[i]], kv[i+1])
	}
	return &site.Response{Proto: "HTTP/1.1", Status: status, Header: h}
}

const (
	entryURL = "http://www.example.gov.cn/xxgk/"
	gbkURL   = "http://www.example.gov.cn/xxgk/jgxx/index.html"
	nmURL    = "http://www.example.gov.cn/xxgk/zn/index.html"
	docURL   = "http://www.example.gov.cn/xxgk/a.doc"
	deadURL  = "http://dead.example.gov.cn/"
	oldURL   = "http://www.example.gov.cn/xxgk/old.html"
	gzURL    = "http://www.example.gov.cn/xxgk/gz.html"
)

var (
	utf8Body = []byte("<html><head><title>信息公开</title></head><body>机构信息</body></html>")
	gbkBody  = []byte("<html><head><meta charset=gbk><title>\xbb\xfa\xb9\xb9\xd0\xc5\xcf\xa2</title></head></html>") // 机构信息
)

// sampleExport has one fetch of every kind Write handles.
func sampleExport() evidence.Export {
	orig := &evidence.Fetch{Exchanges: []site.Exchange{{At: t0.Add(-24 * time.Hour), Request: get(nmURL, t0),
		Response: resp("200 OK", "Content-Type", "text/html; charset=utf-8", "Etag", `"v1"`)}}, Payload: utf8Body}
	return evidence.Export{
		Info: evidence.Info{Software: "gkaudit/test", Filename: "f.warc.gz", Created: t0.Add(time.Hour), RunID: "000002",
			RunStarted: t0, AsOf: "2020-03-01", ConfigSource: "sim.yaml", ConfigSHA256: strings.Repeat("ab", 32)},
		Fetches: []evidence.Fetch{
			{Exchanges: []site.Exchange{
				{At: t0, Request: get("http://www.example.gov.cn/xxgk", t0), Response: resp("301 Moved Permanently", "Location", entryURL, "Content-Length", "57")},
				{At: t0.Add(3 * time.Millisecond), Request: get(entryURL, t0, "Cookie", "JSESSIONID=1"),
					Response: resp("200 OK", "Content-Type", "text/html; charset=utf-8", "Set-Cookie", "a=1", "Set-Cookie", "b=2")}},
				Payload: utf8Body},
			{Exchanges: []site.Exchange{{At: t0.Add(time.Second), Request: get(gbkURL, t0),
				Response: resp("200 OK", "Content-Type", "text/html; charset=gbk")}}, Payload: gbkBody},
			{Exchanges: []site.Exchange{{At: t0.Add(2 * time.Second), Request: get(nmURL, t0, "If-None-Match", `"v1"`),
				Response: resp("304 Not Modified", "Etag", `"v1"`)}}, Original: orig},
			{Exchanges: []site.Exchange{{At: t0.Add(3 * time.Second), Request: get(nmURL+"?x", t0, "If-None-Match", `"v1"`),
				Response: resp("304 Not Modified")}}},
			{Exchanges: []site.Exchange{
				{At: t0.Add(4 * time.Second), Request: site.Request{Method: "HEAD", URL: docURL, Header: site.Header{"Host": {"www.example.gov.cn"}}},
					Response: resp("405 Method Not Allowed")},
				{At: t0.Add(4*time.Second + time.Millisecond), Request: get(docURL, t0), Response: resp("404 Not Found", "Content-Length", "1234")}}},
			{Exchanges: []site.Exchange{{At: t0.Add(5 * time.Second), Request: get(deadURL, t0)}}},
			{URL: oldURL, FetchedAt: t0.Add(6 * time.Second), ContentType: "text/html", Payload: utf8Body},
			{Exchanges: []site.Exchange{{At: t0.Add(7 * time.Second), Request: get(gzURL, t0),
				Response: resp("200 OK", "Content-Encoding", "gzip", "Content-Length", "40")}}, Payload: utf8Body, Truncated: true},
		},
		Finding: checks.Finding{ID: "0123456789ab", Unit: "u1", Check: "org.info", Subject: gbkURL, Status: checks.Fail,
			URL: gbkURL, Detail: "机构信息缺少：办公时间", Rule: "条例第二十条（二）", Looked: []string{entryURL, gbkURL},
			Evidence: checks.Evidence{URL: gbkURL, FetchedAt: t0, HTTPStatus: 200, SHA256: "x"}},
		Notes: []string{"说明"},
	}
}

func mustWrite(t *testing.T, e evidence.Export) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := evidence.Write(&buf, e); err != nil {
		t.Fatalf("Write: %v", err)
	}
	return buf.Bytes()
}

func mustRead(t *testing.T, data []byte) []evidence.Record {
	t.Helper()
	recs, err := evidence.Read(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return recs
}

func sha256B32(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256:" + base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:])
}

// Ensure that a written file reads back as the records the standard asks
// for, in order, each in its own gzip member, with the fields linking them
// and the payloads as given.
func TestWrite_Records(t *testing.T) {
	e := sampleExport()
	data := mustWrite(t, e)
	recs := mustRead(t, data)
	var types []string
	for _, r := range recs {
		types = append(types, r.Type())
	}
	want := "warcinfo request response request response request response " + // redirect, entry, GBK
		"request response request revisit " + // original of the 304, the 304
		"request revisit " + // a 304 whose original is gone
		"request response request response " + // HEAD, GET of a probe
		"request resource request response metadata" // no response, old record, gzip'd
	if got := strings.Join(types, " "); got != want {
		t.Fatalf("record types =\n%s\nwant\n%s", got, want)
	}
	if n := gzipMembers(t, data); n != len(recs) {
		t.Errorf("%d gzip members for %d records, want one each", n, len(recs))
	}

	info := recs[0]
	for _, kv := range [][2]string{{"software", "gkaudit/test"}, {"gkaudit-run", "000002"}, {"gkaudit-as-of", "2020-03-01"},
		{"gkaudit-config-source", "sim.yaml"}, {"gkaudit-config-sha256", strings.Repeat("ab", 32)}, {"gkaudit-finding", "0123456789ab"}} {
		if !strings.Contains(string(info.Block), kv[0]+": "+kv[1]+"\r\n") {
			t.Errorf("warcinfo block lacks %s: %s:\n%s", kv[0], kv[1], info.Block)
		}
	}
	if info.Get("WARC-Filename") != "f.warc.gz" || info.Get("Content-Type") != "application/warc-fields" {
		t.Errorf("warcinfo fields = %v", info.Fields)
	}
	for _, r := range recs[1:] {
		if r.Get("WARC-Warcinfo-ID") != info.Get("WARC-Record-ID") {
			t.Errorf("%s %s: WARC-Warcinfo-ID %q, want %q", r.Type(), r.Get("WARC-Target-URI"), r.Get("WARC-Warcinfo-ID"), info.Get("WARC-Record-ID"))
		}
		if r.Get("WARC-Block-Digest") != sha256B32(r.Block) {
			t.Errorf("%s %s: block digest %s, want %s", r.Type(), r.Get("WARC-Target-URI"), r.Get("WARC-Block-Digest"), sha256B32(r.Block))
		}
	}

	// Request and response of the entry page: linked both ways, dated at
	// the exchange, the payload as given, Set-Cookie once per value.
	req, rsp := recs[3], recs[4]
	if req.Get("WARC-Concurrent-To") != rsp.Get("WARC-Record-ID") || rsp.Get("WARC-Concurrent-To") != req.Get("WARC-Record-ID") {
		t.Errorf("entry request/response not linked: %v / %v", req.Fields, rsp.Fields)
	}
	if rsp.Get("WARC-Target-URI") != entryURL || rsp.Get("WARC-Date") != "2020-03-01T02:03:04.57Z" {
		t.Errorf("entry response URI %q date %q", rsp.Get("WARC-Target-URI"), rsp.Get("WARC-Date"))
	}
	if !bytes.HasPrefix(req.Block, []byte("GET /xxgk/ HTTP/1.1\r\nHost: www.example.gov.cn\r\n")) || !bytes.Contains(req.Block, []byte("\r\nCookie: JSESSIONID=1\r\n")) {
		t.Errorf("entry request block:\n%s", req.Block)
	}
	if !bytes.Equal(rsp.Payload(), utf8Body) || rsp.Get("WARC-Payload-Digest") != sha256B32(utf8Body) ||
		!bytes.Contains(rsp.Block, []byte("Set-Cookie: a=1\r\nSet-Cookie: b=2\r\n")) || !bytes.HasPrefix(rsp.Block, []byte("HTTP/1.1 200 OK\r\n")) {
		t.Errorf("entry response block:\n%s", rsp.Block)
	}
	if red := recs[2]; red.Get("WARC-Truncated") != "unspecified" || len(red.Payload()) != 0 {
		t.Errorf("redirect response: WARC-Truncated %q, payload %q", red.Get("WARC-Truncated"), red.Payload())
	}
	if gbk := recs[6]; !bytes.Equal(gbk.Payload(), gbkBody) || gbk.Get("WARC-Truncated") != "" {
		t.Errorf("GBK response payload %q", gbk.Payload())
	}

	// The 304: its original first, then a revisit referring to it.
	orig, rev := recs[8], recs[10]
	if rev.Get("WARC-Profile") != "http://netpreserve.org/warc/1.1/revisit/server-not-modified" ||
		rev.Get("WARC-Refers-To") != orig.Get("WARC-Record-ID") || rev.Get("WARC-Refers-To-Target-URI") != nmURL ||
		rev.Get("WARC-Refers-To-Date") != orig.Get("WARC-Date") || rev.Get("WARC-Payload-Digest") != "" {
		t.Errorf("revisit fields = %v (original %v)", rev.Fields, orig.Fields)
	}
	if !bytes.HasPrefix(rev.Block, []byte("HTTP/1.1 304 Not Modified\r\n")) || !bytes.HasSuffix(rev.Block, []byte("\r\n\r\n")) {
		t.Errorf("revisit block:\n%s", rev.Block)
	}
	if lone := recs[12]; lone.Get("WARC-Refers-To") != "" || lone.Get("WARC-Profile") == "" {
		t.Errorf("revisit without original: %v", lone.Fields)
	}
	if head := recs[14]; !bytes.HasPrefix(recs[13].Block, []byte("HEAD /xxgk/a.doc HTTP/1.1\r\n")) || head.Get("WARC-Truncated") != "" {
		t.Errorf("HEAD: %s / %v", recs[13].Block, head.Fields)
	}
	if got := recs[16]; got.Get("WARC-Truncated") != "unspecified" || !bytes.Contains(got.Block, []byte("Content-Length: 1234\r\n")) {
		t.Errorf("probe GET response: %v\n%s", got.Fields, got.Block)
	}
	if dead := recs[17]; dead.Get("WARC-Concurrent-To") != "" || dead.Get("WARC-Target-URI") != deadURL {
		t.Errorf("request without response: %v", dead.Fields)
	}
	if old := recs[18]; old.Get("WARC-Target-URI") != oldURL || old.Get("Content-Type") != "text/html" || !bytes.Equal(old.Payload(), utf8Body) ||
		old.Get("WARC-Payload-Digest") != sha256B32(utf8Body) {
		t.Errorf("resource record: %v\n%s", old.Fields, old.Block)
	}
	gz := recs[20]
	if !bytes.Contains(gz.Block, []byte("X-Gkaudit-Orig-Content-Encoding: gzip\r\nX-Gkaudit-Orig-Content-Length: 40\r\n")) ||
		bytes.Contains(gz.Block, []byte("\r\nContent-Encoding:")) || !bytes.Contains(gz.Block, []byte("\r\nContent-Length: "+strconv.Itoa(len(utf8Body))+"\r\n")) ||
		gz.Get("WARC-Truncated") != "length" {
		t.Errorf("decoded gzip response: %v\n%s", gz.Fields, gz.Block)
	}

	meta := recs[len(recs)-1]
	var m struct {
		Finding checks.Finding `json:"finding"`
		Run     string         `json:"run"`
		Notes   []string       `json:"notes"`
	}
	if err := json.Unmarshal(meta.Block, &m); err != nil {
		t.Fatalf("metadata JSON: %v\n%s", err, meta.Block)
	}
	if m.Finding.ID != "0123456789ab" || m.Finding.Detail != e.Finding.Detail || m.Run != "000002" || len(m.Notes) != 1 ||
		meta.Get("Content-Type") != "application/json" || meta.Get("WARC-Target-URI") != "urn:gkaudit:finding:0123456789ab" {
		t.Errorf("metadata = %+v, fields %v", m, meta.Fields)
	}

	rep, err := evidence.Verify(bytes.NewReader(data))
	if err != nil || len(rep.Mismatches) != 0 || rep.Records != len(recs) {
		t.Fatalf("Verify = %+v, %v", rep, err)
	}
	perType := map[string]int{}
	for _, typ := range types {
		perType[typ]++
	}
	for _, tc := range rep.Types {
		if tc.Records != perType[tc.Type] {
			t.Errorf("Verify counts %d %s records, want %d", tc.Records, tc.Type, perType[tc.Type])
		}
		if tc.BlocksOK != tc.Records || tc.BlockDigests != tc.Records {
			t.Errorf("Verify %s: %+v, want every block digest checked", tc.Type, tc)
		}
		if (tc.Type == "response" || tc.Type == "resource") && tc.PayloadsOK != tc.Records {
			t.Errorf("Verify %s: %+v, want every payload digest checked", tc.Type, tc)
		}
	}
}

// gzipMembers counts the gzip members of data.
func gzipMembers(t *testing.T, data []byte) int {
	t.Helper()
	br := bufio.NewReader(bytes.NewReader(data))
	zr, err := gzip.NewReader(br)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for {
		zr.Multistream(false)
		if _, err := io.Copy(io.Discard, zr); err != nil {
			t.Fatal(err)
		}
		n++
		if err := zr.Reset(br); err == io.EOF {
			return n
		} else if err != nil {
			t.Fatal(err)
		}
	}
}

// gunzipAll is the file uncompressed: its members' records one after another.
func gunzipAll(t *testing.T, data []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func gzipOf(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Ensure that one byte changed in a payload (in an uncompressed copy, and
// that copy gzip'd again) fails verification naming the record and both
// of its digests, and that the uncompressed original verifies.
func TestVerify_FlippedByte(t *testing.T) {
	data := gunzipAll(t, mustWrite(t, sampleExport()))
	if rep, err := evidence.Verify(bytes.NewReader(data)); err != nil || len(rep.Mismatches) != 0 {
		t.Fatalf("Verify(uncompressed) = %+v, %v", rep, err)
	}
	recs := mustRead(t, data)
	// A file gzip'd as a whole is read to its end, not to its first record.
	if rep, err := evidence.Verify(bytes.NewReader(gzipOf(t, data))); err != nil || rep.Records != len(recs) {
		t.Fatalf("Verify(whole-file gzip) = %d records, %v; want %d", rep.Records, err, len(recs))
	}
	gbk := recs[6]
	i := bytes.Index(data, gbkBody)
	if i < 0 {
		t.Fatal("GBK payload not found in the file")
	}
	bad := bytes.Clone(data)
	bad[i+10] ^= 0x01
	for name, file := range map[string][]byte{"plain": bad, "gzip": gzipOf(t, bad)} {
		t.Run(name, func(t *testing.T) {
			rep, err := evidence.Verify(bytes.NewReader(file))
			if err != nil {
				t.Fatalf("Verify error = %v, want a report", err)
			}
			var fields []string
			for _, m := range rep.Mismatches {
				if m.RecordID != gbk.Get("WARC-Record-ID") || m.Type != "response" || m.TargetURI != gbkURL {
					t.Errorf("mismatch names %+v, want the GBK response %s", m, gbk.Get("WARC-Record-ID"))
				}
				if m.Recorded == m.Computed {
					t.Errorf("mismatch %+v: recorded = computed", m)
				}
				fields = append(fields, m.Field)
			}
			if got := strings.Join(fields, ","); got != "WARC-Block-Digest,WARC-Payload-Digest" {
				t.Errorf("mismatched fields = %s, want both digests", got)
			}
		})
	}
}

// Ensure that files that are not WARC files fail with ErrMalformed, not a
// report or a panic.
func TestVerify_Malformed(t *testing.T) {
	good := mustWrite(t, sampleExport())
	plain := gunzipAll(t, good)
	cases := map[string][]byte{
		"empty":          nil,
		"text":           []byte("hello, world\n"),
		"truncated gzip": good[:len(good)/2],
		"truncated":      plain[:len(plain)-100],
		"bad length":     bytes.Replace(plain, []byte("Content-Length: "), []byte("Content-Length: 9"), 1),
		"bad gzip crc":   flipAt(good, len(good)-6),
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := evidence.Verify(bytes.NewReader(data))
			if !errors.Is(err, evidence.ErrMalformed) {
				t.Errorf("Verify(%s) error = %v, want ErrMalformed", name, err)
			}
		})
	}
}

// Ensure that a record without its digests fails verification, naming it.
func TestVerify_MissingDigest(t *testing.T) {
	plain := gunzipAll(t, mustWrite(t, sampleExport()))
	i := bytes.Index(plain, []byte("WARC-Type: response\r\n"))
	j := bytes.Index(plain[i:], []byte("WARC-Payload-Digest: "))
	k := bytes.Index(plain[i+j:], []byte("\r\n"))
	cut := append(bytes.Clone(plain[:i+j]), plain[i+j+k+2:]...)
	rep, err := evidence.Verify(bytes.NewReader(cut))
	if err != nil || len(rep.Mismatches) != 1 || rep.Mismatches[0].Recorded != "" || rep.Mismatches[0].Field != "WARC-Payload-Digest" ||
		rep.Mismatches[0].Type != "response" {
		t.Errorf("Verify(no payload digest) = %+v, %v", rep, err)
	}
}

func flipAt(b []byte, i int) []byte {
	out := bytes.Clone(b)
	out[i] ^= 0xff
	return out
}

// Ensure that Verify never panics, whatever the input. The seeds are small
// (one short fetch): the fuzzer minimises every new input, and a seed of
// many records makes that take minutes.
func FuzzVerify(f *testing.F) {
	small := sampleExport()
	small.Fetches = small.Fetches[1:2]
	small.Fetches[0].Payload = []byte("<p>")
	var buf bytes.Buffer
	if _, err := evidence.Write(&buf, small); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	zr, _ := gzip.NewReader(bytes.NewReader(buf.Bytes()))
	plain, _ := io.ReadAll(zr)
	f.Add(plain)
	f.Add(plain[:300])
	f.Add([]byte("WARC/1.1\r\nWARC-Type: response\r\nContent-Type: application/http\r\nWARC-Block-Digest: sha256:\r\nContent-Length: 4\r\n\r\nHTTP\r\n\r\n"))
	f.Add([]byte("WARC/1.0\r\nContent-Length: -1\r\n\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := evidence.Verify(bytes.NewReader(data))
		if err != nil && !errors.Is(err, evidence.ErrMalformed) {
			t.Errorf("Verify error %v does not wrap ErrMalformed", err)
		}
		if err == nil && rep.Records == 0 {
			t.Errorf("Verify succeeded on a file of no records")
		}
	})
}
