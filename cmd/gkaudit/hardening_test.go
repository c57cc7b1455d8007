package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"gkaudit/audit"
	"gkaudit/checks"
	"gkaudit/cndate"
	"gkaudit/config"
	"gkaudit/internal/testutil"
	"gkaudit/store"
)

// oneLine reports whether s is exactly one line.
func oneLine(s string) bool { return strings.Count(s, "\n") == 1 && strings.HasSuffix(s, "\n") }

// Ensure that a --status no finding can have is a one-line usage error that
// says what is accepted, and that FAIL and 不合格 mean fail rather than
// silently matching nothing.
func TestFindings_UnknownStatusRejected(t *testing.T) {
	path := diffStore(t)
	for _, bad := range []string{"bogus", "failed", "ok"} {
		code, out, stderr := gk(t, "findings", "--db", path, "--status", bad)
		if code != exitUsage || out != "" || !oneLine(stderr) || !strings.Contains(stderr, "--status 只能是 pass、fail、na、error（或 通过、不合格、无法判断、出错") {
			t.Errorf("findings --status %s = %d, %q, stderr %q; want 2 and one line saying what --status accepts", bad, code, out, stderr)
		}
	}
	_, want, _ := gk(t, "findings", "--db", path, "--status", "fail", "--format", "csv")
	if strings.Count(want, "\n") < 3 {
		t.Fatalf("findings --status fail lists %q, want the failing findings", want)
	}
	for _, st := range []string{"FAIL", "Fail", "不合格"} {
		code, got, stderr := gk(t, "findings", "--db", path, "--status", st, "--format", "csv")
		if code != exitOK || got != want {
			t.Errorf("findings --status %s = %d, %q (stderr %q); want the same as --status fail:\n%s", st, code, got, stderr, want)
		}
	}
}

// Ensure that an unknown --check names the closest check IDs and points to
// gkaudit checks.
func TestFindings_UnknownCheckRejected(t *testing.T) {
	path := diffStore(t)
	code, _, stderr := gk(t, "findings", "--db", path, "--check", "org.inf")
	if code != exitUsage || !oneLine(stderr) || !strings.Contains(stderr, `没有检查项 "org.inf"`) ||
		!strings.Contains(stderr, "org.info") || !strings.Contains(stderr, "gkaudit checks") {
		t.Errorf("findings --check org.inf = %d, stderr %q; want 2, org.info suggested and gkaudit checks named", code, stderr)
	}
	if code, _, stderr := gk(t, "findings", "--db", path, "--check", "org.info"); code != exitOK {
		t.Errorf("findings --check org.info = %d, %q", code, stderr)
	}
	for pattern, want := range map[string]bool{
		"keyarea.budget": true, "keyarea": true, "keyarea.*": true, "org.info": true, "org": true,
		"keyarea.environment": false, "key": false, "org.inf": false, "*": false,
	} {
		if got := matchCheck(pattern, "keyarea.budget") || matchCheck(pattern, "org.info"); got != want {
			t.Errorf("matchCheck(%q) = %v, want %v", pattern, got, want)
		}
	}
	// keyarea.<area> IDs come from the config, not the check registry.
	if code, _, stderr := gk(t, "findings", "--db", scoreDB(t), "--check", "keyarea.budget"); code != exitOK {
		t.Errorf("findings --check keyarea.budget = %d, %q; want it accepted", code, stderr)
	}
}

// Ensure that an unknown --unit lists known unit ids of the run and points
// to gkaudit score.
func TestFindings_UnknownUnitRejected(t *testing.T) {
	path := diffStore(t)
	code, _, stderr := gk(t, "findings", "--db", path, "--unit", "unknownid")
	if code != exitUsage || !oneLine(stderr) || !strings.Contains(stderr, `没有单位 "unknownid"`) ||
		!strings.Contains(stderr, "daqi") || !strings.Contains(stderr, "gkaudit score") {
		t.Errorf("findings --unit unknownid = %d, stderr %q; want 2, known ids listed and gkaudit score named", code, stderr)
	}
	code, _, stderr = gk(t, "findings", "--db", path, "--unit", "xinq")
	if code != exitUsage || !strings.Contains(stderr, "xinqi") {
		t.Errorf("findings --unit xinq = %d, stderr %q; want xinqi suggested", code, stderr)
	}
}

