package checks

import (
	"net/url"
	"path"
	"strings"

	"gkaudit/site"
)

// This file holds the links of a page as the checks read them (its anchors
// with their names, lines and places; its content's links), and the URL
// helpers: hosts, attachments, probes.

// linksOf returns the links of a page: as the crawler recorded them, else
// its anchors (pageLinks).
func linksOf(p *site.Page) []site.Link {
	if p == nil {
		return nil
	}
	if len(p.Links) > 0 {
		return p.Links
	}
	var out []site.Link
	for _, l := range pageLinks(p) {
		out = append(out, site.Link{URL: l.URL, Text: l.Text})
	}
	return out
}

// sameHost reports whether two absolute URLs share their host.
func sameHost(a, b string) bool {
	ua, err1 := url.Parse(a)
	ub, err2 := url.Parse(b)
	return err1 == nil && err2 == nil && strings.EqualFold(ua.Host, ub.Host)
}

// pageLink is a link of a page with what surrounds it.
type pageLink struct {
	URL  string
	Text string // anchor text, or its title attribute when longer
	// Context is the text of the link's block (the line "相关文件：《…》"),
	// empty when the block is too long to be one line.
	Context string
	Chrome  bool // inside nav, header, footer or an element classed as such
	Side    bool // inside an aside or an element classed as a side bar
}

// pageLinks returns the links of a page in document order (page.Anchor),
// each named by its text or its longer title.
func pageLinks(p *site.Page) []pageLink {
	v := viewOf(p)
	if v == nil {
		return nil
	}
	out := make([]pageLink, 0, len(v.Anchors))
	for _, a := range v.Anchors {
		out = append(out, pageLink{URL: a.URL, Text: a.Label(), Context: a.Line(), Chrome: a.Chrome, Side: a.Side})
	}
	return out
}

// attachmentExt are the extensions of documents published as attachments.
var attachmentExt = map[string]bool{".pdf": true, ".doc": true, ".docx": true, ".wps": true, ".xls": true, ".xlsx": true,
	".rar": true, ".zip": true, ".ofd": true, ".txt": true}

// isAttachmentURL reports whether u names a document file.
func isAttachmentURL(u string) bool {
	pu, err := url.Parse(u)
	if err != nil {
		return false
	}
	return attachmentExt[strings.ToLower(path.Ext(pu.Path))]
}

// probeOf returns the probe of u, or nil.
func probeOf(s *site.Snapshot, u string) *site.Probe {
	for i := range s.Probes {
		if s.Probes[i].URL == u {
			return &s.Probes[i]
		}
	}
	return nil
}

// probeOK reports whether a probed resource answered 2xx or 3xx.
func probeOK(pr *site.Probe) bool {
	return pr != nil && pr.Err == "" && pr.Status >= 200 && pr.Status < 400
}

// hostOf returns the host of an absolute URL, or "".
func hostOf(u string) string {
	pu, err := url.Parse(u)
	if err != nil {
		return ""
	}
	return pu.Host
}

// anchorLinks returns the page's links with their names (page.Anchor.Name:
// an image link's alt or title, 栏目 shown as picture buttons, or the
// anchor's title when it has no text). It falls back to the crawler's links.
func anchorLinks(p *site.Page) []site.Link {
	if !hasBody(p) {
		return nil
	}
	v := viewOf(p)
	if len(v.Anchors) == 0 {
		return p.Links
	}
	out := make([]site.Link, 0, len(v.Anchors))
	for _, a := range v.Anchors {
		out = append(out, site.Link{URL: a.URL, Text: a.Name()})
	}
	return out
}

// contentLinks returns the URLs linked from the page's content, without its
// chrome (nav bars, menus, footers): a sub-column is linked from the column's
// own content, not from the site's menus.
func contentLinks(p *site.Page) map[string]bool {
	out := map[string]bool{}
	if v := viewOf(p); v != nil {
		for _, l := range v.Blocks.Links {
			out[l.URL] = true
		}
	}
	return out
}

// linkPageCount counts, for every link URL, the fetched pages that carry it.
func linkPageCount(s *site.Snapshot) map[string]int {
	freq := map[string]int{}
	for _, p := range s.Pages {
		if !p.OK() {
			continue
		}
		seen := map[string]bool{}
		for _, l := range p.Links {
			if !seen[l.URL] {
				seen[l.URL] = true
				freq[l.URL]++
			}
		}
	}
	return freq
}

// outOfScope reports whether every URL was probed as lying outside the
// unit's crawl scope.
func outOfScope(s *site.Snapshot, urls []string) bool {
	ext := map[string]bool{}
	for _, p := range s.Probes {
		if p.External {
			ext[p.URL] = true
		}
	}
	for _, u := range urls {
		if !ext[u] {
			return false
		}
	}
	return len(urls) > 0
}
