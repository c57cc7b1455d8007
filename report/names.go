package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"gkaudit/checks"
)

// checkNames says in plain Chinese what a failing finding of each check ID
// means, as a 通报 lists problems (see the check table of README.md).
var checkNames = map[string]string{
	"site.reachable":        "网站（信息公开专栏）无法访问",
	"org.info":              "机构信息要素不全",
	"guide.present":         "未发布政府信息公开指南",
	"guide.elements":        "公开指南要素缺失或未及时更新",
	"catalog.present":       "未发布政府信息公开目录或目录无内容",
	"catalog.metadata":      "公开信息缺少索引号、发布机构、日期、文号等要素",
	"report.annual":         "政府信息公开工作年度报告未按时发布",
	"report.sections":       "年度报告内容不全",
	"policy.validity":       "政策文件未标注有效性",
	"interpretation.linked": "政策文件与解读材料未相互关联",
	"interpretation.sync":   "政策解读未与文件同步发布",
	"decision.consultation": "未公开重大决策征求意见信息",
	"carrier.column":        "信息公开专栏标准栏目不全",
	"channel.apply":         "依申请公开渠道不完整",
	"newmedia.links":        "未提供政务微博、微信链接",
	"link.broken":           "链接无法正常访问",
	"column.stale":          "栏目未及时更新",
	"column.empty":          "空白栏目",
	"volume.low":            "主动公开信息数量明显低于平均水平",
	"content.serious_error": "严重表述错误",
	"privacy.personal_info": "公开信息含未去标识化的个人信息",
	"site.identity":         "网站标识信息不全",
	"link.suspicious":       "存在暗链或可疑外链",
}

// checkName names a check ID in Chinese: from the table, a key area by its
// name, else the rubric line it feeds (ruleOf), else the ID itself.
func checkName(id string, ruleOf map[string]string) string {
	if n, ok := checkNames[id]; ok {
		return n
	}
	if area, ok := strings.CutPrefix(id, checks.KeyAreaPrefix); ok {
		return "重点领域信息公开不到位（" + checks.KeyAreaName(area) + "）"
	}
	if r := ruleOf[id]; r != "" {
		return r + "（" + id + "）"
	}
	return id
}

// cnDigits are the Chinese numerals 0 to 9.
var cnDigits = []string{"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"}

// cnNumber writes n (0 to 999) in Chinese numerals as ordinals are written
// in documents: 三, 十二, 二十, 一百零五. Other numbers stay in digits.
func cnNumber(n int) string {
	switch {
	case n < 0 || n > 999:
		return fmt.Sprint(n)
	case n < 10:
		return cnDigits[n]
	case n < 20:
		return "十" + strings.TrimPrefix(cnNumber(n%10), "〇")
	case n < 100:
		s := cnDigits[n/10] + "十"
		if n%10 != 0 {
			s += cnDigits[n%10]
		}
		return s
	}
	s := cnDigits[n/100] + "百"
	switch r := n % 100; {
	case r == 0:
	case r < 10:
		s += "零" + cnDigits[r]
	default:
		s += cnDigits[r/10] + "十"
		if r%10 != 0 {
			s += cnDigits[r%10]
		}
	}
	return s
}

// cnDate writes a YYYY-MM-DD date as documents do: 2020年3月1日. A value
// that does not parse is returned as it is.
func cnDate(day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return fmt.Sprintf("%d年%d月%d日", t.Year(), t.Month(), t.Day())
}

// clip shortens s to at most n runes, marking the cut with "…".
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// fmtPoints formats points without trailing zeros, negative ones with a
// minus sign as print has it: 5, 3.5, −1; never "−0".
func fmtPoints(x float64) string {
	switch {
	case x == 0:
		return "0"
	case x < 0:
		return "−" + strconv.FormatFloat(-x, 'f', -1, 64)
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}

// fmtSigned formats a change of points with its sign: +2, −1.5, 0.
func fmtSigned(x float64) string {
	switch {
	case x > 0:
		return "+" + fmtPoints(x)
	case x < 0:
		return fmtPoints(x)
	}
	return "0"
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }

func itoa(n int) string { return strconv.Itoa(n) }

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// CheckName says in plain Chinese what a failing finding of check id
// means (a key area by its name; else the id), for pages other than the
// report.
func CheckName(id string) string { return checkName(id, nil) }