// Ensure that every command refuses a positional argument it does not take
// instead of ignoring it.
func TestStrayArgs_Rejected(t *testing.T) {
	for _, args := range [][]string{
		{"findings", "--db", "x.db", "stray"},
		{"score", "--db", "x.db", "stray"},
		{"diff", "--db", "x.db", "stray"},
		{"export", "xlsx", "--db", "x.db", "--out", "x.xlsx", "stray"},
		{"report", "--db", "x.db", "--out", "r.html", "stray"},
		{"gc", "--db", "x.db", "--keep", "1", "stray"},
		{"notices", "--db", "x.db", "--out", "d", "stray"},
		{"review", "confirm", "--db", "x.db", "--finding", "abc", "stray"},
		{"events", "--db", "x.db", "stray"},
		{"evidence", "--db", "x.db", "--finding", "0123456789ab", "--out", "e.warc.gz", "stray"},
		{"evidence", "verify", "a.warc.gz", "stray"},
		{"audit", "--db", "x.db", "stray"},
		{"config", "show", "stray"},
		{"config", "check", "a.yaml", "stray"},
		{"checks", "stray"},
		{"user", "list", "--db", "x.db", "stray"},
		{"user", "add", "zhang", "--role", "admin", "--db", "x.db", "stray"},
		{"sim", "stray"},
		{"demo", "stray"},
		{"version", "stray"},
		{"serve", "--config", "c.yaml", "--db", "x.db", "stray"},
	} {
		code, out, stderr := gk(t, args...)
		if code != exitUsage || out != "" || !strings.Contains(stderr, "stray") && !strings.Contains(stderr, "只需要一个") {
			t.Errorf("gkaudit %s = %d, %q, stderr %q; want 2 naming the stray argument", strings.Join(args, " "), code, out, stderr)
		}
	}
}

// Ensure that --units ",,," is a usage error rather than "every unit".
func TestAudit_EmptyUnitsListRejected(t *testing.T) {
	for _, list := range []string{",,,", " , ", ","} {
		code, _, stderr := gk(t, "audit", "--db", filepath.Join(t.TempDir(), "a.db"), "--units", list)
		if code != exitUsage || !oneLine(stderr) || !strings.Contains(stderr, "没有列出任何单位") {
			t.Errorf("audit --units %q = %d, stderr %q; want 2 and one line", list, code, stderr)
		}
	}
}

// Ensure that --as-of outside 2008 .. a year from today is a usage error in
// audit and notices.
func TestAsOf_OutOfRange(t *testing.T) {
	next := time.Now().In(cndate.Shanghai).AddDate(1, 1, 0).Format(time.DateOnly)
	for _, d := range []string{"1900-01-01", "2007-12-31", "3000-01-01", next} {
		for _, cmd := range [][]string{{"audit", "--db", "x.db"}, {"notices", "--db", "x.db", "--out", "d"}} {
			code, _, stderr := gk(t, append(cmd, "--as-of", d)...)
			if code != exitUsage || !oneLine(stderr) || !strings.Contains(stderr, "超出范围：应在 2008-01-01 至 ") {
				t.Errorf("%s --as-of %s = %d, stderr %q; want 2 and the range", cmd[0], d, code, stderr)
			}
		}
	}
	if _, err := parseAsOf("2008-01-01"); err != nil {
		t.Errorf("parseAsOf(2008-01-01) = %v, want it accepted", err)
	}
	if _, err := parseAsOf(time.Now().In(cndate.Shanghai).Format(time.DateOnly)); err != nil {
		t.Errorf("parseAsOf(today) = %v, want it accepted", err)
	}
}

