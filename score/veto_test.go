package score_test

import (
	"reflect"
	"testing"

	"gkaudit/checks"
	"gkaudit/config"
	"gkaudit/score"
)

// Ensure that the default thresholds.veto lines are the counts of 国办秘函〔2019〕19号
// the score cards warned of before they became config data.
func TestDefaultVetoRules(t *testing.T) {
	want := []score.VetoRule{
		{ID: "stale_frequent", Name: "动态要闻、通知公告、政策文件类栏目超期未更新", Check: "column.stale",
			Kinds: []string{"news", "notice", "policy"}, Min: 5},
		{ID: "stale_long", Name: "应更新但长期未更新的栏目", Check: "column.stale",
			Exclude: []string{"news", "notice", "policy"}, Min: 10},
		{ID: "empty_columns", Name: "空白栏目", Check: "column.empty", Min: 5},
		{ID: "availability", Name: "站点无法访问", Check: "site.reachable", Kinds: []string{checks.AvailabilityKind}, Min: 1, Quote: true},
		{ID: "serious_error", Name: "严重表述错误", Check: "content.serious_error", Min: 1},
		{ID: "harmful_links", Name: "发布或链接反动、暴力、色情等内容的风险（暗链、被劫持或含赌博色情内容的外部链接）", Check: "link.suspicious", Min: 1},
	}
	if !reflect.DeepEqual(score.DefaultVetoRules(), want) {
		t.Errorf("DefaultVetoRules =\n%+v\nwant\n%+v", score.DefaultVetoRules(), want)
	}
	if got := score.VetoRulesOf(nil); !reflect.DeepEqual(got, want) {
		t.Errorf("VetoRulesOf(nil) = %+v, want the default", got)
	}
}

// Ensure that a user's thresholds.veto list is what the score cards judge by: here
// 3 空白栏目 reach a line set at 3, which the default's 5 does not.
func TestComputeWith_ConfigVeto(t *testing.T) {
	fs := allPass("xinqi", "budget", "public_welfare", "major_projects")
	for _, u := range []string{"http://x/a/", "http://x/b/", "http://x/c/"} {
		fs = append(fs, fd("xinqi", "column.empty", u, checks.Fail))
	}
	def := mustDefault(t)
	units := def.Units[:1]
	if got := score.Compute(def, units, fs)[0].Veto; len(got) != 0 {
		t.Errorf("default veto lines with 3 空白栏目 = %+v, want none", got)
	}
	strict, err := config.Parse("strict.yml", []byte("thresholds:\n  veto:\n    - {id: empty_columns, name: 空白栏目, check: column.empty, min: 3}\n"))
	if err != nil {
		t.Fatal(err)
	}
	got := score.Compute(strict, units, fs)[0].Veto
	if len(got) != 1 || got[0].Rule != "empty_columns" || got[0].Count != 3 || got[0].Min != 3 {
		t.Errorf("strict veto lines with 3 空白栏目 = %+v, want empty_columns 3 of 3", got)
	}
}
