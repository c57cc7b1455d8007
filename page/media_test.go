package page

import (
	"reflect"
	"testing"
)

// Ensure that Media reads account links and named images, leaves share
// widgets out, and is nil on a page that names no platform.
func TestMedia(t *testing.T) {
	v := read(`<html><body><div class="bdsharebuttonbox"><a href="http://service.weibo.com/share">微博</a></div>
		<p><a href="https://weibo.com/beilun">北仑发布</a></p><p><a href="javascript:void(0)" title="官方微信"><img src="/wx.png"></a></p>
		<div><p>扫一扫关注“北仑发布”官方微信</p><p><img src="/images/ewm.jpg"></p></div>
		<div><p><span><img src="/logo.png"></span></p></div><script>var a='<img src="/s.png" alt="微信">'</script></body></html>`)
	if v.Media == nil {
		t.Fatal("Media = nil")
	}
	wantLinks := []MediaLink{{URL: "https://weibo.com/beilun", Text: "北仑发布"}, {URL: "", Text: "官方微信", Image: true}}
	if !reflect.DeepEqual(v.Media.Links, wantLinks) {
		t.Errorf("Links = %+v, want %+v", v.Media.Links, wantLinks)
	}
	// The linked icon takes the body's text as its caption (three levels
	// up); the QR code its own block's; the bare logo is not named.
	if len(v.Media.Images) != 2 || v.Media.Images[1].Src != "/images/ewm.jpg" || v.Media.Images[1].Caption != "扫一扫关注北仑发布官方微信" {
		t.Errorf("Images = %+v, want the icon and the QR code with its caption", v.Media.Images)
	}
	if v := read(`<html><body><a href="/a.html">通知</a><img src="/a.png" alt="图"></body></html>`); v.Media != nil {
		t.Errorf("Media on a page naming no platform = %+v", v.Media)
	}
}

// Ensure that hasShareMarker answers as shareMarker does.
func TestHasShareMarker(t *testing.T) {
	for _, s := range []string{"", "bdsharebuttonbox", "BDS_more", "jiaThis_style", "FenXiang", "addthis_toolbox", "http://service.weibo.com/share/share.php",
		"nav", "shar", "bds-", "分享", "ſhare", "ShAre", "wx_qr", "sharing"} {
		if got, want := hasShareMarker(s), shareMarker.MatchString(s); got != want {
			t.Errorf("hasShareMarker(%q) = %v, want %v", s, got, want)
		}
	}
}
