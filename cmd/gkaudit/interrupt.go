package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
)

// signalError is the cause of the command's context when a signal stopped it.
type signalError struct{ sig os.Signal }

func (e signalError) Error() string { return "收到信号 " + e.sig.String() }

// interruptExit is the exit code of a command its context stopped: 143 after
// SIGTERM, otherwise 130 (Ctrl-C, and a context cancelled some other way).
func interruptExit(ctx context.Context) int {
	var se signalError
	if errors.As(context.Cause(ctx), &se) && se.sig == syscall.SIGTERM {
		return exitSIGTERM
	}
	return exitSIGINT
}

// wasInterrupted reports whether err ended a run because the command was
// interrupted (rather than a store or config failure).
func (c *cli) wasInterrupted(err error) bool {
	return c.ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded))
}

// interrupted reports an audit run stopped by Ctrl-C or SIGTERM: the run is
// kept, marked interrupted, and the same command starts a fresh one.
func (c *cli) interrupted(command, runID, dbPath string) int {
	run := "运行"
	if runID != "" {
		run = "运行 " + runID + " "
	}
	fmt.Fprintf(c.stderr, "gkaudit: %s已被中断，在 %s 中标记为“中断/未完成”（已检查单位的结果已保存；整改跟踪只采用完整的运行）；"+
		"继续：重新运行同一条 gkaudit %s 命令，新的运行会重新检查全部单位，未改变的页面用条件请求快速取回\n", run, dbPath, command)
	return interruptExit(c.ctx)
}
