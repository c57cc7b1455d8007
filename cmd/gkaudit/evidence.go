package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"time"

	"gkaudit/checks"
	"gkaudit/evidence"
	"gkaudit/site"
	"gkaudit/store"
)

const evidenceUsage = `用法：
  gkaudit evidence --db FILE --finding ID --out FILE.warc.gz [--run ID]
  gkaudit evidence verify FILE.warc.gz
`

// findingIDPattern is a store.FindingID: 12 hex digits.
var findingIDPattern = regexp.MustCompile(`^[0-9a-f]{12}$`)

func (c *cli) evidence(args []string) int {
	if len(args) > 0 && args[0] == "verify" {
		return c.evidenceVerify(args[1:])
	}
	fs := flag.NewFlagSet("evidence", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	fs.Usage = func() { fmt.Fprint(c.stderr, evidenceUsage); fs.PrintDefaults() }
	dbPath := fs.String("db", "", "bbolt 数据库文件（必填）")
	id := fs.String("finding", "", "问题 ID（findings --format json 的 id，12 位十六进制，必填）")
	out := fs.String("out", "", "写出的 WARC 文件，如 evidence.warc.gz（必填）")
	runRef := fs.String("run", "", "运行 ID 或 latest（默认：含该问题的最新已完成运行）")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	switch {
	case fs.NArg() > 0:
		fmt.Fprintf(c.stderr, "gkaudit evidence: 多余的参数 %q\n", fs.Arg(0))
		return exitUsage
	case *dbPath == "" || *id == "" || *out == "":
		fmt.Fprintf(c.stderr, "gkaudit evidence: 必须给出 --db、--finding 和 --out\n%s", evidenceUsage)
		return exitUsage
	case !findingIDPattern.MatchString(strings.ToLower(*id)):
		fmt.Fprintf(c.stderr, "gkaudit evidence: --finding %q 不是问题 ID（12 位十六进制）\n", *id)
		return exitUsage
	}
	if _, err := os.Stat(*dbPath); err != nil {
		return c.failf("gkaudit evidence: 无法打开数据库 %s：%v", *dbPath, err)
	}
	db, err := store.Open(*dbPath)
	if err != nil {
		return c.failf("gkaudit evidence: %v", err)
	}
	defer db.Close()
	fid := strings.ToLower(*id)
	run, f, err := db.FindingByID(fid, *runRef)
	switch {
	case errors.Is(err, store.ErrCollected):
		return c.failf("gkaudit evidence: 问题 %s 的页面所在的运行已被清理（gc），无法导出证据", fid)
	case errors.Is(err, store.ErrNotFound) && *runRef != "":
		return c.failf("gkaudit evidence: 运行 %s 中没有 ID 为 %s 的问题", *runRef, fid)
	case errors.Is(err, store.ErrNotFound):
		return c.failf("gkaudit evidence: 没有 ID 为 %s 的问题（已完成的运行中都没有；未完成的运行请用 --run 指定）", fid)
	case err != nil:
		return c.failf("gkaudit evidence: %v", err)
	}
	exp, err := collectEvidence(db, run, f)
	if err != nil {
		return c.failf("gkaudit evidence: %v", err)
	}
	if len(exp.Fetches) == 0 && len(findingURLs(f)) > 0 {
		return c.failf("gkaudit evidence: 问题 %s 的页面没有保存在运行 %s 中，无法导出证据", fid, run.ID)
	}
	exp.Info.Filename = filepath.Base(*out)
	exp.Info.Created = time.Now()
	exp.Info.Software = software()
	counts, err := writeEvidence(c.ctx, *out, exp)
	if err != nil {
		return c.failf("gkaudit evidence: 写出 %s 失败：%v", *out, err)
	}
	fmt.Fprintf(c.stdout, "已写出 %s：问题 %s（%s %s，%s），运行 %s\n", *out, fid, f.Unit, f.Check, f.Status, run.ID)
	var parts []string
	for _, t := range []string{"warcinfo", "request", "response", "revisit", "resource", "metadata"} {
		if n := counts[t]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", t, n))
		}
	}
	fmt.Fprintf(c.stdout, "记录：%s\n", strings.Join(parts, "，"))
	for _, n := range exp.Notes {
		fmt.Fprintf(c.stdout, "说明：%s\n", n)
	}
	return exitOK
}

// failf prints one line to stderr and returns the error exit code.
func (c *cli) failf(format string, args ...any) int {
	fmt.Fprintf(c.stderr, format+"\n", args...)
	return exitError
}

