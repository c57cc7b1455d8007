package checks

import (
	"strings"
	"testing"

	"gkaudit/page"
	"gkaudit/site"
)

// guideWant names, per fixture, what its detail must say.
var guideWant = map[string]string{
	"fail_no_fax":           "缺少第十二条规定的内容：传真号码",
	"fail_cites_492":        "国务院令第492号",
	"fail_template_blank":   "缺少第十二条规定的内容：传真号码、互联网联系方式",
	"fail_old_wording":      "生产、生活、科研等特殊需要",
	"pass_dl_revised":       "国务院令第711号",
	"pass_gbk_table_spaces": "国务院令第711号",
	"pass_no_number_dated":  "2019-12-10",
	"na_no_evidence":        "无法判断",
}

func TestGuideElements_Fixtures(t *testing.T) {
	for _, fx := range fixtures(t, "guide.elements") {
		t.Run(fx.name, func(t *testing.T) {
			p := gdFixture(t, fx.path, guideURL)
			f := onlyStatus(t, GuideElements(guideSnapshot(p), testEnv()))
			if f.Status != fx.want {
				t.Errorf("GuideElements(%s) = %v (%s), want %v", fx.name, f.Status, f.Detail, fx.want)
			}
			if want, ok := guideWant[fx.name]; ok && !strings.Contains(f.Detail, want) {
				t.Errorf("GuideElements(%s) detail = %q, want it to contain %q", fx.name, f.Detail, want)
			}
			if f.URL != guideURL || f.Evidence.SHA256 != p.SHA256 {
				t.Errorf("GuideElements(%s) url %s evidence %+v, want the guide page", fx.name, f.URL, f.Evidence)
			}
		})
	}
}

// Ensure that an unfilled template date is noted in the detail.
func TestGuideElements_TemplateNoted(t *testing.T) {
	p := gdFixture(t, "testdata/guide.elements/fail_template_blank.html", guideURL)
	f := onlyStatus(t, GuideElements(guideSnapshot(p), testEnv()))
	if !strings.Contains(f.Detail, "模板文字") {
		t.Errorf("GuideElements(template) detail = %q, want the unfilled template noted", f.Detail)
	}
}

// Ensure that guide.elements says na, not fail, when there is no guide:
// guide.present reports that.
func TestGuideElements_NoGuide(t *testing.T) {
	s := &site.Snapshot{UnitID: "u1", Entry: testEntry, Pages: []*site.Page{entryPage(testEntry)}}
	f := onlyStatus(t, GuideElements(s, testEnv()))
	if f.Status != NA || !strings.Contains(f.Detail, "guide.present") {
		t.Errorf("GuideElements(no guide) = %v (%s), want na pointing at guide.present", f.Status, f.Detail)
	}
}

// Ensure that each element's value is required, and that words that only
// resemble a label do not satisfy it.
func TestGuideElements_Values(t *testing.T) {
	fax := guideElements[7]
	phone := guideElements[6]
	online := guideElements[8]
	for _, c := range []struct {
		el   guideElement
		text string
		want bool
	}{
		{fax, "传真：0574-86000002", true},
		{fax, "电话/传真：0574-86000002", true},
		{fax, "联系电话（兼传真）：86000002", true},
		{fax, "传真号码：(0574)86000002", true},
		{fax, "申请人可以通过信函、电报、传真方式提出申请，受理电话0574-86000001", false},
		{fax, "传真：电子邮箱：a@b.cn", false},
		{phone, "联系电话：13805740000", true},
		{phone, "电话：", false},
		{online, "网址：http://www.bl.gov.cn", true},
		{online, "电子邮箱：无", false},
	} {
		flat := page.Compact(c.text)
		got := hasGuideElement(flat, c.text, nil, c.el, c.el.words)
		if got != c.want {
			t.Errorf("hasGuideElement(%s, %q) = %v, want %v", c.el.name, c.text, got, c.want)
		}
	}
}

// Ensure that the version evidence is read in order: the order number, the
// 2008 wording, the guide's own date, 2019 wording.
func TestGuideElements_Version(t *testing.T) {
	for _, c := range []struct {
		text string
		want guideVersion
	}{
		{"根据《条例》（国务院令 第 711 号）", versionCurrent},
		{"《条例》（国务院令第492号公布，国务院令第711号修订）", versionCurrent},
		{"《条例》（国务院令第492号）", versionOutdated},
		{"根据2019年4月3日修订的《中华人民共和国政府信息公开条例》（国务院令第492号）", versionCurrent},
		{"《条例》自2008年5月1日起施行", versionOutdated},
		{"（2018年6月修订）依据《中华人民共和国政府信息公开条例》", versionOutdated},
		{"（2019年5月修订）依据《中华人民共和国政府信息公开条例》", versionCurrent},
		{"自收到申请之日起20个工作日内予以答复", versionCurrent},
		{"不能当场答复的，15个工作日内予以答复", versionOutdated},
		{"依据《中华人民共和国政府信息公开条例》编制", versionUnknown},
	} {
		got, _, _ := judgeVersion(page.Compact(c.text), &guideResult{})
		if got != c.want {
			t.Errorf("judgeVersion(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}
