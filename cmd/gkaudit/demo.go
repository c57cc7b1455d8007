package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"gkaudit/audit"
	"gkaudit/cndate"
	"gkaudit/config"
	"gkaudit/report"
	"gkaudit/rundata"
	"gkaudit/score"
	"gkaudit/sheet"
	"gkaudit/sim"
	"gkaudit/store"
)

// demoNote marks the runs the demo makes.
const demoNote = "demo"

func (c *cli) demo(args []string) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	dbPath := fs.String("db", "gkaudit-demo.db", "bbolt 数据库文件（每次添加一次新的运行）")
	size := fs.String("size", "demo", "模拟区县的规模：demo、bench 或 huge")
	seed := fs.Int64("seed", 1, "模拟区县的随机种子")
	port := fs.Int("port", 18400, "区县门户的端口，其他站点依次使用之后的端口（0：任意空闲端口，但前后几次 demo 的问题对不上）")
	outDir := fs.String("out", "gkaudit-demo-out", "通知草稿、评分表和监测报告的输出目录")
	serve := fs.Bool("serve", false, "demo 结束后在 demo 数据库上运行审核网页，直到 Ctrl-C（打印一次性管理员密码）")
	listen := fs.String("listen", "127.0.0.1:8080", "--serve 时审核网页的地址")
	gen := fs.Int("generation", 0, fmt.Sprintf("模拟区县的第几代，1 至 %d（默认：--db 中已有的 demo 运行次数加一，至多 %d）", sim.Generations, sim.Generations))
	if code, ok := c.parse(fs, args); !ok {
		return code
	}
	if c.extraArgs("demo", fs) {
		return exitUsage
	}
	sz, err := parseSize(*size)
	if err != nil {
		fmt.Fprintf(c.stderr, "gkaudit demo: %v\n", err)
		return exitUsage
	}
	if *gen < 0 || *gen > sim.Generations || *port < 0 || *port > 65535 {
		fmt.Fprintf(c.stderr, "gkaudit demo: --generation 只能是 1 至 %d，--port 只能是 0 至 65535\n", sim.Generations)
		return exitUsage
	}
	prev, err := previousDemo(*dbPath)
	if err != nil {
		return c.fail(err)
	}
	if *gen == 0 {
		*gen = min(prev.runs+1, sim.Generations)
	}
	cfg, err := config.Default()
	if err != nil {
		return c.fail(err)
	}
	d, err := sim.New(sim.Options{Seed: *seed, Size: sz, Units: cfg.Units, Generation: *gen,
		Listen: net.JoinHostPort("127.0.0.1", strconv.Itoa(*port))})
	if err != nil {
		return c.fail(err)
	}
	if err := d.Start(); err != nil {
		return c.fail(fmt.Errorf("%w（用 --port 换一组端口）", err))
	}
	defer d.Close()
	cfg.Units = d.Units()
	cfg.Crawl = loopbackPolicy(cfg.Crawl)
	fmt.Fprintf(c.stderr, "模拟区县 %s：%d 个单位，%d 个页面，检查日期 %s，第 %d 代\n",
		cfg.District, len(cfg.Units), d.Pages(), d.AsOf().Format("2006-01-02"), d.Generation())

	start := time.Now()
	res, err := c.runAudit(cfg, cfg.Units, d.AsOf(), *dbPath, demoNote, false)
	if c.wasInterrupted(err) {
		return c.interrupted("demo", res.Run.ID, *dbPath)
	}
	if err != nil {
		return c.fail(err)
	}
	elapsed := time.Since(start).Round(100 * time.Millisecond)
	cards, err := c.scoreRun(cfg, *dbPath, res.Run.ID)
	if err != nil {
		return c.fail(err)
	}
	if err := writeScoreTable(c.stdout, cards); err != nil {
		return c.fail(err)
	}
	pages, errs := 0, 0
	for _, u := range res.Units {
		pages += u.Pages
		errs += u.Errors
	}
	abs, _ := filepath.Abs(*dbPath)
	fmt.Fprintf(c.stdout, "\n检查了 %d 个单位（%d 个页面，%d 个抓取错误），用时 %s；运行 %s 已写入 %s\n",
		len(res.Units), pages, errs, elapsed, res.Run.ID, abs)
	fmt.Fprintln(c.stdout, fetchSummary(res))
	if prev.last != "" {
		if err := writeDemoDiff(c.stdout, *dbPath, prev.last, res); err != nil {
			return c.fail(err)
		}
	}
	if err := c.demoOutputs(cfg, *dbPath, res.Run.ID, *outDir, d.AsOf()); err != nil {
		return c.fail(err)
	}
	fmt.Fprintf(c.stdout, "检查结果：go run ./cmd/gkaudit findings --db %s --format table\n", *dbPath)
	fmt.Fprintf(c.stdout, "评分：    go run ./cmd/gkaudit score --db %s --format json\n", *dbPath)
	if d.Generation() < sim.Generations {
		fmt.Fprintf(c.stdout, "再运行一次 demo 得到第 %d 代区县：新发布的信息、删除的页面、已整改和新出现的问题\n", d.Generation()+1)
	}
	if *serve {
		if err := c.serveDemo(cfg, *dbPath, *listen); err != nil {
			return c.fail(err)
		}
	}
	return exitOK
}

