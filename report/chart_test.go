package report

import "testing"

// Ensure that the chart's top is a round number whose quarters are round.
func TestNiceCeil(t *testing.T) {
	for _, tt := range []struct{ v, want float64 }{
		{0, 4}, {3, 4}, {5, 8}, {9, 10}, {13, 20}, {170, 200}, {173, 200}, {350, 400}, {401, 800}, {1000, 1000},
	} {
		if got := niceCeil(tt.v); got != tt.want {
			t.Errorf("niceCeil(%v) = %v, want %v", tt.v, got, tt.want)
		}
	}
}

// Ensure that a sparkline's scale spans at least sparkSpan points, from and
// to multiples of 5, within 0..OF unless a score is below 0.
func TestSparkScale(t *testing.T) {
	yes := []bool{true, true, true}
	tests := []struct {
		vals   []float64
		has    []bool
		top    float64
		lo, hi float64
	}{
		{[]float64{65, 65, 65}, yes, 65, 55, 65},   // at the top: kept within 0..65
		{[]float64{0, 0, 0}, yes, 65, 0, 10},       // at the bottom
		{[]float64{55.5, 56, 57}, yes, 65, 50, 60}, // a span of 10 around the middle
		{[]float64{20, 40, 61}, yes, 65, 20, 65},   // rounded out to 5s
		{[]float64{-1, 2, 3}, yes, 65, -5, 5},      // below 0 when a score is
		{[]float64{0, 30, 0}, []bool{false, true, false}, 65, 25, 35},
		{[]float64{1, 2}, []bool{false, false}, 65, 0, 10},
	}
	for _, tt := range tests {
		lo, hi := sparkScale(tt.vals, tt.has, tt.top)
		if lo != tt.lo || hi != tt.hi {
			t.Errorf("sparkScale(%v) = %v..%v, want %v..%v", tt.vals, lo, hi, tt.lo, tt.hi)
		}
	}
}

// Ensure that SVG text is escaped and stripped of what XML cannot carry.
func TestEsc(t *testing.T) {
	if got := esc("a<b>&\"'\x00\x07c"); got != "a&lt;b&gt;&amp;&#34;&#39;c" {
		t.Errorf("esc = %q", got)
	}
}
