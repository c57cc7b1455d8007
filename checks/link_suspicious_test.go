package checks

import (
	"strings"
	"testing"

	"gkaudit/config"
	"gkaudit/site"
)

func TestLinkSuspicious_Fixtures(t *testing.T) {
	for _, fx := range fixtures(t, "link.suspicious") {
		t.Run(fx.name, func(t *testing.T) {
			const u = "http://www.bl.gov.cn/col/col1229412/index.html"
			p := withLinks(loadPage(t, fx.path, u))
			fs := LinkSuspicious(&site.Snapshot{Entry: u, Pages: []*site.Page{p}}, testEnv())
			got := Pass
			for _, f := range fs {
				if f.Status == Fail {
					got = Fail
					if f.URL != u || len(f.Looked) != 1 || !strings.Contains(f.Detail, "隐藏链接") || f.Evidence.Excerpt == "" {
						t.Errorf("LinkSuspicious(%s) finding = %+v", fx.name, f)
					}
				}
			}
			if got != fx.want {
				t.Errorf("LinkSuspicious(%s) = %v (%+v), want %v", fx.name, got, fs, fx.want)
			}
		})
	}
}

// Ensure that each hidden outbound link is its own finding.
func TestLinkSuspicious_OneFindingPerLink(t *testing.T) {
	const u = "http://www.bl.gov.cn/col/col1229412/index.html"
	p := withLinks(loadPage(t, "testdata/link.suspicious/fail_hidden_div.html", u))
	fs := LinkSuspicious(&site.Snapshot{Entry: u, Pages: []*site.Page{p}}, testEnv())
	var subj []string
	for _, f := range fs {
		subj = append(subj, f.Subject)
	}
	if strings.Join(subj, " ") != "http://www.amxpj8866.com/ http://www.bjl-zr.net/" {
		t.Errorf("subjects = %v, want the two hidden links", subj)
	}
}

// Ensure that landing pages are judged by their words and their history:
// gambling words in the title or two in the text fail, counter-worded news
// and gov.cn text do not; a title changed to something unrelated to the
// link text fails, a renamed site whose title still matches does not, and
// neither does a link whose earlier title never matched its text.
func TestLinkSuspicious_Landing(t *testing.T) {
	const entry = "http://www.bl.gov.cn/col/col1229412/index.html"
	tests := []struct {
		name, link, text string
		landing          site.Landing
		want             Status
	}{
		{"casino title", "http://www.nbkx.org/", "北仑区科协", site.Landing{Title: "澳门百家乐娱乐城_真人视讯"}, Fail},
		{"two words in text", "http://www.nbly.com/", "北仑旅游网", site.Landing{Title: "首页", Text: "棋牌 真人视讯 注册送彩金"}, Fail},
		{"one word in text", "http://www.nbty.com/", "北仑体育", site.Landing{Title: "北仑体育", Text: "围棋棋牌协会举办比赛"}, Pass},
		{"counter words", "http://www.nbga.com/", "平安北仑", site.Landing{Title: "严厉打击六合彩等违法犯罪活动", Text: "查处赌场 打击赌博"}, Pass},
		{"gov text", "http://gaj.ningbo.gov.cn/", "宁波市公安局", site.Landing{Title: "宁波市公安局", Text: "网上赌博 六合彩 百家乐 危害"}, Pass},
		{"taken over", "http://www.blkx.org/", "北仑区科学技术协会", site.Landing{Title: "优米网络科技有限公司-专业SEO优化", EarlierTitle: "北仑区科学技术协会"}, Fail},
		{"renamed", "http://www.nbdpc.com/", "宁波市发改委", site.Landing{Title: "宁波市发展和改革委员会门户网站", EarlierTitle: "宁波市发展和改革委员会"}, Pass},
		{"never matched", "http://www.xyz.com/", "点击进入", site.Landing{Title: "优米网络科技有限公司", EarlierTitle: "北仑区科学技术协会"}, Pass},
		{"gov host renamed", "http://www.ningbo.gov.cn/", "宁波市人民政府", site.Landing{Title: "中国宁波", EarlierTitle: "宁波市人民政府"}, Pass},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := htmlPage(entry, `<html><body><div class="links"><a href="`+tt.link+`">`+tt.text+`</a></div></body></html>`)
			l := tt.landing
			s := &site.Snapshot{Entry: entry, Pages: []*site.Page{p},
				Probes: []site.Probe{{URL: tt.link, Status: 200, External: true, Referrers: []string{entry}, Landing: &l}}}
			fs := LinkSuspicious(s, testEnv())
			f := onlyStatus(t, fs)
			if f.Status != tt.want {
				t.Errorf("LinkSuspicious(%s) = %v (%s), want %v", tt.name, f.Status, f.Detail, tt.want)
			}
			if f.Status == Fail && (f.Subject != tt.link || f.URL != entry || !strings.Contains(f.Evidence.Excerpt, "落地页标题")) {
				t.Errorf("LinkSuspicious(%s) finding = %+v", tt.name, f)
			}
		})
	}
}

// Ensure that config terms override the word list.
func TestLinkSuspicious_TermsOverride(t *testing.T) {
	const entry = "http://www.bl.gov.cn/xxgk/"
	p := htmlPage(entry, `<html><body><a href="http://www.x.com/">友情链接</a></body></html>`)
	s := &site.Snapshot{Entry: entry, Pages: []*site.Page{p},
		Probes: []site.Probe{{URL: "http://www.x.com/", Status: 200, External: true, Landing: &site.Landing{Title: "某某彩票平台"}}}}
	if f := onlyStatus(t, LinkSuspicious(s, testEnv())); f.Status != Pass {
		t.Fatalf("default words: %v", f.Status)
	}
	env := testEnv()
	env.Config = &config.Config{Terms: map[string][]string{suspiciousWordsKey: {"彩票平台"}}}
	if f := onlyStatus(t, LinkSuspicious(s, env)); f.Status != Fail {
		t.Errorf("with terms override = %v, want fail", f.Status)
	}
}

// Ensure that no page makes link.suspicious or site.identity panic, and
// that a hidden outbound link is reported for the page that carries it.
func FuzzLinkSuspicious(f *testing.F) {
	addFixtureSeeds(f, "link.suspicious", "site.identity")
	f.Fuzz(func(t *testing.T, body []byte) {
		const u = "http://www.bl.gov.cn/xxgk/"
		p := withLinks(&site.Page{URL: u, FinalURL: u, Status: 200, ContentType: "text/html", Body: body, Attempts: 1})
		s := &site.Snapshot{Entry: u, Pages: []*site.Page{p}}
		for _, f := range LinkSuspicious(s, testEnv()) {
			if f.Status == Fail && f.URL != u {
				t.Errorf("finding on %s, want the page %s", f.URL, u)
			}
		}
		SiteIdentity(s, testEnv())
	})
}
