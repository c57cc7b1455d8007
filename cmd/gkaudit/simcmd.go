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
	listen := fs.String("listen", "127.0.0.1:8080", "address of the district portal host (units with a host of their own get further loopback ports)")
	truthPath := fs.String("truth", "", "write the ground-truth manifest (JSON) to this file")
	cfgPath := fs.String("config", "", "write a config file for auditing the simulated district to this file")
	size := fs.String("size", "demo", "demo or bench")
	seed := fs.Int64("seed", 1, "seed")
	gen := fs.Int("generation", 1, fmt.Sprintf("state of the sites, 1 to %d: each later one adds fresh items, deletes pages, fixes some defects and seeds a new one", sim.Generations))
	traps := fs.Bool("traps", true, "serve the crawler traps (redirect loop, 50 MB page, endless calendar); --traps=false for tools without budgets")
	if err := fs.Parse(args); err != nil {
		return parseExit(err)
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
			return c.fail(fmt.Errorf("write truth %s: %w", *truthPath, err))
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
			return c.fail(fmt.Errorf("write config %s: %w", *cfgPath, err))
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
