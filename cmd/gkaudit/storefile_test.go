package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"gkaudit/checks"
	"gkaudit/config"
	"gkaudit/internal/testutil"
	"gkaudit/site"
	"gkaudit/store"
)

// fileDB writes a store with two complete runs of two units, each with 40
// pages of incompressible bodies and a few findings, and returns its path.
func fileDB(t *testing.T) string {
	t.Helper()
	return testutil.MustWriteStore(t, func(db *store.DB) {
		for day := range 2 {
			r := testutil.MustBeginRun(t, db, store.Run{Started: diffT0.AddDate(0, 0, day), AsOf: "2025-06-30", Units: []string{"xinqi", "finance"}},
				testutil.Finding("xinqi", "org.info", "org_info", checks.Fail),
				testutil.Finding("xinqi", "column.stale", fmt.Sprint("news", day), checks.Fail),
				testutil.Finding("finance", "org.info", "org_info", checks.Pass))
			for _, u := range []string{"xinqi", "finance"} {
				if err := db.SaveSnapshot(r.ID, bigSnapshot(u, r.ID, 40)); err != nil {
					t.Fatal(err)
				}
			}
			if err := db.FinishRun(r.ID); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// bigSnapshot is a unit's crawl of n pages with distinct, incompressible
// bodies.
func bigSnapshot(unit, tag string, n int) *site.Snapshot {
	s := &site.Snapshot{UnitID: unit, UnitName: unit, Entry: "http://" + unit + "/"}
	for i := range n {
		var body []byte
		for j := range 40 {
			sum := sha256.Sum256(fmt.Appendf(nil, "%s-%s-%d-%d", unit, tag, i, j))
			body = hex.AppendEncode(body, sum[:])
		}
		sum := sha256.Sum256(body)
		s.Pages = append(s.Pages, &site.Page{URL: fmt.Sprintf("http://%s/p%d", unit, i), Status: 200, Body: body,
			SHA256: hex.EncodeToString(sum[:]), Size: int64(len(body)), Title: "第 " + fmt.Sprint(i) + " 页"})
	}
	return s
}

// readerCommands are the commands that only read the store at path.
func readerCommands(t *testing.T, path string) [][]string {
	out := t.TempDir()
	return [][]string{
		{"findings", "--db", path},
		{"findings", "--db", path, "--format", "json"},
		{"score", "--db", path},
		{"diff", "--db", path},
		{"export", "xlsx", "--db", path, "--out", filepath.Join(out, "x.xlsx")},
		{"report", "--db", path, "--out", filepath.Join(out, "r.html")},
		{"events", "--db", path},
		{"notices", "--db", path, "--out", filepath.Join(out, "notices"), "--pdf=false"},
		{"runs", "--db", path},
		{"check", "--db", path},
		{"user", "list", "--db", path},
	}
}

func fileSum(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// leafPages returns the offsets of the file's bbolt leaf pages (flag 0x02
// in the page header), for damaging records rather than free space.
func leafPages(t *testing.T, path string) []int64 {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const ps = 4096
	var out []int64
	for off := 2 * ps; off+ps <= len(b); off += ps {
		if binary.LittleEndian.Uint64(b[off:]) == uint64(off/ps) && binary.LittleEndian.Uint16(b[off+8:])&0x02 != 0 {
			out = append(out, int64(off))
		}
	}
	if len(out) < 3 {
		t.Fatalf("%s has %d leaf pages, want a few", path, len(out))
	}
	return out
}

// damage copies the fixture and applies how to the copy.
func damage(t *testing.T, src string, how func(t *testing.T, path string)) string {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "t.db")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	how(t, path)
	return path
}

func overwrite(t *testing.T, path string, off int64, b []byte) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(b, off); err != nil {
		t.Fatal(err)
	}
}

// wantDamaged checks a command's result on a damaged file: exit 1 and one
// line on stderr saying the file is damaged, no Go panic.
func wantDamaged(t *testing.T, args []string, code int, stderr string) {
	t.Helper()
	if code != exitError || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "已损坏") ||
		strings.Contains(stderr, "goroutine") || strings.Contains(stderr, "panic:") && !strings.Contains(stderr, "已损坏") {
		t.Errorf("gkaudit %s = %d, stderr %q; want 1 and one line saying the file is damaged", strings.Join(args, " "), code, stderr)
	}
}

// Ensure that a truncated, partly zeroed or randomly overwritten file makes
// every command (readers, check, gc, review, audit) print one line saying
// it is damaged and exit 1 — no panic, no stack trace — and that the
// writers leave its bytes as they were.
func TestFindings_TruncatedFile(t *testing.T) {
	src := fileDB(t)
	seed := time.Now().UnixNano()
	t.Logf("random seed %d", seed)
	rng := rand.New(rand.NewPCG(uint64(seed), 0))
	cfgPath := unreachableConfig(t)
	for _, tt := range []struct {
		name string
		how  func(t *testing.T, path string)
	}{
		{"truncated to half", func(t *testing.T, path string) {
			fi, _ := os.Stat(path)
			if err := os.Truncate(path, fi.Size()/2); err != nil {
				t.Fatal(err)
			}
		}},
		{"truncated to one page", func(t *testing.T, path string) { os.Truncate(path, 4096) }},
		{"leaf pages zeroed", func(t *testing.T, path string) {
			leaves := leafPages(t, path)
			overwrite(t, path, leaves[len(leaves)/2], make([]byte, 3*4096))
		}},
		{"random bytes in the middle", func(t *testing.T, path string) {
			leaves := leafPages(t, path)
			junk := make([]byte, 4096)
			for i := range junk {
				junk[i] = byte(rng.Uint32())
			}
			overwrite(t, path, leaves[len(leaves)/2], junk)
		}},
		{"both meta pages zeroed", func(t *testing.T, path string) { overwrite(t, path, 0, make([]byte, 2*4096)) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := damage(t, src, tt.how)
			sum := fileSum(t, path)
			cmds := append(readerCommands(t, path),
				[]string{"gc", "--db", path, "--keep", "1"},
				[]string{"review", "confirm", "--db", path, "--finding", "000000000000", "--reason", "x"},
				[]string{"audit", "--config", cfgPath, "--db", path})
			for _, args := range cmds {
				code, _, stderr := gk(t, args...)
				wantDamaged(t, args, code, stderr)
			}
			if got := fileSum(t, path); got != sum {
				t.Errorf("the damaged file changed (gc, review or audit wrote to it)")
			}
		})
	}
}

// unreachableConfig writes a config of one unit on a closed loopback port:
// an audit that got past opening the store would find it down at once.
func unreachableConfig(t *testing.T) string {
	t.Helper()
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Units = []config.Unit{{ID: "xinqi", Name: "新碶街道", Kind: "street", URL: "http://127.0.0.1:1/xxgk/"}}
	cfg.Crawl = loopbackPolicy(cfg.Crawl)
	data, err := cfg.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "unreachable.yaml")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// Ensure that random bytes inside one stored record (the page structure
// intact, so bbolt's own check passes) are reported as damage by the
// commands that read the record and by check, and that gc deletes nothing.
func TestFindings_RandomBytesInRecord(t *testing.T) {
	src := fileDB(t)
	// The newest run's findings record of xinqi: gzip'd, so its CRC fails.
	var rec []byte
	db, err := bolt.Open(src, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket([]byte("findings")).Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if bytes.HasPrefix(k, []byte("000002/xinqi/")) {
				rec = bytes.Clone(v)
			}
		}
		return nil
	})
	db.Close()
	raw, _ := os.ReadFile(src)
	if rec == nil || !bytes.Contains(raw, rec) {
		t.Fatalf("findings record (%d bytes) not in the file", len(rec))
	}
	path := damage(t, src, func(t *testing.T, path string) {
		// Every copy: pages bbolt freed may still hold an older one.
		for off := 0; ; {
			i := bytes.Index(raw[off:], rec)
			if i < 0 {
				break
			}
			mid := off + i + len(rec)/2
			overwrite(t, path, int64(mid), []byte{raw[mid] ^ 0x5a, raw[mid+1] ^ 0xa5})
			off += i + len(rec)
		}
	})
	sum := fileSum(t, path)
	for _, args := range [][]string{
		{"findings", "--db", path},
		{"score", "--db", path},
		{"check", "--db", path},
		{"gc", "--db", path, "--keep", "1"},
	} {
		code, out, stderr := gk(t, args...)
		wantDamaged(t, args, code, stderr)
		if args[0] == "check" && !strings.Contains(out, "问题记录 000002/xinqi/") {
			t.Errorf("check output does not name the record:\n%s", out)
		}
	}
	if fileSum(t, path) != sum {
		t.Error("gc changed a damaged file")
	}
}

