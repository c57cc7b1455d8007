package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"gkaudit/store"
)

// How long a command waits for another process's lock on the store file
// (GKAUDIT_WAIT, a Go duration such as 30s or 2m) before saying who holds it.
const (
	waitEnv     = "GKAUDIT_WAIT"
	defaultWait = 5 * time.Second
)

// storeWait is the lock wait GKAUDIT_WAIT asks for.
func storeWait() (time.Duration, error) {
	s := os.Getenv(waitEnv)
	if s == "" {
		return defaultWait, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%s=%q 不是有效的等待时长；请写成 30s、2m 这样的 Go 时长", waitEnv, s)
	}
	if d == 0 {
		d = time.Millisecond // "don't wait": bbolt's 0 would wait forever
	}
	return d, nil
}

// openRead opens the store for a command that only reads: read-only with
// a shared lock, so it runs beside other readers and never creates,
// migrates or changes the file; bbolt's consistency check runs first.
func (c *cli) openRead(path string) (*store.DB, error) {
	wait, err := storeWait()
	if err != nil {
		return nil, err
	}
	db, err := store.OpenWith(path, store.Options{ReadOnly: true, Wait: wait, Verify: true, Notices: c.stderr})
	if err != nil {
		return nil, storeError(path, err)
	}
	return db, nil
}

// openWrite opens the store for a command that writes (holder names it in
// the FILE.busy note, "gkaudit audit"): it creates a missing file and
// upgrades an older schema, and checks the file before writing anything.
func openWrite(path, holder string) (*store.DB, error) {
	wait, err := storeWait()
	if err != nil {
		return nil, err
	}
	db, err := store.OpenWith(path, store.Options{Wait: wait, Verify: true, Holder: holder})
	if err != nil {
		return nil, storeError(path, err)
	}
	return db, nil
}

// storeErr is an error whose text is the whole one-line message.
type storeErr struct {
	msg string
	err error
}

func (e *storeErr) Error() string { return e.msg }
func (e *storeErr) Unwrap() error { return e.err }

// storeError turns a store error into the one line a person can act on;
// other errors pass unchanged. c.fail uses it too, for damage found while
// reading.
func storeError(path string, err error) error {
	if err == nil {
		return nil
	}
	var se *storeErr
	if errors.As(err, &se) {
		return se
	}
	var de *store.DamagedError
	var le *store.LockedError
	var msg string
	switch {
	case errors.As(err, &de):
		if de.Path != "" {
			path = de.Path
		}
		msg = fmt.Sprintf("%s 已损坏：%s；请从备份恢复，或运行 gkaudit check --db %s 查看详情", path, de.What, path)
	case errors.As(err, &le):
		if le.Holder != nil {
			msg = fmt.Sprintf("%s 正被 %s，已等待 %s；请等它结束后再试，或用环境变量 %s 加长等待（如 %s=10m）",
				le.Path, le.Holder.Describe(), waitText(le.Wait), waitEnv, waitEnv)
		} else {
			msg = fmt.Sprintf("%s 正被另一个 gkaudit 进程占用，已等待 %s；请稍后再试，或用环境变量 %s 加长等待（如 %s=10m）",
				le.Path, waitText(le.Wait), waitEnv, waitEnv)
		}
	case path == "":
		return err
	case errors.Is(err, fs.ErrNotExist):
		msg = fmt.Sprintf("%s 不存在；请检查 --db 路径", path)
	case errors.Is(err, store.ErrForeign):
		msg = fmt.Sprintf("%s 不是 gkaudit 数据库；请检查 --db 路径（gkaudit 不会改动这个文件）", path)
	case errors.Is(err, store.ErrSchemaOlder):
		msg = fmt.Sprintf("%s 是旧版 gkaudit 的格式，只读命令不会升级它；请先备份，再运行一次写入命令（如 gkaudit audit）自动升级", path)
	case errors.Is(err, store.ErrSchemaNewer):
		msg = fmt.Sprintf("%s 由更新版本的 gkaudit 写入，本程序读不了；请升级 gkaudit", path)
	case errors.Is(err, fs.ErrPermission):
		msg = fmt.Sprintf("%s 无权访问（只读命令需要读权限，写入命令还需要写权限）；请检查文件权限，或换一个有权限的用户运行", path)
	default:
		return err
	}
	return &storeErr{msg: msg, err: err}
}

// waitText writes a wait for people: "5 秒", "2 分钟".
func waitText(d time.Duration) string {
	if d >= time.Minute && d%time.Minute == 0 {
		return fmt.Sprintf("%d 分钟", d/time.Minute)
	}
	return fmt.Sprintf("%g 秒", d.Seconds())
}
