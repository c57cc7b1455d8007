// Command gkaudit audits the government-information-disclosure (政务公开)
// columns of a district's units. See README.md for the commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

// defaultMemoryLimit is the Go heap's soft limit when GOMEMLIMIT is not set:
// a night over a district's hundred thousand pages keeps its heap near it,
// where the default GOGC alone lets the heap grow to twice what is live.
// Four crawls at once keep some 75 MB live (115 at most; GODEBUG=gctrace=1
// on bench/rss.sh's huge district), so at 150 MiB the collector takes 20%
// of the CPU; closer to what is live it would thrash. GOMEMLIMIT=off lifts
// it, GOMEMLIMIT=300MiB raises it for a district of much larger sites.
const defaultMemoryLimit = 150 << 20

func main() {
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	ctx, stop := signalContext(context.Background())
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// signalContext is cancelled by SIGINT (Ctrl-C) or SIGTERM, with the signal
// as its cause (interruptExit turns it into the exit code). After the first
// signal the default handling is restored, so that a second Ctrl-C ends a
// command that is slow to stop at once.
func signalContext(parent context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(parent)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-ch:
			cancel(signalError{sig})
			signal.Stop(ch)
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		close(done)
		cancel(nil)
	}
}

// Exit codes.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
	// exitSIGINT and exitSIGTERM end a command interrupted by that signal,
	// as shells report a process killed by it (128 + the signal number).
	exitSIGINT  = 130
	exitSIGTERM = 143
)

const usage = `gkaudit — 区县政府网站政务公开检查

用法：
  gkaudit demo [--db FILE] [--size demo|bench|huge] [--seed N] [--port N] [--generation N] [--serve [--listen ADDR]]
  gkaudit audit --config FILE --db FILE [--units id,id] [--as-of YYYY-MM-DD] [--full]
  gkaudit audit --url URL [--id ID] [--kind KIND] [--name NAME] [--config FILE] [--db FILE] [--as-of YYYY-MM-DD]
  gkaudit audit --config FILE --db shard-K.db --shard K/N [--as-of YYYY-MM-DD] [--full]
  gkaudit merge --out FILE [--config FILE] shard-1.db ... shard-N.db
  gkaudit findings --db FILE [--run ID|latest] [--format json|csv|table] [--unit ID] [--check ID] [--status S]
  gkaudit score --db FILE [--run ID|latest] [--config FILE] [--format table|json|csv]
  gkaudit export xlsx --db FILE --out FILE.xlsx [--run ID|latest] [--config FILE]
  gkaudit diff --db FILE [--from RUN] [--to RUN] [--format table|json]
  gkaudit report --db FILE --out FILE.html [--run ID|latest] [--config FILE] [--runs N]
  gkaudit gc --db FILE --keep N
  gkaudit runs --db FILE [--format table|json]
  gkaudit check --db FILE
  gkaudit review confirm|dismiss|reopen --db FILE --finding ID --reason TEXT [--by NAME]
  gkaudit events --db FILE [--finding ID] [--unit ID] [--format table|json]
  gkaudit notices --db FILE --out DIR [--units id,id] [--as-of YYYY-MM-DD] [--issue] [--run ID] [--config FILE] [--by NAME] [--pdf=false]
  gkaudit evidence --db FILE --finding ID --out FILE.warc.gz [--run ID]
  gkaudit evidence verify FILE.warc.gz
  gkaudit serve --config FILE --db FILE [--listen ADDR] [--tls-cert FILE --tls-key FILE]
  gkaudit sim [--listen ADDR] [--truth FILE] [--config FILE] [--size demo|bench|huge] [--seed N] [--generation N] [--traps=false]
  gkaudit init --portal URL --out FILE [--config FILE] [--force]
  gkaudit config show [--config FILE]
  gkaudit config check FILE
  gkaudit checks [--terms]
  gkaudit user add NAME --role admin|reviewer|viewer --db FILE
  gkaudit user list|passwd|disable [NAME] --db FILE
  gkaudit version [--format text|json]

"gkaudit 命令 -h" 列出该命令的参数。表格宽 120 列（在终端上为终端宽度），
完整文字见 --format json 或 csv。
`

