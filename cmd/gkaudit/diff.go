package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"gkaudit/store"
)

func (c *cli) diff(args []string) int {
	fs := flag.NewFlagSet("diff", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	dbPath := fs.String("db", "", "bbolt database file (required)")
	fromRef := fs.String("from", "", "earlier run ID (default: the complete run before --to)")
	toRef := fs.String("to", "", "later run ID (default: the newest complete run)")
	format := fs.String("format", "table", "table or json")
	if err := fs.Parse(args); err != nil {
		return parseExit(err)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(c.stderr, "gkaudit diff: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	if *dbPath == "" {
		fmt.Fprintln(c.stderr, "gkaudit diff: --db is required")
		return exitUsage
	}
	if *format != "table" && *format != "json" {
		fmt.Fprintf(c.stderr, "gkaudit diff: --format %q: want table or json\n", *format)
		return exitUsage
	}
	db, err := openRead(*dbPath)
	if err != nil {
		return c.fail(err)
	}
	defer db.Close()

	var to, from store.Run
	if *toRef != "" {
		to, err = db.ResolveRun(*toRef)
	} else {
		to, err = db.LatestComplete("")
	}
	if err != nil {
		return c.fail(diffRunErr("--to", *toRef, err))
	}
	if *fromRef != "" {
		from, err = db.ResolveRun(*fromRef)
	} else {
		from, err = db.LatestComplete(to.ID)
	}
	if err != nil {
		return c.fail(diffRunErr("--from", *fromRef, err))
	}
	for _, r := range []store.Run{from, to} {
		if !r.Complete {
			fmt.Fprintf(c.stderr, "note: run %s is incomplete (interrupted): units it did not finish may show as fixed or new\n", r.ID)
		}
	}
	d, err := db.Diff(from.ID, to.ID)
	if err != nil {
		return c.fail(err)
	}
	if *format == "json" {
		err = writeDiffJSON(c.stdout, d)
	} else {
		writeDiffTable(c.stdout, d)
	}
	if err != nil {
		return c.fail(err)
	}
	return exitOK
}

func diffRunErr(flagName, ref string, err error) error {
	if ref == "" && errors.Is(err, store.ErrNotFound) {
		return errors.New("diff needs two complete runs; give --from and --to to compare others")
	}
	return fmt.Errorf("%s %q: %w", flagName, ref, err)
}

// diffJSON is one entry of `gkaudit diff --format json`.
type diffJSON struct {
	Unit         string     `json:"unit"`
	Check        string     `json:"check"`
	Subject      string     `json:"subject"`
	URL          string     `json:"url"`
	Detail       string     `json:"detail"`
	FirstSeen    *time.Time `json:"first_seen"` // null when it never failed in a complete run
	FirstSeenRun string     `json:"first_seen_run,omitempty"`
}

func writeDiffJSON(w io.Writer, d store.RunDiff) error {
	conv := func(es []store.DiffEntry) []diffJSON {
		out := make([]diffJSON, 0, len(es))
		for _, e := range es {
			j := diffJSON{Unit: e.Finding.Unit, Check: e.Finding.Check, Subject: e.Finding.Subject,
				URL: e.Finding.URL, Detail: e.Finding.Detail, FirstSeenRun: e.FirstSeen.Run}
			if !e.FirstSeen.IsZero() {
				at := e.FirstSeen.At
				j.FirstSeen = &at
			}
			out = append(out, j)
		}
		return out
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(struct {
		From       string     `json:"from"`
		To         string     `json:"to"`
		New        []diffJSON `json:"new"`
		Fixed      []diffJSON `json:"fixed"`
		Persisting []diffJSON `json:"persisting"`
		Unchecked  []diffJSON `json:"unchecked"`
	}{d.From.ID, d.To.ID, conv(d.New), conv(d.Fixed), conv(d.Persisting), conv(d.Unchecked)})
}

func writeDiffTable(w io.Writer, d store.RunDiff) {
	fmt.Fprintf(w, "run %s (%s) -> run %s (%s): %d new, %d fixed, %d persisting",
		d.From.ID, runDate(d.From), d.To.ID, runDate(d.To), len(d.New), len(d.Fixed), len(d.Persisting))
	if len(d.Unchecked) > 0 {
		fmt.Fprintf(w, ", %d could not be checked", len(d.Unchecked))
	}
	fmt.Fprintln(w)
	if len(d.New)+len(d.Fixed)+len(d.Persisting)+len(d.Unchecked) == 0 {
		return
	}
	fmt.Fprintln(w)
	t := newTable(w, "CHANGE", "UNIT", "CHECK", "URL", "DETAIL", "FIRST SEEN")
	for _, part := range []struct {
		name string
		es   []store.DiffEntry
	}{{"new", d.New}, {"fixed", d.Fixed}, {"persisting", d.Persisting}, {"unchecked", d.Unchecked}} {
		for _, e := range part.es {
			first := "-"
			if !e.FirstSeen.IsZero() {
				first = e.FirstSeen.At.In(shanghai).Format(time.DateOnly)
			}
			t.row(part.name, e.Finding.Unit, e.Finding.Check, e.Finding.URL, clipRunes(e.Finding.Detail, 60), first)
		}
	}
	t.flush()
}

// runDate is the day a run started, in Asia/Shanghai.
func runDate(r store.Run) string { return r.Started.In(shanghai).Format(time.DateOnly) }
