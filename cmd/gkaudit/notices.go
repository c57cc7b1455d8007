package main

import (
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gkaudit/config"
	"gkaudit/notice"
	"gkaudit/render"
	"gkaudit/rundata"
	"gkaudit/store"
)

func (c *cli) notices(args []string) int {
	fs := flag.NewFlagSet("notices", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	dbPath := fs.String("db", "", "bbolt 数据库文件（必填）")
	outDir := fs.String("out", "", "通知输出目录（必填，不存在则创建）")
	units := fs.String("units", "", "只为这些单位出通知：id,id（默认：所有有问题的单位）")
	asOf := fs.String("as-of", "", "通知日期 YYYY-MM-DD（默认：今天，北京时间）")
	issue := fs.Bool("issue", false, "正式印发：编文号，问题转为已通知并计算整改期限（不加则只生成草稿，不改变任何状态）")
	cfgPath := fs.String("config", "", "配置文件（默认：内置配置）")
	runRef := fs.String("run", "", "依据的运行 ID（默认：最近一次完整运行）")
	by := fs.String("by", "", "印发人（记入整改跟踪；默认：当前系统用户）")
	pdf := fs.Bool("pdf", true, "同时用 chromium 生成 PDF（未安装 chromium 时跳过并说明）")
	if code, ok := c.parse(fs, args); !ok {
		return code
	}
	if c.extraArgs("notices", fs) {
		return exitUsage
	}
	if *dbPath == "" || *outDir == "" {
		fmt.Fprintln(c.stderr, "gkaudit notices: 需要 --db 和 --out")
		return exitUsage
	}
	date, err := parseAsOf(*asOf)
	if err != nil {
		return c.usageErr("notices", "%v", err)
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return c.fail(err)
	}
	issuer := *by
	if issuer == "" {
		issuer = osUser()
	}

	open := c.openRead // a draft only reads
	if *issue {
		open = func(p string) (*store.DB, error) { return openWrite(p, "gkaudit notices --issue") }
	}
	db, err := open(*dbPath)
	if err != nil {
		return c.fail(err)
	}
	defer db.Close()
	ref := *runRef
	if ref == "" {
		r, err := db.LatestComplete("")
		if errors.Is(err, store.ErrNotFound) {
			return c.fail(fmt.Errorf("%s 中没有完整的运行：先运行 gkaudit audit", *dbPath))
		} else if err != nil {
			return c.fail(err)
		}
		ref = r.ID
	}
	d, err := rundata.Read(db, ref, cfg)
	if err != nil {
		return c.fail(err)
	}
	if !d.Run.Complete {
		return c.fail(fmt.Errorf("运行 %s 未完成（被中断），不能据此发通知：请指定一次完整运行", d.Run.ID))
	}
	selected := d.Units
	if *units != "" {
		selected = nil
		for _, id := range strings.Split(*units, ",") {
			id = strings.TrimSpace(id)
			if id == "" {
				continue
			}
			u, ok := findUnit(d.Units, id)
			if !ok {
				known := make([]string, len(d.Units))
				for i, u := range d.Units {
					known[i] = u.ID
				}
				return c.usageErr("notices", "%v", unknownUnit("--units", id, "运行 "+d.Run.ID+" ", known))
			}
			selected = append(selected, u)
		}
		if len(selected) == 0 {
			return c.usageErr("notices", "--units %q 没有列出任何单位：用逗号分隔单位 id；要为全部有问题的单位出通知就不加 --units", *units)
		}
	}
	written, err := writeNotices(db, d, cfg, selected, date, *issue, issuer, *outDir)
	if err != nil {
		return c.fail(err)
	}
	if len(written) == 0 {
		fmt.Fprintf(c.stdout, "运行 %s 中没有需要通知的问题（已通知、已整改或已驳回的问题不再列入）\n", d.Run.ID)
		return exitOK
	}
	state := "草稿（未印发，状态未改变；加 --issue 正式印发）"
	if *issue {
		state = "已印发，问题已转为已通知"
	}
	fmt.Fprintf(c.stdout, "%d 份通知，%s：\n", len(written), state)
	for _, p := range written {
		fmt.Fprintln(c.stdout, "  "+p)
	}
	if *pdf {
		c.noticePDFs(written)
	}
	return exitOK
}

// writeNotices plans the notices of the units in d's run, issues them when
// issue is set (as by), and writes their HTML to outDir; it returns the
// paths written.
func writeNotices(db *store.DB, d rundata.Data, cfg *config.Config, units []config.Unit, date time.Time, issue bool, by, outDir string) ([]string, error) {
	docs, err := rundata.Notices(db, d, cfg, units, date, issue, by)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return nil, err
	}
	var written []string
	for _, doc := range docs {
		path := filepath.Join(outDir, noticeFile(doc))
		if err := writeNotice(path, doc); err != nil {
			return written, err
		}
		written = append(written, path)
	}
	return written, nil
}

// noticePDFs prints each written notice to a PDF beside it, or says why not.
func (c *cli) noticePDFs(htmlPaths []string) {
	s, err := render.Start(c.ctx)
	if err != nil {
		fmt.Fprintf(c.stderr, "未生成 PDF：%v（HTML 可直接用浏览器打印）\n", err)
		return
	}
	defer s.Close()
	for _, p := range htmlPaths {
		abs, err := filepath.Abs(p)
		if err != nil {
			fmt.Fprintf(c.stderr, "未生成 PDF：%v\n", err)
			return
		}
		out := strings.TrimSuffix(p, ".html") + ".pdf"
		if err := s.PDF((&url.URL{Scheme: "file", Path: abs}).String(), out); err != nil {
			fmt.Fprintf(c.stderr, "未生成 PDF：%v\n", err)
			return
		}
		fmt.Fprintln(c.stdout, "  "+out)
	}
}

// noticeFile names a notice's file: unit, kind, and the number's year and
// sequence once issued ("xinqi-整改通知-草稿.html", "xinqi-催办通知-2020-3.html").
func noticeFile(d notice.Doc) string {
	kind := "整改通知"
	if d.Kind == notice.FollowUp {
		kind = "催办通知"
	}
	if d.Draft {
		return fmt.Sprintf("%s-%s-草稿.html", d.UnitID, kind)
	}
	clean := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>| `, r) {
			return '_'
		}
		return r
	}, d.Number)
	return fmt.Sprintf("%s-%s-%s.html", d.UnitID, kind, clean)
}

func writeNotice(path string, d notice.Doc) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := notice.Render(f, d); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func findUnit(units []config.Unit, id string) (config.Unit, bool) {
	for _, u := range units {
		if u.ID == id {
			return u, true
		}
	}
	return config.Unit{}, false
}

// osUser names who runs the command, for the audit log.
func osUser() string {
	for _, k := range []string{"SUDO_USER", "USER", "LOGNAME"} {
		if v := os.Getenv(k); v != "" {
			return v
		}
	}
	return "admin"
}
