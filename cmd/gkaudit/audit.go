package main

import (
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gkaudit/audit"
	"gkaudit/config"
	"gkaudit/store"
)

// shanghai is the zone the rules count days in.
var shanghai = time.FixedZone("CST", 8*3600)

func (c *cli) audit(args []string) int {
	fs := flag.NewFlagSet("audit", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	cfgPath := fs.String("config", "", "config file (default: the built-in district)")
	dbPath := fs.String("db", "", "bbolt database file (required with --config; a temporary one with --url)")
	unitList := fs.String("units", "", "comma-separated unit ids to audit (default: all)")
	asOfStr := fs.String("as-of", "", "date the rules are judged at, YYYY-MM-DD (default: today in Asia/Shanghai)")
	siteURL := fs.String("url", "", "audit this one site without a config file")
	name := fs.String("name", "", "with --url: the unit's name")
	full := fs.Bool("full", false, "fetch every page in full (default: conditional GET of the pages the previous complete run stored)")
	shardFlag := fs.String("shard", "", "K/N: audit shard K of N only (units on one host stay in one shard); gkaudit merge combines the shards")
	if err := fs.Parse(args); err != nil {
		return parseExit(err)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(c.stderr, "gkaudit audit: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	asOf, err := parseAsOf(*asOfStr)
	if err != nil {
		fmt.Fprintf(c.stderr, "gkaudit audit: %v\n", err)
		return exitUsage
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return c.fail(err)
	}

	var units []config.Unit
	switch {
	case *siteURL != "":
		if *unitList != "" {
			fmt.Fprintln(c.stderr, "gkaudit audit: --units and --url exclude each other")
			return exitUsage
		}
		u, err := url.Parse(*siteURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			fmt.Fprintf(c.stderr, "gkaudit audit: --url %q is not an absolute http(s) URL\n", *siteURL)
			return exitUsage
		}
		unitName := *name
		if unitName == "" {
			unitName = u.Host
		}
		unit := config.Unit{ID: "site", Name: unitName, Kind: config.KindDepartment, URL: *siteURL}
		cfg.Units = []config.Unit{unit}
		units = cfg.Units
		if *dbPath == "" {
			dir, err := os.MkdirTemp("", "gkaudit-")
			if err != nil {
				return c.fail(err)
			}
			*dbPath = filepath.Join(dir, "audit.db")
		}
	case *dbPath == "":
		fmt.Fprintln(c.stderr, "gkaudit audit: --db is required (or use --url for a one-site check)")
		return exitUsage
	default:
		units, err = selectUnits(cfg, *unitList)
		if err != nil {
			fmt.Fprintf(c.stderr, "gkaudit audit: %v\n", err)
			return exitUsage
		}
	}

	var res audit.Result
	if *shardFlag != "" {
		res, err = c.runShard(cfg, *shardFlag, *siteURL != "" || *unitList != "", asOf, *dbPath, *full)
	} else {
		res, err = c.runAudit(cfg, units, asOf, *dbPath, "", *full)
	}
	if err != nil {
		return c.auditFail(err)
	}
	if *siteURL != "" {
		_, fsList, entries, err := runFindingStates(*dbPath, res.Run.ID)
		if err != nil {
			return c.fail(err)
		}
		out := make([]findingOut, len(fsList))
		for i, f := range fsList {
			out[i] = withState(f, entries)
		}
		writeFindingsTable(c.stdout, out)
	} else {
		writeUnitTable(c.stdout, res)
	}
	fmt.Fprintf(c.stdout, "\nrun %s written to %s\n%s\n", res.Run.ID, *dbPath, fetchSummary(res))
	return exitOK
}

// fetchSummary is the line that says what a run fetched: pages, bytes
// received, and how many pages the servers answered 304 Not Modified.
func fetchSummary(res audit.Result) string {
	pages, notMod, carried := 0, 0, 0
	var bytes int64
	for _, u := range res.Units {
		pages += u.Pages
		notMod += u.NotModified
		carried += u.Carried
		bytes += u.Bytes
	}
	return fmt.Sprintf("run %s fetched %d pages, %d bytes, %d not modified (304), %d carried forward", res.Run.ID, pages, bytes, notMod, carried)
}

// runAudit opens the store and runs one audit with terminal progress.
func (c *cli) runAudit(cfg *config.Config, units []config.Unit, asOf time.Time, dbPath, note string, full bool) (audit.Result, error) {
	db, err := store.Open(dbPath)
	if err != nil {
		return audit.Result{}, err
	}
	defer db.Close()
	prog := newProgress(c.stderr)
	res, err := audit.Run(c.ctx, audit.Options{Config: cfg, Units: units, AsOf: asOf, DB: db, Note: note, Progress: prog.event, Full: full})
	prog.done()
	return res, err
}

// selectUnits picks the units named in a comma-separated list, in config order.
func selectUnits(cfg *config.Config, list string) ([]config.Unit, error) {
	if list == "" {
		return cfg.Units, nil
	}
	want := map[string]bool{}
	for _, id := range strings.Split(list, ",") {
		id = strings.TrimSpace(id)
		if id == "" {
			continue
		}
		if _, ok := cfg.UnitByID(id); !ok {
			return nil, fmt.Errorf("--units: no unit %q in the config", id)
		}
		want[id] = true
	}
	var out []config.Unit
	for _, u := range cfg.Units {
		if want[u.ID] {
			out = append(out, u)
		}
	}
	return out, nil
}

// parseAsOf parses YYYY-MM-DD in Asia/Shanghai; empty means today there.
func parseAsOf(s string) (time.Time, error) {
	if s == "" {
		return audit.Today(time.Now()), nil
	}
	t, err := time.ParseInLocation("2006-01-02", s, shanghai)
	if err != nil {
		return time.Time{}, fmt.Errorf("--as-of %q: want YYYY-MM-DD", s)
	}
	return t, nil
}

// writeUnitTable prints one line per audited unit.
func writeUnitTable(w io.Writer, res audit.Result) {
	tw := newTable(w, "UNIT", "NAME", "PAGES", "ERRORS", "FAILING CHECKS")
	for _, u := range res.Units {
		if u.Unit.ID == "" {
			continue
		}
		failing := strings.Join(u.Failing, ",")
		if failing == "" {
			failing = "-"
		}
		tw.row(u.Unit.ID, u.Unit.Name, fmt.Sprint(u.Pages), fmt.Sprint(u.Errors), failing)
	}
	tw.flush()
}
