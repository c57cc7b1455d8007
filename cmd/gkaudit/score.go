package main

import (
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"gkaudit/config"
	"gkaudit/rundata"
	"gkaudit/score"
)

func (c *cli) score(args []string) int {
	fs := flag.NewFlagSet("score", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	dbPath := fs.String("db", "", "bbolt database file (required)")
	runRef := fs.String("run", "latest", "run ID, or latest")
	cfgPath := fs.String("config", "", "config file with the units and rubric (default: the built-in district)")
	format := fs.String("format", "table", "table, json or csv")
	if err := fs.Parse(args); err != nil {
		return parseExit(err)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(c.stderr, "gkaudit score: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	if *dbPath == "" {
		fmt.Fprintln(c.stderr, "gkaudit score: --db is required")
		return exitUsage
	}
	switch *format {
	case "table", "json", "csv":
	default:
		fmt.Fprintf(c.stderr, "gkaudit score: --format %q: want table, json or csv\n", *format)
		return exitUsage
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return c.fail(err)
	}
	d, err := loadRun(*dbPath, *runRef, cfg)
	if err != nil {
		return c.fail(err)
	}
	if !d.Run.Complete {
		fmt.Fprintf(c.stderr, "note: run %s is incomplete (interrupted); units it did not reach score as pending\n", d.Run.ID)
	}
	cards := d.Cards
	switch *format {
	case "json":
		enc := json.NewEncoder(c.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		err = enc.Encode(cards)
	case "csv":
		err = writeScoreCSV(c.stdout, cards)
	default:
		writeScoreTable(c.stdout, cards)
	}
	if err != nil {
		return c.fail(err)
	}
	return exitOK
}

// writeScoreTable prints one line per unit, by rank.
func writeScoreTable(w io.Writer, cards []score.Card) {
	sorted := slices.Clone(cards)
	slices.SortStableFunc(sorted, func(a, b score.Card) int { return a.Rank - b.Rank })
	t := newTable(w, "RANK", "UNIT", "NAME", "OBJECTIVE", "OF", "DEDUCTED", "PENDING")
	for _, c := range sorted {
		t.row(strconv.Itoa(c.Rank), c.Unit, c.Name, fmtPoints(c.Objective), fmtPoints(c.AutoMax),
			fmtPoints(-c.Deducted), strconv.Itoa(len(c.Pending)))
	}
	t.flush()
}

// writeScoreCSV writes one row per unit and rubric line: items, then
// deductions (points negative), then bonuses.
func writeScoreCSV(w io.Writer, cards []score.Card) error {
	if _, err := io.WriteString(w, utf8BOM); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Write([]string{"unit", "kind", "item", "category", "name", "max", "points", "source", "checks"})
	for _, c := range cards {
		for _, it := range c.Items {
			cw.Write([]string{c.Unit, "item", it.ID, it.Category, it.Name, fmtPoints(it.Max), fmtPoints(it.Points),
				string(it.Source), checkList(it.Checks)})
		}
		for _, d := range c.Deductions {
			lim := ""
			switch {
			case d.Max > 0:
				lim = fmtPoints(-d.Max)
			case d.Once:
				lim = fmtPoints(-d.Points)
			}
			cw.Write([]string{c.Unit, "deduction", d.ID, "减分", d.Text, lim, fmtPoints(-d.Deducted),
				string(d.Source), checkList(d.Checks)})
		}
		for _, b := range c.Bonuses {
			cw.Write([]string{c.Unit, "bonus", b.ID, "加分", b.Text, fmtPoints(b.Max), fmtPoints(b.Awarded),
				string(b.Source), ""})
		}
	}
	cw.Flush()
	return cw.Error()
}

// checkList renders check results as "org.info=pass;keyarea.budget=fail".
func checkList(rs []score.CheckResult) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = r.ID + "=" + r.Status
	}
	return strings.Join(parts, ";")
}

// fmtPoints formats points without trailing zeros: 5, 3.5, -1; never "-0".
func fmtPoints(x float64) string {
	if x == 0 {
		return "0"
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}

// loadRun opens the store, resolves a run reference (an ID or latest) and
// reads what the outputs need, scoring the run's units under cfg.
func loadRun(dbPath, runRef string, cfg *config.Config) (rundata.Data, error) {
	db, err := openRead(dbPath)
	if err != nil {
		return rundata.Data{}, err
	}
	defer db.Close()
	return rundata.Read(db, runRef, cfg)
}
