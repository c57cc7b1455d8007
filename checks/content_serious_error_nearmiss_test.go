package checks

import (
	"testing"
)

// Ensure that each kind of one-edit miss is found wherever the edit sits
// relative to the bigrams that survive it, and that fragments of the right
// term are not.
func TestNearMissIndex_Edits(t *testing.T) {
	ix := newNearMissIndex([]protected{
		{text: "中国共产党", class: classFixed}, {text: "中华人民共和国", class: classFixed},
		{text: "领导小组", class: classFixed}, {text: "齐齐哈尔市", class: className},
	}, nil, []string{"组姐"}, "和与")
	for _, c := range []struct {
		text, wrong string
		serious     bool
	}{
		{"在中共产党领导下", "中共产党", true},      // dropped, only later bigrams survive
		{"在中国共党领导下", "中国共党", true},      // dropped, only earlier bigrams survive
		{"在中国共产产党领导下", "中国共产产党", false}, // added in a 5-character term: a suspicion
		{"中华人民人共和国", "中华人民人共和国", true},  // added in a 7-character fixed wording
		{"召开领小导组会议", "领小导组", false},     // inner swap of a 4-character term
		{"召开领导小姐会议", "领导小姐", true},      // look-alike
		{"中国产共党", "中国产共党", true},        // swap in a 5-character term
		{"来自齐齐哈市", "齐齐哈市", true},
	} {
		ms := ix.find([]rune(c.text))
		if len(ms) != 1 {
			t.Errorf("find(%q) = %+v, want one miss %q", c.text, ms, c.wrong)
			continue
		}
		r := []rune(c.text)
		if got := string(r[ms[0].start:ms[0].end]); got != c.wrong || ms[0].serious != c.serious {
			t.Errorf("find(%q) = %q serious %v, want %q serious %v", c.text, got, ms[0].serious, c.wrong, c.serious)
		}
	}
	for _, s := range []string{"中国共产党中华人民共和国", "中华人民共和国国", "华人民共和国", "中国共产", "领导小组组长", "齐齐哈尔市市长", "中国共产党和人民",
		"来自齐哈尔市", // a 齐 dropped, but the run of 齐 reaches the start: it may be a fragment, so not judged
	} {
		if ms := ix.find([]rune(s)); len(ms) != 0 {
			t.Errorf("find(%q) = %+v, want none", s, ms)
		}
	}
}

// FuzzNearMiss feeds arbitrary text to the near-miss and leader searches:
// they must not panic, and every miss must lie in the text.
func FuzzNearMiss(f *testing.F) {
	f.Add("中华人民共合国宪法。省委书记杜家豪。领小导组。齐齐哈市")
	f.Add("中中中中华华人人民民")
	f.Add("总理李克")
	env := seriousEnv()
	ix := newNearMissIndex(seriousTerms(env), contentSeriousErrorTerms[seriousAllowKey], contentSeriousErrorTerms[seriousAlikeKey], "和与")
	lx := newLeaderIndex(env.Config.Leaders, ix)
	f.Fuzz(func(t *testing.T, s string) {
		text := []rune(s)
		for _, m := range ix.find(text) {
			if m.start < 0 || m.end > len(text) || m.start >= m.end {
				t.Fatalf("find(%q) miss out of range: %+v", s, m)
			}
		}
		for _, m := range lx.find(text) {
			if m.start < 0 || m.end > len(text) || m.start >= m.end {
				t.Fatalf("leaders find(%q) miss out of range: %+v", s, m)
			}
		}
	})
}