// Ensure that config check fails on a file that sets nothing: Parse would
// give the built-in config, which is not what a named file means.
func TestConfigCheck_EmptyFile(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{"empty.yaml": "", "blank.yaml": "\n  \n", "comments.yaml": "# 配置\n# todo\n", "map.yaml": "{}\n", "doc.yaml": "---\n"} {
		path := filepath.Join(dir, name)
		os.WriteFile(path, []byte(text), 0o644)
		code, _, stderr := gk(t, "config", "check", path)
		if code != exitError || !oneLine(stderr) || !strings.Contains(stderr, name+": 文件中没有任何设置") {
			t.Errorf("config check %s = %d, stderr %q; want 1 and one line", name, code, stderr)
		}
		if code, _, stderr := gk(t, "score", "--db", "x.db", "--config", path); code != exitError || !strings.Contains(stderr, "没有任何设置") {
			t.Errorf("score --config %s = %d, %q; want the empty file rejected", name, code, stderr)
		}
	}
}

// Ensure that config check rejects a unit without a url with the words and
// file:line that audit --config gives for it.
func TestConfigCheck_UnitWithoutURL(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.yaml")
	os.WriteFile(path, []byte("units:\n  - {id: a, name: 甲, kind: street, url: http://a.example/}\n  - {id: b, name: 乙, kind: street}\n"), 0o644)
	want := path + ":3: units[1]: 单位 b（乙）没有 url：gkaudit audit 和 serve 从每个单位的入口网址开始检查，请填写它的 url\n"
	code, _, stderr := gk(t, "config", "check", path)
	if code != exitError || stderr != "gkaudit: "+want {
		t.Errorf("config check = %d, stderr %q; want 1 and %q", code, stderr, want)
	}
	code, _, stderr = gk(t, "audit", "--config", path, "--db", filepath.Join(t.TempDir(), "a.db"))
	if code != exitError || stderr != "gkaudit: "+want {
		t.Errorf("audit --config = %d, stderr %q; want 1 and %q", code, stderr, want)
	}
}

// Ensure that two units with one entry URL, spelt differently (host case,
// trailing slash, index.html), are an error naming both units.
func TestConfigCheck_DuplicateURL(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.yaml")
	os.WriteFile(path, []byte("units:\n"+
		"  - {id: a, name: 甲, kind: street, url: http://WWW.Example.gov.cn/col/col1/}\n"+
		"  - {id: b, name: 乙, kind: street, url: http://www.example.gov.cn/col/col2/}\n"+
		"  - {id: c, name: 丙, kind: street, url: http://www.example.gov.cn/col/col1/index.html}\n"), 0o644)
	code, _, stderr := gk(t, "config", "check", path)
	if code != exitError || !oneLine(stderr) || !strings.Contains(stderr, "c.yaml:4: units[2].url: 单位 c（丙）") ||
		!strings.Contains(stderr, "c.yaml:2 units[0] 单位 a（甲）") {
		t.Errorf("config check = %d, stderr %q; want one error naming units c and a with their lines", code, stderr)
	}
	for _, same := range [][2]string{
		{"http://h.gov.cn/x", "HTTP://H.GOV.CN/x/"},
		{"https://h.gov.cn:443/x/index.htm", "https://h.gov.cn/x"},
		{"http://h.gov.cn/", "http://h.gov.cn/default.aspx#top"},
	} {
		cfg := "units:\n  - {id: a, name: 甲, kind: street, url: '" + same[0] + "'}\n  - {id: b, name: 乙, kind: street, url: '" + same[1] + "'}\n"
		if _, err := config.Parse("c.yaml", []byte(cfg)); err == nil || !strings.Contains(err.Error(), "是同一个入口") {
			t.Errorf("%s and %s: Parse error %v, want them the same entry", same[0], same[1], err)
		}
	}
	cfg := "units:\n  - {id: a, name: 甲, kind: street, url: 'http://h.gov.cn/x/'}\n  - {id: b, name: 乙, kind: street, url: 'http://h.gov.cn/X/'}\n"
	if _, err := config.Parse("c.yaml", []byte(cfg)); err != nil {
		t.Errorf("paths differing in case: Parse error %v, want them distinct", err)
	}
}

