package main

import (
	"errors"
	"flag"
	"fmt"
	"strings"

	"gkaudit/store"
)

// check verifies a store file read-only: bbolt's consistency, then
// gkaudit's schema and every record. Exit 0 when sound, 1 when damaged.
func (c *cli) check(args []string) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	dbPath := fs.String("db", "", "要检查的 bbolt 数据库文件（必填；只读打开，不做任何修改）")
	if err := fs.Parse(args); err != nil {
		return parseExit(err)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(c.stderr, "gkaudit check: 多余的参数 %q\n", fs.Arg(0))
		return exitUsage
	}
	if *dbPath == "" {
		fmt.Fprintln(c.stderr, "gkaudit check: 需要 --db")
		return exitUsage
	}
	wait, err := storeWait()
	if err != nil {
		return c.fail(err)
	}
	rep, err := store.Verify(*dbPath, store.Options{Wait: wait})
	var de *store.DamagedError
	if errors.As(err, &de) {
		rep.Problems = []string{de.What} // too damaged to open: that is the finding
	} else if err != nil {
		return c.fail(storeError(*dbPath, err))
	}
	w := c.stdout
	fmt.Fprintf(w, "检查 %s（%s）\n", rep.Path, sizeString(rep.Size))
	if rep.SchemaVersion > 0 {
		fmt.Fprintf(w, "格式版本：%d\n", rep.SchemaVersion)
	}
	if len(rep.Buckets) > 0 {
		var bs []string
		for _, b := range rep.Buckets {
			if b.Keys < 0 {
				bs = append(bs, b.Name+" 缺失")
			} else {
				bs = append(bs, fmt.Sprintf("%s %d", b.Name, b.Keys))
			}
		}
		fmt.Fprintf(w, "桶（键数）：%s\n", strings.Join(bs, "，"))
	}
	if len(rep.Buckets) == 0 {
		// Not even opened: the one problem is why.
		fmt.Fprintf(w, "结果：发现问题：\n  - %s\n", rep.Problems[0])
		fmt.Fprintf(c.stderr, "gkaudit: %s 已损坏：%s；请从备份恢复（gkaudit 不会自动修复）\n", rep.Path, rep.Problems[0])
		return exitError
	}
	fmt.Fprintf(w, "已检查：bbolt 一致性（页面、空闲页、键序）、格式版本、全部桶、逐条解码 %d 条记录、引用（页面→正文和共享记录，问题→历史，问题 ID→历史，事件索引→事件）\n", rep.Records)
	var done, cut []string
	for _, r := range rep.Runs {
		if r.Complete {
			done = append(done, r.ID)
		} else {
			cut = append(cut, r.ID)
		}
	}
	fmt.Fprintf(w, "运行：%d 个，完成 %d 个", len(rep.Runs), len(done))
	if len(cut) > 0 {
		fmt.Fprintf(w, "，中断 %d 个（%s；它们不计入 latest 和 gc --keep）", len(cut), strings.Join(cut, "、"))
	}
	fmt.Fprintln(w)
	for _, w := range rep.Warnings {
		fmt.Fprintf(c.stdout, "提醒：%s\n", w)
	}
	if rep.OK() {
		fmt.Fprintln(w, "结果：未发现问题")
		return exitOK
	}
	more := ""
	if rep.Truncated {
		more = fmt.Sprintf("（只列出前 %d 个）", len(rep.Problems))
	}
	fmt.Fprintf(w, "结果：发现问题%s：\n", more)
	for _, p := range rep.Problems {
		fmt.Fprintf(w, "  - %s\n", p)
	}
	fmt.Fprintf(c.stderr, "gkaudit: %s 已损坏：%s；请从备份恢复（gkaudit 不会自动修复）\n", rep.Path, rep.Problems[0])
	return exitError
}
