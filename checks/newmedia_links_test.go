package checks

import (
	"strings"
	"testing"

	"gkaudit/site"
)

func TestNewmediaLinks_Fixtures(t *testing.T) {
	for _, fx := range fixtures(t, "newmedia.links") {
		t.Run(fx.name, func(t *testing.T) {
			p := gdFixture(t, fx.path, testEntry)
			s := &site.Snapshot{UnitID: "u1", Entry: testEntry, Pages: []*site.Page{p}}
			f := onlyStatus(t, NewmediaLinks(s, testEnv()))
			if f.Status != fx.want {
				t.Errorf("NewmediaLinks(%s) = %v (%s), want %v", fx.name, f.Status, f.Detail, fx.want)
			}
			if f.Evidence.SHA256 != p.SHA256 {
				t.Errorf("NewmediaLinks(%s) evidence = %+v, want the entry page", fx.name, f.Evidence)
			}
		})
	}
}

// Ensure that on a shared district portal the QR code every page of the
// portal carries (also on its home page) is the district's, while a footer
// naming the unit's own account counts.
func TestNewmediaLinks_SharedPortal(t *testing.T) {
	footer := func(src, caption string) string {
		return `<div class="foot"><div class="qr"><img src="` + src + `" alt="二维码"><p>` + caption + `</p></div></div>`
	}
	home := gdPage("http://gov.example/", `<html><body><h1>北仑区人民政府</h1>`+footer("/images/blfb.png", "扫一扫关注“北仑发布”微信公众号")+`</body></html>`)
	district := gdPage(testEntry, `<html><body><h2>测试单位信息公开</h2>`+footer("/images/blfb.png", "扫一扫关注“北仑发布”微信公众号")+`</body></html>`)
	s := &site.Snapshot{UnitID: "u1", Entry: testEntry, Pages: []*site.Page{district, home}}
	f := onlyStatus(t, NewmediaLinks(s, testEnvShared()))
	if f.Status != Fail || !strings.Contains(f.Detail, "门户首页") {
		t.Errorf("NewmediaLinks(district QR) = %v (%s), want fail naming the portal's own QR", f.Status, f.Detail)
	}
	// On a host of its own the same page is the unit's.
	if f := onlyStatus(t, NewmediaLinks(s, testEnv())); f.Status != Pass {
		t.Errorf("NewmediaLinks(own host) = %v (%s), want pass", f.Status, f.Detail)
	}
	own := gdPage(testEntry, `<html><body><h2>测试单位信息公开</h2>`+footer("/images/wx_u1.png", "扫一扫关注“测试单位”官方微信")+`</body></html>`)
	s.Pages[0] = own
	if f := onlyStatus(t, NewmediaLinks(s, testEnvShared())); f.Status != Pass || !strings.Contains(f.Detail, "wx_u1.png") {
		t.Errorf("NewmediaLinks(unit's footer) = %v (%s), want pass on the unit's QR", f.Status, f.Detail)
	}
}

// Ensure that a 政务新媒体 column naming the accounts counts, reached from the
// crawler's column map.
func TestNewmediaLinks_Column(t *testing.T) {
	entry := gdPage(testEntry, `<html><body><a href="/xxgk/xmt/">政务新媒体</a></body></html>`)
	col := gdPage("http://gov.example/xxgk/xmt/", `<html><body><div class="content"><table><tr><td>账号名称</td><td>平台</td></tr><tr><td>北仑教育</td><td>微信公众号</td></tr></table></div></body></html>`)
	s := &site.Snapshot{UnitID: "u1", Entry: testEntry, Pages: []*site.Page{entry, col},
		Columns: []site.Column{{Kind: "newmedia", Name: "政务新媒体", URL: col.URL, Source: "link", From: testEntry}}}
	if f := onlyStatus(t, NewmediaLinks(s, testEnv())); f.Status != Pass || f.URL != col.URL {
		t.Errorf("NewmediaLinks(column) = %v at %s (%s), want pass at the column", f.Status, f.URL, f.Detail)
	}
}

// Ensure that an account named in text counts with its image in the next
// paragraph, or with the caption in the paragraph before, and that a
// platform named in passing beside an unrelated picture does not.
func TestNewmediaLinks_AdjacentCaption(t *testing.T) {
	for _, c := range []struct {
		body string
		want Status
	}{
		{`<div><p>官方微信公众号：平潭发布</p><p><img src="/W0202004.jpg"></p></div>`, Pass},
		{`<table><tr><td>扫码关注政务微博</td></tr><tr><td><img src="/p/1.png"></td></tr></table>`, Pass},
		{`<div class="a"><p>政务微信</p></div><div class="b"><p><img src="/p/2.png"></p></div><p>其他内容其他内容</p>`, Pass},
		{`<div><p>本单位通过政府网站、微信等渠道公开信息。</p><p><img src="/banner.jpg"></p></div>`, Fail},
		{`<div><p>分享到微信朋友圈</p><p><img src="/p/3.png"></p></div>`, Fail},
	} {
		p := gdPage(testEntry, "<html><body>"+c.body+"</body></html>")
		s := &site.Snapshot{UnitID: "u1", Entry: testEntry, Pages: []*site.Page{p}}
		if f := onlyStatus(t, NewmediaLinks(s, testEnv())); f.Status != c.want {
			t.Errorf("NewmediaLinks(%s) = %v (%s), want %v", c.body, f.Status, f.Detail, c.want)
		}
	}
}