// Ensure that -h and --help print help and exit 0 for every command and
// subcommand (DESIGN: every command's -h/--help exits 0).
func TestHelp_ExitsZeroEverywhere(t *testing.T) {
	cmds := [][]string{
		{}, {"demo"}, {"audit"}, {"findings"}, {"score"}, {"export"}, {"export", "xlsx"}, {"diff"}, {"report"},
		{"gc"}, {"review"}, {"review", "confirm"}, {"review", "dismiss"}, {"review", "reopen"}, {"events"},
		{"notices"}, {"evidence"}, {"evidence", "verify"}, {"serve"}, {"sim"}, {"config"}, {"config", "show"},
		{"config", "check"}, {"checks"}, {"user"}, {"user", "add"}, {"user", "list"}, {"user", "passwd"},
		{"user", "disable"}, {"version"}, {"check"}, {"runs"},
	}
	for _, cmd := range cmds {
		for _, h := range []string{"-h", "--help"} {
			args := append(append([]string{}, cmd...), h)
			code, out, stderr := gk(t, args...)
			if code != exitOK || out+stderr == "" {
				t.Errorf("gkaudit %s = %d, stdout %q, stderr %q; want 0 and help", strings.Join(args, " "), code, out, stderr)
			}
		}
	}
}

// failWriter fails every write, as /dev/full does.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, syscall.ENOSPC }

// Ensure that a failing standard output is exit 1 with one line saying so,
// for every format of every command that prints results.
func TestFindings_WriteErrorExits1(t *testing.T) {
	path := diffStore(t)
	for _, args := range [][]string{
		{"findings", "--db", path},
		{"findings", "--db", path, "--format", "json"},
		{"findings", "--db", path, "--format", "csv"},
		{"score", "--db", path},
		{"score", "--db", path, "--format", "json"},
		{"score", "--db", path, "--format", "csv"},
		{"diff", "--db", path},
		{"diff", "--db", path, "--format", "json"},
		{"events", "--db", path},
		{"checks"},
		{"config", "show"},
		{"version"},
		{"help"},
	} {
		var stderr bytes.Buffer
		code := runInput(context.Background(), args, strings.NewReader(""), failWriter{}, &stderr)
		if code != exitError || !oneLine(stderr.String()) || !strings.HasPrefix(stderr.String(), "gkaudit: 写出结果失败：") {
			t.Errorf("gkaudit %s > /dev/full = %d, stderr %q; want 1 and one line", strings.Join(args[:min(len(args), 4)], " "), code, stderr.String())
		}
	}
}

// longStore writes one complete run whose findings have long Chinese
// details, long URLs and crawled text with control characters.
func longStore(t *testing.T, detail, url string) string {
	return testutil.MustWriteStore(t, func(db *store.DB) {
		r := store.Run{Started: diffT0, AsOf: "2025-06-30", Units: []string{"xinqi", "culture_tourism"}}
		f := func(unit, check, subject string) checks.Finding {
			return checks.Finding{Unit: unit, Check: check, Subject: subject, Status: checks.Fail, URL: url + subject, Detail: detail}
		}
		testutil.MustAddRun(t, db, r, f("xinqi", "interpretation.linked", "a"), f("culture_tourism", "link.broken", "b"))
		r.Started = diffT0.AddDate(0, 0, 1)
		testutil.MustAddRun(t, db, r, f("xinqi", "interpretation.linked", "a"), f("culture_tourism", "link.broken", "c"))
	})
}

