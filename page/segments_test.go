package page

import (
	"reflect"
	"strings"
	"testing"
)

const testURL = "http://gov.example/xxgk/x.html"

func read(html string) *View { return Read([]byte(html), testURL) }

// Ensure that Lines are the content's segments, the whole page's when the
// content has none, and that Prose drops the texts of links.
func TestLines(t *testing.T) {
	tests := []struct {
		name       string
		html       string
		lines      []string
		whole      bool
		prose      []string
		proseIsNil bool
	}{
		{"content without chrome", `<html><body><div class="nav">首页 机构</div><p>内设机构：办公室</p><p>地址：<a href="/m">新大路1号</a></p></body></html>`,
			[]string{"内设机构：办公室", "地址： 新大路1号"}, false, nil, true},
		{"content classed as chrome", `<html><body><div class="top"><p>办公地址：新大路1号</p></div></body></html>`,
			[]string{"办公地址：新大路1号"}, true, nil, true},
		{"report prose", `<html><body><div class="menu"><a href="/y">依申请公开</a></div><p>一、总体情况 <a href="/f.pdf">附件</a></p><td>公开方式</td></body></html>`,
			[]string{"一、总体情况 附件", "公开方式"}, false, []string{"一、总体情况", "公开方式"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			html := tt.html
			if !tt.proseIsNil {
				html = strings.Replace(html, "<body>", "<body><h1>2019年政府信息公开工作年度报告</h1>", 1)
				tt.lines = append([]string{"2019年政府信息公开工作年度报告"}, tt.lines...)
				tt.prose = append([]string{"2019年政府信息公开工作年度报告"}, tt.prose...)
			}
			v := read(html)
			if !reflect.DeepEqual(v.Lines, tt.lines) || v.LinesWhole != tt.whole {
				t.Errorf("Lines = %q (whole %v), want %q (whole %v)", v.Lines, v.LinesWhole, tt.lines, tt.whole)
			}
			if tt.proseIsNil != (v.Prose == nil) || !tt.proseIsNil && !reflect.DeepEqual(v.Prose, tt.prose) {
				t.Errorf("Prose = %q, want %q", v.Prose, tt.prose)
			}
		})
	}
}
