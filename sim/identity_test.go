package sim

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Ensure that the seeded identity and link defects show where the truth
// says: a defective footer lacks its item on the entry page, the 暗链 sit
// in the entry page, and the taken-over domain changes its title in
// generation 2 while the renamed site keeps matching its link.
func TestIdentityAndSuspiciousLinks_Served(t *testing.T) {
	d := startDemo(t)
	words := map[string]string{idNoConac: "_ideConac", idNoPolice: "公网安", idNoCode: "标识码"}
	kinds := map[int]bool{}
	for _, s := range d.units {
		if s.trap != trapNone {
			continue
		}
		_, body := get(t, s.url(s.entry))
		page := decodeGBK(t, s, body)
		if w := words[s.def.identity]; w != "" && strings.Contains(page, w) {
			t.Errorf("%s: footer defect %s but the entry page shows %q", s.u.ID, s.def.identity, w)
		}
		if s.def.identity == "" && (!strings.Contains(page, "conac.cn") || !strings.Contains(page, "ICP备")) {
			t.Errorf("%s: complete footer expected", s.u.ID)
		}
		kinds[s.def.suspicious] = true
		for link, want := range map[string]bool{d.extURL(extHiddenA): s.def.suspicious == suspHidden, d.extURL(extHiddenB): s.def.suspicious == suspOffscreen,
			d.extURL(extSpam): s.def.suspicious == suspSpam, d.extURL(extTakeover): s.def.suspicious == suspTakeover} {
			if got := strings.Contains(page, link); got != want {
				t.Errorf("%s: entry page links %s = %v, want %v", s.u.ID, link, got, want)
			}
		}
	}
	for _, k := range []int{suspHidden, suspOffscreen, suspSpam, suspTakeover} {
		if !kinds[k] {
			t.Errorf("no unit with suspicious-link defect %d", k)
		}
	}
	titles := func(gen int) (string, string) {
		g, err := New(Options{Generation: gen})
		if err != nil {
			t.Fatal(err)
		}
		a, _, _ := g.outboundPage(extTakeover)
		b, _, _ := g.outboundPage(extRenamed)
		return a, b
	}
	t1, r1 := titles(1)
	t2, r2 := titles(2)
	if t1 == t2 || !strings.Contains(t1, "科学技术协会") || strings.Contains(t2, "科学技术协会") {
		t.Errorf("taken-over titles %q -> %q", t1, t2)
	}
	if r1 == r2 || !strings.Contains(r2, r1) {
		t.Errorf("renamed titles %q -> %q, want the new one to contain the old", r1, r2)
	}
	_, body := get(t, d.extURL(extSpam))
	if !strings.Contains(string(body), "百家乐") {
		t.Errorf("casino page: %s", body)
	}
}

// decodeGBK returns a page of s as text, decoded when s serves GBK.
func decodeGBK(t *testing.T, s *unitSite, body []byte) string {
	t.Helper()
	if s.enc == encUTF8 {
		return string(body)
	}
	b, err := simplifiedchinese.GBK.NewDecoder().Bytes(body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