// Ensure that the findings, diff and events tables fit 120 display cells,
// cut at rune boundaries with an ellipsis, and that json keeps the full text.
func TestTables_Fit120Columns(t *testing.T) {
	detail := strings.Repeat("政策文件《关于印发北仑区2019年政务公开工作要点的通知》未链接解读材料，", 4)
	url := "http://www.beilun.gov.cn/art/2019/12/3/art_1229412_41234567.html?from=" + strings.Repeat("x", 80) + "&page="
	path := longStore(t, detail, url)
	for _, args := range [][]string{{"findings"}, {"diff"}, {"events"}, {"score"}} {
		code, out, stderr := gk(t, append(args, "--db", path)...)
		if code != exitOK {
			t.Fatalf("%s = %d, %s", args[0], code, stderr)
		}
		for _, line := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
			if w := displayWidth(line); w > defaultTableWidth {
				t.Errorf("%s: line is %d cells wide, want at most %d:\n%s", args[0], w, defaultTableWidth, line)
			}
			if !utf8.ValidString(line) {
				t.Errorf("%s: line cut inside a rune: %q", args[0], line)
			}
		}
		if args[0] == "findings" || args[0] == "diff" {
			if !strings.Contains(out, "…") || !strings.Contains(out, "政策文件") {
				t.Errorf("%s: no cut detail in\n%s", args[0], out)
			}
		}
	}
	_, out, _ := gk(t, "findings", "--db", path, "--format", "json")
	if !strings.Contains(out, strings.TrimSuffix(detail, "，")) || !strings.Contains(out, url+"a") {
		t.Errorf("findings json lacks the full detail and URL")
	}
	for _, tt := range []struct {
		s    string
		w    int
		want string
	}{
		{"abcdef", 6, "abcdef"}, {"abcdef", 5, "abcd…"}, {"政务公开", 8, "政务公开"}, {"政务公开", 7, "政务公…"},
		{"政务公开", 6, "政务…"}, {"政务公开", 4, "政…"}, {"a政务", 4, "a政…"}, {"a政务", 3, "a…"},
	} {
		if got := truncateWidth(tt.s, tt.w); got != tt.want || displayWidth(got) > tt.w {
			t.Errorf("truncateWidth(%q, %d) = %q, want %q", tt.s, tt.w, got, tt.want)
		}
	}
	if got := truncateStart("http://x.gov.cn/art/abc.html", 10); got != "…/abc.html" {
		t.Errorf("truncateStart = %q, want …/abc.html", got)
	}
	for _, tt := range []struct {
		s     string
		w, n  int
		lines []string
	}{
		{"政务公开检查", 4, 3, []string{"政务", "公开", "检查"}},
		{"政务公开检查", 4, 2, []string{"政务", "公…"}},
		{"政务公开检查", 5, 3, []string{"政务", "公开", "检查"}},
		{"link broken at page", 8, 3, []string{"link", "broken", "at page"}},
		{"短", 8, 3, []string{"短"}},
	} {
		got := wrapWidth(tt.s, tt.w, tt.n)
		if strings.Join(got, "|") != strings.Join(tt.lines, "|") {
			t.Errorf("wrapWidth(%q, %d, %d) = %q, want %q", tt.s, tt.w, tt.n, got, tt.lines)
		}
	}
}

// evil is crawled text that would set the window title, clear the screen,
// reverse the line and ring the bell if printed raw.
const evil = "\x1b]0;pwned\x07\x1b[2J\u202egnp.exe\u009b31m\r\x00"

// rawControls reports whether s holds a control character a terminal acts on.
func rawControls(s string) bool {
	return strings.ContainsAny(s, "\x1b\x07\x00\r\u202e\u009b")
}

