package report

import "testing"

// Ensure that ordinals are written as documents write them.
func TestCnNumber(t *testing.T) {
	tests := []struct {
		n    int
		want string
	}{
		{0, "〇"}, {1, "一"}, {3, "三"}, {10, "十"}, {12, "十二"}, {20, "二十"}, {21, "二十一"},
		{99, "九十九"}, {100, "一百"}, {105, "一百零五"}, {112, "一百一十二"}, {230, "二百三十"}, {1000, "1000"},
	}
	for _, tt := range tests {
		if got := cnNumber(tt.n); got != tt.want {
			t.Errorf("cnNumber(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

// Ensure that a check is named from the table, a key area by its name, an
// unknown check by the rubric line it feeds.
func TestCheckName(t *testing.T) {
	rules := map[string]string{"new.check": "政府网站"}
	tests := []struct{ id, want string }{
		{"link.broken", "链接无法正常访问"},
		{"keyarea.budget", "重点领域信息公开不到位（财政预决算）"},
		{"keyarea.ports", "重点领域信息公开不到位（ports）"},
		{"new.check", "政府网站（new.check）"},
		{"other.check", "other.check"},
	}
	for _, tt := range tests {
		if got := checkName(tt.id, rules); got != tt.want {
			t.Errorf("checkName(%s) = %q, want %q", tt.id, got, tt.want)
		}
	}
}

// Ensure that days overdue, clipped text and points read right.
func TestDaysAndClip(t *testing.T) {
	if got := daysBetween("2020-02-20", "2020-03-01"); got != 10 {
		t.Errorf("daysBetween(2020-02-20, 2020-03-01) = %d, want 10", got)
	}
	if got := daysBetween("2020-03-01", "2020-02-20"); got != 0 {
		t.Errorf("daysBetween backwards = %d, want 0", got)
	}
	if got := clip("一二三四五六", 4); got != "一二三…" {
		t.Errorf("clip = %q, want 一二三…", got)
	}
	if got := fmtPoints(-1.5) + " " + fmtSigned(2) + " " + fmtSigned(0); got != "−1.5 +2 0" {
		t.Errorf("points = %q", got)
	}
}
