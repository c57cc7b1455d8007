package page

import (
	"reflect"
	"testing"
	"unicode/utf8"
)

// Ensure that hidden links are found by inline style, by a class rule and
// by colour, that a menu a script or :hover rule opens is not hidden, and
// that a page holding no way of hiding is not read.
func TestHidden(t *testing.T) {
	v := read(`<html><head><style>.hid{display:none} .menu{display:none} .menu:hover{display:block}</style></head><body>
		<div style="position:absolute;left:-9999px"><a href="http://casino.example/">娱乐城</a></div>
		<span class="hid"><a href="http://b.example/">b</a></span>
		<ul class="menu"><li><a href="http://c.example/">友情链接</a></li></ul>
		<p style="color:#fff;background-color:white"><a href="http://d.example/">d</a></p>
		<a href="javascript:void(0)" style="display:none">x</a></body></html>`)
	if v.Hidden == nil {
		t.Fatal("Hidden = nil")
	}
	var got []string
	for _, l := range v.Hidden.Links {
		got = append(got, l.URL+" "+l.How)
	}
	want := []string{"http://casino.example/ 定位于页面之外（left:-9999px）", "http://b.example/ display:none（样式 .hid）", "http://d.example/ 文字颜色与背景相同"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Hidden = %q, want %q", got, want)
	}
	if v := read(`<html><body><a href="http://x.example/">x</a></body></html>`); v.Hidden != nil {
		t.Errorf("Hidden on a page with no way of hiding = %+v", v.Hidden)
	}
}

// FuzzReadBounded ensures that the views of any body are bounded and valid
// UTF-8 where promised, and that reading never panics.
func FuzzReadBounded(f *testing.F) {
	for _, s := range []string{
		`<style>.a{display:none}</style><div class="a"><a href="http://x/">x</a></div>`,
		`<form><select><option>邮寄</select><input></form>`,
		`<iframe src="a.pdf">`, `<p>微信<img src="ewm.png"></p>`,
		`<script>document.write('<div id=foot>版权所有</div>')</script>`,
		`<style>{}{{;:}</style><div style="width:0;height:0px;font-size:-1e99px">`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		v := Read(b, testURL)
		if len(v.Start) > StartBytes || !utf8.ValidString(v.Start) {
			t.Errorf("Start %d bytes, valid %v", len(v.Start), utf8.ValidString(v.Start))
		}
		if v.Footer != nil {
			for _, s := range v.Footer.Scripts {
				if len(s.Text) > maxScriptText {
					t.Errorf("script text %d bytes", len(s.Text))
				}
			}
		}
		if v.Hidden != nil {
			for _, l := range v.Hidden.Links {
				if l.How == "" || utf8.RuneCountInString(l.Text) > 81 {
					t.Errorf("hidden link %+v", l)
				}
			}
		}
	})
}