// demoRuns is what earlier demos left in a database.
type demoRuns struct {
	runs int    // complete demo runs
	last string // newest complete run, "" if none
}

func previousDemo(dbPath string) (demoRuns, error) {
	db, err := store.Open(dbPath)
	if err != nil {
		return demoRuns{}, err
	}
	defer db.Close()
	runs, err := db.Runs()
	if err != nil {
		return demoRuns{}, err
	}
	var out demoRuns
	for _, r := range runs {
		if r.Complete && r.Note == demoNote {
			out.runs++
		}
	}
	if r, err := db.LatestComplete(""); err == nil {
		out.last = r.ID
	} else if !errors.Is(err, store.ErrNotFound) {
		return demoRuns{}, err
	}
	return out, nil
}

// writeDemoDiff prints how the run's findings compare with the run before.
func writeDemoDiff(w io.Writer, dbPath, fromID string, res audit.Result) error {
	db, err := store.Open(dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	d, err := db.Diff(fromID, res.Run.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "与运行 %s 相比：不合格项新增 %d，已修复 %d，仍存在 %d", fromID, len(d.New), len(d.Fixed), len(d.Persisting))
	if len(d.Unchecked) > 0 {
		fmt.Fprintf(w, "，未能检查 %d", len(d.Unchecked))
	}
	fmt.Fprintf(w, "\n变化：    go run ./cmd/gkaudit diff --db %s\n", dbPath)
	return nil
}

// scoreRun scores the units of cfg from the findings of a stored run.
func (c *cli) scoreRun(cfg *config.Config, dbPath, runID string) ([]score.Card, error) {
	d, err := c.loadRun(dbPath, runID, cfg)
	if err != nil {
		return nil, err
	}
	return d.Cards, nil
}

// loopbackPolicy tunes the crawl policy for a district served on this
// machine: no politeness delay is needed, the traps (a hanging host) should
// cost seconds, not minutes, and the SSRF guard must let the crawl reach
// loopback.
func loopbackPolicy(p config.Crawl) config.Crawl {
	for _, n := range loopbackNetworks() {
		if !slices.Contains(p.AllowNetworks, n) {
			p.AllowNetworks = append(slices.Clip(p.AllowNetworks), n)
		}
	}
	p.Delay = 0
	p.RecheckAfter = 0 // the simulated district's dead links stay dead: the second try goes at once
	p.Timeout = config.Duration(3 * time.Second)
	p.Retries = 1
	p.UnitBudget = config.Duration(90 * time.Second)
	p.ParallelUnits = 4
	return p
}

// loopbackNetworks are the networks the simulated district listens on.
func loopbackNetworks() []string { return []string{"127.0.0.0/8", "::1/128"} }

func parseSize(s string) (sim.Size, error) {
	switch s {
	case "demo":
		return sim.SizeDemo, nil
	case "bench":
		return sim.SizeBench, nil
	case "huge":
		return sim.SizeHuge, nil
	}
	return 0, fmt.Errorf("--size %q：只能是 demo、bench 或 huge", s)
}

// demoOutputs writes what the office hands out after a run: draft notices
// (nothing is issued; the drafts of an earlier demo, which would read as
// current ones, are replaced), the score sheet and the district report, and
// prints where they are.
func (c *cli) demoOutputs(cfg *config.Config, dbPath, runID, outDir string, asOf time.Time) error {
	db, err := store.Open(dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	d, err := rundata.Read(db, runID, cfg)
	if err != nil {
		return err
	}
	noticeDir := filepath.Join(outDir, "notices")
	old, _ := filepath.Glob(filepath.Join(noticeDir, "*-草稿.html"))
	for _, p := range old {
		os.Remove(p)
	}
	date := time.Date(asOf.Year(), asOf.Month(), asOf.Day(), 0, 0, 0, 0, cndate.Shanghai)
	written, err := writeNotices(db, d, cfg, d.Units, date, false, osUser(), noticeDir)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "通知：    %d 份整改通知/催办通知草稿在 %s（正式印发：go run ./cmd/gkaudit notices --db %s --out DIR --issue）\n",
		len(written), noticeDir, dbPath)
	sd, err := rundata.SheetOf(db, d, cfg)
	if err != nil {
		return err
	}
	xlsx := filepath.Join(outDir, "score.xlsx")
	if err := writeFile(xlsx, func(f *os.File) error { return sheet.Write(f, sd) }); err != nil {
		return err
	}
	rd, err := rundata.ReportOf(db, d, cfg, 10)
	if err != nil {
		return err
	}
	html := filepath.Join(outDir, "report.html")
	if err := writeFile(html, func(f *os.File) error { return report.Render(f, rd) }); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "评分表：  %s\n监测报告：%s\n", xlsx, html)
	return nil
}
