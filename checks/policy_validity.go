package checks

import (
	"strings"

	"gkaudit/cndate"
	"gkaudit/page"
	"gkaudit/site"
)

// PolicyValidityRule is the source of policy.validity.
const PolicyValidityRule = "北仑区考核指标“政策文件（普通文件和规范性文件）（5分）”：及时做好政策文件的清理工作，对文件的有效性进行标注"

// policyValidityTerms are the words of a validity label shown in a list
// beside a document's title (【有效】, a 状态 column reading 失效).
var policyValidityTerms = map[string][]string{
	"policy.validity.labels": {"现行有效", "继续有效", "部分失效", "已失效", "失效", "已废止", "废止", "已修改", "已修订", "尚未生效", "未生效", "有效"},
}

// PolicyValidity (policy.validity) checks that each 政策文件/规范性文件 carries
// a validity label (rubric 政策文件: 对文件的有效性进行标注).
//
// The documents are the article pages listed by the unit's policy columns
// (政策文件, 规范性文件, 其他文件 ...), 解读 listed among them left out. A
// document is labelled when its page shows, in any metadata layout:
//   - 有效性 / 时效性 / 效力状态 / 是否有效 with a value (有效, 失效, 废止,
//     部分失效, 已修改/已修订, 现行有效, a date range ...);
//   - validity as dates: 生效时间/施行日期 with a date together with a
//     废止时间/失效日期 label (empty meaning not abolished), or a 废止/失效 date;
//   - 有效期 with a value;
//
// or when its list entry carries the label (a 【有效】 tag beside the title,
// a 有效性 column in the list table). A body sentence (本办法自…起施行) is not
// a label. A label whose value is empty, 无, 暂无 or - is no label.
//
// One finding per document: fail when unlabelled, pass otherwise. na: the
// site could not be reached, or no policy document page was found.
func PolicyValidity(s *site.Snapshot, env Env) []Finding {
	if !s.EntryPage().OK() {
		return []Finding{entryUnreachable(s, "policy", "政策文件有效性标注")}
	}
	cs := env.columnSet(s)
	cols := cs.columns("policy")
	docs := policyDocs(cs, cols)
	if len(docs) == 0 {
		f := Finding{Subject: "policy", Status: NA, URL: s.Entry, Looked: []string{s.Entry}, Detail: "未找到政策文件栏目，无政策文件可查"}
		if len(cols) > 0 {
			f.URL, f.Looked = cols[0].URL, columnURLs(cols)
			f.Detail = "政策文件栏目中没有已抓取的文件页面，无法检查有效性标注"
		}
		return []Finding{f}
	}
	words := env.Terms("policy.validity.labels", policyValidityTerms["policy.validity.labels"])
	tags := map[string]string{}
	for _, c := range cols {
		for _, p := range ColumnPages(s, c.URL) {
			for u, t := range listValidity(p, words) {
				if _, ok := tags[u]; !ok {
					tags[u] = t
				}
			}
		}
	}
	var out []Finding
	for _, d := range docs {
		m := docMeta(d.Page)
		u := pageURL(d.Page)
		f := Finding{Subject: d.URL, URL: u, Looked: []string{d.Column.URL, u}, Evidence: evidence(d.Page, metaExcerpt(d.Page, m))}
		name := "“" + page.Clip(d.Title, 60) + "”"
		if how, ok := validityLabel(m); ok {
			f.Status, f.Detail = Pass, "文件"+name+"标注了有效性："+how
		} else if t, ok := tags[d.URL]; ok {
			f.Status, f.Detail = Pass, "文件"+name+"在列表中标注了有效性：“"+t+"”"
		} else {
			f.Status = Fail
			if m.Present("validity") {
				f.Detail = "文件" + name + "的" + m.Labels["validity"] + "为空（未标注有效性）"
				if v := m.Fields["validity"]; v != "" {
					f.Detail = "文件" + name + "的" + m.Labels["validity"] + "为“" + page.Clip(v, 10) + "”（未标注有效性）"
				}
			} else {
				f.Detail = "文件" + name + "未标注有效性（有效、失效、废止等）"
			}
		}
		out = append(out, f)
	}
	return out
}

// policyDocs returns the document pages of the policy columns, without the
// 解读 some sites list among them.
func policyDocs(cs *columnSet, cols []site.Column) []docPage {
	var out []docPage
	for _, d := range cs.docsOf(cols) {
		if interpretationTitle.MatchString(d.Title) {
			continue
		}
		out = append(out, d)
	}
	return out
}

// validityLabel reports whether the metadata labels the document's validity
// and how.
func validityLabel(m Metadata) (string, bool) {
	if v := m.Fields["validity"]; v != "" && !isBlank(v) {
		return m.Labels["validity"] + "：" + v, true
	}
	eff, effOK := cndate.First(m.Fields["effective"])
	if effOK && m.Present("expires") {
		how := m.Labels["effective"] + "：" + eff.Format("2006-01-02") + " " + m.Labels["expires"] + "：" + m.Fields["expires"]
		return how, true
	}
	if _, ok := cndate.First(m.Fields["expires"]); ok {
		return m.Labels["expires"] + "：" + m.Fields["expires"], true
	}
	if v := m.Fields["period"]; v != "" && !isBlank(v) {
		return m.Labels["period"] + "：" + v, true
	}
	return "", false
}

// listValidity returns, for the items of a list page (its script
// datastore's records included), the validity label shown in their entry
// beside the title: 【有效】, [失效], or a cell of a status column.
func listValidity(p *site.Page, words []string) map[string]string {
	out := map[string]string{}
	if p == nil {
		return out
	}
	for _, e := range viewOf(p).Entries {
		for _, w := range words {
			if w != "" && strings.Contains(page.Compact(e.Rest), w) {
				out[e.URL] = w
				break
			}
		}
	}
	return out
}

// columnURLs lists the columns' URLs.
func columnURLs(cols []site.Column) []string {
	var out []string
	for _, c := range cols {
		out = append(out, c.URL)
	}
	return out
}
