// Package onboard finds a district's units on its portal: it reads the
// portal's 政府信息公开 index and the department and street lists it links
// to (部门信息公开, 部门导航, 区级部门, 乡镇（街道）信息公开, 部门网站
// drop-downs), matches each configured unit by its name — exactly, in the
// short and long forms portals use (财政局, 区财政局, 北仑区财政局), or, when
// the link says only 进入, by the title of the page it leads to — and gives
// each found unit its entry URL and, on a shared portal host, its scope.
// gkaudit init writes the result as a config file.
package onboard

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"

	"gkaudit/config"
)

// ErrNoIndex is returned when none of the pages read names any unit: the
// URL is not the portal's 信息公开 index, and links to none.
var ErrNoIndex = errors.New("没有找到列出各单位的信息公开目录")

// Options configure Discover.
type Options struct {
	// Crawl is the policy the fetches follow: allow_networks (SSRF guard),
	// delay and parallel_per_host, timeout, robots, user_agent,
	// max_body_bytes.
	Crawl config.Crawl
	// District is the district's name (北仑区), cut from the front of link
	// texts (北仑区财政局 is 财政局).
	District string
	// MaxPages bounds the index and list pages read (default 20);
	// MaxTitlePages the pages fetched to read the title behind a generic
	// link such as 进入 (default 60).
	MaxPages      int
	MaxTitlePages int
	// Progress, when set, is told of each fetch (one line, Chinese).
	Progress func(msg string)
}

// Found is a unit found on the portal.
type Found struct {
	Unit config.Unit // URL (and Scope on a shared host) set
	Text string      // the name the link gave, or the page title
	From string      // the page the link was on
	// ByTitle is set when the link's text was generic and the unit was
	// recognised by the title of the page it leads to.
	ByTitle bool
	// Home is set when the link led to the home page of the unit's own
	// site, and URL is the 信息公开 column that page links to.
	Home string
}

// Missing is a unit that was not found, with the names that came nearest.
type Missing struct {
	Unit       config.Unit
	Reason     string // why it is missing, Chinese
	Candidates []Candidate
}

// Candidate is a link the portal has that may be the unit's.
type Candidate struct {
	Name, URL string
}

// Result is what Discover found. Units lists every unit in config order,
// those found with URL and Scope set, the others as they were given.
type Result struct {
	Pages   []string // the pages read, portal first
	Units   []config.Unit
	Found   []Found
	Missing []Missing
}

const (
	defaultMaxPages      = 20
	defaultMaxTitlePages = 60
	maxIndexDepth        = 2
	maxCandidates        = 3
)

// indexWords are link texts that lead to the lists of units, in order of
// preference: the lists themselves first, then the 信息公开 page that
// holds them. Links that name a unit are not followed.
var indexWords = [][]string{
	{"部门信息公开", "部门导航", "区级部门", "县级部门", "部门网站", "部门公开", "部门专栏",
		"更多部门", "全部部门", "部门列表", "单位导航", "机构导航",
		"乡镇街道", "乡镇（街道）", "镇（街道）", "镇街", "街道信息公开", "乡镇信息公开", "街道办事处"},
	{"政府信息公开", "信息公开", "政务公开"},
}

// notIndexWords mark 信息公开 links that lead to one document or
// service, never to a list of units.
var notIndexWords = []string{"指南", "年报", "年度报告", "制度", "申请", "规定", "目录编制", "意见箱", "监督"}

// Discover reads the portal at portal and finds units on it.
func Discover(ctx context.Context, portal string, units []config.Unit, opt Options) (*Result, error) {
	if opt.MaxPages <= 0 {
		opt.MaxPages = defaultMaxPages
	}
	if opt.MaxTitlePages <= 0 {
		opt.MaxTitlePages = defaultMaxTitlePages
	}
	say := opt.Progress
	if say == nil {
		say = func(string) {}
	}
	f, err := newFetcher(opt.Crawl)
	if err != nil {
		return nil, err
	}
	nm := newNamer(opt.District)
	unitKeys := map[string]bool{}
	for _, u := range units {
		if k := nm.key(u.Name); k != "" {
			unitKeys[k] = true
		}
	}

	// Read the portal page, then the index and list pages it links to.
	say("读取门户网站 " + portal)
	first, err := f.get(ctx, portal)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("无法读取门户网站：%w；请检查 --portal 网址是否正确、本机能否访问它", err)
	}
	site := first.url
	d := &discovery{f: f, nm: nm, site: site, say: say, opt: opt, unitKeys: unitKeys,
		seen: map[string]bool{sameEntry(portal): true, sameEntry(site.String()): true}}
	pages, err := d.readIndex(ctx, first)
	if err != nil {
		return nil, err
	}
	res := &Result{}
	for _, p := range pages {
		res.Pages = append(res.Pages, p.url)
	}
	m := newMatcher(nm, units)
	for _, p := range pages {
		for _, l := range p.links {
			if isRoot(l.url) && strings.EqualFold(hostOf(l.url), site.Host) {
				continue // the portal's home page is no unit's column
			}
			m.offer(l)
		}
	}
	if err := d.readTitles(ctx, pages, m); err != nil {
		return nil, err
	}
	m.resolve()
	if len(m.found) == 0 {
		return nil, fmt.Errorf("%w：在 %s 及其链接的 %d 个页面中，没有一个链接的名称与配置中的单位相符；请用 --portal 指向门户网站的「政府信息公开」页面或部门/乡镇（街道）列表页面", ErrNoIndex, portal, len(pages)-1)
	}
	refine(ctx, f, site, m.found, opt.MaxTitlePages, say)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	res.Found, res.Missing = m.found, m.missingList()
	res.Units = withScope(units, res.Found, site.Host)
	for i := range res.Found {
		for _, u := range res.Units {
			if u.ID == res.Found[i].Unit.ID {
				res.Found[i].Unit = u
			}
		}
	}
	return res, nil
}

