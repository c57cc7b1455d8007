package checks

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"gkaudit/site"
)

// wholeNumber matches an unmasked ID or mobile number: no finding may hold one.
var wholeNumber = regexp.MustCompile(`\d{17}[\dXx]|1[3-9]\d{9}`)

func privacySnapshot(p ...*site.Page) *site.Snapshot {
	return &site.Snapshot{UnitID: "hrss", Entry: testEntry, Pages: append([]*site.Page{entryPage(testEntry)}, p...)}
}

// assertMasked fails when a finding shows a whole number anywhere.
func assertMasked(t *testing.T, name string, fs []Finding) {
	t.Helper()
	for _, f := range fs {
		for _, s := range []string{f.Detail, f.Evidence.Excerpt, f.Subject} {
			if m := wholeNumber.FindString(s); m != "" {
				t.Errorf("PrivacyPersonalInfo(%s) finding shows %s whole: %q", name, m, s)
			}
		}
	}
}

func TestPrivacyPersonalInfo_Fixtures(t *testing.T) {
	for _, fx := range fixtures(t, "privacy.personal_info") {
		t.Run(fx.name, func(t *testing.T) {
			p := loadPage(t, fx.path, "http://gov.example/art/2019/10/8/art_1229_41002.html")
			fs := PrivacyPersonalInfo(privacySnapshot(p), testEnv())
			f := onlyStatus(t, fs)
			if f.Status != fx.want {
				t.Fatalf("PrivacyPersonalInfo(%s) = %v (%s), want %v", fx.name, f.Status, f.Detail, fx.want)
			}
			assertMasked(t, fx.name, fs)
			if f.Status == Fail && (f.Evidence.SHA256 != p.SHA256 || !strings.Contains(f.Evidence.Excerpt, "****")) {
				t.Errorf("PrivacyPersonalInfo(%s) evidence = %+v, want the page and a masked excerpt", fx.name, f.Evidence)
			}
		})
	}
}

// Ensure that the detail names what was found, masked.
func TestPrivacyPersonalInfo_Detail(t *testing.T) {
	p := htmlPage("http://gov.example/art/1.html", `<html><body><div class="article-content"><p>名单：王建国 330206198503121237</p></div></body></html>`)
	f := onlyStatus(t, PrivacyPersonalInfo(privacySnapshot(p), testEnv()))
	if f.Status != Fail || !strings.Contains(f.Detail, "330206********1237") || !strings.Contains(f.Detail, "去标识化") {
		t.Errorf("PrivacyPersonalInfo(one ID) = %v (%s), want fail naming 330206********1237", f.Status, f.Detail)
	}
	// Born after the as-of date: not a real ID number yet.
	env := testEnv()
	env.AsOf = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	p = htmlPage("http://gov.example/art/2.html", `<html><body><p>名单：330206200101010024</p></body></html>`)
	if f := onlyStatus(t, PrivacyPersonalInfo(privacySnapshot(p), env)); f.Status != Pass {
		t.Errorf("PrivacyPersonalInfo(birth after as-of) = %v, want pass", f.Status)
	}
}

// Ensure that an attachment's text is read: a csv 名单 with whole ID numbers
// fails with the attachment's own evidence; an unreadable one is noted.
func TestPrivacyPersonalInfo_Attachment(t *testing.T) {
	s := privacySnapshot()
	s.Attachments = []site.Attachment{
		{URL: "http://gov.example/picture/0/md.csv", Type: "csv", Status: 200, SHA256: "abc", FetchedAt: time.Now(),
			Text: "序号\t姓名\t身份证号码\n1\t王建国\t330206198503121237\n", Referrers: []string{"http://gov.example/art/1.html"}},
		{URL: "http://gov.example/picture/0/big.xlsx", Type: "xlsx", Truncated: true, Err: "文件超过读取上限"},
	}
	fs := PrivacyPersonalInfo(s, testEnv())
	f := onlyStatus(t, fs)
	if f.Status != Fail || f.Subject != s.Attachments[0].URL || f.Evidence.SHA256 != "abc" || !strings.Contains(f.Detail, "附件") {
		t.Errorf("PrivacyPersonalInfo(csv attachment) = %+v, want fail on the attachment", f)
	}
	assertMasked(t, "csv attachment", fs)
	s.Attachments[0].Text = "序号\t姓名\n1\t王建国\n"
	f = onlyStatus(t, PrivacyPersonalInfo(s, testEnv()))
	if f.Status != Pass || !strings.Contains(f.Detail, "1 个附件") {
		t.Errorf("PrivacyPersonalInfo(clean csv, one unreadable) = %v (%s), want pass noting the unreadable one", f.Status, f.Detail)
	}
}

func TestPrivacyPersonalInfo_Unreachable(t *testing.T) {
	s := &site.Snapshot{UnitID: "u1", Entry: testEntry, Pages: []*site.Page{{URL: testEntry, Err: "dial tcp: connection refused"}}}
	if f := onlyStatus(t, PrivacyPersonalInfo(s, testEnv())); f.Status != NA || f.Detail == "" {
		t.Errorf("PrivacyPersonalInfo(unreachable) = %v (%q), want na with a reason", f.Status, f.Detail)
	}
}

func TestMaskNumbers(t *testing.T) {
	for in, want := range map[string]string{
		"身份证330206198503121237，电话13857412345": "身份证330206********1237，电话138****2345",
		"0574-86789012":    "0574-86789012",
		"6198503121237 尾部": "619******1237 尾部",
		"8613857412345":    "861******2345",
	} {
		if got := maskNumbers(in); got != want {
			t.Errorf("maskNumbers(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIDCheckChar(t *testing.T) {
	// GB 11643-1999 annex example.
	if got := idCheckChar("11010519491231002"); got != "X" {
		t.Errorf("idCheckChar(11010519491231002) = %s, want X", got)
	}
}

func FuzzPrivacyRead(f *testing.F) {
	f.Add("名单 330206198503121237 13857412345 15967854321")
	f.Add("X1234567890123456789x")
	f.Fuzz(func(t *testing.T, s string) {
		pr := privacyReader{list: []string{"名单"}, contact: []string{"联系人"}, code: []string{"编号"}, minMobiles: paramsFor(nil).PrivacyMinListMobiles}
		h := pr.read(s, true)
		for _, m := range append(h.ids, h.mobiles...) {
			if wholeNumber.MatchString(m) {
				t.Fatalf("read(%q) kept %q unmasked", s, m)
			}
		}
		if ex := h.excerpt(s); wholeNumber.MatchString(ex) && h.found() {
			t.Fatalf("excerpt(%q) = %q shows a whole number", s, ex)
		}
		_ = fmt.Sprint(h.detail("页面"))
	})
}
