package main

import (
	"flag"
	"fmt"

	"gkaudit/checks"
	"gkaudit/config"
)

const configUsage = `用法：
  gkaudit config show [--config FILE]   显示生效的配置（内置配置或 FILE 叠加其上）
  gkaudit config check FILE             检查配置文件：语法、取值、词表键和检查项 ID（出错处注明文件和行号），以及每个单位都有 url（audit 和 serve 需要）
`

func (c *cli) config(args []string) int {
	if len(args) == 0 {
		fmt.Fprint(c.stderr, configUsage)
		return exitUsage
	}
	switch args[0] {
	case "-h", "--help", "help":
		fmt.Fprint(c.stdout, configUsage)
		return exitOK
	case "show":
		fs := flag.NewFlagSet("config show", flag.ContinueOnError)
		fs.SetOutput(c.stderr)
		path := fs.String("config", "", "配置文件（默认：内置配置）")
		if code, ok := c.parse(fs, args[1:]); !ok {
			return code
		}
		if c.extraArgs("config show", fs) {
			return exitUsage
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
		fs := flag.NewFlagSet("config check", flag.ContinueOnError)
		fs.SetOutput(c.stderr)
		fs.Usage = func() { fmt.Fprint(c.stderr, configUsage) }
		if code, ok := c.parse(fs, args[1:]); !ok {
			return code
		}
		if fs.NArg() != 1 {
			fmt.Fprintf(c.stderr, "gkaudit config check: 需要且只需要一个配置文件\n%s", configUsage)
			return exitUsage
		}
		path := fs.Arg(0)
		cfg, err := config.Load(path)
		if err == nil {
			err = checks.ValidateConfig(cfg)
		}
		if err == nil {
			err = cfg.CheckURLs(cfg.Units)
		}
		if err != nil {
			return c.fail(err)
		}
		fmt.Fprintf(c.stdout, "%s：通过（%d 个单位，%d 项考核指标）\n", path, len(cfg.Units), len(cfg.Rubric.Items))
		return exitOK
	default:
		fmt.Fprintf(c.stderr, "gkaudit config: 没有子命令 %q\n%s", args[0], configUsage)
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
	// Load validated the values; the term keys and check IDs are the checks'.
	if err := checks.ValidateConfig(cfg); err != nil {
		return nil, err
	}
	return cfg, nil
}
