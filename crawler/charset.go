package crawler

import (
	"bytes"
	"mime"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// decodeBody converts an HTML page to UTF-8 and names the encoding it was
// served in (lower case: "utf-8", "gbk", "gb18030", ...).
//
// The order follows the HTML standard (BOM, then the Content-Type header,
// then a <meta charset> / <meta http-equiv> prescan of the first 1024 bytes),
// with corrections for Chinese government sites: a header that says utf-8 or
// Latin-1 over bytes that are not gives way to a meta tag, and bytes that are
// not valid UTF-8 with no usable declaration are decoded as GB18030, the
// superset of GB2312 and GBK.
// DecodeHTML converts a page's bytes to UTF-8 by the crawler's rules (see
// decodeBody) and names the charset it read them as: for tools that fetch
// pages outside a crawl (gkaudit init).
func DecodeHTML(raw []byte, contentType string) ([]byte, string) { return decodeBody(raw, contentType) }

func decodeBody(raw []byte, contentType string) ([]byte, string) {
	if len(raw) == 0 {
		return []byte{}, "utf-8"
	}
	e, name, certain := charset.DetermineEncoding(raw, contentType)
	name = strings.ToLower(name)
	valid := validUTF8(raw)
	// A utf-8 label on bytes that are not UTF-8, and any Latin-1 label
	// (servlet containers default to ISO-8859-1), are not believed: a meta
	// tag naming something else wins, then the bytes decide.
	if (name == "utf-8" && !valid) || name == "windows-1252" {
		resolved := false
		if certain {
			if me, mname, _ := charset.DetermineEncoding(raw, ""); mname != "utf-8" && mname != "windows-1252" {
				e, name, resolved = me, strings.ToLower(mname), true
			}
		}
		switch {
		case resolved:
		case valid:
			e, name = encoding.Nop, "utf-8"
		default:
			e, name = simplifiedchinese.GB18030, "gb18030"
		}
	}
	if name == "utf-8" {
		return bytes.ToValidUTF8(bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf")), []byte("\uFFFD")), name
	}
	out, err := e.NewDecoder().Bytes(raw)
	if err != nil {
		// A decoder error leaves out partial; fall back to what we have,
		// replacing anything invalid, rather than losing the page.
		out = raw
	}
	if !utf8.Valid(out) {
		out = bytes.ToValidUTF8(out, []byte("\uFFFD"))
	}
	return out, name
}

// validUTF8 is utf8.Valid ignoring a rune cut off at the end (a truncated
// body).
func validUTF8(b []byte) bool {
	for i := len(b) - 1; i >= 0 && i > len(b)-4; i-- {
		if b[i] < 0x80 {
			break
		}
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				b = b[:i]
			}
			break
		}
	}
	return utf8.Valid(b)
}

// mediaType is the lower-cased media type of a Content-Type value ("" when
// absent or unparsable).
func mediaType(ct string) string {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		mt, _, _ = strings.Cut(ct, ";")
	}
	return strings.ToLower(strings.TrimSpace(mt))
}

// isHTMLType reports whether a response with this Content-Type is parsed as
// a page. An absent type is given the benefit of the doubt.
func isHTMLType(ct string) bool {
	switch mediaType(ct) {
	case "", "text/html", "application/xhtml+xml":
		return true
	}
	return false
}
