package page

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"golang.org/x/net/html"
)

func TestExtractMetadata(t *testing.T) {
	tests := []struct {
		name string
		html string
		want map[string]string
	}{
		{"table cells", `<table class="xxgk"><tr><td>索 引 号：</td><td>11330206002962014L/2019-01234</td><td>主题分类：</td><td>财政、金融、审计</td></tr>
			<tr><td>发布机构：</td><td>区财政局</td><td>成文日期：</td><td>2019-03-01</td></tr>
			<tr><td>文　　号：</td><td>仑财〔2019〕12号</td><td>有效性：</td><td>有效</td></tr></table><div class="content"><p>各街道：根据有效性审查……</p></div>`,
			map[string]string{"index_no": "11330206002962014L/2019-01234", "topic": "财政、金融、审计", "publisher": "区财政局", "written": "2019-03-01", "doc_no": "仑财〔2019〕12号", "validity": "有效"}},
		{"dl", `<dl><dt>索引号:</dt><dd>002962014/2019-00012</dd><dt>发文机关:</dt><dd>北仑区人民政府办公室</dd><dt>发文字号:</dt><dd>仑政办发〔2019〕5号</dd><dt>时效性:</dt><dd>现行有效</dd></dl>`,
			map[string]string{"index_no": "002962014/2019-00012", "publisher": "北仑区人民政府办公室", "doc_no": "仑政办发〔2019〕5号", "validity": "现行有效"}},
		{"ul label then value", `<ul class="info"><li>索引号：</li><li>X-2019-3</li><li>发布机构：</li><li>区民政局</li><li>文号：</li><li></li><li>发布日期：</li><li>2019年3月5日</li></ul>`,
			map[string]string{"index_no": "X-2019-3", "publisher": "区民政局", "doc_no": "", "published": "2019年3月5日"}},
		{"inline spans two to a line", `<div class="meta"><p><span>索引号：A-2019-1</span><span>发布机构：区教育局</span></p><p><span>生成日期：2024年04月06日 16:40</span> <span>有效性：</span></p></div><div class="con">正文</div>`,
			map[string]string{"index_no": "A-2019-1", "publisher": "区教育局", "written": "2024年04月06日 16:40", "validity": ""}},
		{"one line", `<p>索引号：B/2019-7 发布机构：区卫健局 发布日期：2019-06-01 文号：无</p>`,
			map[string]string{"index_no": "B/2019-7", "publisher": "区卫健局", "published": "2019-06-01", "doc_no": "无"}},
		{"validity as dates", `<table><tr><th>生效时间</th><td>2019-04-01</td><th>废止时间</th><td>暂无</td></tr></table>`,
			map[string]string{"effective": "2019-04-01", "expires": "暂无"}},
		{"word inside a sentence is no label", `<p>本规定的有效性由区司法局负责审查，文号由办公室统一编制。</p>`, map[string]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := ExtractMetadata([]byte("<html><body>" + tt.html + "</body></html>"))
			for f, want := range tt.want {
				got, ok := m.Fields[f]
				if !ok || got != want {
					t.Errorf("ExtractMetadata(%s)[%s] = %q (present %v), want %q", tt.name, f, got, ok, want)
				}
			}
			for f, v := range m.Fields {
				if _, ok := tt.want[f]; !ok {
					t.Errorf("ExtractMetadata(%s) found unexpected %s = %q", tt.name, f, v)
				}
			}
		})
	}
}

func FuzzExtractMetadata(f *testing.F) {
	f.Add([]byte(`<table><tr><td>索引号：</td><td>1</td></tr></table>`))
	f.Add([]byte(`<p>发布机构：区政府 文号：</p><p>有效性</p>`))
	f.Add([]byte("<ul><li>文\u3000\u3000号：</li></ul>"))
	addFixtureSeeds(f, "catalog.metadata", "policy.validity", "interpretation.sync")
	f.Fuzz(func(t *testing.T, body []byte) {
		m := ExtractMetadata(body)
		// Reading is a pure function of the page: the same fields again.
		if again := ExtractMetadata(body); !reflect.DeepEqual(m, again) {
			t.Errorf("ExtractMetadata not deterministic: %+v then %+v", m, again)
		}
	})
}

// Ensure that a label whose value cell is empty reads as empty rather than
// taking the next text on the page (regression: an empty 有效性 cell read the
// article title and passed).
func TestExtractMetadata_EmptyValueCell(t *testing.T) {
	m := ExtractMetadata([]byte(`<html><body><table><tr><td>发布机构：</td><td>区司法局</td></tr><tr><td>有效性：</td><td></td></tr></table>
		<h1>北仑区行政规范性文件管理办法</h1><p>第一条 为了规范……</p></body></html>`))
	if got, ok := m.Fields["validity"]; !ok || got != "" {
		t.Errorf("ExtractMetadata(empty cell)[validity] = %q (present %v), want present and empty", got, ok)
	}
	if m.Fields["publisher"] != "区司法局" {
		t.Errorf("ExtractMetadata(empty cell)[publisher] = %q, want 区司法局", m.Fields["publisher"])
	}
}

