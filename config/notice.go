package config

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Placeholders of notice.number_format.
const (
	seqPlaceholder  = "{seq}"
	yearPlaceholder = "{year}"
)

var placeholderRE = regexp.MustCompile(`\{[^{}]*\}`)

// Number returns the 文号 of the seq-th notice of year: NumberFormat with
// {year} and {seq} filled in, e.g. 仑政公办〔2019〕3号.
func (n Notice) Number(year, seq int) string {
	return strings.NewReplacer(yearPlaceholder, strconv.Itoa(year), seqPlaceholder, strconv.Itoa(seq)).Replace(n.NumberFormat)
}

func (v *validator) notice() {
	n := v.c.Notice
	p := path{"notice"}
	if strings.TrimSpace(n.Issuer) == "" {
		v.errorf(p.key("issuer"), "不能为空：请填写发文机关，例如 北仑区人民政府办公室")
	}
	if !strings.Contains(n.NumberFormat, seqPlaceholder) {
		// Without the sequence number every notice of a year would carry
		// the same 文号.
		v.errorf(p.key("number_format"), "%q 缺少 %s（通知在当年的序号）：请加上，例如 \"仑政公办〔{year}〕{seq}号\"", n.NumberFormat, seqPlaceholder)
	}
	for _, ph := range placeholderRE.FindAllString(n.NumberFormat, -1) {
		if ph != seqPlaceholder && ph != yearPlaceholder {
			v.errorf(p.key("number_format"), "没有占位符 %s：只能用 %s 和 %s", ph, yearPlaceholder, seqPlaceholder)
		}
	}
	if strings.ContainsAny(n.Contact, "\r\n") {
		v.errorf(p.key("contact"), "只能写一行：请删去换行")
	}
	for i, cc := range n.CC {
		switch {
		case strings.TrimSpace(cc) == "":
			v.errorf(p.key("cc").index(i), "不能为空：请填写抄送单位，或删去这一项")
		case slices.Contains(n.CC[:i], cc):
			v.errorf(p.key("cc").index(i), "%q 列了两次：请删去重复的一项", cc)
		}
	}
}