// Ensure that text from crawled pages is escaped in every table and line
// printed to a terminal: findings, diff, events, progress and errors.
func TestTables_EscapeControlChars(t *testing.T) {
	path := longStore(t, "标题"+evil, "http://x.gov.cn/"+evil)
	for _, args := range [][]string{{"findings"}, {"diff"}, {"events"}} {
		code, out, stderr := gk(t, append(args, "--db", path)...)
		if code != exitOK || rawControls(out) || rawControls(stderr) || args[0] != "events" && !strings.Contains(out, `\x1b]0;pwned\x07`) {
			t.Errorf("%s = %d: control characters not escaped:\n%q", args[0], code, out)
		}
	}
	var b bytes.Buffer
	tb := newTable(&b, "a", "b")
	tb.row(evil, "\xff\xfe")
	tb.flush()
	if rawControls(b.String()) || !strings.Contains(b.String(), `\x1b]0;pwned\x07\x1b[2J\u202egnp.exe\x9b31m\x0d\x00`) || !strings.Contains(b.String(), `\xff\xfe`) {
		t.Errorf("table = %q, want escapes", b.String())
	}
	line := doneLine(audit.Event{Unit: config.Unit{ID: "x", Name: evil}, Err: errors.New(evil), Finished: 1, Total: 1, Done: true})
	status := statusLine(time.Now(), time.Now(), 0, 1, 0, []unitProgress{{id: "x", name: evil, started: time.Now()}}, 200)
	for _, s := range []string{line, status} {
		if rawControls(s) {
			t.Errorf("progress line %q holds raw control characters", s)
		}
	}
	var stderr bytes.Buffer
	c := &cli{stderr: &stderr}
	c.fail(errors.New("页面 " + evil + " 出错"))
	if rawControls(stderr.String()) || !oneLine(stderr.String()) {
		t.Errorf("fail printed %q, want one escaped line", stderr.String())
	}
}

// Ensure that the progress lines pad by display width, so that Chinese and
// Latin unit names line up, and that the status line names the units in
// flight with their pages and times and fits the width.
func TestProgress_AlignsChinese(t *testing.T) {
	ev := func(id, name string) audit.Event {
		return audit.Event{Unit: config.Unit{ID: id, Name: name}, Pages: 12, Errors: 1, Elapsed: 3 * time.Second, Done: true, Finished: 2, Total: 48, Failing: 3}
	}
	a := doneLine(ev("xinqi", "新碶街道"))
	b := doneLine(ev("culture_tourism", "文化和广电旅游体育局"))
	c := doneLine(ev("x", "Bank"))
	col := func(s string) int { return displayWidth(s[:strings.Index(s, "12 页")]) }
	if col(a) != col(b) || col(a) != col(c) {
		t.Errorf("pages column at cells %d, %d, %d, want one column:\n%s\n%s\n%s", col(a), col(b), col(c), a, b, c)
	}
	if !strings.Contains(a, "3 项不合格") {
		t.Errorf("doneLine = %q, want the failing count", a)
	}
	start := time.Date(2025, 6, 30, 2, 0, 0, 0, time.UTC)
	now := start.Add(95 * time.Second)
	in := []unitProgress{
		{id: "xinqi", name: "新碶街道", pages: 40, started: start.Add(5 * time.Second)},
		{id: "daqi", name: "大碶街道", pages: 2, errors: 1, started: start.Add(30 * time.Second)},
	}
	got := statusLine(now, start, 3, 48, 100, in, 200)
	want := "  已完成 3/48 个单位，已抓取 142 个页面，用时 1m35s；正在检查：xinqi 新碶街道（40 页，1m30s）、daqi 大碶街道（2 页，1 个错误，1m5s）"
	if got != want {
		t.Errorf("statusLine = %q, want %q", got, want)
	}
	if got := statusLine(now, start, 3, 48, 100, in, 60); displayWidth(got) > 59 || !strings.HasSuffix(got, "…") {
		t.Errorf("statusLine in 60 cells = %q (%d cells), want it cut to 59", got, displayWidth(got))
	}
	if got := statusLine(now, start, 0, 48, 0, nil, 200); got != "  已完成 0/48 个单位，已抓取 0 个页面，用时 1m35s" {
		t.Errorf("statusLine with nothing in flight = %q", got)
	}
}