// Ensure that a label followed only by a bullet, a separator or the next
// label reads as empty, and that split, spaced and full-width forms still
// read their values (issue 10: • 有效性: then • 发布日期: passed as 有效性 "•").
func TestExtractMetadata_EmptyBeforeNextLabel(t *testing.T) {
	tests := []struct {
		name string
		html string
		want map[string]string
	}{
		{"bullets on one line", `<p>• 索引号: 11350128MB1234567X/2020-00012 • 有效性: • 发布日期: 2020-06-01</p>`,
			map[string]string{"index_no": "11350128MB1234567X/2020-00012", "validity": "", "published": "2020-06-01"}},
		{"bullets without spaces", `<p>•发布机构：区民政局•有效性：•文号：仑民〔2020〕3号</p>`,
			map[string]string{"publisher": "区民政局", "validity": "", "doc_no": "仑民〔2020〕3号"}},
		{"bullet items", `<ul><li>• 有效性:</li><li>• 发布日期: 2020-06-01</li></ul>`,
			map[string]string{"validity": "", "published": "2020-06-01"}},
		{"label then label without space", `<p>有效性：发布日期：2019-12-30</p>`,
			map[string]string{"validity": "", "published": "2019-12-30"}},
		{"bar separators", `<div>索引号：<span>|</span> 发布机构：区财政局 | 成文日期：2019-05-06</div>`,
			map[string]string{"index_no": "", "publisher": "区财政局", "written": "2019-05-06"}},
		{"value in the next cell", `<table><tr><td><span>文　　号</span></td></tr><tr><td><span>仑政办〔2019〕8号</span></td></tr></table>`,
			map[string]string{"doc_no": "仑政办〔2019〕8号"}},
		{"value in the next span block", `<div class="row"><div class="lab">索 引 号</div><div class="val">002962014/2019-00031</div></div>`,
			map[string]string{"index_no": "002962014/2019-00031"}},
		{"label cell then bullet cell", `<table><tr><td>有效性：</td><td>•</td></tr></table>`,
			map[string]string{"validity": ""}},
		{"full-width colon and spaces", `<p>发文机关： 北仑区人民政府　　成文日期：2019年03月05日</p>`,
			map[string]string{"publisher": "北仑区人民政府", "written": "2019年03月05日"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := ExtractMetadata([]byte("<html><body>" + tt.html + "</body></html>"))
			for f, want := range tt.want {
				if got, ok := m.Fields[f]; !ok || got != want {
					t.Errorf("ExtractMetadata(%s)[%s] = %q (present %v), want %q", tt.name, f, got, ok, want)
				}
			}
		})
	}
}

// addFixtureSeeds adds the HTML fixtures of the named checks
// (checks/testdata/<id>/) to the fuzz corpus.
func addFixtureSeeds(f *testing.F, checkIDs ...string) {
	f.Helper()
	n := 0
	for _, id := range checkIDs {
		paths, err := filepath.Glob(filepath.Join("..", "checks", "testdata", id, "*.html"))
		if err != nil {
			f.Fatal(err)
		}
		for _, p := range paths {
			data, err := os.ReadFile(p)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
			n++
		}
	}
	if n == 0 {
		f.Fatalf("no fixtures for %v", checkIDs)
	}
}

// FuzzMayHoldLabel ensures that the cheap test before the label regex never
// skips a segment the regex would match.
func FuzzMayHoldLabel(f *testing.F) {
	for _, s := range []string{"索引号：123", "发布机构 区政府", "有效性", "文　号", "主题分类】", "正文第一段。", "名称 ", "(有效期)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, seg string) {
		if metaLabelRE.MatchString(seg) && !mayHoldLabel(seg) {
			t.Errorf("mayHoldLabel(%q) = false, but a label matches", seg)
		}
	})
}

// Ensure that mayHoldLabel lets the regex skip segments with a colon or a
// bracket after words that end no label, and keeps those it may match.
func TestMayHoldLabel(t *testing.T) {
	for seg, want := range map[string]bool{
		"索引号：123":          true,
		"发布日期 ：2020-01-01": true,
		"文　号":              true,
		"主题分类】":            true,
		"联系电话：87654321":    false,
		"（2020）第3号":        false,
		"正文第一段。":           false,
		"地址：北仑区新大路1号":      false,
	} {
		if got := mayHoldLabel(seg); got != want {
			t.Errorf("mayHoldLabel(%q) = %v, want %v", seg, got, want)
		}
	}
}

// BenchmarkMetadataOf reads the metadata of every HTML fixture of the
// checks (checks/testdata), parsed once beforehand.
func BenchmarkMetadataOf(b *testing.B) {
	paths, err := filepath.Glob(filepath.Join("..", "checks", "testdata", "*", "*.html"))
	if err != nil || len(paths) == 0 {
		b.Fatalf("no fixtures: %v", err)
	}
	var docs []*html.Node
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		doc, err := html.Parse(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		docs = append(docs, doc)
	}
	b.ResetTimer()
	for b.Loop() {
		for _, doc := range docs {
			metadataOf(doc)
		}
	}
}
