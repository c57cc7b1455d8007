package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"gkaudit/cndate"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// BusyNote says who holds a store file for long (a gkaudit serve run), so
// that a command that cannot get the file's lock can tell the user why and
// for how long, instead of bbolt's bare "timeout". It lives beside the file
// (FILE.busy) only while the holder has it; the lock itself stays bbolt's.
type BusyNote struct {
	PID     int       `json:"pid"`
	By      string    `json:"by"`            // "gkaudit serve"
	Run     string    `json:"run,omitempty"` // the run in progress, once known
	Started time.Time `json:"started"`
}

func busyPath(path string) string { return path + ".busy" }

// WriteBusyNote records n beside the store file at path (written aside and
// renamed, so a reader never sees half a note).
func WriteBusyNote(path string, n BusyNote) error {
	raw, err := json.Marshal(n)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".busy-*")
	if err != nil {
		return fmt.Errorf("store: busy note: %w", err)
	}
	_, err = tmp.Write(raw)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), busyPath(path))
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("store: busy note: %w", err)
	}
	return nil
}

// ClearBusyNote removes the note beside the store file at path, if any.
func ClearBusyNote(path string) error {
	if err := os.Remove(busyPath(path)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("store: busy note: %w", err)
	}
	return nil
}

// LockedError is Open's error when another process held the lock for the
// whole wait (errors.Is(err, ErrLocked)). Holder is the busy note of the
// process holding the file, if it left a live one.
type LockedError struct {
	Path   string
	Wait   time.Duration
	Holder *BusyNote
	Err    error
}

func (e *LockedError) Unwrap() error { return e.Err }

func (e *LockedError) Error() string {
	if e.Holder == nil {
		return fmt.Sprintf("store: open %s: 数据库文件正被另一个 gkaudit 进程占用，等待 %s后仍未释放，请稍后再试: %v", e.Path, waitString(e.Wait), e.Err)
	}
	return fmt.Sprintf("store: open %s: 数据库文件正被 %s，该运行结束后再试: %v", e.Path, e.Holder.Describe(), e.Err)
}

// Describe says who holds the file, for people: "gkaudit serve（进程 12）的
// 运行 000007 占用（开始于 2026-12-02 02:00:00）".
func (n BusyNote) Describe() string {
	run := "" // gc, review, user: no run, or an audit not yet begun
	if n.Run != "" {
		run = "的运行 " + n.Run + " "
	}
	return fmt.Sprintf("%s（进程 %d）%s占用（开始于 %s）", n.By, n.PID, run, n.Started.In(cndate.Shanghai).Format("2006-01-02 15:04:05"))
}

// lockedError is Open's error when another process held the lock past the
// wait: with the busy note's holder named when there is a live one.
func lockedError(path string, wait time.Duration, err error) error {
	le := &LockedError{Path: path, Wait: wait, Err: err}
	raw, rerr := os.ReadFile(busyPath(path))
	var n BusyNote
	if rerr == nil && json.Unmarshal(raw, &n) == nil && n.PID > 0 && processAlive(n.PID) {
		le.Holder = &n
	}
	return le
}

// waitString writes a wait for people: "1 秒", "1.5 秒", "2 分钟".
func waitString(d time.Duration) string {
	if d >= time.Minute && d%time.Minute == 0 {
		return fmt.Sprintf("%d 分钟", d/time.Minute)
	}
	return strconv.FormatFloat(d.Seconds(), 'f', -1, 64) + " 秒"
}
