package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"
	_ "time/tzdata" // CRON_TZ= zone names resolve on hosts without zoneinfo

	"golang.org/x/term"

	"gkaudit/service"
	"gkaudit/store"
	"gkaudit/web"
)

// serveIdle is how long serve keeps the database open after its last use.
// It is well under the second other gkaudit commands wait for the file's
// lock, so that a command arriving while the web UI or /healthz had the file
// open still gets in.
const serveIdle = 300 * time.Millisecond

// serveStopWait bounds the stop after SIGTERM/SIGINT: the HTTP server's
// shutdown and the stop of the run in progress.
const serveStopWait = 10 * time.Second

func (c *cli) serve(args []string) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	cfgPath := fs.String("config", "", "配置文件：各单位及其网址、schedule、run_deadline、probe（必填）")
	dbPath := fs.String("db", "", "bbolt 数据库文件（必填；不存在时新建）")
	listen := fs.String("listen", "127.0.0.1:8080", "提供 /healthz、/metrics 和审核网页的地址")
	tlsCert := fs.String("tls-cert", "", "TLS 证书文件（PEM），与 --tls-key 一起给出时以 HTTPS 提供服务")
	tlsKey := fs.String("tls-key", "", "TLS 私钥文件（PEM），与 --tls-cert 一起给出")
	if code, ok := c.parse(fs, args); !ok {
		return code
	}
	switch {
	case c.extraArgs("serve", fs):
		return exitUsage
	case *cfgPath == "" || *dbPath == "":
		return c.usageErr("serve", "需要 --config 和 --db：请给出配置文件（各单位须有 url）和数据库文件")
	case (*tlsCert == "") != (*tlsKey == ""):
		return c.usageErr("serve", "--tls-cert 和 --tls-key 要一起给出：请同时指定证书和私钥，或都不给（用 HTTP）")
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return c.fail(err)
	}
	// serve audits and probes every unit from its entry URL: config check's
	// rule, with its file:line messages.
	if err := cfg.CheckURLs(cfg.Units); err != nil {
		return c.fail(err)
	}
	var tlsCfg *tls.Config
	if *tlsCert != "" {
		pair, err := tls.LoadX509KeyPair(*tlsCert, *tlsKey)
		if err != nil {
			return c.fail(fmt.Errorf("无法读取 TLS 证书或私钥（%s、%s）：%w；请检查两个文件是否为配对的 PEM 证书和私钥", *tlsCert, *tlsKey, err))
		}
		tlsCfg = &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12}
	}
	log := newLogger(c.stderr)

	h := store.NewHandle(*dbPath, serveIdle)
	defer h.Close()
	// A file that cannot be opened at all is a bad start; one another
	// process holds right now is not (a run will wait for it).
	if err := h.Do(func(*store.DB) error { return nil }); err != nil {
		if !errors.Is(err, store.ErrLocked) {
			return c.fail(err)
		}
		log.Warn("数据库文件正被其他进程占用，服务照常启动", "db", *dbPath, "err", err)
	}
	svc, err := service.New(service.Options{Config: cfg, Store: h, Logger: log})
	if err != nil {
		return c.fail(err)
	}
	ui, err := web.New(web.Options{Store: h, Config: cfg, Runner: serviceRunner{svc}, Secure: tlsCfg != nil, Logger: log})
	if err != nil {
		return c.fail(err)
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return c.fail(fmt.Errorf("无法在 %s 上监听：%w；请换一个 --listen 地址，或停止占用该端口的程序", *listen, err))
	}
	srv := &http.Server{
		Handler:           svc.Handler(ui),
		TLSConfig:         tlsCfg,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}

	ctx, cancel := context.WithCancel(c.ctx)
	defer cancel()
	svcDone := make(chan error, 1)
	go func() { svcDone <- svc.Run(ctx) }()
	srvDone := make(chan error, 1)
	go func() {
		if tlsCfg != nil {
			srvDone <- srv.ServeTLS(ln, "", "")
		} else {
			srvDone <- srv.Serve(ln)
		}
	}()
	scheme := "http"
	if tlsCfg != nil {
		scheme = "https"
	}
	log.Info("正在监听", "addr", ln.Addr().String(), "url", scheme+"://"+ln.Addr().String()+"/healthz", "db", *dbPath, "config", *cfgPath)

	code := exitOK
	select {
	case <-ctx.Done():
		log.Info("收到停止信号，正在停止")
	case err := <-srvDone:
		log.Error("HTTP 服务异常退出", "err", err)
		code = exitError
	}
	cancel()
	stopCtx, stopCancel := context.WithTimeout(context.Background(), serveStopWait)
	defer stopCancel()
	if err := srv.Shutdown(stopCtx); err != nil {
		log.Warn("HTTP 服务未能按时关闭", "err", err)
	}
	select {
	case <-svcDone:
	case <-stopCtx.Done():
		// The process exits anyway: bbolt's transactions keep the file valid
		// and the run stays incomplete.
		log.Error("当前运行未能在限时内停止，强制退出", "wait", serveStopWait.String())
		return exitError
	}
	if err := h.Close(); err != nil {
		log.Warn("关闭数据库失败", "err", err)
	}
	log.Info("已停止")
	return code
}

// newLogger logs to w: text for a person at a terminal, JSON for a log
// collector otherwise.
func newLogger(w io.Writer) *slog.Logger {
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return slog.New(slog.NewTextHandler(w, nil))
	}
	return slog.New(slog.NewJSONHandler(w, nil))
}

// serviceRunner lets the web UI start runs and show their progress.
type serviceRunner struct{ svc *service.Service }

func (r serviceRunner) RunNow() error { return r.svc.RunNow() }

func (r serviceRunner) Status() web.RunStatus {
	st := r.svc.Status()
	return web.RunStatus{Running: st.Running, RunID: st.RunID, Started: st.Started, UnitsDone: st.UnitsDone,
		UnitsTotal: st.UnitsTotal, Pages: st.Pages, Current: st.InProgress, LastRun: st.Last.ID,
		LastOutcome: outcomeLabel(st.Last), Next: st.Next}
}

// outcomeLabel says how the last run ended, for the runs page.
func outcomeLabel(l service.LastRun) string {
	switch l.Outcome {
	case service.OutcomeComplete:
		return "已完成"
	case service.OutcomeInterrupted:
		return "已中断"
	case service.OutcomeFailed:
		return "失败（" + l.Err + "）"
	}
	return string(l.Outcome)
}
