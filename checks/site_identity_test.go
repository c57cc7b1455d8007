package checks

import (
	"strings"
	"testing"

	"gkaudit/site"
)

func TestSiteIdentity_Fixtures(t *testing.T) {
	for _, fx := range fixtures(t, "site.identity") {
		t.Run(fx.name, func(t *testing.T) {
			const u = "http://www.bl.gov.cn/col/col1229412/index.html"
			p := withLinks(loadPage(t, fx.path, u))
			s := &site.Snapshot{Entry: u, Pages: []*site.Page{p}}
			f := onlyStatus(t, SiteIdentity(s, testEnv()))
			if f.Status != fx.want {
				t.Errorf("SiteIdentity(%s) = %v (%s), want %v", fx.name, f.Status, f.Detail, fx.want)
			}
			if f.Status != Pass && f.Detail == "" {
				t.Errorf("SiteIdentity(%s): no detail", fx.name)
			}
			if f.Status == Fail && f.Evidence.Excerpt == "" {
				t.Errorf("SiteIdentity(%s): fail without an excerpt", fx.name)
			}
		})
	}
}

// Ensure that the detail names exactly the missing items.
func TestSiteIdentity_DetailListsMissing(t *testing.T) {
	const u = "http://xinqi.bl.gov.cn/xxgk/"
	p := loadPage(t, "testdata/site.identity/fail_gbk_no_conac_no_police.html", u)
	f := onlyStatus(t, SiteIdentity(&site.Snapshot{Entry: u, Pages: []*site.Page{p}}, testEnv()))
	for _, want := range []string{"党政机关网站标识", "公安机关备案号"} {
		if !strings.Contains(f.Detail, want) {
			t.Errorf("detail %q does not name %s", f.Detail, want)
		}
	}
	for _, not := range []string{"网站标识码、", "ICP备案编号", "主办单位、", "联系方式（"} {
		if strings.Contains(f.Detail, "缺少：") && strings.Contains(strings.SplitN(strings.SplitN(f.Detail, "缺少：", 2)[1], "。", 2)[0], not) {
			t.Errorf("detail %q names %s, which the page shows", f.Detail, not)
		}
	}
}

// Ensure that on a shared portal the portal's footer (its home page) is the
// unit's, and that a crawled iframe footer is read.
func TestSiteIdentity_PortalAndIframeFooters(t *testing.T) {
	const entry = "http://www.bl.gov.cn/col/col1229412/index.html"
	bare := htmlPage(entry, `<html><body><ul><li><a href="/art/2020/2/18/art_1229412_41.html">通知</a></li></ul></body></html>`)
	home := loadPage(t, "testdata/site.identity/pass_hanweb_footer.html", "http://www.bl.gov.cn/")
	if f := onlyStatus(t, SiteIdentity(&site.Snapshot{Entry: entry, Pages: []*site.Page{bare, home}}, testEnv())); f.Status != Pass {
		t.Errorf("SiteIdentity(portal footer on the home page) = %v (%s), want pass", f.Status, f.Detail)
	}
	if f := onlyStatus(t, SiteIdentity(&site.Snapshot{Entry: entry, Pages: []*site.Page{bare}}, testEnv())); f.Status != Fail {
		t.Errorf("SiteIdentity(no footer anywhere) = %v (%s), want fail", f.Status, f.Detail)
	}
	framed := htmlPage(entry, `<html><body><p>正文</p><iframe src="/include/foot.html" frameborder="0"></iframe></body></html>`)
	foot := loadPage(t, "testdata/site.identity/pass_unusual_layout.html", "http://www.bl.gov.cn/include/foot.html")
	if f := onlyStatus(t, SiteIdentity(&site.Snapshot{Entry: entry, Pages: []*site.Page{framed, foot}}, testEnv())); f.Status != Pass {
		t.Errorf("SiteIdentity(iframe footer crawled) = %v (%s), want pass", f.Status, f.Detail)
	}
	if f := onlyStatus(t, SiteIdentity(&site.Snapshot{Entry: entry, Pages: []*site.Page{framed}}, testEnv())); f.Status != NA {
		t.Errorf("SiteIdentity(iframe footer not crawled) = %v (%s), want na", f.Status, f.Detail)
	}
	if f := onlyStatus(t, SiteIdentity(&site.Snapshot{Entry: entry}, testEnv())); f.Status != NA {
		t.Errorf("SiteIdentity(entry not fetched) = %v, want na", f.Status)
	}
}
