package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"gkaudit/cndate"
	"gkaudit/rundata"
	"gkaudit/store"
)

func (c *cli) diff(args []string) int {
	fs := flag.NewFlagSet("diff", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	dbPath := fs.String("db", "", "bbolt 数据库文件（必填）")
	fromRef := fs.String("from", "", "较早的运行 ID（默认：--to 之前的一次完整运行）")
	toRef := fs.String("to", "", "较晚的运行 ID（默认：最近一次完整运行）")
	format := fs.String("format", "table", "table 或 json")
	if code, ok := c.parse(fs, args); !ok {
		return code
	}
	if c.extraArgs("diff", fs) {
		return exitUsage
	}
	if *dbPath == "" {
		return c.usageErr("diff", "需要 --db")
	}
	if *format != "table" && *format != "json" {
		return c.usageErr("diff", "--format %q：只能是 table 或 json", *format)
	}
	db, err := c.openRead(*dbPath)
	if err != nil {
		return c.fail(err)
	}
	defer db.Close()

	var to, from store.Run
	if *toRef != "" {
		to, err = db.ResolveRun(*toRef)
	} else {
		to, err = db.LatestComplete("")
	}
	if err != nil {
		return c.fail(diffRunErr("--to", *toRef, err))
	}
	if *fromRef != "" {
		from, err = db.ResolveRun(*fromRef)
	} else {
		from, err = db.LatestComplete(to.ID)
	}
	if err != nil {
		return c.fail(diffRunErr("--from", *fromRef, err))
	}
	for _, r := range []store.Run{from, to} {
		if !r.Complete {
			fmt.Fprintf(c.stderr, "注意：运行 %s 未完成（被中断），它没有检查完的单位的问题可能显示为已修复或新增\n", r.ID)
		}
	}
	d, err := db.Diff(from.ID, to.ID)
	if err != nil {
		return c.fail(err)
	}
	if *format == "json" {
		err = writeDiffJSON(c.stdout, d)
	} else {
		err = writeDiffTable(c.stdout, d)
	}
	if err != nil {
		return c.fail(err)
	}
	return exitOK
}

func diffRunErr(flagName, ref string, err error) error {
	if ref == "" && errors.Is(err, store.ErrNotFound) {
		return errors.New("比较需要两次完整的运行；要比较其他运行，用 --from 和 --to 指定（gkaudit runs 列出全部运行）")
	}
	return fmt.Errorf("%s：%w", flagName, rundata.RunRefError(ref, err))
}

// diffJSON is one entry of `gkaudit diff --format json`.
type diffJSON struct {
	Unit         string     `json:"unit"`
	Check        string     `json:"check"`
	Subject      string     `json:"subject"`
	URL          string     `json:"url"`
	Detail       string     `json:"detail"`
	FirstSeen    *time.Time `json:"first_seen"` // null when it never failed in a complete run
	FirstSeenRun string     `json:"first_seen_run,omitempty"`
}

func writeDiffJSON(w io.Writer, d store.RunDiff) error {
	conv := func(es []store.DiffEntry) []diffJSON {
		out := make([]diffJSON, 0, len(es))
		for _, e := range es {
			j := diffJSON{Unit: e.Finding.Unit, Check: e.Finding.Check, Subject: e.Finding.Subject,
				URL: e.Finding.URL, Detail: e.Finding.Detail, FirstSeenRun: e.FirstSeen.Run}
			if !e.FirstSeen.IsZero() {
				at := e.FirstSeen.At
				j.FirstSeen = &at
			}
			out = append(out, j)
		}
		return out
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(struct {
		From       string     `json:"from"`
		To         string     `json:"to"`
		New        []diffJSON `json:"new"`
		Fixed      []diffJSON `json:"fixed"`
		Persisting []diffJSON `json:"persisting"`
		Unchecked  []diffJSON `json:"unchecked"`
	}{d.From.ID, d.To.ID, conv(d.New), conv(d.Fixed), conv(d.Persisting), conv(d.Unchecked)})
}

func writeDiffTable(w io.Writer, d store.RunDiff) error {
	fmt.Fprintf(w, "运行 %s（%s）→ 运行 %s（%s）：新增 %d，已修复 %d，仍存在 %d",
		d.From.ID, runDate(d.From), d.To.ID, runDate(d.To), len(d.New), len(d.Fixed), len(d.Persisting))
	if len(d.Unchecked) > 0 {
		fmt.Fprintf(w, "，未能检查 %d", len(d.Unchecked))
	}
	fmt.Fprintln(w)
	if len(d.New)+len(d.Fixed)+len(d.Persisting)+len(d.Unchecked) == 0 {
		return nil
	}
	fmt.Fprintln(w)
	t := newTable(w, "变化", "单位", "检查项", "网址", "说明", "首次发现").flexURL(3).flexWrap(4)
	for _, part := range []struct {
		name string
		es   []store.DiffEntry
	}{{"new", d.New}, {"fixed", d.Fixed}, {"persisting", d.Persisting}, {"unchecked", d.Unchecked}} {
		for _, e := range part.es {
			first := "-"
			if !e.FirstSeen.IsZero() {
				first = e.FirstSeen.At.In(cndate.Shanghai).Format(time.DateOnly)
			}
			t.row(changeLabels[part.name], e.Finding.Unit, e.Finding.Check, e.Finding.URL, e.Finding.Detail, first)
		}
	}
	return t.flush()
}

// runDate is the day a run started, in Asia/Shanghai.
func runDate(r store.Run) string { return r.Started.In(cndate.Shanghai).Format(time.DateOnly) }
