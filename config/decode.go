package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"gopkg.in/yaml.v3"
)

// source is one YAML document a config was decoded from.
type source struct {
	name string
	root *yaml.Node // the document's top node; nil for an empty document
}

// overlay decodes data (named name in errors) over c. It first checks the
// document's shape against the Config type (unknown keys, duplicate keys,
// wrong value types), so that every such error names its line and key, then
// decodes with yaml.v3's KnownFields(true) as a backstop.
func overlay(c *Config, name string, data []byte) (err error) {
	defer func() {
		if r := recover(); r != nil { // yaml.v3 has panicked on odd input before
			err = &fieldError{file: name, msg: fmt.Sprintf("无法解析这个 YAML 文件（%v）：请检查文件格式", r)}
		}
	}()
	var doc yaml.Node
	nodes := yaml.NewDecoder(bytes.NewReader(data))
	if err := nodes.Decode(&doc); err != nil && err != io.EOF {
		return yamlError(name, err)
	}
	var next yaml.Node
	if err := nodes.Decode(&next); err == nil {
		return &fieldError{file: name, line: next.Line, msg: "文件中有第二个 YAML 文档（--- 之后）：请把设置合并到一个文档中，删去 ---"}
	} else if err != io.EOF {
		return yamlError(name, err)
	}
	var root *yaml.Node
	if doc.Kind == yaml.DocumentNode && len(doc.Content) > 0 {
		root = doc.Content[0]
	}
	if root != nil {
		w := &shapeWalker{file: name}
		w.walk(root, reflect.TypeOf(Config{}), nil)
		if len(w.errs) > 0 {
			return errors.Join(w.errs...)
		}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil && err != io.EOF {
		return yamlError(name, err)
	}
	c.srcs = append([]source{{name: name, root: root}}, c.srcs...)
	return nil
}

var yamlLineRE = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// yamlError rewrites a yaml.v3 error ("yaml: line 3: ...") into the
// file:line: form of the other config errors.
func yamlError(file string, err error) error {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		errs := make([]error, 0, len(te.Errors))
		for _, s := range te.Errors {
			errs = append(errs, lineError(file, s, valueMsg))
		}
		return errors.Join(errs...)
	}
	return lineError(file, err.Error(), syntaxMsg)
}

func lineError(file, s string, explain func(string) string) error {
	if m := yamlLineRE.FindStringSubmatch(s); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &fieldError{file: file, line: line, msg: explain(m[2])}
	}
	return &fieldError{file: file, msg: explain(strings.TrimPrefix(s, "yaml: "))}
}

// syntaxMsg explains a yaml.v3 syntax error, kept in brackets as yaml.v3
// words it.
func syntaxMsg(s string) string {
	return "YAML 语法错误（" + s + "）：请检查出错位置及其上一行的缩进、冒号和引号"
}

// valueMsg explains a yaml.v3 decoding error. The shape check reports wrong
// types first, so these are mostly gkaudit's own (Chinese) messages, kept
// as they are; yaml.v3's English ones are explained.
func valueMsg(s string) string {
	if strings.ContainsFunc(s, func(r rune) bool { return r > unicode.MaxASCII }) {
		return s
	}
	return "无法读取这个值（" + s + "）：请对照 gkaudit config show 的输出改正它的类型和写法"
}

// fieldError is one configuration error: file:line: key: message.
type fieldError struct {
	file string
	line int    // 0 when unknown
	key  string // path of the offending key, e.g. units[3].url
	msg  string
	err  error // the cause, for errors.Is; nil for most
}

func (e *fieldError) Unwrap() error { return e.err }

func (e *fieldError) Error() string {
	var b strings.Builder
	if e.file != "" {
		b.WriteString(e.file)
		if e.line > 0 {
			fmt.Fprintf(&b, ":%d", e.line)
		}
		b.WriteString(": ")
	}
	if e.key != "" {
		b.WriteString(e.key)
		b.WriteString(": ")
	}
	b.WriteString(e.msg)
	return b.String()
}

// path names a value in the config: map keys (string) and list indexes (int).
type path []any

func (p path) key(k string) path { return append(p[:len(p):len(p)], k) }
func (p path) index(i int) path  { return append(p[:len(p):len(p)], i) }

func (p path) String() string {
	var b strings.Builder
	for _, s := range p {
		switch s := s.(type) {
		case int:
			fmt.Fprintf(&b, "[%d]", s)
		case string:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s)
		}
	}
	return b.String()
}

// locate returns the file and line a value at p came from: the first source
// that set it. Lists replace and maps merge, so the user's file owns p when
// it has every mapping key on the way down to p, or a list on that way.
func (c *Config) locate(p path) (file string, line int) {
	for _, s := range c.srcs {
		if n, ok := find(s.root, p); ok {
			return s.name, n.Line
		}
	}
	return c.Source, 0
}

// find returns the deepest node of root on p, and whether root owns p.
func find(root *yaml.Node, p path) (*yaml.Node, bool) {
	n := deref(root)
	if n == nil {
		return nil, false
	}
	inList := false
	for _, seg := range p {
		switch seg := seg.(type) {
		case string:
			if n.Kind != yaml.MappingNode {
				return n, true
			}
			v := mappingValue(n, seg)
			if v == nil {
				return n, inList
			}
			n = deref(v)
		case int:
			if n.Kind != yaml.SequenceNode || seg >= len(n.Content) {
				return n, true
			}
			inList = true
			n = deref(n.Content[seg])
		}
		if n == nil {
			return nil, false
		}
	}
	return n, true
}

func mappingValue(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// deref follows aliases (bounded: yaml.v3 forbids cycles, but be safe).
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 16; i++ {
		n = n.Alias
	}
	if n != nil && n.Kind == yaml.AliasNode {
		return nil
	}
	return n
}