// Ensure that gkaudit version prints the build's version, vcs stamp, Go
// version, store schema and the built-in config's hash, as text and JSON.
func TestVersion(t *testing.T) {
	code, out, stderr := gk(t, "version")
	if code != exitOK || !strings.HasPrefix(out, "gkaudit ") || !strings.Contains(out, "数据库结构版本：") ||
		!strings.Contains(out, "内置配置 SHA-256："+config.DefaultSHA256()) {
		t.Errorf("version = %d, %q, %q", code, out, stderr)
	}
	code, out, _ = gk(t, "version", "--format", "json")
	var v versionInfo
	if err := json.Unmarshal([]byte(out), &v); code != exitOK || err != nil || v.Schema < 5 || v.GoVersion == "" || len(v.ConfigSHA256) != 64 {
		t.Errorf("version --format json = %d, %+v (%v)", code, v, err)
	}
	if code, _, stderr := gk(t, "version", "--format", "xml"); code != exitUsage || !oneLine(stderr) {
		t.Errorf("version --format xml = %d, %q", code, stderr)
	}
	bi := func() (*debug.BuildInfo, bool) {
		return &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "v1.2.3"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0b0fe92abc"}, {Key: "vcs.time", Value: "2026-12-01T10:00:00Z"}, {Key: "vcs.modified", Value: "true"}}}, true
	}
	got := buildVersion(bi)
	if got.Version != "v1.2.3" || got.Revision != "0b0fe92abc" || got.Time != "2026-12-01T10:00:00Z" || got.Modified == nil || !*got.Modified || got.GoVersion != "go1.26.0" {
		t.Errorf("buildVersion = %+v", got)
	}
	if got := buildVersion(func() (*debug.BuildInfo, bool) { return nil, false }); got.Version != "(unknown)" || got.GoVersion == "" {
		t.Errorf("buildVersion without build info = %+v", got)
	}
}

// Ensure that an interrupted audit says, in one Chinese line, that the run
// is marked interrupted and how to go on, and exits 130 (SIGINT) or 143
// (SIGTERM) instead of printing "context canceled".
func TestAudit_InterruptedMessage(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "c.yaml")
	os.WriteFile(cfg, []byte("units:\n  - {id: a, name: 甲, kind: street, url: 'http://127.0.0.1:1/'}\n"), 0o644)
	for _, tt := range []struct {
		cause error
		code  int
	}{{signalError{os.Interrupt}, exitSIGINT}, {signalError{syscall.SIGTERM}, exitSIGTERM}, {context.Canceled, exitSIGINT}} {
		db := filepath.Join(t.TempDir(), "a.db")
		ctx, cancel := context.WithCancelCause(context.Background())
		cancel(tt.cause) // before the crawl starts: no unit is fetched
		var out, stderr bytes.Buffer
		code := run(ctx, []string{"audit", "--config", cfg, "--db", db}, &out, &stderr)
		if code != tt.code || !oneLine(stderr.String()) || !strings.Contains(stderr.String(), "运行 000001 已被中断") ||
			!strings.Contains(stderr.String(), "中断/未完成") || !strings.Contains(stderr.String(), "重新运行同一条 gkaudit audit 命令") ||
			strings.Contains(stderr.String(), "context canceled") {
			t.Errorf("interrupted audit (%v) = %d, stderr %q; want %d and the Chinese line", tt.cause, code, stderr.String(), tt.code)
		}
	}
}