// Ensure that check says what it checked of a sound file and exits 0.
func TestCheck_SoundFile(t *testing.T) {
	path := fileDB(t)
	code, out, stderr := gk(t, "check", "--db", path)
	if code != exitOK || stderr != "" {
		t.Fatalf("check = %d, stderr %q", code, stderr)
	}
	for _, want := range []string{"格式版本：7", "runs 2", "逐条解码", "运行：2 个，完成 2 个", "结果：未发现问题"} {
		if !strings.Contains(out, want) {
			t.Errorf("check output lacks %q:\n%s", want, out)
		}
	}
}

// Ensure that the commands that only read leave the file byte for byte and
// its modification time as they were, and create no file beside it.
func TestReaders_DoNotChangeFile(t *testing.T) {
	path := fileDB(t)
	sum := fileSum(t, path)
	before, _ := os.Stat(path)
	for _, args := range readerCommands(t, path) {
		if code, _, stderr := gk(t, args...); code != exitOK && !(args[0] == "diff" && code == exitError) {
			t.Errorf("gkaudit %s = %d, stderr %q", strings.Join(args, " "), code, stderr)
		}
		if got := fileSum(t, path); got != sum {
			t.Fatalf("gkaudit %s changed the file", strings.Join(args, " "))
		}
	}
	after, _ := os.Stat(path)
	if !after.ModTime().Equal(before.ModTime()) {
		t.Errorf("readers changed the file's mtime %v -> %v", before.ModTime(), after.ModTime())
	}
	if ents, _ := os.ReadDir(filepath.Dir(path)); len(ents) != 1 {
		t.Errorf("directory holds %v after the readers, want only the database", ents)
	}
}

