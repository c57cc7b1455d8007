package checks

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"gkaudit/cndate"
	"gkaudit/page"
	"gkaudit/site"
)

// InterpretationSyncRule is the source of interpretation.sync.
const InterpretationSyncRule = "国务院办公厅《〈关于全面推进政务公开工作的意见〉实施细则》（国办发〔2016〕80号）：坚持政策性文件与解读方案、解读材料同步组织、同步审签、同步部署；北仑区考核指标“图解、解读（5分）”：政策解读信息需与政策文件同步关联发布"

// interpretationSyncTerms are the labels of an article's publication date
// when its metadata block has none (发布时间：2019-03-05 09:30 来源：…).
var interpretationSyncTerms = map[string][]string{
	"interpretation.sync.published": pubLabels,
}

// InterpretationSync (interpretation.sync) checks that each 解读 was
// published together with its document: 国办发〔2016〕80号 requires 文件与解读
// 材料同步组织、同步审签、同步部署, and the rubric 同步关联发布. Local rules
// commonly allow the 解读 to follow within 3 working days; the window is
// config thresholds.interpretation_delay_workdays.
//
// The pairs are those interpretation.linked identifies (through links either
// way or matching titles). Each side's date is its metadata 发布日期, else the
// date after 发布时间/发布日期 on the page, else the date its list shows, else
// its 成文日期. The delay counts the working days after the document's date up
// to the 解读's on the working-day calendar (config calendar:): public
// holidays are off and their 调休 Saturdays and Sundays are on, so a 解读
// published the day after 国庆 is not late by the length of the holiday. A
// year the calendar has no data for counts Monday to Friday, and the detail
// says so (2027年无节假日数据，按周末计算), since the count may then be too high
// by a holiday's length.
//
// One finding per 解读 with a document, subject the 解读's URL: fail when
// the delay exceeds the window; pass otherwise — also when the 解读 is dated
// before its document (nothing lagged: the 文件 page usually carries its own
// later 发布日期), which the detail says. na when a date is missing on either
// side (the detail names which), or, as one finding, when no 解读 has an
// identified document or the site could not be reached.
func InterpretationSync(s *site.Snapshot, env Env) []Finding {
	if !s.EntryPage().OK() {
		return []Finding{entryUnreachable(s, "interpretation", "解读发布时间")}
	}
	limit := env.params().InterpretationDelayWorkdays
	cal := env.calendar()
	labels := env.Terms("interpretation.sync.published", interpretationSyncTerms["interpretation.sync.published"])
	ix := env.interpIndex(s)
	if len(ix.interps) == 0 {
		return []Finding{ix.none()}
	}
	var out []Finding
	for _, pr := range ix.pairs() {
		if pr.doc == nil {
			continue
		}
		j := pr.interp
		ju, du := pageURL(j.Page), pageURL(pr.doc)
		jd, jsrc := pubDate(j.Page, docMeta(j.Page), j.Date, labels)
		dd, dsrc := pubDate(pr.doc, docMeta(pr.doc), pr.docDate, labels)
		jn, dn := "解读“"+page.Clip(j.Title, 50)+"”", "文件“"+page.Clip(pr.docTitle, 50)+"”"
		f := Finding{Subject: j.URL, URL: ju, Looked: []string{ju, du}, Evidence: evidence(j.Page, excerptAround(pageText(j.Page), jsrc, 120))}
		switch {
		case jd.IsZero() && dd.IsZero():
			f.Status, f.Detail = NA, jn+"与"+dn+"均未显示发布日期，无法判断是否同步发布"
		case jd.IsZero():
			f.Status, f.Detail = NA, jn+"未显示发布日期，无法判断是否同步发布"
		case dd.IsZero():
			f.Status, f.Detail = NA, dn+"未显示发布日期，无法判断解读是否同步发布"
			f.URL, f.Evidence = du, evidence(pr.doc, pr.docTitle)
		default:
			from, to := dateOf(dd), dateOf(jd)
			n := cal.WorkdaysBetween(from, to)
			dates := fmt.Sprintf("（文件%s %s，解读%s %s）", dsrc, dd.Format("2006-01-02"), jsrc, jd.Format("2006-01-02"))
			dates += missingYears(cal.Missing(from, to))
			switch {
			case dateOf(jd).Before(dateOf(dd)):
				f.Status, f.Detail = Pass, jn+"早于"+dn+"发布"+dates
			case n > limit:
				f.Status = Fail
				f.Detail = fmt.Sprintf("%s晚于%s %d 个工作日发布，超过 %d 个工作日%s", jn, dn, n, limit, dates)
			case n == 0:
				f.Status, f.Detail = Pass, jn+"与"+dn+"同步发布"+dates
			default:
				f.Status = Pass
				f.Detail = fmt.Sprintf("%s在%s发布后第 %d 个工作日发布，未超过 %d 个工作日%s", jn, dn, n, limit, dates)
			}
		}
		out = append(out, f)
	}
	if len(out) == 0 {
		return []Finding{{Subject: "interpretation", Status: NA, URL: ix.cols[0].URL, Looked: columnURLs(ix.cols),
			Detail: "未找到与政策文件对应的解读，无法判断发布时间"}}
	}
	return out
}

// missingYears says which years a count of working days had no calendar
// data for, "" when none: （2027年无节假日数据，按周末计算）.
func missingYears(years []int) string {
	if len(years) == 0 {
		return ""
	}
	s := make([]string, len(years))
	for i, y := range years {
		s[i] = strconv.Itoa(y)
	}
	return "（" + strings.Join(s, "、") + "年无节假日数据，按周末计算）"
}

// dateOf is t's calendar day in Shanghai.
func dateOf(t time.Time) time.Time {
	t = t.In(cndate.Shanghai)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, cndate.Shanghai)
}