// discovery is one Discover call's state.
type discovery struct {
	f        *fetcher
	nm       *namer
	site     *url.URL // the portal page, after redirects
	say      func(string)
	opt      Options
	unitKeys map[string]bool
	seen     map[string]bool // pages read or queued, by sameEntry
}

// readIndex reads the portal page, then the list and index pages it links
// to (indexLink), lists first, up to maxIndexDepth links away and
// opt.MaxPages pages in all. A page that cannot be read is skipped.
func (d *discovery) readIndex(ctx context.Context, first *page) ([]pageInfo, error) {
	type queued struct {
		url      string
		depth    int
		priority int // index into indexWords
	}
	var pages []pageInfo
	var queue []queued
	add := func(p *page, depth, prio int) {
		info := parsePage(p.url, p.body)
		pages = append(pages, info)
		for _, u := range info.more {
			// A list's later pages are the list: as near, as wanted.
			if !d.seen[sameEntry(u)] && sameSite(d.site, u) {
				d.seen[sameEntry(u)] = true
				queue = append(queue, queued{u, depth, prio})
			}
		}
		if depth >= maxIndexDepth {
			return
		}
		for _, l := range info.links {
			prio, ok := indexLink(l, d.nm, d.unitKeys)
			if !ok || d.seen[sameEntry(l.url)] || !sameSite(d.site, l.url) {
				continue
			}
			d.seen[sameEntry(l.url)] = true
			queue = append(queue, queued{l.url, depth + 1, prio})
		}
		// Lists before the pages that may hold them, nearer pages first.
		// (The sort is stable: a list's later pages keep their order.)
		sort.SliceStable(queue, func(i, j int) bool {
			if queue[i].priority != queue[j].priority {
				return queue[i].priority < queue[j].priority
			}
			return queue[i].depth < queue[j].depth
		})
	}
	add(first, 0, 0)
	for len(queue) > 0 && len(pages) < d.opt.MaxPages {
		q := queue[0]
		queue = queue[1:]
		d.say(fmt.Sprintf("读取目录页 %d/%d %s", len(pages)+1, d.opt.MaxPages, q.url))
		p, err := d.f.get(ctx, q.url)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			d.say("  跳过：" + err.Error())
			continue
		}
		add(p, q.depth, q.priority)
	}
	return pages, nil
}

// readTitles reads, while units are missing, the pages behind links whose
// text names nothing (进入, an image without alt), and offers their titles.
func (d *discovery) readTitles(ctx context.Context, pages []pageInfo, m *matcher) error {
	fetched := 0
	for _, p := range pages {
		for _, l := range p.links {
			if m.missing() == 0 || fetched >= d.opt.MaxTitlePages {
				return nil
			}
			if len(l.names()) > 0 || d.seen[sameEntry(l.url)] || m.taken(l.url) || isRoot(l.url) && sameSite(d.site, l.url) || notUnitPage(l.url) {
				continue
			}
			d.seen[sameEntry(l.url)] = true
			fetched++
			text := "“" + l.text + "”"
			if l.text == "" {
				text = "为空"
			}
			d.say(fmt.Sprintf("读取链接页面 %d %s（链接文字%s，不含单位名称，看页面标题）", fetched, l.url, text))
			tp, err := d.f.get(ctx, l.url)
			if err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				d.say("  跳过：" + err.Error())
				continue
			}
			m.offerTitle(l, parsePage(tp.url, tp.body))
		}
	}
	return nil
}