// Ensure that a reader can read a file it may not write: a 0444 file is
// read by the readers, as root and, in a child that dropped to nobody (as
// root the bits stop nothing), while a writer is refused; and openRead's
// descriptor is O_RDONLY.
func TestReaders_ReadOnlyFile(t *testing.T) {
	path := fileDB(t)
	if err := os.Chmod(path, 0o444); err != nil {
		t.Fatal(err)
	}
	sum := fileSum(t, path)
	for _, args := range readerCommands(t, path) {
		if code, _, stderr := gk(t, args...); code != exitOK && !(args[0] == "diff" && code == exitError) {
			t.Errorf("gkaudit %s on a 0444 file = %d, stderr %q", strings.Join(args, " "), code, stderr)
		}
	}
	if fileSum(t, path) != sum {
		t.Error("a reader changed a 0444 file")
	}
	if os.Geteuid() == 0 {
		// As root the bits stop nothing: run the readers, and a writer,
		// in a child that has dropped to nobody.
		for _, d := range []string{filepath.Dir(path), filepath.Dir(filepath.Dir(path))} {
			os.Chmod(d, 0o755)
		}
		for _, tt := range []struct {
			args []string
			code int
			err  string
		}{
			{[]string{"runs", "--db", path}, exitOK, ""},
			{[]string{"findings", "--db", path, "--format", "json"}, exitOK, ""},
			{[]string{"check", "--db", path}, exitOK, ""},
			{[]string{"review", "confirm", "--db", path, "--finding", "000000000000", "--reason", "x"}, exitError, "无权访问"},
		} {
			code, stderr := asNobody(t, tt.args)
			if code != tt.code || !strings.Contains(stderr, tt.err) {
				t.Errorf("as nobody, gkaudit %s on a 0444 file = %d, stderr %q; want %d and %q", strings.Join(tt.args, " "), code, stderr, tt.code, tt.err)
			}
		}
		if fileSum(t, path) != sum {
			t.Error("a command run as nobody changed a 0444 file")
		}
	}
	db, err := (&cli{stderr: io.Discard}).openRead(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	mode, ok := openMode(t, path)
	if !ok {
		t.Skip("no /proc/self/fdinfo here")
	}
	if mode != os.O_RDONLY {
		t.Errorf("openRead opened %s with access mode %o, want O_RDONLY", path, mode)
	}
}

// nobodyEnv, set, makes TestHelperAsNobody drop to user nobody and run
// gkaudit with the arguments it holds (a JSON list).
const nobodyEnv = "GKAUDIT_AS_NOBODY_ARGS"

// TestHelperAsNobody is not a test: TestReaders_ReadOnlyFile runs it.
func TestHelperAsNobody(t *testing.T) {
	raw := os.Getenv(nobodyEnv)
	if raw == "" {
		t.Skip("child process of TestReaders_ReadOnlyFile")
	}
	var args []string
	if err := json.Unmarshal([]byte(raw), &args); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Setgroups(nil); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Setgid(65534); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Setuid(65534); err != nil {
		t.Fatal(err)
	}
	code := run(context.Background(), args, os.Stdout, os.Stderr)
	os.Exit(code)
}

// asNobody runs gkaudit args as user nobody in a child process.
func asNobody(t *testing.T, args []string) (int, string) {
	t.Helper()
	raw, err := json.Marshal(args)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperAsNobody$")
	cmd.Env = append(os.Environ(), nobodyEnv+"="+string(raw))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err = cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatal(err)
	}
	return cmd.ProcessState.ExitCode(), stderr.String()
}