// Ensure that the notes and reasons a person reads in score's JSON are
// Chinese, while keys and enum values stay English.
func TestScore_NotesChinese(t *testing.T) {
	code, out, stderr := gk(t, "score", "--db", scoreDB(t), "--format", "json")
	if code != exitOK {
		t.Fatalf("score --format json = %d, %s", code, stderr)
	}
	var cards any
	if err := json.Unmarshal([]byte(out), &cards); err != nil {
		t.Fatal(err)
	}
	n := 0
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if s, ok := x.(string); ok && (k == "note" || k == "why") && s != "" {
					n++
					if !strings.ContainsFunc(s, func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }) {
						t.Errorf("%s %q is not Chinese", k, s)
					}
				}
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(cards)
	if n == 0 || !strings.Contains(out, `"source": "pending"`) {
		t.Errorf("score JSON has %d notes and no English source values:\n%.400s", n, out)
	}
}

// Ensure that events rejects a unit no run audited and a malformed finding
// id instead of printing an empty table, and still lists a known unit.
func TestEvents_UnknownFilterRejected(t *testing.T) {
	path := diffStore(t)
	code, _, stderr := gk(t, "review", "confirm", "--db", path, "--finding", "zz", "--reason", "x")
	if code != exitUsage || !oneLine(stderr) || !strings.Contains(stderr, "不是问题编号") {
		t.Errorf("review confirm --finding zz = %d, %q; want 2 and one line", code, stderr)
	}
	for _, args := range [][]string{{"--unit", "xinq"}, {"--finding", "zz"}} {
		code, out, stderr := gk(t, append([]string{"events", "--db", path}, args...)...)
		if code != exitUsage || out != "" || !oneLine(stderr) {
			t.Errorf("events %v = %d, %q, stderr %q; want 2 and one line", args, code, out, stderr)
		}
	}
	if code, out, stderr := gk(t, "events", "--db", path, "--unit", "xinqi"); code != exitOK || !strings.Contains(out, "xinqi") {
		t.Errorf("events --unit xinqi = %d, %q, %q", code, out, stderr)
	}
}

// Ensure that a --run that names no run says how to list the runs.
func TestRunRef_UnknownRunExplained(t *testing.T) {
	path := diffStore(t)
	for _, cmd := range [][]string{{"findings"}, {"score"}, {"diff", "--to"}} {
		args := append([]string{cmd[0], "--db", path}, cmd[1:]...)
		if len(cmd) == 1 {
			args = append(args, "--run")
		}
		code, _, stderr := gk(t, append(args, "bogus")...)
		if code != exitError || !oneLine(stderr) || !strings.Contains(stderr, `没有运行 "bogus"`) || !strings.Contains(stderr, "gkaudit runs") {
			t.Errorf("%s bogus = %d, stderr %q", strings.Join(args, " "), code, stderr)
		}
	}
}

// Ensure that a bad flag is one Chinese line naming it, not the flag
// package's English message followed by every flag.
func TestFlags_BadFlagOneLine(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"findings", "--bogus"}, "gkaudit findings: 没有参数 -bogus（gkaudit findings -h 列出全部参数）\n"},
		{[]string{"gc", "--db", "x.db", "--keep", "abc"}, `gkaudit gc: 参数 -keep 的值 "abc" 无效（格式不对）（gkaudit gc -h 列出全部参数）` + "\n"},
		{[]string{"score", "--db"}, "gkaudit score: 参数 -db 需要一个值（gkaudit score -h 列出全部参数）\n"},
		{[]string{"export", "xlsx", "--nope"}, "gkaudit export xlsx: 没有参数 -nope（gkaudit export xlsx -h 列出全部参数）\n"},
	} {
		code, out, stderr := gk(t, tt.args...)
		if code != exitUsage || out != "" || stderr != tt.want {
			t.Errorf("gkaudit %v = %d, %q, stderr %q; want 2 and %q", tt.args, code, out, stderr, tt.want)
		}
	}
	if _, _, stderr := gk(t, "findings", "-h"); !strings.HasPrefix(stderr, "用法：gkaudit findings [参数]\n") || !strings.Contains(stderr, "-status") {
		t.Errorf("findings -h printed %q, want the Chinese heading and the flags", stderr)
	}
}
