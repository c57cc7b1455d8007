package config

import "time"

// Service settings (gkaudit serve): how long a scheduled run may take and how
// often the units' entry pages are probed for availability.

// Probe is the availability monitoring of 国办秘函〔2019〕19号: every unit's
// entry page is fetched at an interval (the indicator wants 20 or more probes
// a day for a week) and a probe that has not opened the page within the
// timeout (15 s) fails.
type Probe struct {
	// Every is the interval between two probes of a unit; 0 turns probing off.
	Every Duration `yaml:"every"`
	// Timeout is how long one probe may take to open the page.
	Timeout Duration `yaml:"timeout"`
}

// Defaults used when a config built in code leaves the fields zero; the
// embedded default sets the same values.
const (
	defaultRunDeadline  = 6 * time.Hour
	defaultProbeTimeout = 15 * time.Second
	// minProbeEvery keeps the probes polite: more than one a minute per site
	// would burden it without telling more about its availability.
	minProbeEvery = time.Minute
)

// RunDeadlineOrDefault is RunDeadline, or 6 h when it is not set.
func (c *Config) RunDeadlineOrDefault() time.Duration {
	if c.RunDeadline > 0 {
		return c.RunDeadline.D()
	}
	return defaultRunDeadline
}

// TimeoutOrDefault is Probe.Timeout, or 15 s when it is not set.
func (p Probe) TimeoutOrDefault() time.Duration {
	if p.Timeout > 0 {
		return p.Timeout.D()
	}
	return defaultProbeTimeout
}

func (v *validator) service() {
	c := v.c
	if c.RunDeadline <= 0 {
		v.errorf(path{"run_deadline"}, "必须大于 0：请填写一次检查最多运行多久，例如 \"6h\"")
	}
	p := path{"probe"}
	switch every := c.Probe.Every.D(); {
	case every < 0:
		v.errorf(p.key("every"), "不能为负数：请填写探测间隔，例如 \"1h\"（0 表示不探测）")
	case every > 0 && every < minProbeEvery:
		v.errorf(p.key("every"), "%s 太频繁：对同一网站的两次探测至少相隔 %s，请调大（0 表示不探测）", c.Probe.Every, Duration(minProbeEvery))
	}
	if c.Probe.Timeout <= 0 {
		v.errorf(p.key("timeout"), "必须大于 0：请填写探测的超时时间，例如 \"15s\"")
	}
}
