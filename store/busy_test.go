package store_test

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"gkaudit/store"
)

// Ensure that an Open that cannot get the lock says in Chinese who holds
// the file: the gkaudit serve run of the busy note while its process lives,
// another gkaudit process otherwise; and that the error is ErrLocked.
func TestOpen_ErrLockedNamesTheRun(t *testing.T) {
	path := filepath.Join(t.TempDir(), "gkaudit.db")
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	started := time.Date(2026, 12, 1, 18, 0, 0, 0, time.UTC) // 02:00 in Beijing
	tests := []struct {
		name string
		note *store.BusyNote
		want string
	}{
		{"no note", nil, "数据库文件正被另一个 gkaudit 进程占用，等待 1 秒后仍未释放，请稍后再试"},
		{"a live serve run", &store.BusyNote{PID: os.Getpid(), By: "gkaudit serve", Run: "000007", Started: started},
			"数据库文件正被 gkaudit serve（进程 " + strconv.Itoa(os.Getpid()) + "）的运行 000007 占用（开始于 2026-12-02 02:00:00），该运行结束后再试"},
		{"a note left by a dead process", &store.BusyNote{PID: 1 << 30, By: "gkaudit serve", Run: "000006", Started: started},
			"数据库文件正被另一个 gkaudit 进程占用"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := store.ClearBusyNote(path); err != nil {
				t.Fatal(err)
			}
			if tt.note != nil {
				if err := store.WriteBusyNote(path, *tt.note); err != nil {
					t.Fatal(err)
				}
			}
			_, err := store.Open(path)
			if !errors.Is(err, store.ErrLocked) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Open of a held file = %v, want ErrLocked saying %q", err, tt.want)
			}
		})
	}
	if err := store.ClearBusyNote(path); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + ".busy"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("note still there after ClearBusyNote: %v", err)
	}
}
