package page

import (
	"bytes"
	"regexp"
)

// embeddedDoc matches a PDF, Word or OFD file shown inside the page by a
// frame, an embed or an object (a pdf.js viewer's ?file=… included). It is
// matched on the markup itself, so that a frame a script writes counts too.
var embeddedDoc = regexp.MustCompile(`(?i)<(?:iframe|embed|object)[^>]+(?:src|data)\s*=\s*["']?([^"'>]*\.(?:pdf|docx?|ofd))`)

// embeddedTags open the elements that embed a document.
var embeddedTags = [][]byte{[]byte("<iframe"), []byte("<embed"), []byte("<object")}

// readEmbedded returns the address (as written) of the first document file
// the page embeds, or "".
func readEmbedded(body []byte) string {
	if !hasTagFold(body, embeddedTags) {
		return "" // cheap test first: most pages embed nothing
	}
	if m := embeddedDoc.FindSubmatch(body); m != nil {
		return Clip(string(m[1]), 300)
	}
	return ""
}

// hasTagFold reports whether body holds one of the tags (lower-case, with
// their "<"), in any letter case.
func hasTagFold(body []byte, tags [][]byte) bool {
	for i := 0; ; {
		j := bytes.IndexByte(body[i:], '<')
		if j < 0 {
			return false
		}
		i += j
		for _, t := range tags {
			if len(body)-i >= len(t) && bytes.EqualFold(body[i:i+len(t)], t) {
				return true
			}
		}
		i++
	}
}
