package main

import (
	"encoding/csv"
	"encoding/json"
	"flag"
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
	dbPath := fs.String("db", "", "bbolt 数据库文件（必填）")
	runRef := fs.String("run", "latest", "运行 ID，或 latest（最近一次）")
	cfgPath := fs.String("config", "", "含单位和考核指标的配置文件（默认：内置配置）")
	format := fs.String("format", "table", "table、json 或 csv")
	if code, ok := c.parse(fs, args); !ok {
		return code
	}
	if c.extraArgs("score", fs) {
		return exitUsage
	}
	if *dbPath == "" {
		return c.usageErr("score", "需要 --db")
	}
	switch *format {
	case "table", "json", "csv":
	default:
		return c.usageErr("score", "--format %q：只能是 table、json 或 csv", *format)
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return c.fail(err)
	}
	d, err := c.loadRun(*dbPath, *runRef, cfg)
	if err != nil {
		return c.fail(err)
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
		err = writeScoreTable(c.stdout, cards)
	}
	if err != nil {
		return c.fail(err)
	}
	return exitOK
}

// writeScoreTable prints one line per unit, by rank.
func writeScoreTable(w io.Writer, cards []score.Card) error {
	sorted := slices.Clone(cards)
	slices.SortStableFunc(sorted, func(a, b score.Card) int { return a.Rank - b.Rank })
	t := newTable(w, "名次", "单位", "名称", "客观分", "自动满分", "扣分", "待评项").flex(2)
	for _, c := range sorted {
		t.row(strconv.Itoa(c.Rank), c.Unit, c.Name, fmtPoints(c.Objective), fmtPoints(c.AutoMax),
			fmtPoints(-c.Deducted), strconv.Itoa(len(c.Pending)))
	}
	return t.flush()
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
func (c *cli) loadRun(dbPath, runRef string, cfg *config.Config) (rundata.Data, error) {
	db, err := c.openRead(dbPath)
	if err != nil {
		return rundata.Data{}, err
	}
	defer db.Close()
	return rundata.Read(db, runRef, cfg)
}
