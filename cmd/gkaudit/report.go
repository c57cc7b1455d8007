package main

import (
	"errors"
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
	dbPath := fset.String("db", "", "bbolt database file (required)")
	out := fset.String("out", "", "HTML file to write (required)")
	runRef := fset.String("run", "latest", "run ID, or latest")
	cfgPath := fset.String("config", "", "config file with the district, units and rubric (default: the built-in district)")
	nRuns := fset.Int("runs", defaultTrendRuns, "complete runs the trends show, up to the reported one")
	if err := fset.Parse(args); errors.Is(err, flag.ErrHelp) {
		return exitOK
	} else if err != nil {
		return exitUsage
	}
	switch {
	case fset.NArg() > 0:
		fmt.Fprintf(c.stderr, "gkaudit report: unexpected argument %q\n", fset.Arg(0))
		return exitUsage
	case *dbPath == "":
		fmt.Fprintln(c.stderr, "gkaudit report: --db is required")
		return exitUsage
	case *out == "":
		fmt.Fprintln(c.stderr, "gkaudit report: --out is required")
		return exitUsage
	case *nRuns < 1:
		fmt.Fprintf(c.stderr, "gkaudit report: --runs %d: want 1 or more\n", *nRuns)
		return exitUsage
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return c.fail(err)
	}
	data, err := reportData(*dbPath, *runRef, cfg, *nRuns)
	if err != nil {
		return c.fail(err)
	}
	if !data.Run.Complete {
		fmt.Fprintf(c.stderr, "note: run %s is incomplete (interrupted); the trends show complete runs only\n", data.Run.ID)
	}
	if err := writeFile(*out, func(f *os.File) error { return report.Render(f, data) }); err != nil {
		return c.fail(err)
	}
	fmt.Fprintf(c.stdout, "report on run %s (%d units, trends over %d runs) written to %s\n",
		data.Run.ID, len(data.Cards), len(data.Trend), *out)
	return exitOK
}

// reportData reads what the report shows of a run (see rundata.Report).
func reportData(dbPath, runRef string, cfg *config.Config, n int) (report.Data, error) {
	db, err := openExisting(dbPath)
	if err != nil {
		return report.Data{}, err
	}
	defer db.Close()
	return rundata.Report(db, runRef, cfg, n)
}
