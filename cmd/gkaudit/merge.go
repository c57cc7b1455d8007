package main

import (
	"flag"
	"fmt"
	"path/filepath"

	"gkaudit/audit"
	"gkaudit/store"
)

// merge combines the newest complete run of each shard database (gkaudit
// audit --shard K/N) into one run in --out, and judges the district-level
// checks over all the units.
func (c *cli) merge(args []string) int {
	fs := flag.NewFlagSet("merge", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	out := fs.String("out", "", "合并结果写入的数据库（不存在时新建）")
	cfgPath := fs.String("config", "", "各分片运行时所用的配置文件（默认：内置配置）")
	note := fs.String("note", "", "记在合并运行上的备注")
	if code, ok := c.parse(fs, args); !ok {
		return code
	}
	if *out == "" || fs.NArg() == 0 {
		fmt.Fprintln(c.stderr, "gkaudit merge: 用法：gkaudit merge --out FILE [--config FILE] 分片1.db … 分片N.db")
		return exitUsage
	}
	outAbs, _ := filepath.Abs(*out)
	seen := map[string]bool{}
	for _, p := range fs.Args() {
		abs, _ := filepath.Abs(p)
		if abs == outAbs {
			fmt.Fprintf(c.stderr, "gkaudit merge: %s 既是分片又是 --out：请把合并结果写到另一个文件\n", p)
			return exitUsage
		}
		if seen[abs] {
			fmt.Fprintf(c.stderr, "gkaudit merge: 分片 %s 列了两次\n", p)
			return exitUsage
		}
		seen[abs] = true
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return c.fail(err)
	}
	shards := make([]*store.DB, 0, fs.NArg())
	defer func() {
		for _, db := range shards {
			db.Close()
		}
	}()
	for _, p := range fs.Args() {
		db, err := c.openRead(p)
		if err != nil {
			return c.fail(err)
		}
		shards = append(shards, db)
	}
	odb, err := openWrite(*out, "gkaudit merge")
	if err != nil {
		return c.fail(err)
	}
	defer odb.Close()
	note2 := *note
	if note2 == "" {
		note2 = fmt.Sprintf("由 %d 个分片合并", len(shards))
	}
	run, err := audit.Merge(c.ctx, audit.MergeOptions{Config: cfg, Out: odb, Shards: shards, Names: fs.Args(), Note: note2})
	if err != nil {
		return c.fail(err)
	}
	fmt.Fprintf(c.stdout, "运行 %s 已写入 %s：来自 %d 个分片的 %d 个单位，%d 个页面，%d 条结果\n",
		run.ID, *out, len(shards), len(run.Units), run.Pages, run.Findings)
	return exitOK
}
