package onboard

import (
	"context"
	"fmt"
	"net/url"
	"strings"
)

// columnWords are the link texts of a site's disclosure column, best
// first.
var columnWords = []string{"政府信息公开", "信息公开", "政务公开", "政府信息公开目录", "信息公开目录", "政务公开专栏", "信息公开专栏"}

// refine replaces a found unit's URL that is the home page of a host of
// its own (a 部门网站 drop-down links there) by the site's 信息公开 column,
// when the home page links to one on the same host. The crawl starts at
// the column, as a unit's url should.
func refine(ctx context.Context, f *fetcher, portal *url.URL, found []Found, limit int, say func(string)) {
	n := 0
	for i := range found {
		u, err := url.Parse(found[i].Unit.URL)
		if err != nil || !isRoot(u.String()) || strings.EqualFold(u.Host, portal.Host) || n >= limit {
			continue
		}
		n++
		say(fmt.Sprintf("读取 %s 的网站首页 %s，找它的信息公开栏目", found[i].Unit.Name, u))
		p, err := f.get(ctx, u.String())
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			say("  跳过：" + err.Error())
			continue
		}
		if col := columnLink(parsePage(p.url, p.body)); col != "" {
			found[i].Home, found[i].Unit.URL = found[i].Unit.URL, col
		}
	}
}

// columnLink is the page's link to its own site's disclosure column, or "".
func columnLink(info pageInfo) string {
	self, err := url.Parse(info.url)
	if err != nil {
		return ""
	}
	for _, w := range columnWords {
		for _, l := range info.links {
			lu, err := url.Parse(l.url)
			if err != nil || !strings.EqualFold(lu.Host, self.Host) {
				continue
			}
			if strings.Join(strings.Fields(l.text), "") == w || strings.Join(strings.Fields(l.title), "") == w {
				return l.url
			}
		}
	}
	return ""
}