// findingURLs are the URLs behind a finding, in order, once each: its
// evidence, its own URL, what it looked at, and its subject when that is a
// URL (the broken link of link.broken).
func findingURLs(f checks.Finding) []string {
	var out []string
	seen := map[string]bool{}
	add := func(u string) {
		if u != "" && !seen[u] && (strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://")) {
			seen[u] = true
			out = append(out, u)
		}
	}
	add(f.Evidence.URL)
	add(f.URL)
	for _, u := range f.Looked {
		add(u)
	}
	add(f.Subject)
	return out
}

// collectEvidence gathers from the store what the evidence file holds: for
// every URL behind the finding the page or probe as the run fetched it,
// with its bodies, and for a 304 the full fetch it confirmed.
func collectEvidence(db *store.DB, run store.Run, f checks.Finding) (evidence.Export, error) {
	exp := evidence.Export{Finding: f, Info: evidence.Info{RunID: run.ID, RunStarted: run.Started, AsOf: run.AsOf,
		ConfigSource: run.ConfigSource, ConfigSHA256: run.ConfigSHA256}}
	note := func(format string, args ...any) { exp.Notes = append(exp.Notes, fmt.Sprintf(format, args...)) }
	if run.ConfigSHA256 == "" {
		note("运行 %s 未记录配置的 SHA-256（旧版本写入）", run.ID)
	}
	urls := findingURLs(f)
	if len(urls) == 0 {
		note("该问题不针对具体页面，文件只含问题本身")
		return exp, nil
	}
	snap, err := db.Snapshot(run.ID, f.Unit)
	if errors.Is(err, store.ErrNotFound) {
		note("运行 %s 没有保存单位 %s 的页面", run.ID, f.Unit)
		return exp, nil
	}
	if err != nil {
		return exp, err
	}
	probes := map[string]*site.Probe{}
	for i := range snap.Probes {
		probes[snap.Probes[i].URL] = &snap.Probes[i]
	}
	done := map[any]bool{} // a page reached by its URL and by where it redirected to is written once
	for _, u := range urls {
		if p := snap.Page(u); p != nil {
			if done[p] {
				continue
			}
			done[p] = true
			fe, err := pageFetch(db, p, note)
			if err != nil {
				return exp, err
			}
			if p.NotModified {
				origRun, orig, err := db.FullFetch(f.Unit, p.URL, p.SHA256, run.ID)
				switch {
				case errors.Is(err, store.ErrNotFound):
					note("%s 在本次运行中由服务器答复 304（未修改）；首次完整抓取所在的运行已被清理（gc），文件只含 304 记录，页面内容的 SHA-256 为 %s", p.URL, p.SHA256)
				case err != nil:
					return exp, err
				default:
					of, err := pageFetch(db, orig, note)
					if err != nil {
						return exp, err
					}
					fe.Original = &of
					note("%s 在本次运行中由服务器答复 304（未修改）；完整响应取自运行 %s（抓取于 %s），以 revisit 记录引用", p.URL, origRun.ID,
						orig.FetchedAt.In(shanghai).Format(time.DateTime))
				}
			}
			exp.Fetches = append(exp.Fetches, fe)
			continue
		}
		if pr := probes[u]; pr != nil {
			if done[pr] {
				continue
			}
			done[pr] = true
			if len(pr.Exchanges) == 0 {
				note("%s 的探测（%s，HTTP %d）未记录请求和响应头（旧版本写入）", u, pr.Method, pr.Status)
				continue
			}
			exp.Fetches = append(exp.Fetches, evidence.Fetch{Exchanges: pr.Exchanges, URL: u, FetchedAt: pr.FetchedAt})
			continue
		}
		note("%s 不在运行 %s 的抓取记录中", u, run.ID)
	}
	return exp, nil
}

