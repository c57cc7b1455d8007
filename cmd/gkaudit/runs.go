package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"gkaudit/cndate"
	"io"
	"strings"
	"time"
)

// runOut is one run in `gkaudit runs --format json` (stable English keys).
type runOut struct {
	ID       string    `json:"id"`
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished,omitzero"`
	AsOf     string    `json:"as_of"`
	Units    int       `json:"units"`
	Complete bool      `json:"complete"`
	Status   string    `json:"status"` // complete or interrupted
	Pages    int64     `json:"pages"`
	Findings int64     `json:"findings"`
	Note     string    `json:"note,omitempty"`
}

// runs lists every run in the file, oldest first.
func (c *cli) runs(args []string) int {
	fs := flag.NewFlagSet("runs", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	dbPath := fs.String("db", "", "bbolt 数据库文件（必填；只读）")
	format := fs.String("format", "table", "输出格式：table 或 json")
	if err := fs.Parse(args); err != nil {
		return parseExit(err)
	}
	switch {
	case fs.NArg() > 0:
		fmt.Fprintf(c.stderr, "gkaudit runs: 多余的参数 %q\n", fs.Arg(0))
		return exitUsage
	case *dbPath == "":
		fmt.Fprintln(c.stderr, "gkaudit runs: 需要 --db")
		return exitUsage
	case *format != "table" && *format != "json":
		fmt.Fprintf(c.stderr, "gkaudit runs: --format %q：应为 table 或 json\n", *format)
		return exitUsage
	}
	db, err := c.openRead(*dbPath)
	if err != nil {
		return c.fail(err)
	}
	defer db.Close()
	rs, err := db.Runs()
	if err != nil {
		return c.fail(err)
	}
	out := make([]runOut, 0, len(rs))
	for _, r := range rs {
		o := runOut{ID: r.ID, Started: r.Started, Finished: r.Finished, AsOf: r.AsOf, Units: len(r.Units),
			Complete: r.Complete, Status: "interrupted", Pages: r.Pages, Findings: r.Findings, Note: r.Note}
		if r.Complete {
			o.Status = "complete"
		}
		out = append(out, o)
	}
	if *format == "json" {
		err = writeRunsJSON(c.stdout, out)
	} else {
		err = writeRunsTable(c.stdout, out)
	}
	if err != nil {
		return c.fail(fmt.Errorf("写输出失败：%w", err))
	}
	return exitOK
}

func writeRunsJSON(w io.Writer, rs []runOut) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rs)
}

// writeRunsTable writes the table through a buffer, so a failed write is
// an error rather than a short table.
func writeRunsTable(w io.Writer, rs []runOut) error {
	var b strings.Builder
	t := newTable(&b, "运行", "开始时间", "基准日", "单位数", "状态", "页面", "问题")
	for _, r := range rs {
		status := "完成"
		if !r.Complete {
			status = "中断"
		}
		t.row(r.ID, r.Started.In(cndate.Shanghai).Format("2006-01-02 15:04"), r.AsOf, fmt.Sprint(r.Units), status,
			fmt.Sprint(r.Pages), fmt.Sprint(r.Findings))
	}
	t.flush()
	if len(rs) == 0 {
		b.WriteString("（还没有运行：先运行 gkaudit audit）\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
