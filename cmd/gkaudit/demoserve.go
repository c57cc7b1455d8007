package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"gkaudit/config"
	"gkaudit/store"
	"gkaudit/web"
)

// demoAdmin is the account demo --serve logs in with.
const demoAdmin = "demo-admin"

// serveDemo keeps the reviewer UI up on the demo's database until the
// command is interrupted. The store is reached through a Handle, so other
// gkaudit commands can read the file while the UI idles.
func (c *cli) serveDemo(cfg *config.Config, dbPath, listen string) error {
	password, err := demoAccount(dbPath)
	if err != nil {
		return err
	}
	h := store.NewHandle(dbPath, 2*time.Second)
	defer h.Close()
	ui, err := web.New(web.Options{Store: h, Config: cfg,
		Logger: slog.New(slog.NewTextHandler(c.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	if err != nil {
		return err
	}
	l, err := net.Listen("tcp", listen)
	if err != nil {
		return fmt.Errorf("审核界面：%w（用 --listen 换一个地址）", err)
	}
	srv := &http.Server{Handler: ui, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(c.stdout, "\n审核界面：http://%s/\n账号：%s  密码：%s（只显示这一次）\n按 Ctrl-C 结束。\n", l.Addr(), demoAdmin, password)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(l) }()
	select {
	case err := <-errc:
		return fmt.Errorf("审核界面：%w", err)
	case <-c.ctx.Done():
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		return fmt.Errorf("审核界面：关闭失败：%w", err)
	}
	fmt.Fprintln(c.stdout, "审核界面已关闭。")
	return nil
}

// demoAccount gives the demo-admin account (created, or reset when it
// exists: an admin may exist already) a fresh random password and returns
// it.
func demoAccount(dbPath string) (string, error) {
	password := randomPassword()
	hash, err := web.HashPassword(password)
	if err != nil {
		return "", err
	}
	db, err := store.Open(dbPath)
	if err != nil {
		return "", err
	}
	defer db.Close()
	_, err = db.UpdateUser(demoAdmin, func(u *store.User) error {
		u.Hash, u.Role, u.Disabled = hash, store.RoleAdmin, false
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		err = db.AddUser(store.User{Name: demoAdmin, Role: store.RoleAdmin, Hash: hash})
	}
	if err != nil {
		return "", err
	}
	return password, nil
}

// randomPassword is 26 random base32 characters (crypto/rand.Text).
func randomPassword() string { return rand.Text() }
