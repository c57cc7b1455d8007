package page

import (
	"bytes"
	"regexp"
)

// EmailRE matches an e-mail address.
var EmailRE = regexp.MustCompile(`[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`)

// mailtoAddress returns the first e-mail address at or after the body's
// first "mailto:" (any case), or "": the address a 信箱 link leads to when
// the page's text does not show it.
func mailtoAddress(body []byte) string {
	// The offset is found in the lowered body and used in the body (as the
	// checks always did); the bound keeps a body whose lowering grew it
	// (invalid UTF-8) from cutting out of range.
	if i := bytes.Index(bytes.ToLower(body), []byte("mailto:")); i >= 0 && i <= len(body) {
		if m := EmailRE.Find(body[i:]); m != nil {
			return string(m)
		}
	}
	return ""
}
