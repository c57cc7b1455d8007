package page

import (
	"reflect"
	"strings"
	"testing"
)

// Ensure that forms are counted by the fields a reader fills, and that a
// page whose content has closed choice lists reads without them.
func TestForms(t *testing.T) {
	v := read(`<html><body><form action="/search"><input name="q"></form>
		<form action="/apply"><input type="text" name="n"><input type="hidden" name="h"><textarea></textarea>
		<select name="way"><option>邮寄</option><option>电子邮件</option></select><input type="submit"></form>
		<p>申请人可在线提交申请。</p></body></html>`)
	want := []Form{{Action: "/search", Fields: 1}, {Action: "/apply", Fields: 3}}
	if !reflect.DeepEqual(v.Forms, want) {
		t.Errorf("Forms = %+v, want %+v", v.Forms, want)
	}
	if !v.Choices || strings.Contains(strings.Join(v.FormLines, " "), "邮寄") || strings.Contains(v.FormText, "邮寄") ||
		!strings.Contains(v.FormText, "在线提交") || !strings.Contains(strings.Join(v.Lines, " "), "邮寄") {
		t.Errorf("Choices %v FormLines %q FormText %q Lines %q: want the choices out of FormLines and FormText only", v.Choices, v.FormLines, v.FormText, v.Lines)
	}
	if v := read(`<html><body><p>没有表单</p></body></html>`); v.Forms != nil || v.Choices || v.FormLines != nil || v.FormText != "" {
		t.Errorf("page without forms: %+v", v)
	}
	// A select in the footer is chrome: the content has no choices.
	if v := read(`<html><body><p>正文</p><div class="footer"><select><option>友情链接</option></select></div></body></html>`); v.Choices {
		t.Errorf("footer select read as the content's choices")
	}
}
