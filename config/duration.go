package config

import (
	"fmt"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// UnmarshalYAML reads a duration written as time.ParseDuration accepts it.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := parseDuration(n)
	if err != nil {
		return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: %v", n.Line, err)}}
	}
	*d = v
	return nil
}

func parseDuration(n *yaml.Node) (Duration, error) {
	if n.Kind != yaml.ScalarNode {
		return 0, fmt.Errorf("应为时长如 \"20s\"，实际写的是%s", nodeKind(n))
	}
	v, err := time.ParseDuration(n.Value)
	if days, ok := strings.CutSuffix(n.Value, "d"); ok && err != nil {
		// Whole days ("7d", revisit.articles): time.ParseDuration stops at hours.
		var k int
		if _, serr := fmt.Sscanf(days, "%d", &k); serr == nil && fmt.Sprint(k) == days && k >= 0 {
			v, err = time.Duration(k)*24*time.Hour, nil
		}
	}
	if err != nil {
		return 0, fmt.Errorf("%q 不是时长：请写成如 \"200ms\"、\"20s\"、\"10m\"、\"1h\"（数字后紧跟单位）", n.Value)
	}
	return Duration(v), nil
}

// MarshalYAML writes the duration as "200ms", "20s", "10m".
func (d Duration) MarshalYAML() (any, error) {
	return d.String(), nil
}

// String formats the duration without trailing zero units ("10m", not "10m0s").
func (d Duration) String() string {
	if day := Duration(24 * time.Hour); d >= 7*day && d%day == 0 {
		return fmt.Sprintf("%dd", d/day) // a week reads as 7d, not 168h
	}
	s := time.Duration(d).String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
