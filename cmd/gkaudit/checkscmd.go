package main

import (
	"flag"
	"fmt"
	"sort"
	"strings"

	"gkaudit/checks"
)

// checksCmd lists the registered checks with their rules and the default
// word lists a config's terms: section can override.
func (c *cli) checksCmd(args []string) int {
	fs := flag.NewFlagSet("checks", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	terms := fs.Bool("terms", false, "同时列出每个词表键及其默认词语")
	if code, ok := c.parse(fs, args); !ok {
		return code
	}
	if c.extraArgs("checks", fs) {
		return exitUsage
	}
	for _, ck := range checks.All() {
		fmt.Fprintf(c.stdout, "%s\n    %s\n", ck.ID, ck.Rule)
		if !*terms {
			continue
		}
		keys := make([]string, 0, len(ck.Terms))
		for k := range ck.Terms {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(c.stdout, "    terms.%s: [%s]\n", k, strings.Join(ck.Terms[k], ", "))
		}
	}
	return exitOK
}
