package page

import (
	"reflect"
	"strings"
	"testing"
)

// Ensure that entries hold what a list entry says beside its link, the
// records of a datastore included, and not an article's paragraphs.
func TestEntries(t *testing.T) {
	v := read(`<html><body><ul><li><a href="/a/1.html">关于印发某办法的通知</a><span>【有效】</span></li>
		<li><a href="/a/2.html">只有标题</a></li></ul>
		<p><a href="/a/3.html">链接</a>` + strings.Repeat("很长的正文", 70) + `</p>
		<script type="text/xml"><datastore><recordset><record><![CDATA[<li><a href="/a/4.html">规范性文件</a><b>失效</b></li>]]></record></recordset></datastore></script>
		</body></html>`)
	want := []Entry{{URL: "http://gov.example/a/1.html", Rest: " 【有效】"}, {URL: "http://gov.example/a/4.html", Rest: " 失效"}}
	if !reflect.DeepEqual(v.Entries, want) {
		t.Errorf("Entries = %+v, want %+v", v.Entries, want)
	}
}
