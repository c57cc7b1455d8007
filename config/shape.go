package config

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

var durationType = reflect.TypeOf(Duration(0))

// shapeWalker checks a document against a Go type: mappings where structs
// and maps are, known keys only, no key twice, scalars of the right type.
type shapeWalker struct {
	file string
	errs []error
}

func (w *shapeWalker) errorf(n *yaml.Node, p path, format string, args ...any) {
	w.errs = append(w.errs, &fieldError{file: w.file, line: n.Line, key: p.String(), msg: fmt.Sprintf(format, args...)})
}

func (w *shapeWalker) walk(n *yaml.Node, t reflect.Type, p path) {
	if n.Kind == yaml.AliasNode {
		return // checked where the anchor is; yaml.v3 decodes it
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		return // decodes to the zero value; Validate judges it
	}
	if t == durationType {
		if _, err := parseDuration(n); err != nil {
			w.errorf(n, p, "%v", err)
		}
		return
	}
	if t == dateSpanType {
		if _, err := parseDateSpan(n); err != nil {
			w.errorf(n, p, "%v", err)
		}
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		w.walk(n, t.Elem(), p)
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			w.errorf(n, p, "应为映射（键: 值），实际写的是%s", nodeKind(n))
			return
		}
		fields := yamlFields(t)
		w.mapping(n, p, func(k *yaml.Node, v *yaml.Node) {
			f, ok := fields[k.Value]
			if !ok {
				w.errorf(k, p.key(k.Value), "%s", unknownKey(suggest(k.Value, fields)))
				return
			}
			w.walk(v, f.Type, p.key(k.Value))
		})
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			w.errorf(n, p, "应为映射（键: 值），实际写的是%s", nodeKind(n))
			return
		}
		intKeys := t.Key().Kind() == reflect.Int
		w.mapping(n, p, func(k *yaml.Node, v *yaml.Node) {
			if intKeys && k.ShortTag() != "!!int" {
				w.errorf(k, p.key(k.Value), "键应为整数（如年份 2019），实际写的是%s", nodeKind(k))
				return
			}
			w.walk(v, t.Elem(), p.key(k.Value))
		})
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			w.errorf(n, p, "应为列表（每项以 - 开头），实际写的是%s", nodeKind(n))
			return
		}
		for i, e := range n.Content {
			w.walk(e, t.Elem(), p.index(i))
		}
	case reflect.Int, reflect.Int64:
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" {
			w.errorf(n, p, "应为整数，实际写的是%s", nodeKind(n))
		}
	case reflect.Float64:
		if n.Kind != yaml.ScalarNode || (n.ShortTag() != "!!int" && n.ShortTag() != "!!float") {
			w.errorf(n, p, "应为数字，实际写的是%s", nodeKind(n))
		}
	case reflect.Bool:
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" {
			w.errorf(n, p, "应为 true 或 false，实际写的是%s", nodeKind(n))
		}
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			w.errorf(n, p, "应为字符串，实际写的是%s", nodeKind(n))
		}
	}
}

// mapping calls fn on each key and value of n, reporting keys that are not
// strings or that occur twice.
func (w *shapeWalker) mapping(n *yaml.Node, p path, fn func(k, v *yaml.Node)) {
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			w.errorf(k, p, "键应为字符串，实际写的是%s", nodeKind(k))
			continue
		}
		if k.Value == "<<" && k.ShortTag() == "!!merge" {
			continue // merge key: yaml.v3 checks the merged mapping
		}
		if first, dup := seen[k.Value]; dup {
			w.errorf(k, p.key(k.Value), "第 %d 行已设置过这个键：请删去其中一处", first)
			continue
		}
		seen[k.Value] = k.Line
		fn(k, v)
	}
}

// yamlFields maps the yaml keys of struct type t to its fields.
func yamlFields(t reflect.Type) map[string]reflect.StructField {
	m := map[string]reflect.StructField{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		m[name] = f
	}
	return m
}

// unknownKey is the message for a key the type lacks; near is a close known
// key or "".
func unknownKey(near string) string {
	if near != "" {
		return fmt.Sprintf("没有这个设置项，是不是 %q？请改正拼写或删去（设置项见 gkaudit config show 的输出和 README）", near)
	}
	return "没有这个设置项：请改正拼写或删去（设置项见 gkaudit config show 的输出和 README）"
}

// suggest returns the known key closest to k if it is close, else "".
func suggest(k string, fields map[string]reflect.StructField) string {
	best, bestD := "", 3
	for name := range fields {
		if d := EditDistance(k, name); d < bestD || (d == bestD && name < best) {
			best, bestD = name, d
		}
	}
	if best == "" || bestD >= len([]rune(best)) {
		return ""
	}
	return best
}

// EditDistance is the Levenshtein distance of two strings, by rune; strings
// over 64 runes count as 64 apart (a suggestion is for a typo, not a text).
func EditDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 64 || len(rb) > 64 {
		return 64
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

func nodeKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "映射（键: 值）"
	case yaml.SequenceNode:
		return "列表"
	case yaml.ScalarNode:
		return " " + strconv.Quote(n.Value)
	case yaml.AliasNode:
		return "别名"
	}
	return "空值"
}
