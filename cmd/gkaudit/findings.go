package main

import (
	"encoding/csv"
	"encoding/json"
	"flag"
	"io"
	"slices"
	"strconv"
	"time"

	"gkaudit/checks"
	"gkaudit/rundata"
	"gkaudit/store"
)

func (c *cli) findings(args []string) int {
	fs := flag.NewFlagSet("findings", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	dbPath := fs.String("db", "", "bbolt 数据库文件（必填）")
	runRef := fs.String("run", "latest", "运行 ID，或 latest（最近一次）")
	format := fs.String("format", "table", "json、csv 或 table")
	unit := fs.String("unit", "", "只看这个单位 id")
	check := fs.String("check", "", "只看这个检查项 ID（gkaudit checks 列出全部）")
	status := fs.String("status", "", "只看这个结果：pass、fail、na、error（或 通过、不合格、无法判断、出错）")
	if code, ok := c.parse(fs, args); !ok {
		return code
	}
	if c.extraArgs("findings", fs) {
		return exitUsage
	}
	if *dbPath == "" {
		return c.usageErr("findings", "需要 --db")
	}
	switch *format {
	case "json", "csv", "table":
	default:
		return c.usageErr("findings", "--format %q：只能是 json、csv 或 table", *format)
	}
	var want checks.Status
	if *status != "" {
		st, err := parseStatus(*status)
		if err != nil {
			return c.usageErr("findings", "%v", err)
		}
		want = st
	}
	run, all, entries, err := c.runFindingStates(*dbPath, *runRef)
	if err != nil {
		return c.fail(err)
	}
	if *check != "" {
		known := checkIDs()
		for _, f := range all {
			if !slices.Contains(known, f.Check) {
				known = append(known, f.Check)
			}
		}
		if !slices.ContainsFunc(known, func(id string) bool { return matchCheck(*check, id) }) {
			return c.usageErr("findings", "%v", unknownCheck("--check", *check, known))
		}
	}
	if *unit != "" {
		known := runUnits(run, all)
		if !slices.Contains(known, *unit) {
			return c.usageErr("findings", "%v", unknownUnit("--unit", *unit, "运行 "+run.ID+" ", known))
		}
	}
	out := make([]findingOut, 0, len(all))
	for _, f := range all {
		if (*unit == "" || f.Unit == *unit) && (*check == "" || matchCheck(*check, f.Check)) && (want == "" || f.Status == want) {
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
		if err := writeFindingsTable(c.stdout, out); err != nil {
			return c.fail(err)
		}
	}
	return exitOK
}

// runUnits is the unit ids of a run: those it was started on, and any its
// findings name besides, sorted.
func runUnits(run store.Run, fs []checks.Finding) []string {
	ids := slices.Clone(run.Units)
	for _, f := range fs {
		if !slices.Contains(ids, f.Unit) {
			ids = append(ids, f.Unit)
		}
	}
	slices.Sort(ids)
	return ids
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
func (c *cli) runFindingStates(dbPath, runRef string) (store.Run, []checks.Finding, map[string]store.HistoryEntry, error) {
	db, err := c.openRead(dbPath)
	if err != nil {
		return store.Run{}, nil, nil, err
	}
	defer db.Close()
	run, err := db.ResolveRun(runRef)
	if err != nil {
		return store.Run{}, nil, nil, rundata.RunRefError(runRef, err)
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

func writeFindingsTable(w io.Writer, fs []findingOut) error {
	t := newTable(w, "问题编号", "单位", "检查项", "结果", "整改状态", "网址", "说明").flexURL(5).flexWrap(6)
	for _, f := range fs {
		state := ""
		if f.State != "" {
			state = f.State.Label()
		}
		t.row(f.ID, f.Unit, f.Check, f.Status.Label(), state, f.URL, f.Detail)
	}
	return t.flush()
}