// openMode finds this process's descriptor of path in /proc and returns
// its access mode (O_RDONLY, O_WRONLY or O_RDWR).
func openMode(t *testing.T, path string) (int, bool) {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return 0, false
	}
	for _, e := range ents {
		if target, err := os.Readlink("/proc/self/fd/" + e.Name()); err != nil || target != path {
			continue
		}
		info, err := os.ReadFile("/proc/self/fdinfo/" + e.Name())
		if err != nil {
			return 0, false
		}
		for _, line := range strings.Split(string(info), "\n") {
			if v, ok := strings.CutPrefix(line, "flags:"); ok {
				var flags int
				fmt.Sscanf(strings.TrimSpace(v), "%o", &flags)
				return flags & 3, true
			}
		}
	}
	t.Fatalf("no descriptor of %s open", path)
	return 0, false
}

// Ensure that a mistyped --db makes a reader say the file does not exist,
// and creates nothing.
func TestOpen_MissingFileNotCreated(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mistyped.db")
	for _, args := range readerCommands(t, path) {
		code, _, stderr := gk(t, args...)
		if code != exitError || stderr != "gkaudit: "+path+" 不存在；请检查 --db 路径\n" {
			t.Errorf("gkaudit %s = %d, stderr %q; want 1 and that it does not exist", strings.Join(args, " "), code, stderr)
		}
		if _, err := os.Stat(path); err == nil {
			t.Fatalf("gkaudit %s created %s", strings.Join(args, " "), path)
		}
	}
}

// Ensure that another program's bbolt file is refused by readers and
// writers alike with a clear message, and gets no bucket added.
func TestOpen_ForeignBoltFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "other.db")
	bdb, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := bdb.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucket([]byte("settings"))
		if err != nil {
			return err
		}
		return b.Put([]byte("k"), []byte("v"))
	}); err != nil {
		t.Fatal(err)
	}
	bdb.Close()
	sum := fileSum(t, path)
	cmds := append(readerCommands(t, path),
		[]string{"gc", "--db", path, "--keep", "1"},
		[]string{"review", "confirm", "--db", path, "--finding", "000000000000", "--reason", "x"},
		[]string{"audit", "--config", unreachableConfig(t), "--db", path})
	for _, args := range cmds {
		code, _, stderr := gk(t, args...)
		if code != exitError || !strings.Contains(stderr, "不是 gkaudit 数据库") || strings.Count(stderr, "\n") != 1 {
			t.Errorf("gkaudit %s = %d, stderr %q; want 1 and that it is not a gkaudit database", strings.Join(args, " "), code, stderr)
		}
	}
	if fileSum(t, path) != sum {
		t.Error("a command changed the foreign file")
	}
}

