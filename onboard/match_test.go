package onboard

import (
	"net/url"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func TestNamerKey(t *testing.T) {
	nm := newNamer("北仑区")
	for _, tc := range []struct{ text, unit string }{
		{"财政局", "财政局"},
		{"区财政局", "财政局"},
		{"北仑区财政局", "财政局"},
		{"宁波市北仑区财政局", "财政局"},
		{"北仑财政局", "财政局"},
		{"【区财政局】", "财政局"},
		{"区 财 政 局", "财政局"},
		{"北仑区财政局政府信息公开", "财政局"},
		{"区财政局信息公开目录", "财政局"},
		{"北仑区人民政府办公室", "区政府办公室"},
		{"区政府办公室", "区政府办公室"},
		{"宁波市公安局北仑分局", "公安分局"},
		{"北仑公安分局", "公安分局"},
		{"宁波市生态环境局北仑分局", "生态环境分局"},
		{"生态环境北仑分局", "生态环境分局"},
		{"宁波市自然资源和规划局北仑分局", "自然资源和规划分局"},
		{"中国人民银行北仑支行", "人民银行北仑支行"},
		{"北仑区新碶街道办事处", "新碶街道"},
		{"新碶街道", "新碶街道"},
	} {
		if got, want := nm.key(tc.text), nm.key(tc.unit); got != want || got == "" {
			t.Errorf("key(%q) = %q, key(%q) = %q; want equal", tc.text, got, tc.unit, want)
		}
	}
	// Must stay apart: another level's bureau, a longer name, a news title.
	for _, tc := range []struct{ text, unit string }{
		{"宁波市财政局", "财政局"},
		{"区财政局召开预算执行分析会", "财政局"},
		{"区城市管理局", "管理局"},
		{"经济和信息化局", "经信局"},
		{"市场监督管理局", "场监督管理局"},
		{"北仑区政府", "区政府办公室"},
	} {
		if got, want := nm.key(tc.text), nm.key(tc.unit); got == want {
			t.Errorf("key(%q) = key(%q) = %q; want different", tc.text, tc.unit, got)
		}
	}
	for _, s := range []string{"", "信息公开", "政府信息公开", ">>", "GO"} {
		if k := nm.key(s); k != "" {
			t.Errorf("key(%q) = %q, want empty", s, k)
		}
	}
}

func TestAbbreviates(t *testing.T) {
	for _, tc := range []struct {
		short, long string
		want        bool
	}{
		{"经信局", "经济和信息化局", true},
		{"发改局", "发展和改革局", true},
		{"金融办", "金融工作办公室", false}, // last characters differ: 办 / 室
		{"财政局", "财政局", false},
		{"审计局", "统计局", false},
	} {
		if got := abbreviates(tc.short, tc.long); got != tc.want {
			t.Errorf("abbreviates(%q, %q) = %v, want %v", tc.short, tc.long, got, tc.want)
		}
	}
}

func TestSameSite(t *testing.T) {
	portal, _ := url.Parse("http://www.bl.gov.cn/col/col1/index.html")
	for _, tc := range []struct {
		u    string
		want bool
	}{
		{"http://www.bl.gov.cn/xxgk/", true},
		{"https://xxgk.bl.gov.cn/", true},
		{"http://www.bl.gov.cn:8080/", true},
		{"http://www.nb.gov.cn/", false},
		{"http://bl.gov.cn/", true},
		{"http://127.0.0.1/", false},
		{"http://www.bl.gov.cn.evil.com/", false},
	} {
		if got := sameSite(portal, tc.u); got != tc.want {
			t.Errorf("sameSite(%s) = %v, want %v", tc.u, got, tc.want)
		}
	}
}

func TestIndexLinkAndNotUnitPage(t *testing.T) {
	nm := newNamer("北仑区")
	keys := map[string]bool{nm.key("财政局"): true}
	for _, tc := range []struct {
		text string
		prio int
		ok   bool
	}{
		{"部门信息公开", 0, true},
		{"乡镇（街道）信息公开", 0, true},
		{"更多部门>>", 0, true},
		{"政府信息公开", 1, true},
		{"政府信息公开指南", 0, false},
		{"政府信息公开年报", 0, false},
		{"依申请公开", 0, false},
		{"北仑区财政局信息公开", 0, false}, // names a unit
		{"区委巡察工作动态", 0, false},
	} {
		prio, ok := indexLink(link{text: tc.text}, nm, keys)
		if ok != tc.ok || ok && prio != tc.prio {
			t.Errorf("indexLink(%q) = %d, %v; want %d, %v", tc.text, prio, ok, tc.prio, tc.ok)
		}
	}
	for u, want := range map[string]bool{
		"http://bszs.conac.cn/sitename?method=show&id=1":    true,
		"http://www.beian.gov.cn/portal/registerSystemInfo": true,
		"http://www.bl.gov.cn/art/2019/1/1/a.pdf":           true,
		"http://czj.bl.gov.cn/":                             false,
		"http://www.bl.gov.cn/col/col1/index.html":          false,
	} {
		if got := notUnitPage(u); got != want {
			t.Errorf("notUnitPage(%s) = %v, want %v", u, got, want)
		}
	}
}

func TestDecode(t *testing.T) {
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(`<meta charset="gb2312"><title>新碶街道</title>`)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, ctype string }{
		{"meta only", "text/html"},
		{"header says utf-8", "text/html; charset=utf-8"},
		{"no header", ""},
	} {
		base, _ := url.Parse("http://x.gov.cn/")
		info := parsePage(base, decode([]byte(gbk), tc.ctype))
		if info.title != "新碶街道" {
			t.Errorf("%s: title = %q, want 新碶街道", tc.name, info.title)
		}
	}
}

func FuzzParsePage(f *testing.F) {
	f.Add([]byte(`<a href="/col/col1/index.html" title="区财政局">进入</a><select><option value="http://x/">x</option></select>`))
	f.Add([]byte(`<script type="text/xml"><datastore><record><![CDATA[<a href="a">区审计局</a>]]></record></datastore></script>`))
	f.Add([]byte("<base href=\"http://[::1\"><a href=\"\x00\">"))
	base, _ := url.Parse("http://www.bl.gov.cn/xxgk/")
	nm := newNamer("北仑区")
	f.Fuzz(func(t *testing.T, body []byte) {
		info := parsePage(base, decode(body, ""))
		for _, l := range info.links {
			if _, err := url.Parse(l.url); err != nil {
				t.Fatalf("link %q does not parse: %v", l.url, err)
			}
			nm.key(l.text)
			_ = l.names()
		}
	})
}

func FuzzNamerKey(f *testing.F) {
	for _, s := range []string{"宁波市公安局北仑分局", "北仑区人民政府办公室", "【区财政局】信息公开", "区", "市北仑", "\xff北仑区"} {
		f.Add(s)
	}
	nm := newNamer("北仑区")
	f.Fuzz(func(t *testing.T, s string) {
		k := nm.key(s)
		if k != "" && nm.key(k) == "" {
			t.Fatalf("key(%q) = %q, whose own key is empty", s, k)
		}
		abbreviates(k, s)
		titleParts(s)
	})
}
