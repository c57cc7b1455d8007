package checks

import (
	"strings"

	"gkaudit/site"
)

// entryUnreachable is the na finding of a check that could not start because
// the unit's entry page did not open: what it could not check, why the entry
// failed as far as the crawl knows, and what to do. site.reachable is the
// finding that counts the failure itself.
func entryUnreachable(s *site.Snapshot, subject, what string) Finding {
	return Finding{Subject: subject, Status: NA, URL: s.Entry, Detail: entryUnreachableText(s, what)}
}

// entryUnreachableText is entryUnreachable's detail.
func entryUnreachableText(s *site.Snapshot, what string) string {
	why := ""
	switch p := s.EntryPage(); {
	case p == nil && s.StopReason != "":
		why = "（未抓取：" + s.StopReason + "）"
	case p == nil:
		why = "（未抓取）"
	case p.Err != "":
		why = "（" + p.ErrCause() + "）"
	case p.Status >= 400:
		why = "（" + strings.TrimSpace(httpWhy(p.Status)) + "）"
	}
	return "入口页无法访问" + why + "，无法检查" + what + "；请核实配置中的入口网址能否在浏览器中打开（见 site.reachable 的结果），恢复后重新检查"
}