// Ensure that a reader opening a file of an older schema says a write
// command upgrades it, and writes nothing.
func TestOpen_OlderSchemaReadOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v1.db")
	bdb, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	bdb.Update(func(tx *bolt.Tx) error {
		for _, name := range []string{"meta", "runs", "snapshots", "pages", "bodies", "findings"} {
			tx.CreateBucket([]byte(name))
		}
		return tx.Bucket([]byte("meta")).Put([]byte("schema_version"), []byte("1"))
	})
	bdb.Close()
	sum := fileSum(t, path)
	for _, cmd := range []string{"findings", "runs", "check"} {
		code, _, stderr := gk(t, cmd, "--db", path)
		if code != exitError || !strings.Contains(stderr, "旧版 gkaudit 的格式") || !strings.Contains(stderr, "写入命令") {
			t.Errorf("%s on a schema 1 file = %d, stderr %q; want 1 and that a write command upgrades it", cmd, code, stderr)
		}
	}
	if fileSum(t, path) != sum {
		t.Error("a reader changed an old file")
	}
}

// Ensure that a reader waits at most GKAUDIT_WAIT for a writer and then
// names it: command, process, run and start; and that a second writer gets
// the same clear message instead of hanging.
func TestReaders_WaitNamesTheHolder(t *testing.T) {
	path := fileDB(t)
	t.Setenv(waitEnv, "100ms")
	db, err := store.OpenWith(path, store.Options{Holder: "gkaudit audit"})
	if err != nil {
		t.Fatal(err)
	}
	run, err := db.BeginRun(store.Run{Units: []string{"xinqi"}})
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("正被 gkaudit audit（进程 %d）的运行 %s 占用（开始于 ", os.Getpid(), run.ID)
	for _, args := range [][]string{
		{"findings", "--db", path},
		{"runs", "--db", path},
		{"gc", "--db", path, "--keep", "1"},
		{"review", "confirm", "--db", path, "--finding", "000000000000", "--reason", "x"},
	} {
		code, _, stderr := gk(t, args...)
		if code != exitError || !strings.Contains(stderr, want) || !strings.Contains(stderr, "已等待 0.1 秒") ||
			!strings.Contains(stderr, waitEnv) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("gkaudit %s while an audit holds the file = %d, stderr %q; want 1 and %q", strings.Join(args, " "), code, stderr, want)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + ".busy"); err == nil {
		t.Error("the busy note outlived the writer")
	}
	if code, _, stderr := gk(t, "runs", "--db", path); code != exitOK {
		t.Errorf("runs after the writer closed = %d, %q", code, stderr)
	}
}

// Ensure that a bad GKAUDIT_WAIT is an error that says how to write it.
func TestReaders_BadWait(t *testing.T) {
	t.Setenv(waitEnv, "soon")
	code, _, stderr := gk(t, "runs", "--db", fileDB(t))
	if code != exitError || !strings.Contains(stderr, "GKAUDIT_WAIT=\"soon\"") {
		t.Errorf("runs with GKAUDIT_WAIT=soon = %d, %q", code, stderr)
	}
}

