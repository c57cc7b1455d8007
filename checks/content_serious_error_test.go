package checks

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"gkaudit/config"
	"gkaudit/site"
)

// seriousEnv is a district config with the leaders list the cases need.
func seriousEnv() Env {
	env := testEnv()
	env.Unit = config.Unit{ID: "justice", Name: "司法局", Kind: config.KindDepartment}
	env.Config = &config.Config{District: "北仑区",
		Units: []config.Unit{
			{ID: "xinqi", Name: "新碶街道", Kind: config.KindStreet},
			{ID: "xiaogang", Name: "小港街道", Kind: config.KindStreet},
			env.Unit,
		},
		Leaders: []config.Leader{{Name: "杜家毫", Title: "省委书记"}, {Name: "袁家军", Title: "省长"}}}
	return env
}

// seriousWant is, per failing or suspect fixture, the wrong text and the
// term its finding must name.
var seriousWant = map[string][2]string{
	"fail_homophone_state_name":  {"中华人民共合国", "中华人民共和国"},
	"fail_wrong_char_long_term":  {"中华人民大和国", "中华人民共和国"},
	"fail_lookalike_group":       {"领导小姐", "领导小组"},
	"fail_lookalike_government":  {"人民攻府", "人民政府"},
	"fail_leader_homophone_name": {"省委书记杜家豪", "省委书记杜家毫"},
	"fail_gbk_dropped_char_city": {"齐齐哈市", "齐齐哈尔市"},
	"na_swap_short_term":         {"领小导组", "领导小组"},
}

func seriousSnapshot(p *site.Page) *site.Snapshot {
	entry := entryPage(testEntry, site.Link{URL: p.URL, Text: p.Title})
	return &site.Snapshot{UnitID: "justice", Entry: testEntry, Pages: []*site.Page{entry, p}}
}

func TestContentSeriousError_Fixtures(t *testing.T) {
	for _, fx := range fixtures(t, "content.serious_error") {
		t.Run(fx.name, func(t *testing.T) {
			p := loadPage(t, fx.path, "http://gov.example/art/2019/11/12/art_1229_41001.html")
			fs := ContentSeriousError(seriousSnapshot(p), seriousEnv())
			got := Pass
			var hit *Finding
			for i, f := range fs {
				switch {
				case f.Status == Fail:
					got, hit = Fail, &fs[i]
				case f.Status == NA && got != Fail:
					got, hit = NA, &fs[i]
				}
			}
			if got != fx.want {
				t.Fatalf("ContentSeriousError(%s) = %v, want %v; findings %+v", fx.name, got, fx.want, fs)
			}
			want, ok := seriousWant[fx.name]
			if got == Pass || !ok {
				return
			}
			if !strings.Contains(hit.Detail, "“"+want[0]+"”") || !strings.Contains(hit.Detail, want[1]) {
				t.Errorf("ContentSeriousError(%s) detail = %q, want the wrong text %q and the term %q", fx.name, hit.Detail, want[0], want[1])
			}
			if !strings.Contains(hit.Evidence.Excerpt, want[0]) || hit.Evidence.SHA256 != p.SHA256 || hit.URL != p.URL {
				t.Errorf("ContentSeriousError(%s) evidence = %+v, want the page with the wrong text", fx.name, hit.Evidence)
			}
		})
	}
}

// Ensure that a term misspelt many times on a page gives one finding, and
// that two terms give two.
func TestContentSeriousError_OneFindingPerPageAndTerm(t *testing.T) {
	p := htmlPage("http://gov.example/art/1.html", `<html><body><div class="article-content"><p>中华人民共合国宪法。中华人民共合国国旗。领导小姐会议。</p></div></body></html>`)
	var fails []string
	for _, f := range ContentSeriousError(seriousSnapshot(p), seriousEnv()) {
		if f.Status == Fail {
			fails = append(fails, f.Subject)
		}
	}
	if len(fails) != 2 {
		t.Errorf("ContentSeriousError(two terms, three slips) failing subjects = %v, want 2", fails)
	}
}

// Ensure that correct text around the terms never fires, whatever words sit
// next to them (regression guard for fragments of right terms).
func TestContentSeriousError_CorrectTextSilent(t *testing.T) {
	texts := []string{
		"中华人民共和国国务院办公厅", "中华人民共和国成立七十周年", "北仑区人民政府网", "北仑区人民政府办公室",
		"全国人民代表大会常务委员会", "区人民检察院检察委员会", "宁波市北仑区新碶街道办事处", "省委书记杜家毫",
		"省长袁家军", "人民的政府为人民", "人力资源和社会保障局", "人力资源社会保障局", "杜家豪同学获奖",
		"不忘初心牢记使命", "中国特色社会主义的伟大实践", "齐齐哈尔市", "四个意识、四个自信、两个维护",
	}
	for _, s := range texts {
		p := htmlPage("http://gov.example/art/1.html", "<html><body><div class=\"article-content\"><p>"+s+"</p></div></body></html>")
		for _, f := range ContentSeriousError(seriousSnapshot(p), seriousEnv()) {
			if f.Status != Pass {
				t.Errorf("ContentSeriousError(%q) = %v (%s), want pass", s, f.Status, f.Detail)
			}
		}
	}
}

