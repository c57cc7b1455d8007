package rundata

import (
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"time"

	"gkaudit/checks"
	"gkaudit/cndate"
	"gkaudit/evidence"
	"gkaudit/site"
	"gkaudit/store"
)

// ErrPagesMissing is returned by Evidence when the finding names pages but
// the run kept none of them: a file of the finding alone proves nothing.
var ErrPagesMissing = errors.New("the run kept none of the finding's pages")

// EvidenceURLs are the URLs behind a finding, in order, once each: its
// evidence, its own URL, what it looked at, and its subject when that is a
// URL (the broken link of link.broken).
func EvidenceURLs(f checks.Finding) []string {
	var out []string
	seen := map[string]bool{}
	add := func(u string) {
		if u != "" && !seen[u] && (strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://")) {
			seen[u] = true
			out = append(out, u)
		}
	}
	add(f.Evidence.URL)
	add(f.URL)
	for _, u := range f.Looked {
		add(u)
	}
	add(f.Subject)
	return out
}

// Evidence gathers from the store what the evidence file of finding f of
// run holds: for every URL behind the finding the page or probe as the run
// fetched it, with its bodies, and for a 304 the full fetch it confirmed;
// Info names the run, this build (Software), filename and created. The
// command line (gkaudit evidence) and the web UI both export through it.
func Evidence(db *store.DB, run store.Run, f checks.Finding, filename string, created time.Time) (evidence.Export, error) {
	exp := evidence.Export{Finding: f, Info: evidence.Info{Software: Software(), Filename: filename, Created: created,
		RunID: run.ID, RunStarted: run.Started, AsOf: run.AsOf, ConfigSource: run.ConfigSource, ConfigSHA256: run.ConfigSHA256}}
	note := func(format string, args ...any) { exp.Notes = append(exp.Notes, fmt.Sprintf(format, args...)) }
	if run.ConfigSHA256 == "" {
		note("运行 %s 未记录配置的 SHA-256（旧版本写入）", run.ID)
	}
	urls := EvidenceURLs(f)
	if len(urls) == 0 {
		note("该问题不针对具体页面，文件只含问题本身")
		return exp, nil
	}
	snap, err := db.Snapshot(run.ID, f.Unit)
	if errors.Is(err, store.ErrNotFound) {
		note("运行 %s 没有保存单位 %s 的页面", run.ID, f.Unit)
		return exp, fmt.Errorf("finding %s in run %s: %w", f.ID, run.ID, ErrPagesMissing)
	}
	if err != nil {
		return exp, err
	}
	probes := map[string]*site.Probe{}
	for i := range snap.Probes {
		probes[snap.Probes[i].URL] = &snap.Probes[i]
	}
	done := map[any]bool{} // a page reached by its URL and by where it redirected to is written once
	for _, u := range urls {
		if p := snap.Page(u); p != nil {
			if done[p] {
				continue
			}
			done[p] = true
			if p.CarriedForward {
				fe, err := carriedFetch(db, f.Unit, run.ID, p, note)
				if err != nil {
					return exp, err
				}
				exp.Fetches = append(exp.Fetches, fe)
				continue
			}
			fe, err := pageFetch(db, p, note)
			if err != nil {
				return exp, err
			}
			if p.NotModified {
				origRun, orig, err := db.FullFetch(f.Unit, p.URL, p.SHA256, run.ID)
				switch {
				case errors.Is(err, store.ErrNotFound):
					note("%s 在本次运行中由服务器答复 304（未修改）；首次完整抓取所在的运行已被清理（gc），文件只含 304 记录，页面内容的 SHA-256 为 %s", p.URL, p.SHA256)
				case err != nil:
					return exp, err
				default:
					of, err := pageFetch(db, orig, note)
					if err != nil {
						return exp, err
					}
					fe.Original = &of
					note("%s 在本次运行中由服务器答复 304（未修改）；完整响应取自运行 %s（抓取于 %s），以 revisit 记录引用", p.URL, origRun.ID,
						orig.FetchedAt.In(cndate.Shanghai).Format(time.DateTime))
				}
			}
			exp.Fetches = append(exp.Fetches, fe)
			continue
		}
		if pr := probes[u]; pr != nil {
			if done[pr] {
				continue
			}
			done[pr] = true
			if len(pr.Exchanges) == 0 {
				note("%s 的探测（%s，HTTP %d）未记录请求和响应头（旧版本写入）", u, pr.Method, pr.Status)
				continue
			}
			exp.Fetches = append(exp.Fetches, evidence.Fetch{Exchanges: pr.Exchanges, URL: u, FetchedAt: pr.FetchedAt})
			continue
		}
		note("%s 不在运行 %s 的抓取记录中", u, run.ID)
	}
	if len(exp.Fetches) == 0 {
		return exp, fmt.Errorf("finding %s in run %s: %w", f.ID, run.ID, ErrPagesMissing)
	}
	return exp, nil
}

// pageFetch is a stored page with its body as received: the raw bytes when
// they differ from the decoded body, else the body.
func pageFetch(db *store.DB, p *site.Page, note func(string, ...any)) (evidence.Fetch, error) {
	fe := evidence.Fetch{Exchanges: p.Exchanges, Truncated: p.Truncated, URL: p.URL, FetchedAt: p.FetchedAt, ContentType: p.ContentType}
	sha := p.SHA256
	if p.RawSHA256 != "" {
		sha = p.RawSHA256
		note("%s 以 %s 编码提供：响应记录保存收到的原始字节（SHA-256 %s），问题证据的 sha256 是转为 UTF-8 后的内容（%s）", p.URL, p.Charset, p.RawSHA256, p.SHA256)
	}
	if len(p.Exchanges) == 0 {
		note("%s 的请求和响应头未记录（旧版本写入），以 resource 记录保存页面内容", p.URL)
	}
	if sha == "" || p.NotModified {
		return fe, nil // no body kept, or the 304's body is the original's
	}
	body, err := db.Body(sha)
	if errors.Is(err, store.ErrNotFound) {
		note("%s 的页面内容（SHA-256 %s）不在数据库中", p.URL, sha)
		return fe, nil
	}
	if err != nil {
		return fe, err
	}
	fe.Payload = body
	return fe, nil
}

// Software names this build for the warcinfo record: module version, Go
// version and, when built from a checkout, the commit.
func Software() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "gkaudit"
	}
	s := "gkaudit/" + bi.Main.Version + " (" + bi.GoVersion
	var rev, dirty string
	for _, kv := range bi.Settings {
		switch kv.Key {
		case "vcs.revision":
			rev = kv.Value
		case "vcs.modified":
			if kv.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	if rev != "" {
		s += "; " + rev[:min(len(rev), 12)] + dirty
	}
	return s + ")"
}
