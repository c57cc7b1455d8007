package checks

import (
	"slices"
	"testing"
)

// The checks' label lists are subsets of dateLabels in its order, and are
// the lists they have always read (their findings depend on the order).
func TestDateLabels_Subsets(t *testing.T) {
	if want := []string{"发布日期", "发布时间", "公开日期", "公开时间", "发表时间", "发文日期", "发文时间"}; !slices.Equal(pubLabels, want) {
		t.Errorf("pubLabels = %v, want %v", pubLabels, want)
	}
	if want := []string{"发布日期", "发布时间", "公开日期", "发文日期", "成文日期", "生成日期", "印发日期", "日期", "时间"}; !slices.Equal(itemDateLabels, want) {
		t.Errorf("itemDateLabels = %v, want %v", itemDateLabels, want)
	}
	for _, sub := range [][]string{pubLabels, itemDateLabels} {
		at := -1
		for _, l := range sub {
			i := slices.Index(dateLabels, l)
			if i <= at {
				t.Errorf("%v is not a subsequence of dateLabels (%s)", sub, l)
			}
			at = i
		}
	}
}
