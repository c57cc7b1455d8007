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
		v.errorf(p.key("issuer"), "must not be empty")
	}
	if !strings.Contains(n.NumberFormat, seqPlaceholder) {
		// Without the sequence number every notice of a year would carry
		// the same 文号.
		v.errorf(p.key("number_format"), "%q lacks %s, the notice's number in its year", n.NumberFormat, seqPlaceholder)
	}
	for _, ph := range placeholderRE.FindAllString(n.NumberFormat, -1) {
		if ph != seqPlaceholder && ph != yearPlaceholder {
			v.errorf(p.key("number_format"), "unknown placeholder %s (known: %s, %s)", ph, yearPlaceholder, seqPlaceholder)
		}
	}
	if strings.ContainsAny(n.Contact, "\r\n") {
		v.errorf(p.key("contact"), "must be one line")
	}
	for i, cc := range n.CC {
		switch {
		case strings.TrimSpace(cc) == "":
			v.errorf(p.key("cc").index(i), "must not be empty")
		case slices.Contains(n.CC[:i], cc):
			v.errorf(p.key("cc").index(i), "%q listed twice", cc)
		}
	}
}
