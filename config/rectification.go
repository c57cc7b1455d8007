package config

import (
	"strings"
)

// DeadlineWorkdays returns the working days a unit has to fix a failing
// check after a notice: rectification.by_check's entry for the check ID,
// else its longest matching "prefix.*" entry, else
// rectification.deadline_workdays.
func (c *Config) DeadlineWorkdays(check string) int {
	r := c.Rectification
	if n, ok := r.ByCheck[check]; ok {
		return n
	}
	best, n := -1, 0
	for ref, days := range r.ByCheck {
		prefix, ok := checkPrefix(ref)
		if ok && strings.HasPrefix(check, prefix) && len(prefix) > best {
			best, n = len(prefix), days
		}
	}
	if best >= 0 {
		return n
	}
	if r.DeadlineWorkdays > 0 {
		return r.DeadlineWorkdays
	}
	// A config built in code without a window: the embedded default's.
	if d, err := embedded(); err == nil {
		return d.Rectification.DeadlineWorkdays
	}
	return 0
}

// checkPrefix returns the prefix of a check reference "keyarea.*"
// ("keyarea."), and whether ref is one.
func checkPrefix(ref string) (string, bool) {
	prefix, ok := strings.CutSuffix(ref, "*")
	return prefix, ok && strings.HasSuffix(prefix, ".")
}

func (v *validator) rectification() {
	r := v.c.Rectification
	p := path{"rectification"}
	if r.DeadlineWorkdays <= 0 {
		v.errorf(p.key("deadline_workdays"), "必须大于 0：请填写整改期限（工作日数）")
	}
	known := v.c.CheckIDs()
	for _, ref := range sortedKeys(r.ByCheck) {
		kp := p.key("by_check").key(ref)
		if msg := checkRefProblem(ref, known); msg != "" {
			v.errorf(kp, "%s", msg)
		}
		if r.ByCheck[ref] <= 0 {
			v.errorf(kp, "必须大于 0：请填写该检查项的整改期限（工作日数）")
		}
	}
}
