package config

import (
	"regexp"
	"strings"
)

// cronCauses word robfig/cron's parse errors in Chinese; an error none
// matches is shown as it is.
var cronCauses = []struct {
	re  *regexp.Regexp
	msg string // with $1, $2 ... of re
}{
	{regexp.MustCompile(`^expected exactly (\d+) fields, found (\d+): (.*)$`), "应有 $1 个字段，实际有 $2 个：$3"},
	{regexp.MustCompile(`^expected (\d+) to (\d+) fields, found (\d+): (.*)$`), "应有 $1 至 $2 个字段，实际有 $3 个：$4"},
	{regexp.MustCompile(`^empty spec string$`), "表达式为空"},
	{regexp.MustCompile(`^provided bad location (\S*): .*$`), "没有时区 $1，请写如 Asia/Shanghai"},
	{regexp.MustCompile(`^failed to parse int from ([^:]*): .*$`), "$1 不是数字"},
	{regexp.MustCompile(`^end of range \((\d+)\) above maximum \((\d+)\): (.*)$`), "$3 中的 $1 超过最大值 $2"},
	{regexp.MustCompile(`^beginning of range \((\d+)\) below minimum \((\d+)\): (.*)$`), "$3 中的 $1 小于最小值 $2"},
	{regexp.MustCompile(`^beginning of range \((\d+)\) beyond end of range \((\d+)\): (.*)$`), "$3 的起点 $1 大于终点 $2"},
	{regexp.MustCompile(`^step of range should be a positive number: (.*)$`), "$1 的步长应为正数"},
	{regexp.MustCompile(`^negative number \((-?\d+)\) not allowed: (.*)$`), "$2 中不能有负数 $1"},
	{regexp.MustCompile(`^too many hyphens: (.*)$`), "$1 中的 - 太多"},
	{regexp.MustCompile(`^too many slashes: (.*)$`), "$1 中的 / 太多"},
	{regexp.MustCompile(`^unrecognized descriptor: (.*)$`), "没有 $1 这种写法，可用 @daily、@hourly 等"},
}

func cronCause(err error) string {
	s := err.Error()
	for _, c := range cronCauses {
		if m := c.re.FindStringSubmatchIndex(s); m != nil {
			msg := string(c.re.ExpandString(nil, c.msg, s, m))
			// "25 中的 25 超过…" when the field is the number itself.
			if expr, rest, ok := strings.Cut(msg, " 中的 "); ok && strings.HasPrefix(rest, expr+" ") {
				msg = rest
			}
			return msg
		}
	}
	return s
}
