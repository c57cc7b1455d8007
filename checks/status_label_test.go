package checks

import "testing"

// Ensure that every status has its own Chinese label and an unknown one
// shows as it is (the web once said 合格/无法检查 where the CLI said
// 通过/无法判断).
func TestStatusLabel_OneWordPerStatus(t *testing.T) {
	tests := []struct {
		s    Status
		want string
	}{
		{Pass, "通过"},
		{Fail, "不合格"},
		{NA, "无法判断"},
		{Error, "出错"},
		{"odd", "odd"},
	}
	for _, tt := range tests {
		if got := tt.s.Label(); got != tt.want {
			t.Errorf("%q.Label() = %q, want %q", tt.s, got, tt.want)
		}
	}
}
