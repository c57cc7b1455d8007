package main

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"regexp"
	"strings"
)

// parse parses a command's flags. -h and --help print the command's usage
// (its own fs.Usage, or the flags under a Chinese heading) to stderr and
// exit 0; a bad flag is one Chinese line naming it, exit 2, rather than the
// flag package's English message followed by every flag.
func (c *cli) parse(fs *flag.FlagSet, args []string) (code int, ok bool) {
	usage := fs.Usage
	fs.Usage = func() {}
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	fs.SetOutput(c.stderr)
	switch {
	case err == nil:
		return exitOK, true
	case errors.Is(err, flag.ErrHelp):
		// The flag package's default usage starts "Usage of NAME:"; a
		// command's own usage text is printed as it is.
		var b bytes.Buffer
		fs.SetOutput(&b)
		usage()
		fs.SetOutput(c.stderr)
		text := b.String()
		if rest, ok := strings.CutPrefix(text, "Usage of "+fs.Name()+":\n"); ok {
			text = "用法：gkaudit " + fs.Name() + " [参数]\n参数：\n" + rest
		}
		io.WriteString(c.stderr, flagDefaultRE.ReplaceAllString(text, "（默认 $1）"))
		return exitOK, false
	}
	c.usageErr(fs.Name(), "%s（gkaudit %s -h 列出全部参数）", flagError(err), fs.Name())
	return exitUsage, false
}

var (
	// flagDefaultRE is the flag package's " (default x)" after a flag's help.
	flagDefaultRE   = regexp.MustCompile(`(?m) \(default (.*)\)$`)
	flagUndefinedRE = regexp.MustCompile(`^flag provided but not defined: (.*)$`)
	flagNeedsArgRE  = regexp.MustCompile(`^flag needs an argument: (.*)$`)
	flagInvalidRE   = regexp.MustCompile(`^invalid (?:boolean )?value (".*") for flag (\S+): (.*)$`)
	flagSyntaxRE    = regexp.MustCompile(`^bad flag syntax: (.*)$`)
)

// flagError says in Chinese what the flag package's error says.
func flagError(err error) string {
	s := err.Error()
	if m := flagUndefinedRE.FindStringSubmatch(s); m != nil {
		return "没有参数 " + m[1]
	}
	if m := flagNeedsArgRE.FindStringSubmatch(s); m != nil {
		return "参数 " + m[1] + " 需要一个值"
	}
	if m := flagInvalidRE.FindStringSubmatch(s); m != nil {
		why := "格式不对"
		if m[3] == "value out of range" {
			why = "超出范围"
		}
		return "参数 " + m[2] + " 的值 " + m[1] + " 无效（" + why + "）"
	}
	if m := flagSyntaxRE.FindStringSubmatch(s); m != nil {
		return "参数格式不对：" + m[1]
	}
	return s
}
