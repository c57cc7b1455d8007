package config

import (
	"gopkg.in/yaml.v3"
)

// Line returns the file and line the value at keys came from, so that a
// package validating what config cannot (checks: term keys) names them as
// config's own errors do. keys are mapping keys (string) and list indexes
// (int): Line("terms", "guide.elements.fax"), Line("rubric", "items", 3,
// "checks", 0). When the last key is a mapping key the line is that key's.
// line is 0 when no document the config was parsed from has the value (a
// config built or changed in code).
func (c *Config) Line(keys ...any) (file string, line int) {
	p := pathOf(keys)
	if n := len(p); n > 0 {
		if k, ok := p[n-1].(string); ok {
			for _, s := range c.srcs {
				if m, owned := find(s.root, p[:n-1]); owned && m != nil && m.Kind == yaml.MappingNode {
					if kn := mappingKey(m, k); kn != nil {
						return s.name, kn.Line
					}
				}
			}
		}
	}
	return c.locate(p)
}

// KeyError is an error about the value at keys (as Line takes them), worded
// as the config's own errors: "file:line: label: msg". label names the
// setting for the reader; "" names it by keys ("rubric.items[3].checks[0]").
func (c *Config) KeyError(label, msg string, keys ...any) error {
	file, line := c.Line(keys...)
	if label == "" {
		label = pathOf(keys).String()
	}
	return &fieldError{file: file, line: line, key: label, msg: msg}
}

// pathOf keeps the strings and ints of keys.
func pathOf(keys []any) path {
	p := make(path, 0, len(keys))
	for _, k := range keys {
		switch k := k.(type) {
		case string, int:
			p = append(p, k)
		}
	}
	return p
}

// mappingKey returns the key node of key in mapping m, or nil.
func mappingKey(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i]
		}
	}
	return nil
}
