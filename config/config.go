// Package config loads gkaudit's configuration: the assessed units, the crawl
// policy, the schedule, the column word lists, the check thresholds and the
// rubric. The binary embeds a default (default.yaml: Beilun District, 2019);
// a user's YAML file is decoded over it and validated strictly, every error
// naming the file, line and key.
package config

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

//go:embed default.yaml
var defaultYAML []byte

// defaultName is the name errors give the embedded default.
const defaultName = "default.yaml"

// Default returns the built-in configuration, freshly parsed on each call so
// that callers may change it.
func Default() (*Config, error) {
	c, err := parseDefault()
	if err != nil {
		return nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

// DefaultSHA256 is the hex SHA-256 of the embedded default.yaml, which
// gkaudit version prints so that two builds' built-in configs can be told
// apart.
func DefaultSHA256() string {
	sum := sha256.Sum256(defaultYAML)
	return hex.EncodeToString(sum[:])
}

// embedded is the embedded default parsed once, for the fallbacks of a
// config built in code; it must not be changed (Default gives a copy that
// may be).
var embedded = sync.OnceValues(parseDefault)

// parseDefault decodes the embedded default without validating it.
func parseDefault() (*Config, error) {
	c := &Config{}
	if err := overlay(c, defaultName, defaultYAML); err != nil {
		return nil, fmt.Errorf("内置配置 default.yaml 有误（程序缺陷，请报告）：%w", err)
	}
	return c, nil
}

// Load reads the YAML file at path over the default and validates the
// result. A list in the file (units, rubric.items, ...) replaces the
// default's list; a map (columns, key_areas, thresholds.stale_days) merges
// with the default's key by key.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, readError(path, err)
	}
	if emptyDocument(data) {
		// Parse gives the default for no settings; a file named on the
		// command line with none is a failed copy or the wrong file.
		return nil, &fieldError{file: path, msg: "文件中没有任何设置（空文件，或只有注释）：可从 gkaudit config show 的输出开始编写"}
	}
	return Parse(path, data)
}

// readError says why the file at path could not be read, and what to do.
func readError(path string, err error) error {
	msg := fmt.Sprintf("无法读取配置文件（%v）：请确认它是一个可读的文件", err)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		msg = "找不到这个配置文件：请检查路径；可用 gkaudit config show 的输出作为开始"
	case errors.Is(err, fs.ErrPermission):
		msg = "无权读取这个配置文件：请检查文件权限"
	}
	return &fieldError{file: path, msg: msg, err: err}
}

// emptyDocument reports whether data sets nothing: no bytes, only blanks
// and comments, or an empty mapping. Data that does not parse is not empty:
// Parse reports it.
func emptyDocument(data []byte) bool {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return false
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return true
	}
	root := doc.Content[0]
	return root.Kind == yaml.MappingNode && len(root.Content) == 0 ||
		root.Kind == yaml.ScalarNode && root.Tag == "!!null"
}

// Parse is Load on data already read; name is used in error messages.
func Parse(name string, data []byte) (*Config, error) {
	c, err := parseDefault()
	if err != nil {
		return nil, err
	}
	if err := overlay(c, name, data); err != nil {
		return nil, err
	}
	c.Source = name
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

// Marshal returns the effective configuration as YAML (gkaudit config show).
// Parsing the output gives the same configuration.
func (c *Config) Marshal() ([]byte, error) {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(c); err != nil {
		return nil, fmt.Errorf("无法把配置写成 YAML（程序缺陷，请报告）：%w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("无法把配置写成 YAML（程序缺陷，请报告）：%w", err)
	}
	return b.Bytes(), nil
}

// UnitByID returns the unit with the given id.
func (c *Config) UnitByID(id string) (Unit, bool) {
	for _, u := range c.Units {
		if u.ID == id {
			return u, true
		}
	}
	return Unit{}, false
}

// KeyAreasOf returns the key-area ids required of u: its own list when it has
// a non-empty one, else the default of its kind. The result is a copy.
func (c *Config) KeyAreasOf(u Unit) []string {
	if len(u.KeyAreas) > 0 {
		return slices.Clone(u.KeyAreas)
	}
	return slices.Clone(c.KeyAreas[u.Kind])
}

// keyAreaPrefix starts the Columns keys of key areas ("keyarea.budget") and
// the check IDs that judge them.
const keyAreaPrefix = "keyarea."

// KeyAreaIDs returns the key-area ids the config knows, in order: the keys of
// Columns that start with "keyarea.", without that prefix.
func (c *Config) KeyAreaIDs() []string {
	var ids []string
	for k := range c.Columns {
		if id, ok := strings.CutPrefix(k, keyAreaPrefix); ok && id != "" {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}

// baseCheckIDs are the stable check IDs of DESIGN.md other than keyarea.*.
var baseCheckIDs = []string{
	"site.reachable", "link.broken", "column.stale", "column.empty", "volume.low",
	"org.info", "guide.present", "guide.elements", "catalog.present", "catalog.metadata",
	"report.annual", "report.sections", "policy.validity",
	"interpretation.linked", "interpretation.sync", "decision.consultation",
	"carrier.column", "channel.apply", "newmedia.links",
	"content.serious_error", "privacy.personal_info",
	"site.identity", "link.suspicious",
}

// defaultKeyAreas are the key-area ids of the built-in columns, sorted as
// KeyAreaIDs sorts them.
var defaultKeyAreas = []string{
	"budget", "environment", "gov_debt", "law_enforcement", "major_projects",
	"poverty_alleviation", "public_resources", "public_welfare", "services",
}

// CheckIDs returns the stable check IDs: those of DESIGN.md, then
// keyarea.<area> for each built-in key area.
func CheckIDs() []string {
	return checkIDs(defaultKeyAreas)
}

// CheckIDs returns the check IDs valid under c: those of DESIGN.md, then
// keyarea.<area> for each key area of c's columns.
func (c *Config) CheckIDs() []string {
	return checkIDs(c.KeyAreaIDs())
}

func checkIDs(areas []string) []string {
	ids := slices.Clone(baseCheckIDs)
	for _, a := range areas {
		ids = append(ids, keyAreaPrefix+a)
	}
	return ids
}
