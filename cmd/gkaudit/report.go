package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"sync"

	"gkaudit/config"
	"gkaudit/report"
	"gkaudit/score"
	"gkaudit/store"
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
	if _, err := os.Stat(*dbPath); errors.Is(err, fs.ErrNotExist) {
		return c.fail(fmt.Errorf("%s: no such file", *dbPath))
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
	var buf bytes.Buffer
	if err := report.Render(&buf, data); err != nil {
		return c.fail(err)
	}
	if err := writeFile(*out, func(f *os.File) error { _, err := f.Write(buf.Bytes()); return err }); err != nil {
		return c.fail(err)
	}
	fmt.Fprintf(c.stdout, "report on run %s (%d units, trends over %d runs) written to %s\n",
		data.Run.ID, len(data.Cards), len(data.Trend), *out)
	return exitOK
}

// reportData reads what the report shows: the run with its findings,
// history and scorecards, every run, the notices, and the trend over the
// last n complete runs up to the reported one, each scored anew.
func reportData(dbPath, runRef string, cfg *config.Config, n int) (report.Data, error) {
	db, err := store.Open(dbPath)
	if err != nil {
		return report.Data{}, err
	}
	defer db.Close()
	d, err := readRun(db, runRef, cfg)
	if err != nil {
		return report.Data{}, err
	}
	runs, err := db.Runs()
	if err != nil {
		return report.Data{}, err
	}
	notices, err := db.Notices("")
	if err != nil {
		return report.Data{}, err
	}
	trend, err := trendRuns(db, cfg, runs, d, n)
	if err != nil {
		return report.Data{}, err
	}
	return report.Data{District: cfg.District, Year: cfg.Year, Run: d.Run, Runs: runs, Cards: d.Cards,
		Findings: d.Findings, Entries: d.Entries, Notices: notices, Trend: trend}, nil
}

// trendRuns scores the last n complete runs up to d's run, oldest first,
// two at a time (bbolt readers do not block each other); d's own run, when
// complete, is not read again.
func trendRuns(db *store.DB, cfg *config.Config, runs []store.Run, d runData, n int) ([]report.TrendRun, error) {
	var picked []store.Run
	for i := len(runs) - 1; i >= 0 && len(picked) < n; i-- {
		if r := runs[i]; r.Complete && r.ID <= d.Run.ID {
			picked = append(picked, r)
		}
	}
	out := make([]report.TrendRun, len(picked))
	errs := make([]error, len(picked))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			for i := range jobs {
				out[i], errs[i] = trendRun(db, cfg, picked[i], d)
			}
		})
	}
	for i := range picked {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	// picked is newest first; the charts want oldest first.
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}

// trendRun scores one run with the finding history d holds.
func trendRun(db *store.DB, cfg *config.Config, r store.Run, d runData) (report.TrendRun, error) {
	lc := score.FromHistory(d.Entries, r.ID)
	if r.ID == d.Run.ID {
		return report.NewTrendRun(r, d.Cards, d.Findings, lc), nil
	}
	found, err := db.Findings(r.ID)
	if err != nil {
		return report.TrendRun{}, err
	}
	cards := score.ComputeWith(cfg, runUnits(cfg, r, found), found, lc)
	return report.NewTrendRun(r, cards, found, lc), nil
}
