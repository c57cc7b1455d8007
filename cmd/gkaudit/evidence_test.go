package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"gkaudit/checks"
	"gkaudit/config"
	"gkaudit/evidence"
	"gkaudit/internal/testutil"
	"gkaudit/site"
	"gkaudit/store"
)

// evidenceSite is one unit's disclosure column: a UTF-8 entry page, a GBK
// 机构信息 page without 办公时间 (org.info fails on it), a guide link that
// answers 404 until fixed, and an attachment that answers 404. Every page
// has an ETag and answers a matching If-None-Match with 304.
type evidenceSite struct {
	gbk   []byte
	fixed atomic.Bool
}

const (
	entryPage = `<html><head><title>信息公开</title></head><body><a href="/xxgk/jgxx.html">机构信息</a>
<a href="/xxgk/zn.html">政府信息公开指南</a> <a href="/files/a.pdf">附件</a></body></html>`
	orgPage = `<html><head><meta charset="gbk"><title>机构信息</title></head><body><h1>机构信息</h1>
<p>主要职能：负责全区政务公开工作。</p><p>机构设置：办公室、法规科。</p><p>办公地址：新碶街道明州路1号</p>
<p>联系电话：0574-86781234</p><p>负责人：张三</p></body></html>`
	guidePage = `<html><head><title>政府信息公开指南</title></head><body>指南</body></html>`
)

func (s *evidenceSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var body []byte
	ct := "text/html; charset=utf-8"
	switch r.URL.Path {
	case "/xxgk/":
		body = []byte(entryPage)
	case "/xxgk/jgxx.html":
		body, ct = s.gbk, "text/html; charset=gbk"
	case "/xxgk/zn.html":
		if !s.fixed.Load() {
			http.NotFound(w, r)
			return
		}
		body = []byte(guidePage)
	default:
		http.NotFound(w, r)
		return
	}
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	w.Header().Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", ct)
	w.Write(body)
}

// auditEvidenceSite audits the site into dbPath and returns the run's
// failing findings.
func auditEvidenceSite(t *testing.T, cfgPath, dbPath string) []checks.Finding {
	t.Helper()
	code, out, stderr := gk(t, "audit", "--config", cfgPath, "--db", dbPath, "--as-of", "2020-03-01")
	if code != exitOK {
		t.Fatalf("audit = %d\n%s\n%s", code, out, stderr)
	}
	code, out, stderr = gk(t, "findings", "--db", dbPath, "--format", "json", "--status", "fail")
	if code != exitOK {
		t.Fatalf("findings = %d: %s", code, stderr)
	}
	var fs []checks.Finding
	if err := json.Unmarshal([]byte(out), &fs); err != nil {
		t.Fatalf("findings JSON: %v", err)
	}
	return fs
}

func findingOf(t *testing.T, fs []checks.Finding, check, subjectSuffix string) checks.Finding {
	t.Helper()
	for _, f := range fs {
		if f.Check == check && strings.HasSuffix(f.Subject, subjectSuffix) {
			return f
		}
	}
	t.Fatalf("no failing %s finding on %s among %d", check, subjectSuffix, len(fs))
	return checks.Finding{}
}

