package main

import (
	"flag"
	"fmt"

	"gkaudit/config"
)

func (c *cli) config(args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(c.stderr, "usage: gkaudit config show [--config FILE] | gkaudit config check FILE")
		return exitUsage
	}
	switch args[0] {
	case "show":
		fs := flag.NewFlagSet("config show", flag.ContinueOnError)
		fs.SetOutput(c.stderr)
		path := fs.String("config", "", "config file (default: the built-in district)")
		if err := fs.Parse(args[1:]); err != nil {
			return parseExit(err)
		}
		cfg, err := loadConfig(*path)
		if err != nil {
			return c.fail(err)
		}
		out, err := cfg.Marshal()
		if err != nil {
			return c.fail(err)
		}
		c.stdout.Write(out)
		return exitOK
	case "check":
		if len(args) != 2 {
			fmt.Fprintln(c.stderr, "usage: gkaudit config check FILE")
			return exitUsage
		}
		cfg, err := config.Load(args[1])
		if err == nil {
			err = checkTerms(cfg)
		}
		if err != nil {
			return c.fail(err)
		}
		fmt.Fprintf(c.stdout, "%s: ok (%d units, %d rubric items)\n", args[1], len(cfg.Units), len(cfg.Rubric.Items))
		return exitOK
	default:
		fmt.Fprintf(c.stderr, "gkaudit config: unknown subcommand %q\n", args[0])
		return exitUsage
	}
}

func loadConfig(path string) (*config.Config, error) {
	if path == "" {
		return config.Default()
	}
	cfg, err := config.Load(path)
	if err != nil {
		return nil, err
	}
	if err := checkTerms(cfg); err != nil {
		return nil, err
	}
	return cfg, nil
}
