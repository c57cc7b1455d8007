// Command barecolly is the benchmark's ceiling: a bare colly collector that
// only follows links within the hosts (host:port) of its start URLs, with the
// same parallelism as gkaudit, and counts the HTML pages it fetched. It does
// nothing gkaudit does beyond that (no charset decoding, no storage, no
// checks, no probes of attachments or outbound links).
//
// To crawl the same pages as gkaudit it obeys robots.txt (gkaudit's default)
// and does not fetch attachments (gkaudit probes them with HEAD; they are not
// pages). It has no depth or page limit (-depth 0): the benchmark lifts
// gkaudit's budgets so that no tool stops early.
package main

import (
	"flag"
	"fmt"
	"net/url"
	"os"
	"path"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gocolly/colly/v2"
)

func main() {
	parallel := flag.Int("parallel", 8, "concurrent requests in all")
	maxDepth := flag.Int("depth", 0, "maximum link depth (0: unlimited)")
	timeout := flag.Duration("timeout", 10*time.Second, "request timeout")
	robots := flag.Bool("robots", true, "obey robots.txt")
	list := flag.String("list", "", "write the URLs of the HTML pages fetched to this file")
	flag.Parse()
	roots := flag.Args()
	if len(roots) == 0 {
		fmt.Fprintln(os.Stderr, "usage: barecolly [flags] URL...")
		os.Exit(2)
	}
	// colly's AllowedDomains compares host names without the port, which on
	// loopback would allow every 127.0.0.1 port (the external host, other
	// benchmarks' servers). Allow exactly the roots' host:port.
	hosts := map[string]bool{}
	for _, r := range roots {
		u, err := url.Parse(r)
		if err != nil || u.Host == "" {
			fmt.Fprintf(os.Stderr, "barecolly: bad url %q\n", r)
			os.Exit(2)
		}
		hosts[strings.ToLower(u.Host)] = true
	}
	c := colly.NewCollector(colly.Async(true), colly.MaxDepth(*maxDepth))
	c.IgnoreRobotsTxt = !*robots // colly ignores robots.txt by default
	c.SetRequestTimeout(*timeout)
	// One rule for all hosts: colly shares its Parallelism among the
	// requests of every domain the rule matches, so this is P in all.
	if err := c.Limit(&colly.LimitRule{DomainGlob: "*", Parallelism: *parallel}); err != nil {
		fmt.Fprintf(os.Stderr, "barecolly: %v\n", err)
		os.Exit(2)
	}
	var pages, other, errs atomic.Int64
	var mu sync.Mutex
	var urls []string
	c.OnResponse(func(r *colly.Response) {
		if strings.Contains(strings.ToLower(r.Headers.Get("Content-Type")), "html") {
			pages.Add(1)
			if *list != "" {
				mu.Lock()
				urls = append(urls, r.Request.URL.String())
				mu.Unlock()
			}
		} else {
			other.Add(1)
		}
	})
	c.OnError(func(r *colly.Response, err error) { errs.Add(1) })
	c.OnHTML("a[href]", func(e *colly.HTMLElement) {
		u, err := url.Parse(e.Request.AbsoluteURL(e.Attr("href")))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !hosts[strings.ToLower(u.Host)] || attachmentExt[strings.ToLower(path.Ext(u.Path))] {
			return
		}
		e.Request.Visit(u.String())
	})
	start := time.Now()
	for _, r := range roots {
		c.Visit(r)
	}
	c.Wait()
	el := time.Since(start)
	if *list != "" {
		if err := os.WriteFile(*list, []byte(strings.Join(urls, "\n")+"\n"), 0o644); err != nil {
			fmt.Fprintf(os.Stderr, "barecolly: %v\n", err)
			os.Exit(1)
		}
	}
	fmt.Printf("pages=%d other=%d errors=%d seconds=%.2f pages_per_s=%.1f\n", pages.Load(), other.Load(), errs.Load(), el.Seconds(), float64(pages.Load())/el.Seconds())
}

// attachmentExt are the extensions gkaudit probes instead of crawling
// (crawler/scope.go).
var attachmentExt = map[string]bool{
	".pdf": true, ".doc": true, ".docx": true, ".xls": true, ".xlsx": true,
	".wps": true, ".et": true, ".dps": true, ".ofd": true, ".ppt": true,
	".pptx": true, ".txt": true, ".csv": true, ".rtf": true, ".zip": true,
	".rar": true, ".7z": true, ".gz": true, ".tar": true, ".jpg": true,
	".jpeg": true, ".png": true, ".gif": true, ".bmp": true, ".tif": true,
	".tiff": true, ".mp3": true, ".mp4": true, ".avi": true, ".flv": true,
	".wmv": true, ".swf": true, ".exe": true, ".apk": true, ".xml": true,
	".js": true, ".css": true, ".ceb": true, ".caj": true,
}
