package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gkaudit/audit"
	"gkaudit/cndate"
	"gkaudit/config"
)

func (c *cli) audit(args []string) int {
	fs := flag.NewFlagSet("audit", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	cfgPath := fs.String("config", "", "配置文件（默认：内置的北仑区配置）")
	dbPath := fs.String("db", "", "数据库文件（bbolt；用 --config 时必填，用 --url 时默认建在临时目录）")
	unitList := fs.String("units", "", "要检查的单位 id，用逗号分隔（默认：全部单位）")
	asOfStr := fs.String("as-of", "", "按哪一天判断，YYYY-MM-DD（默认：北京时间今天）")
	siteURL := fs.String("url", "", "不用配置文件，只检查这一个网站（信息公开栏目的入口网址）")
	name := fs.String("name", "", "与 --url 一起用：单位名称（默认：入口页的标题）")
	unitID := fs.String("id", "", "与 --url 一起用：单位 id（默认由网址的主机和栏目得出，如 www.beilun.gov.cn-col1229412）")
	kind := fs.String("kind", "", "与 --url 一起用：单位类型，street（街道）或 department（部门），默认 department")
	full := fs.Bool("full", false, "每个页面都完整重新抓取（默认：对上次完整运行存下的页面发条件请求）")
	shardFlag := fs.String("shard", "", "K/N：只检查 N 个分片中的第 K 个（同一主机的单位总在同一分片）；各分片用 gkaudit merge 合并")
	if err := fs.Parse(args); err != nil {
		return parseExit(err)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(c.stderr, "gkaudit audit: 多余的参数 %q；audit 不接受位置参数，请用 --config、--url 等选项\n", fs.Arg(0))
		return exitUsage
	}
	asOf, err := parseAsOf(*asOfStr)
	if err != nil {
		fmt.Fprintf(c.stderr, "gkaudit audit: %v\n", err)
		return exitUsage
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return c.fail(err)
	}

	if *siteURL == "" && (*unitID != "" || *kind != "" || *name != "") {
		fmt.Fprintln(c.stderr, "gkaudit audit: --id、--kind、--name 只能与 --url 一起使用")
		return exitUsage
	}
	var shard audit.Shard
	if *shardFlag != "" {
		// A bad --shard is a usage error whatever the config holds.
		if *siteURL != "" || *unitList != "" {
			fmt.Fprintln(c.stderr, "gkaudit audit: --shard 与 --units、--url 不能同时使用：分片按主机划分配置中的全部单位")
			return exitUsage
		}
		if shard, err = audit.ParseShard(*shardFlag); err != nil {
			fmt.Fprintf(c.stderr, "gkaudit audit: %v\n", err)
			return exitUsage
		}
	}
	var units []config.Unit
	switch {
	case *siteURL != "":
		if *unitList != "" {
			fmt.Fprintln(c.stderr, "gkaudit audit: --units 与 --url 不能同时使用：--url 只检查一个网站，--units 从配置中选单位")
			return exitUsage
		}
		unit, err := urlUnit(cfg, *siteURL, *unitID, *name, *kind)
		if err != nil {
			fmt.Fprintf(c.stderr, "gkaudit audit: %v\n", err)
			return exitUsage
		}
		cfg.Units = []config.Unit{unit}
		units = cfg.Units
		// The portal's other units are unknown: a unit on a shared portal
		// keeps to its column (crawler.Options.ColumnScope).
		c.columnScope = true
		if *dbPath == "" {
			dir, err := os.MkdirTemp("", "gkaudit-")
			if err != nil {
				return c.fail(err)
			}
			*dbPath = filepath.Join(dir, "audit.db")
		}
	case *dbPath == "":
		fmt.Fprintln(c.stderr, "gkaudit audit: 需要 --db（数据库文件）；只检查一个网站时可用 --url")
		return exitUsage
	default:
		units, err = selectUnits(cfg, *unitList)
		if err != nil {
			fmt.Fprintf(c.stderr, "gkaudit audit: %v\n", err)
			return exitUsage
		}
		if err := cfg.CheckURLs(units); err != nil {
			return c.fail(err)
		}
	}

	var res audit.Result
	if *shardFlag != "" {
		res, err = c.runShard(cfg, shard, asOf, *dbPath, *full)
	} else {
		res, err = c.runAudit(cfg, units, asOf, *dbPath, "", *full)
	}
	if c.wasInterrupted(err) {
		return c.interrupted("audit", res.Run.ID, *dbPath)
	}
	if err != nil {
		return c.fail(err)
	}
	if *siteURL != "" {
		if len(res.Units) == 1 {
			u := res.Units[0].Unit
			fmt.Fprintf(c.stdout, "单位：%s（%s，%s）\n", u.Name, u.ID, config.KindLabel(u.Kind))
		}
		_, fsList, entries, err := c.runFindingStates(*dbPath, res.Run.ID)
		if err != nil {
			return c.fail(err)
		}
		out := make([]findingOut, len(fsList))
		for i, f := range fsList {
			out[i] = withState(f, entries)
		}
		writeFindingsTable(c.stdout, out)
	} else {
		writeUnitTable(c.stdout, res)
	}
	fmt.Fprintf(c.stdout, "\n运行 %s 已写入 %s\n%s\n", res.Run.ID, *dbPath, fetchSummary(res))
	return exitOK
}

// fetchSummary is the line that says what a run fetched: pages, bytes
// received, and how many pages the servers answered 304 Not Modified.
func fetchSummary(res audit.Result) string {
	pages, notMod, carried := 0, 0, 0
	var bytes int64
	for _, u := range res.Units {
		pages += u.Pages
		notMod += u.NotModified
		carried += u.Carried
		bytes += u.Bytes
	}
	return fmt.Sprintf("运行 %s 抓取 %d 个页面，共 %s，其中 %d 个未变（304），%d 个沿用上次抓取", res.Run.ID, pages, sizeString(bytes), notMod, carried)
}

// runAudit opens the store and runs one audit with terminal progress.
func (c *cli) runAudit(cfg *config.Config, units []config.Unit, asOf time.Time, dbPath, note string, full bool) (audit.Result, error) {
	db, err := openWrite(dbPath, "gkaudit audit")
	if err != nil {
		return audit.Result{}, err
	}
	defer db.Close()
	prog := newProgress(c.stderr)
	res, err := audit.Run(c.ctx, audit.Options{Config: cfg, Units: units, AsOf: asOf, DB: db, Note: note, Progress: prog.event, Full: full,
		ColumnScope: c.columnScope})
	prog.done()
	return res, err
}

// selectUnits picks the units named in a comma-separated list, in config
// order. A list that names no unit (",,,") is an error, not "all units".
func selectUnits(cfg *config.Config, list string) ([]config.Unit, error) {
	if list == "" {
		return cfg.Units, nil
	}
	known := make([]string, len(cfg.Units))
	for i, u := range cfg.Units {
		known[i] = u.ID
	}
	want := map[string]bool{}
	for _, id := range strings.Split(list, ",") {
		id = strings.TrimSpace(id)
		if id == "" {
			continue
		}
		if _, ok := cfg.UnitByID(id); !ok {
			return nil, unknownUnit("--units", id, "配置", known)
		}
		want[id] = true
	}
	if len(want) == 0 {
		return nil, fmt.Errorf("--units %q 没有列出任何单位：用逗号分隔单位 id，如 --units %s；要检查全部单位就不加 --units", list, strings.Join(known[:min(2, len(known))], ","))
	}
	var out []config.Unit
	for _, u := range cfg.Units {
		if want[u.ID] {
			out = append(out, u)
		}
	}
	return out, nil
}

// minAsOf is the earliest --as-of date: the 条例 (and the calendar and
// rubric years config accepts) start in 2008.
var minAsOf = time.Date(2008, 1, 1, 0, 0, 0, 0, cndate.Shanghai)

// parseAsOf parses YYYY-MM-DD in Asia/Shanghai; empty means today there. A
// date before 2008 or more than a year after today is a typo, not an audit.
func parseAsOf(s string) (time.Time, error) {
	now := time.Now()
	if s == "" {
		return audit.Today(now), nil
	}
	t, err := time.ParseInLocation("2006-01-02", s, cndate.Shanghai)
	if err != nil {
		return time.Time{}, fmt.Errorf("--as-of %q 不是日期：应为 YYYY-MM-DD，如 %s", s, now.In(cndate.Shanghai).Format(time.DateOnly))
	}
	maxAsOf := audit.Today(now).AddDate(1, 0, 0)
	if t.Before(minAsOf) || t.After(maxAsOf) {
		return time.Time{}, fmt.Errorf("--as-of %s 超出范围：应在 %s 至 %s 之间（2008 年至今后一年）", s, minAsOf.Format(time.DateOnly), maxAsOf.Format(time.DateOnly))
	}
	return t, nil
}

// writeUnitTable prints one line per audited unit.
func writeUnitTable(w io.Writer, res audit.Result) {
	tw := newTable(w, "单位", "名称", "页面", "错误", "不合格的检查").flexWrap(4)
	for _, u := range res.Units {
		if u.Unit.ID == "" {
			continue
		}
		failing := strings.Join(u.Failing, ",")
		if failing == "" {
			failing = "-"
		}
		tw.row(u.Unit.ID, u.Unit.Name, fmt.Sprint(u.Pages), fmt.Sprint(u.Errors), failing)
	}
	tw.flush()
}
