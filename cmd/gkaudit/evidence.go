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
	"strings"
	"time"

	"gkaudit/evidence"
	"gkaudit/rundata"
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
	if code, ok := c.parse(fs, args); !ok {
		return code
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
	db, err := c.openRead(*dbPath)
	if err != nil {
		return c.fail(err)
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
	exp, err := rundata.Evidence(db, run, f, filepath.Base(*out), time.Now())
	switch {
	case errors.Is(err, rundata.ErrPagesMissing):
		return c.failf("gkaudit evidence: 问题 %s 的页面没有保存在运行 %s 中，无法导出证据", fid, run.ID)
	case err != nil:
		return c.failf("gkaudit evidence: %v", err)
	}
	counts, err := writeEvidence(c.ctx, *out, exp)
	if err != nil {
		return c.failf("gkaudit evidence: 写出 %s 失败：%v", *out, err)
	}
	fmt.Fprintf(c.stdout, "已写出 %s：问题 %s（%s %s，%s），运行 %s\n", *out, fid, f.Unit, f.Check, f.Status.Label(), run.ID)
	var parts []string
	for _, t := range []string{"warcinfo", "request", "response", "revisit", "resource", "metadata"} {
		if n := counts[t]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", t, n))
		}
	}
	fmt.Fprintf(c.stdout, "记录：%s\n", strings.Join(parts, "，"))
	for _, n := range exp.Notes {
		fmt.Fprintf(c.stdout, "说明：%s\n", termSafe(n, false))
	}
	return exitOK
}

// failf prints one line to stderr and returns the error exit code. The line
// may quote crawled text (URLs, titles), so control characters are escaped;
// an error writing the output itself is left to runInput.
func (c *cli) failf(format string, args ...any) int {
	if c.out != nil && c.out.err != nil {
		return exitError
	}
	fmt.Fprintln(c.stderr, termSafe(fmt.Sprintf(format, args...), false))
	return exitError
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
	if code, ok := c.parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 1 {
		fmt.Fprintf(c.stderr, "gkaudit evidence verify: 多余的参数 %q：一次校验一个 WARC 文件\n", fs.Arg(1))
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
			fmt.Fprintf(c.stdout, "缺少摘要：记录 %s（%s，%s）没有 %s，无法校验\n", termSafe(m.RecordID, false), m.Type, orDash(m.TargetURI), m.Field)
			continue
		}
		fmt.Fprintf(c.stdout, "摘要不符：记录 %s（%s，%s）的 %s 记为 %s，重新计算为 %s\n", termSafe(m.RecordID, false), m.Type, orDash(m.TargetURI), m.Field, termSafe(m.Recorded, false), m.Computed)
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

// orDash is s, or "-" when empty; it is a URL from a WARC file, escaped
// for the terminal.
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return termSafe(s, false)
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
