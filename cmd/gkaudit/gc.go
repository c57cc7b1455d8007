package main

import (
	"flag"
	"fmt"
	"os"

	"gkaudit/store"
)

func (c *cli) gc(args []string) int {
	fs := flag.NewFlagSet("gc", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	dbPath := fs.String("db", "", "bbolt 数据库文件（必填；不能有其他进程正在使用）")
	keep := fs.Int("keep", 0, "保留最近几次完整运行（必填，至少 1）；比最早保留的那次更早的中断运行一并删除")
	if code, ok := c.parse(fs, args); !ok {
		return code
	}
	if c.extraArgs("gc", fs) {
		return exitUsage
	}
	if *dbPath == "" {
		return c.usageErr("gc", "需要 --db")
	}
	if *keep < 1 {
		return c.usageErr("gc", "--keep %d：至少保留 1 次运行", *keep)
	}
	wait, err := storeWait()
	if err != nil {
		return c.fail(err)
	}
	if _, err := os.Stat(*dbPath); err != nil {
		return c.fail(storeError(*dbPath, err))
	}
	rep, err := store.GCWith(*dbPath, *keep, store.Options{Wait: wait, Holder: "gkaudit gc"})
	if err != nil {
		return c.fail(storeError(*dbPath, err))
	}
	for _, r := range rep.Removed {
		state := "完整"
		if !r.Complete {
			state = "中断/未完成"
		}
		fmt.Fprintf(c.stdout, "已删除运行 %s（%s，%s，%d 个页面，%d 条结果）\n", r.ID, runDate(r), state, r.Pages, r.Findings)
	}
	fmt.Fprintf(c.stdout, "共删除 %d 次运行、%d 个快照、%d 个页面、%d 条结果、%d 个不再引用的页面正文；保留最近 %d 次完整运行、其后的中断运行和全部整改跟踪记录\n",
		len(rep.Removed), rep.Snapshots, rep.Pages, rep.Findings, rep.Bodies, *keep)
	fmt.Fprintf(c.stdout, "文件大小 %s → %s\n", sizeString(rep.SizeBefore), sizeString(rep.SizeAfter))
	return exitOK
}

// sizeString prints a byte count for people: "12.3 MiB（12896256 字节）".
func sizeString(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d 字节", n)
	}
	v, suffix := float64(n)/unit, "KiB"
	for _, s := range []string{"MiB", "GiB"} {
		if v < unit {
			break
		}
		v, suffix = v/unit, s
	}
	return fmt.Sprintf("%.1f %s（%d 字节）", v, suffix, n)
}
