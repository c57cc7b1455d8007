package onboard

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"gkaudit/cndate"
	"gkaudit/config"
)

// overlay is the head of the file written for the built-in config: the
// district, before its units; it is decoded over the built-in default
// (rubric, columns, crawl policy ... stay the built-in ones).
type overlay struct {
	District string `yaml:"district"`
	Year     int    `yaml:"year"`
}

// Render writes the config for res as YAML in the layout of default.yaml
// (one unit a line). With src nil it writes district, year and units, to
// be decoded over the built-in default. With src (the user's --config
// file) it writes that file with its units replaced, its other settings
// and comments kept. Units not found are written without url, under a
// comment saying so; the header names the portal and when it was read.
// The output is parsed back before it is returned, so a file Render
// returns is one config.Load accepts.
func Render(cfg *config.Config, res *Result, portal string, at time.Time, src []byte) ([]byte, error) {
	var unitsNode yaml.Node
	if err := unitsNode.Encode(res.Units); err != nil {
		return nil, fmt.Errorf("onboard: encode units: %w", err)
	}
	missing := map[string]Missing{}
	for _, m := range res.Missing {
		missing[m.Unit.ID] = m
	}
	for i, item := range unitsNode.Content {
		item.Style = yaml.FlowStyle
		if m, ok := missing[res.Units[i].ID]; ok {
			item.HeadComment = missingComment(m)
		}
	}
	var doc yaml.Node
	if src != nil {
		if err := yaml.Unmarshal(src, &doc); err != nil {
			return nil, fmt.Errorf("onboard: read %s: %w", cfg.Source, err)
		}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		var head yaml.Node
		if err := head.Encode(overlay{District: cfg.District, Year: cfg.Year}); err != nil {
			return nil, fmt.Errorf("onboard: encode config: %w", err)
		}
		doc = yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{&head}}
		src = nil
	}
	root := doc.Content[0]
	if v := mapValue(root, "units"); v != nil {
		*v = unitsNode
	} else {
		root.Content = append(root.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: "units"}, &unitsNode)
	}
	head := []string{
		fmt.Sprintf("gkaudit init：从 %s 读取各单位的信息公开栏目（北京时间 %s）。", portal, at.In(cndate.Shanghai).Format("2006-01-02 15:04")),
		fmt.Sprintf("找到 %d 个单位，未找到 %d 个。请核对每个 url 确是该单位的信息公开栏目入口；", len(res.Found), len(res.Missing)),
		"未找到的单位没有 url，标有“未找到”：请补上它的 url，再用 gkaudit config check 检查本文件。",
		"scope：共用一个门户主机、栏目是独立目录的单位，抓取限定在该目录内。",
	}
	if src == nil {
		head = append(head, "其余设置（评分细则、栏目名称、抓取策略等）沿用内置配置；要改动，照 gkaudit config show 的输出加入本文件。")
	} else {
		head = append(head, fmt.Sprintf("其余设置照录自 %s。", cfg.Source))
	}
	if doc.HeadComment != "" {
		head = append(head, "", strings.TrimLeft(doc.HeadComment, "# "))
	}
	doc.HeadComment = strings.Join(head, "\n")
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, fmt.Errorf("onboard: write config: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("onboard: write config: %w", err)
	}
	if _, err := config.Parse("gkaudit init 的输出", b.Bytes()); err != nil {
		return nil, fmt.Errorf("生成的配置无法通过检查：%w；请核对 --config 文件中原有的 url 和 scope（如仍有问题，请报告）", err)
	}
	return b.Bytes(), nil
}

func missingComment(m Missing) string {
	var b strings.Builder
	fmt.Fprintf(&b, "未找到：%s（%s）。", m.Unit.Name, m.Reason)
	if m.Unit.URL != "" {
		b.WriteString("保留了原配置中的 url，请核对")
	} else {
		b.WriteString("请补上 url")
	}
	for i, c := range m.Candidates {
		if i == 0 {
			b.WriteString("；相近的链接：")
		} else {
			b.WriteString("；")
		}
		fmt.Fprintf(&b, "%s %s", oneLine(c.Name), c.URL)
	}
	return b.String()
}

// oneLine keeps a crawled name from breaking a YAML comment.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// mapValue is the value node of key in a mapping node.
func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}