// interruptedDB writes two complete runs of two units and a newer run of
// three that was killed after saving one unit.
func interruptedDB(t *testing.T) string {
	t.Helper()
	return testutil.MustWriteStore(t, func(db *store.DB) {
		for day := range 3 {
			units := []string{"xinqi", "finance"}
			if day == 2 {
				units = append(units, "gaotang")
			}
			r := testutil.MustBeginRun(t, db, store.Run{Started: diffT0.AddDate(0, 0, day), AsOf: "2025-06-30", Units: units},
				testutil.Finding("xinqi", "org.info", "org_info", checks.Fail))
			saved := units
			if day == 2 {
				saved = units[:1] // killed after its first unit
			}
			for _, u := range saved {
				if err := db.SaveSnapshot(r.ID, bigSnapshot(u, r.ID, 2)); err != nil {
					t.Fatal(err)
				}
			}
			if day < 2 {
				if err := db.FinishRun(r.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
	})
}

// Ensure that gc --keep 1 after an interrupted run keeps the newest
// complete run (and the interrupted run after it) instead of deleting
// every complete run, and says what it removed.
func TestGC_KeepAfterInterruptedRun(t *testing.T) {
	path := interruptedDB(t)
	code, out, stderr := gk(t, "gc", "--db", path, "--keep", "1")
	if code != exitOK {
		t.Fatalf("gc = %d, %q", code, stderr)
	}
	if !strings.Contains(out, "已删除运行 000001（") || strings.Contains(out, "已删除运行 000002") || strings.Contains(out, "已删除运行 000003") {
		t.Errorf("gc --keep 1 output:\n%s\nwant only run 000001 removed", out)
	}
	code, out, _ = gk(t, "runs", "--db", path, "--format", "json")
	var rs []runOut
	if err := json.Unmarshal([]byte(out), &rs); code != exitOK || err != nil || len(rs) != 2 ||
		rs[0].ID != "000002" || !rs[0].Complete || rs[1].ID != "000003" || rs[1].Complete {
		t.Errorf("runs after gc = %+v (%d, %v); want complete 000002 and interrupted 000003", rs, code, err)
	}
}

// Ensure that latest is the newest complete run: with a newer interrupted
// run, findings and score read the complete one; the store says (to the
// writer the CLI points at stderr) which run it skipped.
func TestLatest_SkipsInterrupted(t *testing.T) {
	path := interruptedDB(t)
	code, out, _ := gk(t, "findings", "--db", path, "--format", "json")
	var fs []findingOut
	if err := json.Unmarshal([]byte(out), &fs); code != exitOK || err != nil || len(fs) == 0 {
		t.Fatalf("findings = %d, %v:\n%s", code, err, out)
	}
	var note bytes.Buffer
	db, err := store.OpenWith(path, store.Options{ReadOnly: true, Notices: &note})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r, err := db.ResolveRun("latest")
	if err != nil || r.ID != "000002" {
		t.Errorf("ResolveRun(latest) = %s, %v; want the complete 000002", r.ID, err)
	}
	if want := "跳过了未完成（中断）的运行 000003，latest 取最新的完整运行 000002"; !strings.Contains(note.String(), want) || strings.Count(note.String(), "\n") != 1 {
		t.Errorf("note = %q, want one line with %q", note.String(), want)
	}
	note.Reset()
	if _, err := db.ResolveRun("3"); err != nil || !strings.Contains(note.String(), "运行 000003 未完成（中断），只审计了 1/3 个单位") {
		t.Errorf("ResolveRun(3): %v, note %q; want a warning that it is interrupted", err, note.String())
	}
}

// Ensure that score on an interrupted run leaves out the units it never
// audited instead of ranking them.
func TestScore_InterruptedRunSkipsUnauditedUnits(t *testing.T) {
	path := interruptedDB(t)
	code, out, stderr := gk(t, "score", "--db", path, "--run", "3", "--format", "json")
	if code != exitOK {
		t.Fatalf("score --run 3 = %d, %q", code, stderr)
	}
	if strings.Contains(out, `"finance"`) || strings.Contains(out, `"gaotang"`) || !strings.Contains(out, `"xinqi"`) {
		t.Errorf("score of the interrupted run:\n%s\nwant only xinqi, the unit it audited", out)
	}
}

// Ensure that runs lists every run with its state, in a Chinese table and
// in JSON with English keys.
func TestRuns_Table(t *testing.T) {
	path := interruptedDB(t)
	code, out, stderr := gk(t, "runs", "--db", path)
	if code != exitOK || stderr != "" {
		t.Fatalf("runs = %d, %q", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 || strings.Join(strings.Fields(lines[0]), " ") != "运行 开始时间 基准日 单位数 状态 页面 问题" {
		t.Fatalf("runs table:\n%s", out)
	}
	for i, want := range []string{"000001 2025-06-30 09:00 2025-06-30 2 完成 4 1", "000002 2025-07-01 09:00 2025-06-30 2 完成 4 1", "000003 2025-07-02 09:00 2025-06-30 3 中断 2 1"} {
		if got := strings.Join(strings.Fields(lines[i+1]), " "); got != want {
			t.Errorf("runs row %d = %q, want %q", i+1, got, want)
		}
	}
	code, out, _ = gk(t, "runs", "--db", path, "--format", "json")
	for _, key := range []string{`"id": "000003"`, `"as_of": "2025-06-30"`, `"units": 3`, `"complete": false`, `"status": "interrupted"`, `"pages": 2`, `"findings": 1`} {
		if code != exitOK || !strings.Contains(out, key) {
			t.Errorf("runs json lacks %s:\n%s", key, out)
		}
	}
}