// exportEvidence runs gkaudit evidence and verify and reads the file back.
func exportEvidence(t *testing.T, dbPath, id string) (string, []evidence.Record, string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), id+".warc.gz")
	code, stdout, stderr := gk(t, "evidence", "--db", dbPath, "--finding", id, "--out", out)
	if code != exitOK {
		t.Fatalf("evidence --finding %s = %d\n%s\n%s", id, code, stdout, stderr)
	}
	code, vout, stderr := gk(t, "evidence", "verify", out)
	if code != exitOK || !strings.Contains(vout, "校验通过") {
		t.Fatalf("evidence verify %s = %d\n%s\n%s", out, code, vout, stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := evidence.Read(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return out, recs, stdout
}

func recordOf(recs []evidence.Record, typ, uri string) *evidence.Record {
	for i := range recs {
		if recs[i].Type() == typ && recs[i].Get("WARC-Target-URI") == uri {
			return &recs[i]
		}
	}
	return nil
}

// Ensure that the evidence of findings of a real audit exports and
// verifies: a UTF-8 page's response payload hashes to the finding's
// evidence sha256, a GBK page's response carries the GBK bytes, a probe's
// HEAD/GET exchanges are there, a re-run's 304 is a revisit of the first
// run's response; a changed byte, a malformed file, an unknown id and a
// finding whose runs gc removed all fail with one clear line.
func TestEvidence_EndToEnd(t *testing.T) {
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(orgPage)
	if err != nil {
		t.Fatal(err)
	}
	ws := &evidenceSite{gbk: []byte(gbk)}
	srv := httptest.NewServer(ws)
	defer srv.Close()
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Units = []config.Unit{{ID: "t1", Name: "测试局", Kind: config.KindDepartment, URL: srv.URL + "/xxgk/"}}
	cfg.Crawl = loopbackPolicy(cfg.Crawl)
	cfg.Crawl.Robots = false
	dir := t.TempDir()
	cfgPath, dbPath := filepath.Join(dir, "t.yaml"), filepath.Join(dir, "audit.db")
	data, err := cfg.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfgPath, data, 0o644); err != nil {
		t.Fatal(err)
	}

	fs := auditEvidenceSite(t, cfgPath, dbPath)
	org := findingOf(t, fs, "org.info", "org_info")
	if org.ID == "" || !strings.HasSuffix(org.Evidence.URL, "/xxgk/jgxx.html") {
		t.Fatalf("org.info finding = %+v", org)
	}
	_, recs, stdout := exportEvidence(t, dbPath, org.ID)
	if !strings.Contains(stdout, "以 gbk 编码提供") {
		t.Errorf("export output lacks the charset note:\n%s", stdout)
	}
	resp := recordOf(recs, "response", org.Evidence.URL)
	if resp == nil {
		t.Fatalf("no response record for %s", org.Evidence.URL)
	}
	if !bytes.Equal(resp.Payload(), ws.gbk) {
		t.Errorf("GBK response payload = %q, want the GBK bytes as served", resp.Payload())
	}
	if dec, _ := simplifiedchinese.GBK.NewDecoder().Bytes(resp.Payload()); sha256Hex(dec) != org.Evidence.SHA256 {
		t.Errorf("decoded GBK payload hashes to %s, want the evidence's %s", sha256Hex(dec), org.Evidence.SHA256)
	}
	req := recordOf(recs, "request", org.Evidence.URL)
	if req == nil || !bytes.Contains(req.Block, []byte("\r\nUser-Agent: ")) || req.Get("WARC-Concurrent-To") != resp.Get("WARC-Record-ID") {
		t.Errorf("request record = %+v", req)
	}
	meta := recs[len(recs)-1]
	if meta.Type() != "metadata" || !bytes.Contains(meta.Block, []byte(`"id": "`+org.ID+`"`)) ||
		!bytes.Contains(meta.Block, []byte(`"check": "org.info"`)) || !bytes.Contains(meta.Block, []byte(`"rule": "`)) {
		t.Errorf("metadata record:\n%s", meta.Block)
	}
	info := recs[0]
	if info.Type() != "warcinfo" || !bytes.Contains(info.Block, []byte("gkaudit-run: 000001\r\n")) ||
		!bytes.Contains(info.Block, []byte("gkaudit-config-source: "+cfgPath+"\r\n")) || bytes.Contains(info.Block, []byte("config-sha256: not recorded")) {
		t.Errorf("warcinfo:\n%s", info.Block)
	}

	// The entry page is UTF-8: its payload is the stored body, and the
	// evidence of carrier.column (judged on it) hashes the same.
	carrier := findingOf(t, fs, "carrier.column", "disclosure_column")
	_, crecs, _ := exportEvidence(t, dbPath, carrier.ID)
	cresp := recordOf(crecs, "response", carrier.Evidence.URL)
	if cresp == nil || sha256Hex(cresp.Payload()) != carrier.Evidence.SHA256 || carrier.Evidence.SHA256 == "" {
		t.Errorf("UTF-8 entry response payload hashes to %s, want the evidence's %s", sha256Hex(cresp.Payload()), carrier.Evidence.SHA256)
	}

	// A broken attachment: its probe exchanges (HEAD, then GET).
	pdf := findingOf(t, fs, "link.broken", "/files/a.pdf")
	_, precs, _ := exportEvidence(t, dbPath, pdf.ID)
	if r := recordOf(precs, "request", pdf.Subject); r == nil || !bytes.HasPrefix(r.Block, []byte("HEAD /files/a.pdf HTTP/1.1\r\n")) {
		t.Errorf("probe request record = %+v", r)
	}
	if r := recordOf(precs, "response", pdf.Subject); r == nil || !bytes.HasPrefix(r.Block, []byte("HTTP/1.1 404 Not Found\r\n")) {
		t.Errorf("probe response record = %+v", r)
	}
	guide := findingOf(t, fs, "link.broken", "/xxgk/zn.html")

	// A changed byte in the GBK payload fails verify, naming the record.
	out, recs, _ := exportEvidence(t, dbPath, org.ID)
	resp = recordOf(recs, "response", org.Evidence.URL)
	plain := gunzip(t, out)
	i := bytes.Index(plain, ws.gbk)
	if i < 0 {
		t.Fatal("GBK bytes not in the file")
	}
	plain[i+20] ^= 1
	bad := filepath.Join(dir, "bad.warc")
	if err := os.WriteFile(bad, plain, 0o644); err != nil {
		t.Fatal(err)
	}
	code, vout, verr := gk(t, "evidence", "verify", bad)
	if code != exitError || !strings.Contains(vout, resp.Get("WARC-Record-ID")) || !strings.Contains(vout, "WARC-Payload-Digest") ||
		!strings.Contains(vout, "（response，"+org.Evidence.URL+"）") || !strings.Contains(verr, "校验失败") {
		t.Errorf("verify of a changed file = %d\n%s\n%s", code, vout, verr)
	}
	notWARC := filepath.Join(dir, "x.warc.gz")
	os.WriteFile(notWARC, []byte("not a warc file\n"), 0o644)
	if code, _, verr := gk(t, "evidence", "verify", notWARC); code != exitError || strings.Count(verr, "\n") != 1 || !strings.Contains(verr, "不是有效的 WARC 文件") {
		t.Errorf("verify of a text file = %d, stderr %q", code, verr)
	}
	if code, _, verr := gk(t, "evidence", "--db", dbPath, "--finding", "0123456789ab", "--out", filepath.Join(dir, "u.warc.gz")); code != exitError ||
		!strings.Contains(verr, "没有 ID 为 0123456789ab 的问题") {
		t.Errorf("evidence of an unknown id = %d, stderr %q", code, verr)
	}
	if code, _, verr := gk(t, "evidence", "--db", dbPath, "--finding", "xyz", "--out", "u.warc.gz"); code != exitUsage || !strings.Contains(verr, "不是问题 ID") {
		t.Errorf("evidence of a malformed id = %d, stderr %q", code, verr)
	}

	// The next night: the guide is fixed, everything else answers 304.
	ws.fixed.Store(true)
	fs2 := auditEvidenceSite(t, cfgPath, dbPath)
	org2 := findingOf(t, fs2, "org.info", "org_info")
	if org2.ID != org.ID {
		t.Fatalf("org.info id changed across runs: %s, %s", org.ID, org2.ID)
	}
	_, recs2, stdout := exportEvidence(t, dbPath, org.ID)
	rev := recordOf(recs2, "revisit", org.Evidence.URL)
	full := recordOf(recs2, "response", org.Evidence.URL)
	if rev == nil || full == nil || rev.Get("WARC-Refers-To") != full.Get("WARC-Record-ID") || !bytes.Equal(full.Payload(), ws.gbk) ||
		!bytes.HasPrefix(rev.Block, []byte("HTTP/1.1 304 Not Modified\r\n")) || !strings.Contains(stdout, "完整响应取自运行 000001") {
		t.Errorf("re-run export: revisit %+v, full response %+v\n%s", rev, full, stdout)
	}
	if r := concurrent(recs2, rev); r == nil || !bytes.Contains(r.Block, []byte("\r\nIf-None-Match: ")) {
		t.Errorf("the revisit's request = %+v, want the conditional GET", r)
	}

	// gc keeps the re-run only: the 304's original is gone (said so), and
	// the guide's link finding, fixed in the re-run, cannot be exported.
	if code, out, errs := gk(t, "gc", "--db", dbPath, "--keep", "1"); code != exitOK {
		t.Fatalf("gc = %d\n%s\n%s", code, out, errs)
	}
	_, recs3, stdout := exportEvidence(t, dbPath, org.ID)
	if recordOf(recs3, "revisit", org.Evidence.URL) == nil || recordOf(recs3, "response", org.Evidence.URL) != nil ||
		!strings.Contains(stdout, "已被清理（gc）") {
		t.Errorf("export after gc: %d records\n%s", len(recs3), stdout)
	}
	code, _, verr = gk(t, "evidence", "--db", dbPath, "--finding", guide.ID, "--out", filepath.Join(dir, "g.warc.gz"))
	if code != exitError || !strings.Contains(verr, "问题 "+guide.ID+" 的页面所在的运行已被清理（gc），无法导出证据") {
		t.Errorf("evidence of a collected finding = %d, stderr %q", code, verr)
	}
	if _, err := os.Stat(filepath.Join(dir, "g.warc.gz")); !os.IsNotExist(err) {
		t.Errorf("a failed export left a file: %v", err)
	}
}

// concurrent returns the record whose WARC-Concurrent-To names r.
func concurrent(recs []evidence.Record, r *evidence.Record) *evidence.Record {
	if r == nil {
		return nil
	}
	for i := range recs {
		if recs[i].Get("WARC-Concurrent-To") == r.Get("WARC-Record-ID") {
			return &recs[i]
		}
	}
	return nil
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func gunzip(t *testing.T, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(fmt.Errorf("gunzip %s: %w", path, err))
	}
	return b
}

// Ensure that a finding stored before exchanges were recorded still
// exports: its page as a resource record, with a note that the headers
// were not recorded.
func TestEvidence_OldRecords(t *testing.T) {
	body := []byte("<html><head><title>机构信息</title></head><body>办公地址</body></html>")
	page := "http://old.example.gov.cn/xxgk/jgxx/"
	f := checks.Finding{Unit: "u1", Check: "org.info", Subject: "org_info", Status: checks.Fail, URL: page,
		Detail: "缺少办公时间", Evidence: checks.Evidence{URL: page, HTTPStatus: 200, SHA256: sha256Hex(body)}}
	dbPath := testutil.MustWriteStore(t, func(db *store.DB) {
		r, err := db.BeginRun(store.Run{AsOf: "2020-03-01", Units: []string{"u1"}})
		if err != nil {
			t.Fatal(err)
		}
		s := &site.Snapshot{UnitID: "u1", Entry: page, Pages: []*site.Page{{URL: page, FinalURL: page, Status: 200,
			ContentType: "text/html", Body: body, SHA256: sha256Hex(body), FetchedAt: time.Date(2020, 3, 1, 1, 0, 0, 0, time.UTC)}}}
		if err := db.SaveSnapshot(r.ID, s); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveFindings(r.ID, []checks.Finding{f}); err != nil {
			t.Fatal(err)
		}
		if err := db.FinishRun(r.ID); err != nil {
			t.Fatal(err)
		}
	})
	id := store.FindingID(store.FindingKey(f))
	_, recs, stdout := exportEvidence(t, dbPath, id)
	res := recordOf(recs, "resource", page)
	if res == nil || !bytes.Equal(res.Payload(), body) || res.Get("Content-Type") != "text/html" {
		t.Fatalf("resource record = %+v", res)
	}
	if !strings.Contains(stdout, "请求和响应头未记录") || !strings.Contains(stdout, "未记录配置的 SHA-256") {
		t.Errorf("export output lacks the notes:\n%s", stdout)
	}
}
