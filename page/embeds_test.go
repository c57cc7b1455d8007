package page

import (
	"testing"
)

// Ensure that an embedded document is found in a frame, an object or a
// pdf.js viewer, and not in a plain link.
func TestEmbedded(t *testing.T) {
	tests := []struct{ html, want string }{
		{`<iframe src="/upload/2019nb.pdf" width="100%"></iframe>`, "/upload/2019nb.pdf"},
		{`<IFRAME SRC='/pdfjs/web/viewer.html?file=/upload/a.PDF'></IFRAME>`, "/pdfjs/web/viewer.html?file=/upload/a.PDF"},
		{`<object data="/f/report.docx" type="application/msword"></object>`, "/f/report.docx"},
		{`<a href="/upload/2019nb.pdf">下载</a>`, ""},
		{`<iframe src="/other.html"></iframe>`, ""},
	}
	for _, tt := range tests {
		if got := read("<html><body>" + tt.html + "</body></html>").Embedded; got != tt.want {
			t.Errorf("Embedded(%s) = %q, want %q", tt.html, got, tt.want)
		}
	}
}
