package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"gkaudit/config"
	"gkaudit/internal/testutil"
	"gkaudit/store"
)

// gkIn runs the command line with stdin.
func gkIn(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := runInput(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// Ensure that user add, list, passwd and disable manage accounts with
// bcrypt-hashed passwords read from stdin (never a flag), in Chinese.
func TestRun_User(t *testing.T) {
	db := filepath.Join(t.TempDir(), "u.db")
	if code, out, stderr := gkIn(t, "s3cret-pass\n", "user", "add", "李审核", "--role", "reviewer", "--db", db); code != exitOK || !strings.Contains(out, "已添加用户 李审核（审核员）") {
		t.Fatalf("user add = %d, %q, %q", code, out, stderr)
	}
	for _, tt := range []struct {
		stdin string
		args  []string
		code  int
		err   string
	}{
		{"s3cret-pass\n", []string{"user", "add", "李审核", "--role", "admin", "--db", db}, exitError, "已存在"},
		{"short\n", []string{"user", "add", "王", "--role", "viewer", "--db", db}, exitError, "至少 8 个字符"},
		{"", []string{"user", "add", "王", "--role", "viewer", "--db", db}, exitError, "标准输入中没有密码"},
		{"x\n", []string{"user", "add", "王", "--role", "boss", "--db", db}, exitUsage, "--role 应为"},
		{"x\n", []string{"user", "add", "王", "--role", "viewer"}, exitUsage, "需要 --db"},
		{"", []string{"user", "disable", "--db", db}, exitUsage, "需要用户名"},
		{"", []string{"user", "disable", "nobody", "--db", db}, exitError, "没有用户 nobody"},
		{"", []string{"user", "list", "--db", filepath.Join(t.TempDir(), "missing.db")}, exitError, "不存在；请检查 --db 路径"},
		{"s3cret-pass\n", []string{"user", "add", "张 三", "--role", "viewer", "--db", db}, exitError, `用户名 "张 三" 无效：应为 1 到 64 个字符`},
		{"", []string{"user", "frob"}, exitUsage, "用法"},
		{"", []string{"user", "add", "-h"}, exitOK, ""},
	} {
		code, _, stderr := gkIn(t, tt.stdin, tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.err) {
			t.Errorf("%v = %d, %q; want %d and %q", tt.args, code, stderr, tt.code, tt.err)
		}
	}
	if code, _, stderr := gkIn(t, "another-pass\r\n", "user", "passwd", "李审核", "--db", db); code != exitOK {
		t.Fatalf("passwd = %d: %s", code, stderr)
	}
	if code, _, stderr := gkIn(t, "", "user", "disable", "李审核", "--db", db); code != exitOK {
		t.Fatalf("disable = %d: %s", code, stderr)
	}
	code, out, _ := gkIn(t, "", "user", "list", "--db", db)
	if code != exitOK || !strings.Contains(out, "李审核") || !strings.Contains(out, "已停用") || !strings.Contains(out, "审核员") {
		t.Errorf("user list = %d:\n%s", code, out)
	}
	s, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	u, err := s.GetUser("李审核")
	if err != nil {
		t.Fatal(err)
	}
	if bcrypt.CompareHashAndPassword(u.Hash, []byte("another-pass")) != nil || !u.Disabled {
		t.Errorf("stored account: disabled %v, new password matches %v", u.Disabled, bcrypt.CompareHashAndPassword(u.Hash, []byte("another-pass")) == nil)
	}
}

// Ensure that demo --serve's UI comes up on the demo database with a
// one-time password for demo-admin (reset, not duplicated, when served
// again), logs in with it, and shuts down on interrupt.
func TestServeDemo(t *testing.T) {
	path := testutil.MustWriteStore(t, func(db *store.DB) {
		testutil.MustAddRun(t, db, store.Run{AsOf: "2020-03-01", Units: []string{"xinqi"}},
			testutil.Finding("xinqi", "org.info", "http://x/", "fail"))
		h, _ := bcrypt.GenerateFromPassword([]byte("existing-admin"), bcrypt.MinCost)
		if err := db.AddUser(store.User{Name: "admin", Role: store.RoleAdmin, Hash: h}); err != nil {
			t.Fatal(err)
		}
	})
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	first := serveOnce(t, cfg, path, nil)
	second := serveOnce(t, cfg, path, func(base string) {
		if code := loginCode(t, base, demoAdmin, first); code != http.StatusUnauthorized {
			t.Errorf("login with the previous demo password = %d, want 401", code)
		}
	})
	if first == second {
		t.Error("demo --serve printed the same password twice")
	}
}

// serveOnce runs serveDemo until check is done and returns the password it
// printed.
func serveOnce(t *testing.T, cfg *config.Config, path string, check func(base string)) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	c := &cli{ctx: ctx, stdout: pw, stderr: io.Discard}
	done := make(chan error, 1)
	go func() { done <- c.serveDemo(cfg, path, "127.0.0.1:0"); pw.Close() }()
	sc := bufio.NewScanner(pr)
	var base, password string
	for sc.Scan() {
		if m := regexp.MustCompile(`http://[0-9.:]+`).FindString(sc.Text()); m != "" {
			base = m
		}
		if m := regexp.MustCompile(`密码：([A-Z2-7]+)`).FindStringSubmatch(sc.Text()); m != nil {
			password = m[1]
			break
		}
	}
	go io.Copy(io.Discard, pr)
	if base == "" || password == "" {
		t.Fatalf("serveDemo printed no address and password")
	}
	if code := loginCode(t, base, demoAdmin, password); code != http.StatusSeeOther {
		t.Errorf("login as %s = %d, want 303", demoAdmin, code)
	}
	if check != nil {
		check(base)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serveDemo = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serveDemo did not stop on interrupt")
	}
	return password
}

func loginCode(t *testing.T, base, name, pw string) int {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(base + "/login")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(body)
	if m == nil {
		t.Fatalf("no login form at %s", base)
	}
	resp, err = c.PostForm(base+"/login", url.Values{"csrf": {string(m[1])}, "name": {name}, "password": {pw}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
