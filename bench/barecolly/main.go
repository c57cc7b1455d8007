// Command barecolly is the benchmark's ceiling: a bare colly collector that
// only follows links within the hosts of its start URLs, with the same
// parallelism as gkaudit, and counts the pages it fetched. It does nothing
// gkaudit does beyond that (no charset decoding, no storage, no checks).
package main

import (
	"flag"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gocolly/colly/v2"
)

func main() {
	parallel := flag.Int("parallel", 8, "concurrent requests in all")
	maxDepth := flag.Int("depth", 8, "maximum link depth")
	timeout := flag.Duration("timeout", 10*time.Second, "request timeout")
	flag.Parse()
	roots := flag.Args()
	if len(roots) == 0 {
		fmt.Fprintln(os.Stderr, "usage: barecolly [flags] URL...")
		os.Exit(2)
	}
	var hosts []string
	for _, r := range roots {
		u, err := url.Parse(r)
		if err != nil {
			fmt.Fprintf(os.Stderr, "barecolly: %v\n", err)
			os.Exit(2)
		}
		hosts = append(hosts, u.Host)
	}
	c := colly.NewCollector(colly.Async(true), colly.MaxDepth(*maxDepth), colly.AllowedDomains(hostnames(hosts)...))
	c.SetRequestTimeout(*timeout)
	c.Limit(&colly.LimitRule{DomainGlob: "*", Parallelism: *parallel})
	var pages, errs atomic.Int64
	c.OnResponse(func(r *colly.Response) { pages.Add(1) })
	c.OnError(func(r *colly.Response, err error) { errs.Add(1) })
	c.OnHTML("a[href]", func(e *colly.HTMLElement) {
		e.Request.Visit(e.Attr("href"))
	})
	start := time.Now()
	for _, r := range roots {
		c.Visit(r)
	}
	c.Wait()
	el := time.Since(start)
	fmt.Printf("pages=%d errors=%d seconds=%.2f pages_per_s=%.1f\n", pages.Load(), errs.Load(), el.Seconds(), float64(pages.Load())/el.Seconds())
}

// hostnames strips ports: colly's AllowedDomains compares host names.
func hostnames(hosts []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, h := range hosts {
		if i := strings.LastIndex(h, ":"); i >= 0 {
			h = h[:i]
		}
		if !seen[h] {
			seen[h] = true
			out = append(out, h)
		}
	}
	return out
}
