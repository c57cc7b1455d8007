package main

import (
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strconv"
	"time"

	"gkaudit/checks"
	"gkaudit/store"
)

func (c *cli) findings(args []string) int {
	fs := flag.NewFlagSet("findings", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	dbPath := fs.String("db", "", "bbolt database file (required)")
	runRef := fs.String("run", "latest", "run ID, or latest")
	format := fs.String("format", "table", "json, csv or table")
	unit := fs.String("unit", "", "only this unit id")
	check := fs.String("check", "", "only this check ID")
	status := fs.String("status", "", "only this status (pass, fail, na, error)")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if *dbPath == "" {
		fmt.Fprintln(c.stderr, "gkaudit findings: --db is required")
		return exitUsage
	}
	switch *format {
	case "json", "csv", "table":
	default:
		fmt.Fprintf(c.stderr, "gkaudit findings: --format %q: want json, csv or table\n", *format)
		return exitUsage
	}
	run, all, err := runFindings(*dbPath, *runRef)
	if err != nil {
		return c.fail(err)
	}
	out := make([]checks.Finding, 0, len(all))
	for _, f := range all {
		if (*unit == "" || f.Unit == *unit) && (*check == "" || f.Check == *check) && (*status == "" || string(f.Status) == *status) {
			out = append(out, f)
		}
	}
	switch *format {
	case "json":
		enc := json.NewEncoder(c.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(out); err != nil {
			return c.fail(err)
		}
	case "csv":
		if err := writeFindingsCSV(c.stdout, out); err != nil {
			return c.fail(err)
		}
	default:
		if !run.Complete {
			fmt.Fprintf(c.stderr, "note: run %s is incomplete (interrupted)\n", run.ID)
		}
		writeFindingsTable(c.stdout, out)
	}
	return exitOK
}

// runFindings opens the store, resolves a run reference (an ID or latest)
// and returns the run with its findings.
func runFindings(dbPath, runRef string) (store.Run, []checks.Finding, error) {
	db, err := store.Open(dbPath)
	if err != nil {
		return store.Run{}, nil, err
	}
	defer db.Close()
	run, err := db.ResolveRun(runRef)
	if err != nil {
		return store.Run{}, nil, fmt.Errorf("run %q: %w", runRef, err)
	}
	fs, err := db.Findings(run.ID)
	return run, fs, err
}

func writeFindingsCSV(w io.Writer, fs []checks.Finding) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"unit", "check", "status", "subject", "url", "detail", "rule", "evidence_url", "fetched_at", "http_status", "sha256"})
	for _, f := range fs {
		fetched := ""
		if !f.Evidence.FetchedAt.IsZero() {
			fetched = f.Evidence.FetchedAt.Format(time.RFC3339)
		}
		cw.Write([]string{f.Unit, f.Check, string(f.Status), f.Subject, f.URL, f.Detail, f.Rule,
			f.Evidence.URL, fetched, strconv.Itoa(f.Evidence.HTTPStatus), f.Evidence.SHA256})
	}
	cw.Flush()
	return cw.Error()
}

func writeFindingsTable(w io.Writer, fs []checks.Finding) {
	t := newTable(w, "UNIT", "CHECK", "STATUS", "URL", "DETAIL")
	for _, f := range fs {
		t.row(f.Unit, f.Check, string(f.Status), f.URL, clipRunes(f.Detail, 60))
	}
	t.flush()
}

func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
