package crawler

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

func gbk(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Ensure that GBK pages are decoded to UTF-8 whether the charset is declared
// in the header, only in a meta tag, or nowhere, and that the page records
// the encoding it was served in.
func TestCrawl_Charset(t *testing.T) {
	const text = "北仑区政府信息公开指南"
	mux := http.NewServeMux()
	srv := newServer(t, mux)
	serve := func(path, ct, head string, enc bool) {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			if ct != "" {
				w.Header().Set("Content-Type", ct)
			}
			page := fmt.Sprintf("<html><head>%s<title>%s</title></head><body><a href=\"/x\">%s</a></body></html>", head, text, text)
			if enc {
				w.Write(gbk(t, page))
			} else {
				w.Write([]byte(page))
			}
		})
	}
	serve("/header", "text/html; charset=GBK", "", true)
	serve("/meta", "text/html", `<meta http-equiv="Content-Type" content="text/html; charset=gb2312">`, true)
	serve("/meta5", "text/html", `<meta charset="gb18030">`, true)
	serve("/none", "text/html", "", true)
	serve("/notype", "", "", true)
	serve("/lying", "text/html; charset=utf-8", `<meta charset="gbk">`, true)
	serve("/utf8", "text/html", "", false)

	for _, c := range []struct{ path, charset string }{
		{"/header", "gbk"},
		{"/meta", "gbk"},
		{"/meta5", "gb18030"},
		{"/none", "gb18030"},
		{"/notype", "gb18030"},
		{"/lying", "gbk"},
		{"/utf8", "utf-8"},
	} {
		t.Run(c.path, func(t *testing.T) {
			s := mustCrawl(t, srv.URL+c.path, Options{})
			e := s.EntryPage()
			if e == nil {
				t.Fatal("no entry page")
			}
			if e.Charset != c.charset || e.Title != text || !strings.Contains(string(e.Body), text) {
				t.Errorf("page = charset %q title %q, want %q %q", e.Charset, e.Title, c.charset, text)
			}
			if len(e.Links) != 1 || e.Links[0].Text != text {
				t.Errorf("links = %v", e.Links)
			}
		})
	}
}

func big5(t *testing.T, s string) []byte {
	t.Helper()
	b, err := traditionalchinese.Big5.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecodeBody(t *testing.T) {
	for _, c := range []struct {
		name, ct string
		raw      []byte
		want     string
		charset  string
	}{
		{"empty", "text/html", nil, "", "utf-8"},
		{"ascii", "", []byte("<p>hi</p>"), "<p>hi</p>", "utf-8"},
		{"bom", "", []byte("\xef\xbb\xbf<p>公开</p>"), "<p>公开</p>", "utf-8"},
		{"gbk header", "text/html; charset=gb2312", gbk(t, "<p>公开</p>"), "<p>公开</p>", "gbk"},
		{"truncated utf-8", "text/html; charset=utf-8", []byte("<p>公开")[:len("<p>公开")-1], "<p>公\uFFFD", "utf-8"},
		{"latin1 label on gbk", "text/html; charset=iso-8859-1", gbk(t, "公开"), "公开", "gb18030"},
		{"latin1 label on ascii", "text/html; charset=iso-8859-1", []byte("abc"), "abc", "utf-8"},
		{"latin1 label, gbk meta", "text/html; charset=ISO-8859-1", append([]byte(`<meta charset="gbk">`), gbk(t, "公开")...), `<meta charset="gbk">公开`, "gbk"},
		{"meta utf-8 on gbk", "text/html", append([]byte(`<meta charset="utf-8">`), gbk(t, "公开")...), `<meta charset="utf-8">公开`, "gb18030"},
		{"big5 header", "text/html; charset=big5", big5(t, "公開"), "公開", "big5"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, cs := decodeBody(c.raw, c.ct)
			if string(got) != c.want || cs != c.charset {
				t.Errorf("decodeBody(%q) = %q %q, want %q %q", c.raw, got, cs, c.want, c.charset)
			}
		})
	}
}
