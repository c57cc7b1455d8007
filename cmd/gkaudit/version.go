package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"runtime"
	"runtime/debug"
	"strconv"

	"gkaudit/config"
	"gkaudit/store"
)

// versionInfo is what gkaudit version prints; the JSON keys are stable.
type versionInfo struct {
	Version      string `json:"version"`                // module version, "(devel)" for a source build
	Revision     string `json:"vcs_revision,omitempty"` // commit the binary was built from
	Time         string `json:"vcs_time,omitempty"`     // commit time, RFC 3339
	Modified     *bool  `json:"vcs_modified,omitempty"` // the work tree had uncommitted changes
	GoVersion    string `json:"go_version"`             // toolchain
	Platform     string `json:"platform"`               // GOOS/GOARCH
	Schema       int    `json:"store_schema"`           // database schema version this build writes
	ConfigSHA256 string `json:"embedded_config_sha256"` // of the built-in default.yaml
}

func (c *cli) version(args []string) int {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	format := fs.String("format", "text", "text 或 json")
	if code, ok := c.parse(fs, args); !ok {
		return code
	}
	if c.extraArgs("version", fs) {
		return exitUsage
	}
	if *format != "text" && *format != "json" {
		return c.usageErr("version", "--format %q：只能是 text 或 json", *format)
	}
	v := buildVersion(debug.ReadBuildInfo)
	v.Schema = store.SchemaVersion()
	v.ConfigSHA256 = config.DefaultSHA256()
	if *format == "json" {
		enc := json.NewEncoder(c.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(v); err != nil {
			return c.fail(err)
		}
		return exitOK
	}
	fmt.Fprintf(c.stdout, "gkaudit %s\n", v.Version)
	if v.Revision != "" {
		rev := v.Revision
		if v.Modified != nil && *v.Modified {
			rev += "（含未提交的修改）"
		}
		fmt.Fprintf(c.stdout, "提交：    %s\n", rev)
	}
	if v.Time != "" {
		fmt.Fprintf(c.stdout, "提交时间：%s\n", v.Time)
	}
	fmt.Fprintf(c.stdout, "Go：      %s %s\n", v.GoVersion, v.Platform)
	fmt.Fprintf(c.stdout, "数据库结构版本：%d\n", v.Schema)
	fmt.Fprintf(c.stdout, "内置配置 SHA-256：%s\n", v.ConfigSHA256)
	return exitOK
}

// buildVersion reads the module version and the vcs.* settings the go
// command stamps into a binary built inside a repository.
func buildVersion(read func() (*debug.BuildInfo, bool)) versionInfo {
	v := versionInfo{Version: "(unknown)", GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	bi, ok := read()
	if !ok {
		return v
	}
	if bi.Main.Version != "" {
		v.Version = bi.Main.Version
	}
	if bi.GoVersion != "" {
		v.GoVersion = bi.GoVersion
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			v.Revision = s.Value
		case "vcs.time":
			v.Time = s.Value
		case "vcs.modified":
			if b, err := strconv.ParseBool(s.Value); err == nil {
				v.Modified = &b
			}
		}
	}
	return v
}
