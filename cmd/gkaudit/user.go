package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"golang.org/x/term"

	"gkaudit/cndate"
	"gkaudit/store"
	"gkaudit/web"
)

const userUsage = `用法：
  gkaudit user add NAME --role admin|reviewer|viewer --db FILE
  gkaudit user list --db FILE
  gkaudit user passwd NAME --db FILE
  gkaudit user disable NAME --db FILE

密码从终端读取（不回显，输入两次）；标准输入不是终端时读取第一行。
角色：viewer 查看者（只读），reviewer 审核员（评分、确认、驳回、重新打开），
admin 管理员（另可运行检查、印发通知、管理用户）。
`

// user manages the accounts of the reviewer UI: gkaudit user
// add|list|passwd|disable [NAME] --db FILE [--role R].
func (c *cli) user(args []string) int {
	if len(args) == 0 || !slices.Contains([]string{"add", "list", "passwd", "disable"}, args[0]) {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprint(c.stdout, userUsage)
			return exitOK
		}
		fmt.Fprint(c.stderr, userUsage)
		return exitUsage
	}
	sub := args[0]
	fs := flag.NewFlagSet("user "+sub, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	fs.Usage = func() { fmt.Fprint(c.stderr, userUsage); fs.PrintDefaults() }
	dbPath := fs.String("db", "", "bbolt 数据库文件（必填）")
	role := fs.String("role", "", "角色：admin、reviewer 或 viewer（add 必填）")
	// The name may come before the flags (user add 张三 --role admin) or after.
	rest := args[1:]
	var name string
	if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		name, rest = rest[0], rest[1:]
	}
	if code, ok := c.parse(fs, rest); !ok {
		return code
	}
	extra := fs.Args()
	if name == "" && len(extra) > 0 {
		name, extra = extra[0], extra[1:]
	}
	switch {
	case len(extra) > 0 || sub == "list" && name != "":
		stray := name
		if len(extra) > 0 {
			stray = extra[0]
		}
		fmt.Fprintf(c.stderr, "gkaudit user %s: 多余的参数 %q\n%s", sub, stray, userUsage)
		return exitUsage
	case *dbPath == "":
		fmt.Fprintf(c.stderr, "gkaudit user %s: 需要 --db：请指定审核网页所用的数据库文件\n", sub)
		return exitUsage
	case sub != "list" && name == "":
		fmt.Fprintf(c.stderr, "gkaudit user %s: 需要用户名\n%s", sub, userUsage)
		return exitUsage
	case sub == "add" && !slices.Contains(store.Roles(), *role):
		fmt.Fprintf(c.stderr, "gkaudit user add: --role 应为 admin、reviewer 或 viewer（管理员、审核员或查看者），不是 %q\n", *role)
		return exitUsage
	case sub != "add" && *role != "":
		fmt.Fprintf(c.stderr, "gkaudit user %s: --role 只用于 add：请去掉 --role\n", sub)
		return exitUsage
	}
	if sub != "add" {
		// Only add may create the file; the others need an existing one.
		if _, err := os.Stat(*dbPath); err != nil {
			return c.fail(storeError(*dbPath, err))
		}
	}
	var hash []byte
	if sub == "add" || sub == "passwd" {
		pw, err := c.readPassword(name)
		if err != nil {
			return c.failf("gkaudit user %s: %v", sub, err)
		}
		if hash, err = web.HashPassword(pw); err != nil {
			return c.failf("gkaudit user %s: %v", sub, err)
		}
	}
	open := func(p string) (*store.DB, error) { return openWrite(p, "gkaudit user "+sub) }
	if sub == "list" {
		open = c.openRead
	}
	db, err := open(*dbPath)
	if err != nil {
		return c.fail(err)
	}
	defer db.Close()
	switch sub {
	case "add":
		err = db.AddUser(store.User{Name: name, Role: *role, Hash: hash})
		if errors.Is(err, store.ErrUserExists) {
			return c.failf("gkaudit user add: 用户 %s 已存在（改密码用 gkaudit user passwd %s）", name, name)
		}
		// The store's rule, worded as the web UI words it.
		if err != nil && strings.Contains(err.Error(), "user name") {
			return c.failf("gkaudit user add: 用户名 %q 无效：应为 1 到 64 个字符，不含空格和 /", name)
		}
		if err == nil {
			err = db.LogAccount(osUser(), name, "命令行添加用户 "+name+"（"+store.RoleLabel(*role)+"）", time.Now())
		}
		if err == nil {
			fmt.Fprintf(c.stdout, "已添加用户 %s（%s）\n", name, store.RoleLabel(*role))
		}
	case "passwd":
		_, err = db.UpdateUser(name, func(u *store.User) error { u.Hash = hash; return nil })
		if err == nil {
			err = db.LogAccount(osUser(), name, "命令行修改用户 "+name+" 的密码", time.Now())
		}
		if err == nil {
			fmt.Fprintf(c.stdout, "已修改用户 %s 的密码（其登录会话将结束）\n", name)
		}
	case "disable":
		_, err = db.UpdateUser(name, func(u *store.User) error { u.Disabled = true; return nil })
		if err == nil {
			err = db.LogAccount(osUser(), name, "命令行停用用户 "+name, time.Now())
		}
		if err == nil {
			fmt.Fprintf(c.stdout, "已停用用户 %s（不能再登录，其登录会话将结束）\n", name)
		}
	case "list":
		var us []store.User
		if us, err = db.Users(); err == nil {
			t := newTable(c.stdout, "用户名", "角色", "状态", "创建时间", "最近修改")
			for _, u := range us {
				state := "正常"
				if u.Disabled {
					state = "已停用"
				}
				t.row(u.Name, store.RoleLabel(u.Role), state, u.Created.In(cndate.Shanghai).Format("2006-01-02 15:04"), u.Changed.In(cndate.Shanghai).Format("2006-01-02 15:04"))
			}
			t.flush()
		}
	}
	if errors.Is(err, store.ErrNotFound) {
		return c.failf("gkaudit user %s: 没有用户 %s（gkaudit user list 列出所有用户）", sub, name)
	}
	if err != nil {
		return c.failf("gkaudit user %s: %v", sub, err)
	}
	return exitOK
}

// readPassword reads a password: from the terminal without echo, asked
// twice; otherwise the first line of standard input (scripts, tests).
// Never from a flag, which would leave it in the shell history and ps.
func (c *cli) readPassword(name string) (string, error) {
	if f, ok := c.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprintf(c.stderr, "用户 %s 的密码（至少 %d 个字符）：", name, web.MinPasswordLen)
		p1, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(c.stderr)
		if err != nil {
			return "", fmt.Errorf("读取密码：%w", err)
		}
		fmt.Fprint(c.stderr, "再输入一次：")
		p2, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(c.stderr)
		if err != nil {
			return "", fmt.Errorf("读取密码：%w", err)
		}
		if string(p1) != string(p2) {
			return "", errors.New("两次输入的密码不一致")
		}
		return string(p1), nil
	}
	line, err := bufio.NewReader(c.stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", errors.New("标准输入中没有密码（在终端上运行，或从标准输入给出一行密码）")
	}
	return strings.TrimRight(line, "\r\n"), nil
}
