package crawler

import (
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// Ensure that in-scope document attachments are fetched once and their text
// read, that a file over the size cap is recorded unread, and that nothing
// is fetched for text when max_attachments is 0.
func TestCrawl_AttachmentText(t *testing.T) {
	var gets atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/xxgk/", htmlPage("信息公开", `<a href="/xxgk/gs.html">公示</a>`))
	mux.HandleFunc("/xxgk/gs.html", htmlPage("名单公示", `<a href="/xxgk/md.csv">名单</a> <a href="/xxgk/md.csv">名单（再次链接）</a> <a href="/xxgk/big.csv">大文件</a> <a href="/xxgk/photo.jpg">图片</a>`))
	mux.HandleFunc("/xxgk/md.csv", func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			gets.Add(1)
		}
		w.Header().Set("Content-Type", "text/csv")
		w.Write([]byte("姓名,身份证号码\n王建国,330206199001011234\n"))
	})
	mux.HandleFunc("/xxgk/big.csv", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(strings.Repeat("a,b\n", 1000)))
	})
	srv := newServer(t, mux)
	pol := testPolicy()
	pol.MaxAttachments, pol.MaxAttachmentBytes = 10, 1000
	s := mustCrawl(t, srv.URL+"/xxgk/", Options{Policy: pol})
	if len(s.Attachments) != 2 {
		t.Fatalf("Attachments = %+v, want md.csv and big.csv", s.Attachments)
	}
	big, md := s.Attachments[0], s.Attachments[1]
	if !strings.Contains(md.Text, "王建国,330206199001011234") && !strings.Contains(md.Text, "王建国\t330206199001011234") || md.SHA256 == "" || md.Status != 200 {
		t.Errorf("md.csv = %+v, want its text, digest and status", md)
	}
	if len(md.Referrers) != 1 || !strings.HasSuffix(md.Referrers[0], "/xxgk/gs.html") {
		t.Errorf("md.csv referrers = %v, want the 公示 page", md.Referrers)
	}
	if !big.Truncated || big.Text != "" {
		t.Errorf("big.csv = %+v, want truncated without text", big)
	}
	if n := gets.Load(); n != 1 {
		t.Errorf("md.csv fetched with GET %d times, want 1", n)
	}

	gets.Store(0)
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("User-agent: *\nDisallow: /xxgk/md.csv\n"))
	})
	s = mustCrawl(t, srv.URL+"/xxgk/", Options{Policy: pol})
	if n := gets.Load(); n != 0 || len(s.Attachments) != 2 || s.Attachments[1].Text != "" || !strings.Contains(s.Attachments[1].Err, "robots.txt") {
		t.Errorf("robots.txt disallows md.csv: %d GETs, attachments %+v; want none read, the reason given", n, s.Attachments)
	}

	s = mustCrawl(t, srv.URL+"/xxgk/", Options{Policy: testPolicy()})
	if len(s.Attachments) != 0 || gets.Load() != 0 {
		t.Errorf("max_attachments 0: Attachments = %+v, %d GETs; want none", s.Attachments, gets.Load())
	}
}

// Ensure that when a unit links more attachments than max_attachments, the
// ones the previous run read keep their places (whatever order tonight's
// pages come in), and a new one takes only a place they leave.
func TestCrawl_AttachmentsPreviousKeepTheirPlaces(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/xxgk/", func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, ".csv") {
			w.Header().Set("Content-Type", "text/csv")
			w.Write([]byte("名称\n" + r.URL.Path + "\n"))
			return
		}
		htmlPage("信息公开", `<a href="/xxgk/a.csv">甲</a> <a href="/xxgk/b.csv">乙</a> <a href="/xxgk/c.csv">丙</a> <a href="/xxgk/d.csv">丁</a>`)(w, r)
	})
	srv := newServer(t, mux)
	pol := testPolicy()
	pol.MaxAttachments, pol.MaxAttachmentBytes = 2, 1000
	names := func(opt Options) string {
		opt.Policy = pol
		s := mustCrawl(t, srv.URL+"/xxgk/", opt)
		var out []string
		for _, a := range s.Attachments {
			out = append(out, a.URL[strings.LastIndex(a.URL, "/")+1:])
		}
		return strings.Join(out, " ")
	}
	if got := names(Options{}); got != "a.csv b.csv" {
		t.Errorf("first run: %q, want the first two linked", got)
	}
	prev := map[string]bool{srv.URL + "/xxgk/c.csv": true, srv.URL + "/xxgk/d.csv": true}
	if got := names(Options{PreviousAttachments: prev}); got != "c.csv d.csv" {
		t.Errorf("previous run read c and d: %q, want c and d again", got)
	}
	prev = map[string]bool{srv.URL + "/xxgk/d.csv": true}
	if got := names(Options{PreviousAttachments: prev}); got != "a.csv d.csv" {
		t.Errorf("previous run read d only: %q, want d and the first new one", got)
	}
}