// Ensure that the cases of published 季度通报 fail (中共人民共和国 for
// 中华人民共和国 in 重庆, 中华人民共合国 in 广西, 温家室 for 温家宝, 李克 for
// 李克强) and that a level variant of a long organ name is not judged.
func TestContentSeriousError_PublishedCases(t *testing.T) {
	env := seriousEnv()
	env.Config.Leaders = append(env.Config.Leaders, config.Leader{Name: "温家宝", Title: "总理"}, config.Leader{Name: "李克强", Title: "总理"})
	for text, want := range map[string]Status{
		"热烈庆祝中共人民共和国成立70周年": Fail,
		"与中国人民共和国建立外交关系":    Fail,
		"商务厅转发中华人民共合国商务部通知": Fail,
		"总理温家室主持召开国务院常务会议":  Fail,
		"标题：总理李克。":          Fail,
		"总理李克在会上强调":         NA,
		"全区人民代表大会代表视察":      Pass,
	} {
		p := htmlPage("http://gov.example/art/1.html", "<html><body><div class=\"article-content\"><p>"+text+"</p></div></body></html>")
		if f := worst(ContentSeriousError(seriousSnapshot(p), env)); f.Status != want {
			t.Errorf("ContentSeriousError(%q) = %v (%s), want %v", text, f.Status, f.Detail, want)
		}
	}
}

// Ensure that a leader beside another leader's title is a suspicion, not an
// error, and that an office's allow list silences a real name.
func TestContentSeriousError_LeaderTitleAndAllow(t *testing.T) {
	p := htmlPage("http://gov.example/art/1.html", `<html><body><div class="article-content"><p>省长杜家毫出席会议。</p></div></body></html>`)
	f := worst(ContentSeriousError(seriousSnapshot(p), seriousEnv()))
	if f.Status != NA || !strings.Contains(f.Detail, "省长") {
		t.Errorf("ContentSeriousError(wrong title) = %v (%s), want na naming the title", f.Status, f.Detail)
	}
	p = htmlPage("http://gov.example/art/2.html", `<html><body><div class="article-content"><p>小岗街道居民来访。</p></div></body></html>`)
	if f := worst(ContentSeriousError(seriousSnapshot(p), seriousEnv())); f.Status != Fail {
		t.Fatalf("ContentSeriousError(小岗街道) = %v, want fail (homophone of 小港街道)", f.Status)
	}
	env := seriousEnv()
	env.Config.Terms = map[string][]string{seriousAllowKey: {"小岗街道"}}
	if f := worst(ContentSeriousError(seriousSnapshot(p), env)); f.Status != Pass {
		t.Errorf("ContentSeriousError(小岗街道 allowed) = %v (%s), want pass", f.Status, f.Detail)
	}
}

func TestContentSeriousError_Unreachable(t *testing.T) {
	s := &site.Snapshot{UnitID: "u1", Entry: testEntry, Pages: []*site.Page{{URL: testEntry, Err: "dial tcp: connection refused"}}}
	f := onlyStatus(t, ContentSeriousError(s, seriousEnv()))
	if f.Status != NA || f.Detail == "" {
		t.Errorf("ContentSeriousError(unreachable) = %v (%q), want na with a reason", f.Status, f.Detail)
	}
}

// worst returns the failing finding, else a suspect one, else the first.
func worst(fs []Finding) Finding {
	for _, want := range []Status{Fail, NA} {
		for _, f := range fs {
			if f.Status == want {
				return f
			}
		}
	}
	if len(fs) == 0 {
		return Finding{}
	}
	return fs[0]
}

// benchText is a realistic article: disclosure boilerplate dense in organ
// names, formulations and divisions, none misspelt but one.
func benchText(i int) string {
	var b strings.Builder
	b.WriteString(`<html><head><title>关于印发《北仑区2019年政务公开工作要点》的通知</title></head><body><div class="article-content">`)
	for k := 0; k < 12; k++ {
		fmt.Fprintf(&b, "<p>　　为深入贯彻落实习近平新时代中国特色社会主义思想和党的十九大精神，根据《中华人民共和国政府信息公开条例》和国务院办公厅、浙江省人民政府办公厅有关要求，结合宁波市北仑区实际，区政务公开工作领导小组办公室制定本要点（第%d条）。各街道、各部门要牢固树立四个意识，坚定四个自信，做到两个维护，落实全面从严治党要求。</p>", k)
	}
	if i%50 == 0 {
		b.WriteString("<p>中华人民共合国</p>")
	}
	b.WriteString(`</div></body></html>`)
	return b.String()
}

// BenchmarkContentSeriousError measures the check over 100 article pages.
func BenchmarkContentSeriousError(b *testing.B) {
	s := &site.Snapshot{UnitID: "justice", Entry: testEntry, Pages: []*site.Page{entryPage(testEntry)}}
	for i := 0; i < 100; i++ {
		s.Pages = append(s.Pages, htmlPage(fmt.Sprintf("http://gov.example/art/%d.html", i), benchText(i)))
	}
	env := seriousEnv()
	b.ResetTimer()
	for b.Loop() {
		ContentSeriousError(s, env)
	}
}

// Ensure that the pages of every other check's fixtures — real-site
// wording of guides, reports, catalogues, lists — raise no serious error and
// publish no personal data (false-positive guard).
func TestMonitoringChecks_SilentOnOtherFixtures(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "*", "*.html"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, path := range paths {
		dir := filepath.Base(filepath.Dir(path))
		if dir == "content.serious_error" || dir == "privacy.personal_info" {
			continue
		}
		n++
		p := loadPage(t, path, "http://gov.example/art/1.html")
		for _, f := range append(ContentSeriousError(seriousSnapshot(p), seriousEnv()), PrivacyPersonalInfo(privacySnapshot(p), testEnv())...) {
			if f.Status == Fail {
				t.Errorf("%s: %s fails: %s (%s)", path, f.Subject, f.Detail, f.Evidence.Excerpt)
			}
		}
	}
	if n < 50 {
		t.Errorf("read %d fixtures, want the other checks' (50 or more)", n)
	}
}
