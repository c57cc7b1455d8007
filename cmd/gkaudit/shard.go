package main

import (
	"fmt"
	"time"

	"gkaudit/audit"
	"gkaudit/config"
)

// runShard audits shard K/N of the config's units (gkaudit audit --shard):
// the district-level checks are left to gkaudit merge.
func (c *cli) runShard(cfg *config.Config, sh audit.Shard, asOf time.Time, dbPath string, full bool) (audit.Result, error) {
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
