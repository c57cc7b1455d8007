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
		return parseExit(err)
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
	run, all, entries, err := runFindingStates(*dbPath, *runRef)
	if err != nil {
		return c.fail(err)
	}
	out := make([]findingOut, 0, len(all))
	for _, f := range all {
		if (*unit == "" || f.Unit == *unit) && (*check == "" || f.Check == *check) && (*status == "" || string(f.Status) == *status) {
			out = append(out, withState(f, entries))
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

// findingOut is a finding as the findings command prints it: the finding
// and, for one that ever failed in a complete run, its lifecycle.
type findingOut struct {
	checks.Finding
	State     store.State `json:"state,omitempty"`
	FirstSeen *time.Time  `json:"first_seen,omitempty"`
	Deadline  *time.Time  `json:"deadline,omitempty"`
	Notice    string      `json:"notice,omitempty"`
}

func withState(f checks.Finding, entries map[string]store.HistoryEntry) findingOut {
	out := findingOut{Finding: f}
	e, ok := entries[f.ID]
	if !ok || f.Status != checks.Fail {
		return out
	}
	out.State, out.Notice = e.State, e.Notice
	if !e.FirstSeen.IsZero() {
		out.FirstSeen = &e.FirstSeen.At
	}
	if !e.Deadline.IsZero() {
		out.Deadline = &e.Deadline
	}
	return out
}

// runFindingStates opens the store, resolves a run reference (an ID or
// latest) and returns the run, its findings and the history entries by
// finding id.
func runFindingStates(dbPath, runRef string) (store.Run, []checks.Finding, map[string]store.HistoryEntry, error) {
	db, err := openRead(dbPath)
	if err != nil {
		return store.Run{}, nil, nil, err
	}
	defer db.Close()
	run, err := db.ResolveRun(runRef)
	if err != nil {
		return store.Run{}, nil, nil, fmt.Errorf("run %q: %w", runRef, err)
	}
	fs, err := db.Findings(run.ID)
	if err != nil {
		return store.Run{}, nil, nil, err
	}
	es, err := db.Entries()
	if err != nil {
		return store.Run{}, nil, nil, err
	}
	return run, fs, store.ByID(es), nil
}

// utf8BOM starts every CSV gkaudit writes, so that Excel on Chinese Windows
// reads it as UTF-8 rather than GBK.
const utf8BOM = "\ufeff"

func writeFindingsCSV(w io.Writer, fs []findingOut) error {
	if _, err := io.WriteString(w, utf8BOM); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Write([]string{"id", "unit", "check", "status", "subject", "url", "detail", "rule", "evidence_url", "fetched_at", "http_status", "sha256", "state", "deadline"})
	for _, f := range fs {
		fetched, deadline := "", ""
		if !f.Evidence.FetchedAt.IsZero() {
			fetched = f.Evidence.FetchedAt.Format(time.RFC3339)
		}
		if f.Deadline != nil {
			deadline = f.Deadline.Format(time.DateOnly)
		}
		cw.Write([]string{f.ID, f.Unit, f.Check, string(f.Status), f.Subject, f.URL, f.Detail, f.Rule,
			f.Evidence.URL, fetched, strconv.Itoa(f.Evidence.HTTPStatus), f.Evidence.SHA256, string(f.State), deadline})
	}
	cw.Flush()
	return cw.Error()
}

func writeFindingsTable(w io.Writer, fs []findingOut) {
	t := newTable(w, "ID", "UNIT", "CHECK", "STATUS", "STATE", "URL", "DETAIL")
	for _, f := range fs {
		t.row(f.ID, f.Unit, f.Check, string(f.Status), string(f.State), f.URL, clipRunes(f.Detail, 60))
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
