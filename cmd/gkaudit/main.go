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
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit codes.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

const usage = `gkaudit — 政务公开 compliance audits of a district's websites

Usage:
  gkaudit demo [--db FILE] [--size demo|bench] [--seed N] [--port N] [--generation N] [--serve [--listen ADDR]]
  gkaudit audit --config FILE --db FILE [--units id,id] [--as-of YYYY-MM-DD] [--full]
  gkaudit audit --url URL [--name NAME] [--db FILE] [--as-of YYYY-MM-DD]
  gkaudit audit --config FILE --db shard-K.db --shard K/N [--as-of YYYY-MM-DD] [--full]
  gkaudit merge --out FILE [--config FILE] shard-1.db ... shard-N.db
  gkaudit findings --db FILE [--run ID|latest] [--format json|csv|table] [--unit ID] [--check ID] [--status S]
  gkaudit score --db FILE [--run ID|latest] [--config FILE] [--format table|json|csv]
  gkaudit export xlsx --db FILE --out FILE.xlsx [--run ID|latest] [--config FILE]
  gkaudit diff --db FILE [--from RUN] [--to RUN] [--format table|json]
  gkaudit report --db FILE --out FILE.html [--run ID|latest] [--config FILE] [--runs N]
  gkaudit gc --db FILE --keep N
  gkaudit review confirm|dismiss|reopen --db FILE --finding ID --reason TEXT [--by NAME]
  gkaudit events --db FILE [--finding ID] [--unit ID] [--format table|json]
  gkaudit notices --db FILE --out DIR [--units id,id] [--as-of YYYY-MM-DD] [--issue] [--run ID] [--config FILE] [--by NAME] [--pdf=false]
  gkaudit evidence --db FILE --finding ID --out FILE.warc.gz [--run ID]
  gkaudit evidence verify FILE.warc.gz
  gkaudit serve --config FILE --db FILE [--listen ADDR] [--tls-cert FILE --tls-key FILE]
  gkaudit sim [--listen ADDR] [--truth FILE] [--config FILE] [--size demo|bench] [--seed N] [--generation N] [--traps=false]
  gkaudit config show [--config FILE]
  gkaudit config check FILE
  gkaudit checks [--terms]
  gkaudit user add NAME --role admin|reviewer|viewer --db FILE
  gkaudit user list|passwd|disable [NAME] --db FILE

Run "gkaudit COMMAND -h" for the flags of a command.
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
	env := &cli{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr}
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
	case "config":
		return env.config(args[1:])
	case "checks":
		return env.checksCmd(args[1:])
	case "user":
		return env.user(args[1:])
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	default:
		fmt.Fprintf(stderr, "gkaudit: unknown command %q\n\n%s", args[0], usage)
		return exitUsage
	}
}

// cli carries what every command writes to.
type cli struct {
	ctx    context.Context
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// fail prints an error and returns the error exit code.
func (c *cli) fail(err error) int {
	fmt.Fprintf(c.stderr, "gkaudit: %v\n", err)
	return exitError
}

// parseExit is the exit code of a failed flag parse: -h and --help print
// the flags and succeed; anything else is a usage error.
func parseExit(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	return exitUsage
}
