package page

import (
	"reflect"
	"strings"
	"testing"
)

// Ensure that Footer spaces inline elements, keeps the marks' attribute
// values, frames and the scripts that write markup, and takes the excerpt
// from the last footer-like element.
func TestFooter(t *testing.T) {
	v := read(`<html><body><div class="main"><span>网站标识码</span><span>3302060001</span></div>
		<div id="foot">主办单位：北仑区人民政府 <a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=1">浙公网安备</a></div>
		<iframe src="/include/bottom.html"></iframe><script src="/js/jquery.js"></script>
		<script>document.write(unescape("%3Cspan id='_ideConac'%3E"))</script><script>var x=1</script></body></html>`)
	f := v.Footer
	if f == nil {
		t.Fatal("Footer = nil")
	}
	if !strings.Contains(f.Text, "网站标识码 3302060001") || !strings.Contains(f.Excerpt, "主办单位") || strings.Contains(f.Excerpt, "网站标识码") {
		t.Errorf("Text %q Excerpt %q", f.Text, f.Excerpt)
	}
	if !strings.Contains(f.Attrs, "beian.gov.cn/portal") || !strings.Contains(f.Attrs, "foot") {
		t.Errorf("Attrs = %q", f.Attrs)
	}
	if !reflect.DeepEqual(f.Frames, []string{"http://gov.example/include/bottom.html"}) {
		t.Errorf("Frames = %q", f.Frames)
	}
	if len(f.Scripts) != 3 || f.Scripts[0].Src != "/js/jquery.js" || !strings.Contains(f.Scripts[1].Text, "_ideConac") || f.Scripts[2].Text != "" {
		t.Errorf("Scripts = %+v", f.Scripts)
	}
}