// pageFetch is a stored page with its body as received: the raw bytes when
// they differ from the decoded body, else the body.
func pageFetch(db *store.DB, p *site.Page, note func(string, ...any)) (evidence.Fetch, error) {
	fe := evidence.Fetch{Exchanges: p.Exchanges, Truncated: p.Truncated, URL: p.URL, FetchedAt: p.FetchedAt, ContentType: p.ContentType}
	sha := p.SHA256
	if p.RawSHA256 != "" {
		sha = p.RawSHA256
		note("%s 以 %s 编码提供：响应记录保存收到的原始字节（SHA-256 %s），问题证据的 sha256 是转为 UTF-8 后的内容（%s）", p.URL, p.Charset, p.RawSHA256, p.SHA256)
	}
	if len(p.Exchanges) == 0 {
		note("%s 的请求和响应头未记录（旧版本写入），以 resource 记录保存页面内容", p.URL)
	}
	if sha == "" || p.NotModified {
		return fe, nil // no body kept, or the 304's body is the original's
	}
	body, err := db.Body(sha)
	if errors.Is(err, store.ErrNotFound) {
		note("%s 的页面内容（SHA-256 %s）不在数据库中", p.URL, sha)
		return fe, nil
	}
	if err != nil {
		return fe, err
	}
	fe.Payload = body
	return fe, nil
}

// writeEvidence writes the file next to path and renames it into place, so
// that a failed export never leaves half a file under the name asked for.
func writeEvidence(ctx context.Context, path string, exp evidence.Export) (map[string]int, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is nothing to remove
	counts, err := evidence.Write(ctxWriter{ctx, tmp}, exp)
	if err == nil {
		err = tmp.Chmod(0o644) // CreateTemp's 0600 is for the half-written file
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	return counts, err
}

func (c *cli) evidenceVerify(args []string) int {
	fs := flag.NewFlagSet("evidence verify", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	fs.Usage = func() { fmt.Fprint(c.stderr, evidenceUsage) }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() != 1 {
		fmt.Fprintf(c.stderr, "gkaudit evidence verify: 需要一个 WARC 文件\n%s", evidenceUsage)
		return exitUsage
	}
	path := fs.Arg(0)
	file, err := os.Open(path)
	if err != nil {
		return c.failf("gkaudit evidence verify: 无法打开 %s：%v", path, err)
	}
	defer file.Close()
	rep, err := evidence.Verify(ctxReader{c.ctx, file})
	if err != nil {
		if cerr := c.ctx.Err(); cerr != nil {
			return c.failf("gkaudit evidence verify: 已中断：%v", cerr)
		}
		return c.failf("gkaudit evidence verify: %s 不是有效的 WARC 文件：%v", path, strings.TrimPrefix(err.Error(), evidence.ErrMalformed.Error()+": "))
	}
	for _, m := range rep.Mismatches {
		if m.Recorded == "" {
			fmt.Fprintf(c.stdout, "缺少摘要：记录 %s（%s，%s）没有 %s，无法校验\n", m.RecordID, m.Type, orDash(m.TargetURI), m.Field)
			continue
		}
		fmt.Fprintf(c.stdout, "摘要不符：记录 %s（%s，%s）的 %s 记为 %s，重新计算为 %s\n", m.RecordID, m.Type, orDash(m.TargetURI), m.Field, m.Recorded, m.Computed)
	}
	if len(rep.Mismatches) > 0 {
		return c.failf("gkaudit evidence verify: %s 校验失败：%d 处摘要不符或缺失（共 %d 条记录）", path, len(rep.Mismatches), rep.Records)
	}
	for _, t := range rep.Types {
		line := fmt.Sprintf("%-9s %d 条记录，块摘要 %d/%d 一致", t.Type, t.Records, t.BlocksOK, t.BlockDigests)
		if t.PayloadDigests > 0 {
			line += fmt.Sprintf("，载荷摘要 %d/%d 一致", t.PayloadsOK, t.PayloadDigests)
		}
		fmt.Fprintln(c.stdout, line)
	}
	fmt.Fprintf(c.stdout, "校验通过：%s 共 %d 条记录，所有摘要一致\n", path, rep.Records)
	return exitOK
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// software names this build for the warcinfo record: module version, Go
// version and, when built from a checkout, the commit.
func software() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "gkaudit"
	}
	s := "gkaudit/" + bi.Main.Version + " (" + bi.GoVersion
	var rev, dirty string
	for _, kv := range bi.Settings {
		switch kv.Key {
		case "vcs.revision":
			rev = kv.Value
		case "vcs.modified":
			if kv.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	if rev != "" {
		s += "; " + rev[:min(len(rev), 12)] + dirty
	}
	return s + ")"
}

// ctxReader and ctxWriter end a long read or write when the command is
// interrupted.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (r ctxReader) Read(p []byte) (int, error) {
	if err := r.ctx.Err(); err != nil {
		return 0, err
	}
	return r.r.Read(p)
}

type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (w ctxWriter) Write(p []byte) (int, error) {
	if err := w.ctx.Err(); err != nil {
		return 0, err
	}
	return w.w.Write(p)
}
