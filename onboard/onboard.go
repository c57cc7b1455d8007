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
	"net"
	"net/url"
	"path"
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
		unitKeys[nm.key(u.Name)] = true
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
	res := &Result{}
	var pages []pageInfo
	seen := map[string]bool{sameEntry(portal): true, sameEntry(first.url.String()): true}
	type queued struct {
		url      string
		depth    int
		priority int // index into indexWords
	}
	queue := []queued{}
	add := func(p *page, depth int) {
		info := parsePage(p.url, p.body)
		pages = append(pages, info)
		res.Pages = append(res.Pages, info.url)
		if depth >= maxIndexDepth {
			return
		}
		for _, l := range info.links {
			prio, ok := indexLink(l, nm, unitKeys)
			if !ok || seen[sameEntry(l.url)] || !sameSite(site, l.url) {
				continue
			}
			seen[sameEntry(l.url)] = true
			queue = append(queue, queued{l.url, depth + 1, prio})
		}
		// Lists before the pages that may hold them, nearer pages first.
		sort.SliceStable(queue, func(i, j int) bool {
			if queue[i].priority != queue[j].priority {
				return queue[i].priority < queue[j].priority
			}
			return queue[i].depth < queue[j].depth
		})
	}
	add(first, 0)
	for len(queue) > 0 && len(pages) < opt.MaxPages {
		q := queue[0]
		queue = queue[1:]
		say(fmt.Sprintf("读取目录页 %d/%d %s", len(pages)+1, opt.MaxPages, q.url))
		p, err := f.get(ctx, q.url)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			say("  跳过：" + err.Error())
			continue
		}
		add(p, q.depth)
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
	// Units still missing: read the pages behind generic links (进入).
	if m.missing() > 0 {
		fetched := 0
		for _, p := range pages {
			for _, l := range p.links {
				if m.missing() == 0 || fetched >= opt.MaxTitlePages {
					break
				}
				if len(l.names()) > 0 || seen[sameEntry(l.url)] || m.taken(l.url) || isRoot(l.url) && sameSite(site, l.url) || notUnitPage(l.url) {
					continue
				}
				seen[sameEntry(l.url)] = true
				fetched++
				say(fmt.Sprintf("读取链接页面 %d %s（链接文字“%s”不含单位名称，看页面标题）", fetched, l.url, l.text))
				tp, err := f.get(ctx, l.url)
				if err != nil {
					if ctx.Err() != nil {
						return nil, ctx.Err()
					}
					say("  跳过：" + err.Error())
					continue
				}
				info := parsePage(tp.url, tp.body)
				m.offerTitle(l, info)
			}
		}
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

// indexLink reports whether a link leads to a list of units, and how
// strongly (the index of its words in indexWords): its text says
// 部门信息公开, 乡镇（街道）, 信息公开 ... and names no unit.
func indexLink(l link, nm *namer, unitKeys map[string]bool) (int, bool) {
	t := strings.Join(strings.Fields(l.text+" "+l.title), "")
	if t == "" || unitKeys[nm.key(l.text)] || unitKeys[nm.key(l.title)] {
		return 0, false
	}
	for _, w := range notIndexWords {
		if strings.Contains(t, w) {
			return 0, false
		}
	}
	for prio, words := range indexWords {
		for _, w := range words {
			if strings.Contains(t, w) {
				return prio, true
			}
		}
	}
	return 0, false
}

// isRoot reports whether a URL is a site's home page.
func isRoot(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Path) {
	case "", "/", "/index.html", "/index.htm", "/index.shtml", "/index.jsp", "/default.htm", "/default.html":
		return u.RawQuery == ""
	}
	return false
}

// sameSite reports whether raw is on the portal's site: the same host name
// (any port; an address only with its port), or the same registered domain (xxgk.bl.gov.cn and
// www.bl.gov.cn), which is where a portal keeps its 信息公开 platform.
func sameSite(portal *url.URL, raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	a, b := strings.ToLower(portal.Hostname()), strings.ToLower(u.Hostname())
	if a == b && net.ParseIP(a) == nil {
		return true
	}
	if net.ParseIP(a) != nil || net.ParseIP(b) != nil {
		// An address names no domain: only its own host and port are the site.
		return strings.EqualFold(portal.Host, u.Host)
	}
	return registered(a) == registered(b)
}

// registered is a host's registered domain: the last three labels under
// gov.cn, edu.cn, com.cn, org.cn, net.cn, the last two elsewhere.
func registered(host string) string {
	labels := strings.Split(host, ".")
	n := 2
	if len(labels) >= 3 && labels[len(labels)-1] == "cn" && len(labels[len(labels)-2]) <= 3 {
		n = 3
	}
	if len(labels) <= n {
		return host
	}
	return strings.Join(labels[len(labels)-n:], ".")
}

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

// nonUnitHosts are sites every government page links to, never a unit's:
// the 党政机关网站 mark, ICP and police filings, 中国政府网 and its 网站找错.
var nonUnitHosts = []string{"conac.cn", "beian.gov.cn", "miit.gov.cn", "www.gov.cn", "12377.cn", "cyberpolice.cn", "kaipuyun.cn"}

// notUnitPage reports whether a generic link is not worth fetching for its
// title: an attachment, or a page of a site that is never a unit's.
func notUnitPage(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return true
	}
	switch strings.ToLower(path.Ext(u.Path)) {
	case ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".wps", ".zip", ".rar", ".jpg", ".jpeg", ".png", ".gif", ".mp4", ".js", ".css", ".xml":
		return true
	}
	h := strings.ToLower(u.Hostname())
	for _, n := range nonUnitHosts {
		if h == n || strings.HasSuffix(h, "."+n) {
			return true
		}
	}
	return false
}

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Host
}
