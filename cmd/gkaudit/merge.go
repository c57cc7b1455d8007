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
	out := fs.String("out", "", "database to add the merged run to (created when missing)")
	cfgPath := fs.String("config", "", "the config the shards were audited with (default: the built-in district)")
	note := fs.String("note", "", "note recorded with the merged run")
	if err := fs.Parse(args); err != nil {
		return parseExit(err)
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
		db, err := store.Open(p)
		if err != nil {
			return c.fail(err)
		}
		shards = append(shards, db)
	}
	odb, err := store.Open(*out)
	if err != nil {
		return c.fail(err)
	}
	defer odb.Close()
	note2 := *note
	if note2 == "" {
		note2 = fmt.Sprintf("merged from %d shards", len(shards))
	}
	run, err := audit.Merge(c.ctx, audit.MergeOptions{Config: cfg, Out: odb, Shards: shards, Names: fs.Args(), Note: note2})
	if err != nil {
		return c.fail(err)
	}
	fmt.Fprintf(c.stdout, "run %s written to %s: %d units from %d shards, %d pages, %d findings\n",
		run.ID, *out, len(run.Units), len(shards), run.Pages, run.Findings)
	return exitOK
}
