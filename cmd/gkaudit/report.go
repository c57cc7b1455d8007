package main

import (
	"flag"
	"fmt"
	"os"

	"gkaudit/config"
	"gkaudit/report"
	"gkaudit/rundata"
)

// defaultTrendRuns is how many complete runs the trend charts show.
const defaultTrendRuns = 10

func (c *cli) report(args []string) int {
	fset := flag.NewFlagSet("report", flag.ContinueOnError)
	fset.SetOutput(c.stderr)
	dbPath := fset.String("db", "", "bbolt 数据库文件（必填）")
	out := fset.String("out", "", "要写出的 HTML 文件（必填）")
	runRef := fset.String("run", "latest", "运行 ID，或 latest（最近一次）")
	cfgPath := fset.String("config", "", "含区县、单位和考核指标的配置文件（默认：内置配置）")
	nRuns := fset.Int("runs", defaultTrendRuns, "趋势图显示的完整运行次数（截至所报告的运行）")
	if code, ok := c.parse(fset, args); !ok {
		return code
	}
	switch {
	case c.extraArgs("report", fset):
		return exitUsage
	case *dbPath == "":
		return c.usageErr("report", "需要 --db")
	case *out == "":
		return c.usageErr("report", "需要 --out")
	case *nRuns < 1:
		return c.usageErr("report", "--runs %d：至少为 1", *nRuns)
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return c.fail(err)
	}
	data, err := c.reportData(*dbPath, *runRef, cfg, *nRuns)
	if err != nil {
		return c.fail(err)
	}
	if !data.Run.Complete {
		fmt.Fprintf(c.stderr, "注意：运行 %s 未完成（被中断），趋势图只包括完整的运行\n", data.Run.ID)
	}
	if err := writeFile(*out, func(f *os.File) error { return report.Render(f, data) }); err != nil {
		return c.fail(err)
	}
	fmt.Fprintf(c.stdout, "已写出 %s：运行 %s 的监测报告（%d 个单位，趋势含 %d 次运行）\n",
		*out, data.Run.ID, len(data.Cards), len(data.Trend))
	return exitOK
}

// reportData reads what the report shows of a run (see rundata.Report).
func (c *cli) reportData(dbPath, runRef string, cfg *config.Config, n int) (report.Data, error) {
	db, err := c.openRead(dbPath)
	if err != nil {
		return report.Data{}, err
	}
	defer db.Close()
	return rundata.Report(db, runRef, cfg, n)
}