// run is the whole program behind main: it parses args, runs one command and
// returns the exit code. Nothing below it calls os.Exit.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return runInput(ctx, args, os.Stdin, stdout, stderr)
}

// runInput is run with the standard input given: the commands that read
// passwords read them from it (tests hand in a buffer).
func runInput(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	out := &checkedWriter{w: stdout}
	env := &cli{ctx: ctx, stdin: stdin, stdout: out, stderr: stderr, out: out}
	code := env.command(args)
	if out.err != nil {
		fmt.Fprintf(stderr, "gkaudit: 写出结果失败：%v\n", out.err)
		return exitError
	}
	return code
}

// command runs the command args name.
func (c *cli) command(args []string) int {
	env := c
	switch args[0] {
	case "demo":
		return env.demo(args[1:])
	case "audit":
		return env.audit(args[1:])
	case "merge":
		return env.merge(args[1:])
	case "findings":
		return env.findings(args[1:])
	case "score":
		return env.score(args[1:])
	case "export":
		return env.export(args[1:])
	case "diff":
		return env.diff(args[1:])
	case "report":
		return env.report(args[1:])
	case "gc":
		return env.gc(args[1:])
	case "runs":
		return env.runs(args[1:])
	case "check":
		return env.check(args[1:])
	case "notices":
		return env.notices(args[1:])
	case "review":
		return env.review(args[1:])
	case "events":
		return env.events(args[1:])
	case "evidence":
		return env.evidence(args[1:])
	case "serve":
		return env.serve(args[1:])
	case "sim":
		return env.sim(args[1:])
	case "init":
		return env.initCmd(args[1:])
	case "config":
		return env.config(args[1:])
	case "checks":
		return env.checksCmd(args[1:])
	case "user":
		return env.user(args[1:])
	case "version":
		return env.version(args[1:])
	case "help", "-h", "--help":
		fmt.Fprint(env.stdout, usage)
		return exitOK
	default:
		fmt.Fprintf(env.stderr, "gkaudit: 没有命令 %q\n\n%s", args[0], usage)
		return exitUsage
	}
}

// cli carries what every command writes to.
type cli struct {
	ctx    context.Context
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	// out is stdout, which remembers a failed write: runInput reports it.
	out *checkedWriter

	// columnScope is set by audit --url (audit.Options.ColumnScope).
	columnScope bool
}

// fail prints an error and returns the error exit code. An error writing
// the output itself is left to runInput, which reports it once. Errors may
// quote crawled text, so control characters are escaped.
func (c *cli) fail(err error) int {
	if c.out != nil && c.out.err != nil {
		return exitError
	}
	fmt.Fprintf(c.stderr, "gkaudit: %s\n", termSafe(storeError("", err).Error(), true))
	return exitError
}

// usageErr prints a usage error of command name ("findings", "export xlsx")
// and returns the usage exit code.
func (c *cli) usageErr(name, format string, args ...any) int {
	fmt.Fprintf(c.stderr, "gkaudit %s: %s\n", name, termSafe(fmt.Sprintf(format, args...), false))
	return exitUsage
}

// extraArgs reports a positional argument a command does not take.
func (c *cli) extraArgs(name string, fs *flag.FlagSet) bool {
	if fs.NArg() == 0 {
		return false
	}
	c.usageErr(name, "多余的参数 %q（此命令不接受位置参数；参数用 --名称 给出，见 gkaudit %s -h）", fs.Arg(0), name)
	return true
}

// parseExit is the exit code of a failed flag parse: -h and --help print
// the flags and succeed; anything else is a usage error.
func parseExit(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	return exitUsage
}
