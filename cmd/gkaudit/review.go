package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"slices"
	"time"

	"gkaudit/cndate"
	"gkaudit/store"
)

// review records a reviewer's decision on a finding: gkaudit review
// confirm|dismiss|reopen --db F --finding ID --reason R [--by NAME].
func (c *cli) review(args []string) int {
	const reviewUsage = "用法: gkaudit review confirm|dismiss|reopen --db FILE --finding ID --reason 理由 [--by 审核人]"
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
		fmt.Fprintln(c.stdout, reviewUsage)
		return exitOK
	}
	if len(args) == 0 || (args[0] != "confirm" && args[0] != "dismiss" && args[0] != "reopen") {
		fmt.Fprintln(c.stderr, reviewUsage)
		return exitUsage
	}
	action := args[0]
	fs := flag.NewFlagSet("review "+action, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	dbPath := fs.String("db", "", "bbolt 数据库文件（必填）")
	id := fs.String("finding", "", "问题编号（findings --format json 的 id，必填）")
	why := fs.String("reason", "", "理由（驳回和重新打开必填）")
	by := fs.String("by", "", "审核人（默认：当前系统用户）")
	if code, ok := c.parse(fs, args[1:]); !ok {
		return code
	}
	if c.extraArgs("review "+action, fs) {
		return exitUsage
	}
	if *dbPath == "" || *id == "" {
		fmt.Fprintf(c.stderr, "gkaudit review %s: 需要 --db 和 --finding\n", action)
		return exitUsage
	}
	if !findingIDPattern.MatchString(*id) {
		return c.usageErr("review "+action, "--finding %q 不是问题编号（12 位十六进制，见 gkaudit findings 的问题编号列）", *id)
	}
	who := *by
	if who == "" {
		who = osUser()
	}
	db, err := openWrite(*dbPath, "gkaudit review")
	if err != nil {
		return c.fail(err)
	}
	defer db.Close()
	var e store.HistoryEntry
	switch action {
	case "confirm":
		e, err = db.Confirm(*id, who, *why, time.Now())
	case "dismiss":
		e, err = db.Dismiss(*id, who, *why, time.Now())
	case "reopen":
		e, err = db.Reopen(*id, who, *why, time.Now())
	}
	switch {
	case errors.Is(err, store.ErrReasonRequired):
		fmt.Fprintf(c.stderr, "gkaudit review %s: 请用 --reason 说明理由（记入整改跟踪）\n", action)
		return exitUsage
	case errors.Is(err, store.ErrNotFound):
		return c.fail(fmt.Errorf("问题 %s 不存在：编号见 gkaudit findings --format json 的 id（只有在完整运行中不合格过的问题才有记录）", *id))
	case errors.Is(err, store.ErrTransition):
		cur, _ := db.Entry(*id)
		return c.fail(fmt.Errorf("问题 %s 当前为“%s”，不能%s", *id, cur.State.Label(), map[string]string{
			"confirm": "确认（只能确认待整改、已通知、已逾期的问题）",
			"dismiss": "驳回（只能驳回待整改、已通知、已逾期的问题）",
			"reopen":  "重新打开（只能重新打开已驳回或已整改的问题）",
		}[action]))
	case err != nil:
		return c.fail(err)
	}
	fmt.Fprintf(c.stdout, "问题 %s（%s %s）：%s\n", e.ID, e.Unit, e.Check, e.State.Label())
	return exitOK
}

// events prints the lifecycle log: gkaudit events --db F [--finding ID]
// [--unit U] [--format table|json].
func (c *cli) events(args []string) int {
	fs := flag.NewFlagSet("events", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	dbPath := fs.String("db", "", "bbolt 数据库文件（必填）")
	id := fs.String("finding", "", "只看这个问题")
	unit := fs.String("unit", "", "只看这个单位")
	format := fs.String("format", "table", "table 或 json")
	if code, ok := c.parse(fs, args); !ok {
		return code
	}
	if c.extraArgs("events", fs) {
		return exitUsage
	}
	if *dbPath == "" || (*format != "table" && *format != "json") {
		fmt.Fprintln(c.stderr, "gkaudit events: 需要 --db；--format 为 table 或 json")
		return exitUsage
	}
	if *id != "" && !findingIDPattern.MatchString(*id) {
		return c.usageErr("events", "--finding %q 不是问题编号（12 位十六进制，见 gkaudit findings 的问题编号列）", *id)
	}
	db, err := c.openRead(*dbPath)
	if err != nil {
		return c.fail(err)
	}
	defer db.Close()
	evs, err := db.Events(store.EventFilter{Finding: *id, Unit: *unit})
	if err != nil {
		return c.fail(err)
	}
	if len(evs) == 0 && *unit != "" {
		// No events for the unit: a misspelt id would otherwise print an
		// empty table. A unit some run audited just has none yet.
		runs, err := db.Runs()
		if err != nil {
			return c.fail(err)
		}
		var known []string
		for _, r := range runs {
			for _, u := range r.Units {
				if !slices.Contains(known, u) {
					known = append(known, u)
				}
			}
		}
		if !slices.Contains(known, *unit) {
			slices.Sort(known)
			return c.usageErr("events", "%v", unknownUnit("--unit", *unit, "所有运行", known))
		}
	}
	if *format == "json" {
		enc := json.NewEncoder(c.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if evs == nil {
			evs = []store.Event{}
		}
		if err := enc.Encode(evs); err != nil {
			return c.fail(err)
		}
		return exitOK
	}
	t := newTable(c.stdout, "时间", "问题编号", "单位", "检查项", "操作", "状态", "操作人", "说明").flexWrap(7, 5)
	for _, ev := range evs {
		change := ev.To.Label()
		if ev.From != ev.To && ev.From != "" {
			change = ev.From.Label() + "→" + change
		}
		t.row(ev.At.In(cndate.Shanghai).Format("2006-01-02 15:04"), ev.Finding, ev.Unit, ev.Check, ev.ActionLabel(), change, ev.ByLabel(), ev.Why)
	}
	if err := t.flush(); err != nil {
		return c.fail(err)
	}
	return exitOK
}
