package main

import (
	"flag"
	"fmt"
	"os"

	"gkaudit/config"
	"gkaudit/sim"
)

func (c *cli) sim(args []string) int {
	fs := flag.NewFlagSet("sim", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	listen := fs.String("listen", "127.0.0.1:8080", "区县门户站点的地址（有独立站点的单位使用之后的本机端口）")
	truthPath := fs.String("truth", "", "把标准答案清单（JSON）写到这个文件")
	cfgPath := fs.String("config", "", "把检查模拟区县用的配置写到这个文件")
	size := fs.String("size", "demo", "demo、bench 或 huge")
	seed := fs.Int64("seed", 1, "随机种子")
	gen := fs.Int("generation", 1, fmt.Sprintf("站点的第几代，1 至 %d：每一代新增信息、删除页面、整改部分问题并新增一个问题", sim.Generations))
	traps := fs.Bool("traps", true, "提供抓取陷阱（重定向循环、50 MB 页面、无尽日历）；没有抓取预算的工具用 --traps=false")
	if code, ok := c.parse(fs, args); !ok {
		return code
	}
	if c.extraArgs("sim", fs) {
		return exitUsage
	}
	if *gen < 1 || *gen > sim.Generations {
		return c.usageErr("sim", "--generation %d：只能是 1 至 %d", *gen, sim.Generations)
	}
	sz, err := parseSize(*size)
	if err != nil {
		fmt.Fprintf(c.stderr, "gkaudit sim: %v\n", err)
		return exitUsage
	}
	cfg, err := config.Default()
	if err != nil {
		return c.fail(err)
	}
	d, err := sim.New(sim.Options{Seed: *seed, Size: sz, Units: cfg.Units, Listen: *listen, NoTraps: !*traps, Generation: *gen})
	if err != nil {
		return c.fail(err)
	}
	if err := d.Start(); err != nil {
		return c.fail(err)
	}
	defer d.Close()
	if *truthPath != "" {
		f, err := os.Create(*truthPath)
		if err != nil {
			return c.fail(err)
		}
		err = sim.WriteTruth(f, d.Truth())
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return c.fail(fmt.Errorf("写出标准答案 %s：%w", *truthPath, err))
		}
	}
	if *cfgPath != "" {
		cfg.Units = d.Units()
		cfg.Crawl = loopbackPolicy(cfg.Crawl)
		out, err := cfg.Marshal()
		if err != nil {
			return c.fail(err)
		}
		if err := os.WriteFile(*cfgPath, out, 0o644); err != nil {
			return c.fail(fmt.Errorf("写出配置 %s：%w", *cfgPath, err))
		}
	}
	fmt.Fprintf(c.stdout, "模拟区县：%d 个单位，%d 个页面，检查日期 %s，第 %d 代\n", len(d.Units()), d.Pages(), d.AsOf().Format("2006-01-02"), d.Generation())
	for _, u := range d.Units() {
		fmt.Fprintf(c.stdout, "  %s %s\n", padWidth(u.ID, 24), u.URL)
	}
	fmt.Fprintln(c.stdout, "服务中，按 Ctrl-C 停止")
	<-c.ctx.Done()
	return exitOK
}
