package crawler

import (
	"net/http"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Ensure that an outbound link's probe keeps its landing page's title and a
// bounded text sample (meta keywords first), decoded from GBK, and that
// in-scope links, attachments and broken outbound links keep none.
func TestCrawl_OutboundLanding(t *testing.T) {
	ext := http.NewServeMux()
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(`<html><head><meta charset="gbk"><title>澳门百家乐娱乐城</title>` +
		`<meta name="keywords" content="真人视讯,棋牌"></head><body><script>var x="脚本";</script><p>` + strings.Repeat("欢迎光临", 800) + `</p></body></html>`)
	if err != nil {
		t.Fatal(err)
	}
	ext.HandleFunc("/taken", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(gbk))
	})
	ext.HandleFunc("/file.pdf", func(w http.ResponseWriter, r *http.Request) { w.Header().Set("Content-Type", "application/pdf") })
	extSrv := newServer(t, ext)

	mux := http.NewServeMux()
	mux.HandleFunc("/", htmlPage("首页", `<a href="/a.html">内页</a><a href="`+extSrv.URL+`/taken">友情链接</a>`+
		`<a href="`+extSrv.URL+`/file.pdf">附件</a><a href="`+extSrv.URL+`/gone">旧站</a>`))
	mux.HandleFunc("/a.html", htmlPage("内页", "正文"))
	srv := newServer(t, mux)

	pol := testPolicy()
	pol.OutboundSample = 100
	s := mustCrawl(t, srv.URL+"/", Options{Policy: pol})
	for _, pr := range s.Probes {
		switch pathOf(pr.URL) {
		case "/taken":
			l := pr.Landing
			if l == nil || l.Title != "澳门百家乐娱乐城" || !strings.HasPrefix(l.Text, "真人视讯,棋牌 欢迎光临") ||
				strings.Contains(l.Text, "脚本") || len([]rune(l.Text)) != 100 || l.FinalURL != pr.URL {
				t.Errorf("landing of /taken = %+v", l)
			}
		case "/file.pdf", "/gone":
			if pr.Landing != nil {
				t.Errorf("landing of %s = %+v, want none", pr.URL, pr.Landing)
			}
		}
	}
	if len(s.Probes) != 3 {
		t.Errorf("probes = %+v, want 3", s.Probes)
	}
}
