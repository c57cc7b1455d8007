package main

import (
	"errors"
	"fmt"
	"time"

	"gkaudit/audit"
	"gkaudit/config"
)

// usageError is an error that gkaudit reports with the usage exit code.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// runShard audits shard K/N of the config's units (gkaudit audit --shard):
// the district-level checks are left to gkaudit merge.
func (c *cli) runShard(cfg *config.Config, spec string, selected bool, asOf time.Time, dbPath string, full bool) (audit.Result, error) {
	if selected {
		return audit.Result{}, usageError{"gkaudit audit: --shard 与 --units、--url 不能同时使用：分片按主机划分配置中的全部单位"}
	}
	sh, err := audit.ParseShard(spec)
	if err != nil {
		return audit.Result{}, usageError{"gkaudit audit: " + err.Error()}
	}
	db, err := openWrite(dbPath, "gkaudit audit --shard "+sh.String())
	if err != nil {
		return audit.Result{}, err
	}
	defer db.Close()
	prog := newProgress(c.stderr)
	res, err := audit.Run(c.ctx, audit.Options{Config: cfg, AsOf: asOf, DB: db, Note: "分片 " + sh.String(),
		Progress: prog.event, Full: full, Shard: sh})
	prog.done()
	if err == nil {
		fmt.Fprintf(c.stderr, "gkaudit audit: 分片 %s 共 %d 个单位；全部分片完成后运行 gkaudit merge --config FILE --out FILE 分片1.db … 合并，并判定区级指标（volume.low）\n", sh, len(res.Units))
	}
	return res, err
}

// auditFail reports an audit's error: a usage error (a bad --shard) with exit
// code 2, anything else as c.fail does.
func (c *cli) auditFail(err error) int {
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintln(c.stderr, ue.msg)
		return exitUsage
	}
	return c.fail(err)
}
