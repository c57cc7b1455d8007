package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"gkaudit/checks"
	"gkaudit/config"
	"gkaudit/rundata"
	"gkaudit/sheet"
)

const exportUsage = `用法：gkaudit export xlsx --db FILE --out FILE.xlsx [--run ID|latest] [--config FILE]
`

// export writes a run's outputs to files; xlsx is the score sheet.
func (c *cli) export(args []string) int {
	if len(args) == 0 {
		fmt.Fprint(c.stderr, exportUsage)
		return exitUsage
	}
	switch args[0] {
	case "xlsx":
		return c.exportXLSX(args[1:])
	case "-h", "--help", "help":
		fmt.Fprint(c.stdout, exportUsage)
		return exitOK
	}
	fmt.Fprintf(c.stderr, "gkaudit export: 不支持的格式 %q（目前只有 xlsx）\n%s", args[0], exportUsage)
	return exitUsage
}

func (c *cli) exportXLSX(args []string) int {
	fs := flag.NewFlagSet("export xlsx", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	dbPath := fs.String("db", "", "bbolt 数据库文件（必填）")
	out := fs.String("out", "", "要写出的工作簿，如 score.xlsx（必填）")
	runRef := fs.String("run", "latest", "运行 ID，或 latest（最近一次）")
	cfgPath := fs.String("config", "", "含单位和考核指标的配置文件（默认：内置配置）")
	if code, ok := c.parse(fs, args); !ok {
		return code
	}
	switch {
	case fs.NArg() > 0:
		fmt.Fprintf(c.stderr, "gkaudit export xlsx: 多余的参数 %q\n", fs.Arg(0))
		return exitUsage
	case *dbPath == "":
		fmt.Fprintln(c.stderr, "gkaudit export xlsx: 需要 --db")
		return exitUsage
	case *out == "":
		fmt.Fprintln(c.stderr, "gkaudit export xlsx: 需要 --out")
		return exitUsage
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return c.fail(err)
	}
	d, err := c.sheetData(*dbPath, *runRef, cfg)
	if err != nil {
		return c.fail(err)
	}
	if err := writeFile(*out, func(f *os.File) error { return sheet.Write(f, d) }); err != nil {
		return c.fail(err)
	}
	fails := 0
	for _, f := range d.Findings {
		if f.Status == checks.Fail {
			fails++
		}
	}
	fmt.Fprintf(c.stdout, "已写出 %s：运行 %s，%d 个单位，%d 个问题，%d 条整改跟踪记录\n", *out, d.Run.ID, len(d.Cards), fails, len(d.Events))
	return exitOK
}

// writeFile writes path through fill, atomically: a temporary file in the
// same directory renamed over path once complete.
func writeFile(path string, fill func(f *os.File) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("写出 %s：%w", path, err)
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	if err := fill(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("写出 %s：%w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("写出 %s：%w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("写出 %s：%w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("写出 %s：%w", path, err)
	}
	return nil
}

// sheetData reads what the score sheet shows of a run. The file must exist:
// exporting never creates a database.
func (c *cli) sheetData(dbPath, runRef string, cfg *config.Config) (sheet.Data, error) {
	db, err := c.openRead(dbPath)
	if err != nil {
		return sheet.Data{}, err
	}
	defer db.Close()
	return rundata.Sheet(db, runRef, cfg)
}
