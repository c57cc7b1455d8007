package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"gkaudit/onboard"
)

const initUsage = `用法：gkaudit init --portal URL --out FILE [--config FILE] [--force]

读取区县门户网站的「政府信息公开」页面及其链接的部门、乡镇（街道）列表，按名称
找到每个单位的信息公开栏目，写出配置文件（units 的 url，共用门户主机的单位加 scope）。
单位名单取自 --config 文件，默认为内置配置的单位。找不到的单位列在标准错误上，
附门户上名称相近的链接；配置中它们没有 url，请补上后用 gkaudit config check 检查。
全部找到时退出码 0，有单位未找到时仍写出文件，退出码 1。

参数：
  --portal URL    门户网站「政府信息公开」页面的网址（也可以是首页，会跟随其中的
                  信息公开、部门信息公开、乡镇（街道）等链接）（必填）
  --out FILE      写出的配置文件（必填）；已存在时不覆盖，除非加 --force
  --config FILE   单位名单和抓取策略（crawl.allow_networks、delay、robots ...）取自此文件；
                  写出的文件是它的副本，其他设置和注释照录，units 换成找到的结果
  --force         覆盖已有的 --out 文件
`

func (c *cli) initCmd(args []string) int {
	fs := flag.NewFlagSet("init", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	fs.Usage = func() { fmt.Fprint(c.stderr, initUsage) }
	portal := fs.String("portal", "", "门户网站「政府信息公开」页面的网址（必填）")
	out := fs.String("out", "", "写出的配置文件（必填）")
	cfgPath := fs.String("config", "", "单位名单取自这个配置文件（默认：内置配置）")
	force := fs.Bool("force", false, "覆盖已有的 --out 文件")
	if code, ok := c.parse(fs, args); !ok {
		return code
	}
	if c.extraArgs("init", fs) {
		return exitUsage
	}
	switch {
	case *portal == "":
		return c.usageErr("init", "需要 --portal：门户网站「政府信息公开」页面的网址，如 http://www.bl.gov.cn/col/col1229116/index.html")
	case !httpURL(*portal):
		return c.usageErr("init", "--portal %q 不是完整的 http(s) 网址：请写成以 http:// 或 https:// 开头、带域名的网址", *portal)
	case *out == "":
		return c.usageErr("init", "需要 --out：写出的配置文件，如 --out district.yaml")
	}
	if _, err := os.Stat(*out); err == nil && !*force {
		return c.fail(fmt.Errorf("%s 已存在：加 --force 覆盖它，或换一个 --out 文件名", *out))
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return c.fail(err)
	}
	res, err := onboard.Discover(c.ctx, *portal, cfg.Units, onboard.Options{
		Crawl:    cfg.Crawl,
		District: cfg.District,
		Progress: func(msg string) { fmt.Fprintf(c.stderr, "gkaudit init: %s\n", termSafe(msg, false)) },
	})
	if err != nil {
		if c.wasInterrupted(err) {
			fmt.Fprintln(c.stderr, "gkaudit init: 已中断，没有写出配置文件")
			return interruptExit(c.ctx)
		}
		return c.fail(err)
	}
	var src []byte // the user's file, rewritten with its units replaced
	if *cfgPath != "" {
		if src, err = os.ReadFile(*cfgPath); err != nil {
			return c.fail(fmt.Errorf("读取 %s：%w", *cfgPath, err))
		}
	}
	data, err := onboard.Render(cfg, res, *portal, time.Now(), src)
	if err != nil {
		return c.fail(err)
	}
	if err := writeNew(*out, data, *force); err != nil {
		return c.fail(err)
	}
	fmt.Fprintf(c.stdout, "已写出 %s：%d 个单位中找到 %d 个，未找到 %d 个\n", *out, len(res.Units), len(res.Found), len(res.Missing))
	for _, f := range res.Found {
		how := ""
		switch {
		case f.ByTitle:
			how = "（链接文字不含名称，按页面标题“" + f.Text + "”认出）"
		case f.Home != "":
			how = "（门户链接到网站首页 " + f.Home + "，取其中的信息公开栏目）"
		}
		scope := ""
		if len(f.Unit.Scope) > 0 {
			scope = " scope " + f.Unit.Scope[0]
		}
		fmt.Fprintf(c.stdout, "  %s %s %s%s%s\n", padWidth(f.Unit.ID, 24), padWidth(termSafe(f.Unit.Name, false), 24), f.Unit.URL, scope, termSafe(how, false))
	}
	if len(res.Missing) == 0 {
		return exitOK
	}
	if len(res.Pages) == 1 {
		fmt.Fprintf(c.stderr, "gkaudit init: 只读了 %s 一个页面：如门户另有「政府信息公开」或「乡镇（街道）信息公开」页面，请用 --portal 指向它再试\n", termSafe(res.Pages[0], false))
	}
	fmt.Fprintf(c.stderr, "gkaudit init: %d 个单位没有找到。请在门户上找到各自的信息公开栏目，把网址填入 %s，再运行 gkaudit config check %s：\n", len(res.Missing), *out, *out)
	for _, m := range res.Missing {
		fmt.Fprintf(c.stderr, "  %s（%s）：%s", m.Unit.Name, m.Unit.ID, termSafe(m.Reason, false))
		if m.Unit.URL != "" {
			fmt.Fprintf(c.stderr, "；保留了 --config 中原有的 url %s，请核对", m.Unit.URL)
		}
		if len(m.Candidates) == 0 {
			fmt.Fprint(c.stderr, "；门户上没有名称相近的链接")
		} else {
			fmt.Fprint(c.stderr, "；名称相近的链接：")
			for i, cand := range m.Candidates {
				if i > 0 {
					fmt.Fprint(c.stderr, "；")
				}
				fmt.Fprintf(c.stderr, "%s %s", termSafe(cand.Name, false), termSafe(cand.URL, false))
			}
		}
		fmt.Fprintln(c.stderr)
	}
	return exitError
}

func httpURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// writeNew writes data to path through a temporary file in its directory,
// so that a failed write leaves no half file. Without force an existing
// path is left alone, even one created since the check at the start.
func writeNew(path string, data []byte, force bool) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".gkaudit-init-*.yaml")
	if err != nil {
		return fmt.Errorf("写出 %s：%w", path, err)
	}
	name := tmp.Name()
	defer os.Remove(name)
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("写出 %s：%w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("写出 %s：%w", path, err)
	}
	if err := os.Chmod(name, 0o644); err != nil {
		return fmt.Errorf("写出 %s：%w", path, err)
	}
	if force {
		if err := os.Rename(name, path); err != nil {
			return fmt.Errorf("写出 %s：%w", path, err)
		}
		return nil
	}
	if err := os.Link(name, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s 已存在：加 --force 覆盖它，或换一个 --out 文件名", path)
		}
		return fmt.Errorf("写出 %s：%w", path, err)
	}
	return nil
}
