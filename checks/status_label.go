package checks

// statusLabels are the statuses' Chinese names, the one list the command
// line's tables and the web pages both show.
var statusLabels = map[Status]string{
	Pass:  "通过",
	Fail:  "不合格",
	NA:    "无法判断",
	Error: "出错",
}

// Label is the status's Chinese name as people read it; JSON and CSV keep
// the English value. An unknown status is shown as it is.
func (s Status) Label() string {
	if l, ok := statusLabels[s]; ok {
		return l
	}
	return string(s)
}
