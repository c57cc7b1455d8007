package main

import (
	"flag"
	"fmt"
	"os"

	"gkaudit/store"
)

func (c *cli) gc(args []string) int {
	fs := flag.NewFlagSet("gc", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	dbPath := fs.String("db", "", "bbolt database file (required; must not be open elsewhere)")
	keep := fs.Int("keep", 0, "number of newest complete runs to keep (required, at least 1); interrupted runs older than the oldest kept one are removed")
	if err := fs.Parse(args); err != nil {
		return parseExit(err)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(c.stderr, "gkaudit gc: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	if *dbPath == "" {
		fmt.Fprintln(c.stderr, "gkaudit gc: --db is required")
		return exitUsage
	}
	if *keep < 1 {
		fmt.Fprintf(c.stderr, "gkaudit gc: --keep %d: want at least 1\n", *keep)
		return exitUsage
	}
	wait, err := storeWait()
	if err != nil {
		return c.fail(err)
	}
	if _, err := os.Stat(*dbPath); err != nil {
		return c.fail(storeError(*dbPath, err))
	}
	rep, err := store.GCWith(*dbPath, *keep, store.Options{Wait: wait, Holder: "gkaudit gc"})
	if err != nil {
		return c.fail(storeError(*dbPath, err))
	}
	for _, r := range rep.Removed {
		state := "complete"
		if !r.Complete {
			state = "incomplete"
		}
		fmt.Fprintf(c.stdout, "removed run %s (%s, %s, %d pages, %d findings)\n", r.ID, runDate(r), state, r.Pages, r.Findings)
	}
	fmt.Fprintf(c.stdout, "removed %d runs, %d snapshots, %d pages, %d findings, %d unreferenced bodies; kept the newest %d complete runs, the interrupted runs after them, and all history\n",
		len(rep.Removed), rep.Snapshots, rep.Pages, rep.Findings, rep.Bodies, *keep)
	fmt.Fprintf(c.stdout, "file size %s -> %s\n", sizeString(rep.SizeBefore), sizeString(rep.SizeAfter))
	return exitOK
}

// sizeString prints a byte count for people: "12.3 MiB (12896256 bytes)".
func sizeString(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d bytes", n)
	}
	v, suffix := float64(n)/unit, "KiB"
	for _, s := range []string{"MiB", "GiB"} {
		if v < unit {
			break
		}
		v, suffix = v/unit, s
	}
	return fmt.Sprintf("%.1f %s (%d bytes)", v, suffix, n)
}
