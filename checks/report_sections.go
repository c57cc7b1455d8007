package checks

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"gkaudit/page"
	"gkaudit/site"
)

// ReportSectionsRule is the source of report.sections.
const ReportSectionsRule = "《政府信息公开条例》（2019）第五十条：年度报告应当包括主动公开政府信息的情况，收到和处理政府信息公开申请的情况，因政府信息公开工作被申请行政复议、提起行政诉讼的情况，政府信息公开工作存在的主要问题及改进情况，其他需要报告的事项；国办公开办函〔2019〕60号年度报告格式：一、总体情况 二、主动公开政府信息情况 三、收到和处理政府信息公开申请情况 四、政府信息公开行政复议、行政诉讼情况 五、存在的主要问题及改进情况 六、其他需要报告的事项"

// reportSection is one content element a year's report must cover, with the
// words real reports use for it (headings and body text alike).
type reportSection struct {
	key   string // term key
	name  string
	words []string
}

// reportSections2019 are the elements of 条例（2019）第五十条, for reports on
// 2019 and later. Real variants: 主动公开政府信息情况/主动公开情况; 收到和处理政府
// 信息公开申请情况/依申请公开情况/政府信息公开申请办理情况; 政府信息公开行政复议、
// 行政诉讼情况/因政府信息公开申请行政复议、提起行政诉讼的情况/复议、诉讼情况;
// 存在的主要问题及改进情况/主要问题和改进措施/存在的不足及下一步打算; 其他需要报告的
// 事项/其他需报告的事项/需要说明的事项.
var reportSections2019 = []reportSection{
	{key: "report.sections.active", name: "主动公开政府信息情况", words: []string{"主动公开"}},
	{key: "report.sections.requests", name: "收到和处理政府信息公开申请情况", words: []string{"收到和处理", "依申请公开", "政府信息公开申请", "公开申请", "申请公开", "收到申请", "受理申请", "申请件", "新收政府信息"}},
	{key: "report.sections.review", name: "行政复议、行政诉讼情况", words: []string{"复议", "诉讼"}},
	{key: "report.sections.problems", name: "存在的主要问题及改进情况", words: []string{"主要问题", "存在的问题", "存在问题", "问题及改进", "问题和改进", "存在的不足", "存在不足", "不足之处", "改进情况", "改进措施", "改进方向", "整改措施"}},
	{key: "report.sections.other", name: "其他需要报告的事项", words: []string{"其他需要报告", "其它需要报告", "其他需报告", "其它需报告", "其他需要说明", "其它需要说明", "需要说明的事项", "需要报告的事项", "其他事项", "其它事项"}},
}

// reportSectionFees is the element the 2008 条例 (第三十二条) also required
// of reports on 2018 and earlier: 政府信息公开的收费及减免情况.
var reportSectionFees = reportSection{key: "report.sections.fees", name: "政府信息公开的收费及减免情况", words: []string{"收费", "收取费用", "减免", "费用"}}

// reportTemplateHeadings are the six headings of 国办公开办函〔2019〕60号; the
// detail says how many a report uses. They are not required by themselves.
var reportTemplateHeadings = []string{"总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况", "行政复议、行政诉讼情况", "存在的主要问题及改进情况", "其他需要报告的事项"}

// reportSectionsTerms are the default word lists, by term key.
var reportSectionsTerms = func() map[string][]string {
	m := map[string][]string{}
	for _, e := range append(reportSections2019, reportSectionFees) {
		m[e.key] = e.words
	}
	m["report.sections.listing"] = reportListingWords
	return m
}()

// reportListingWords mark the sentence of a report's preamble that lists its
// parts (本报告包括总体情况、主动公开政府信息情况……等六个部分): that sentence names
// every section and proves none of them.
var reportListingWords = []string{"包括", "包含", "组成", "分为", "构成", "部分", "内容有"}

// minReportText is the length (runes, white space removed) below which a
// report page that links to an attachment is taken to be a cover for it.
const minReportText = 400

// ReportSections (report.sections) checks that the assessment year's annual
// report (config year, else the year before the as-of date) covers the
// content 条例第五十条 requires, whatever its headings: 主动公开情况; 收到和
// 处理申请情况; 行政复议、行政诉讼情况; 存在的主要问题及改进情况; 其他需要报告的事项.
// Reports on 2018 and earlier followed the 2008 条例 (第三十二条), which also
// required 收费及减免情况; they are judged by that list. The national
// template's headings (国办公开办函〔2019〕60号) are the strong signal and are
// counted in the detail, but a report that covers the content under other
// headings passes.
//
// An element counts when its words occur in the report's text outside the
// preamble sentence that lists the report's parts (本报告包括……等六个部分): a
// report whose preamble promises a section it then omits fails.
//
// pass: every element found. fail: an element is missing (named in the
// detail). na: the site is unreachable; no report for the year was found
// (report.annual judges that); the report was never fetched; or it is only
// an attachment (.pdf/.doc) the crawler does not read.
func ReportSections(s *site.Snapshot, env Env) []Finding {
	if !s.EntryPage().OK() {
		return []Finding{entryUnreachable(s, "annual_report", "年度报告内容")}
	}
	year := assessYear(env)
	r := findReports(s, env)
	reps := r.forYear(year)
	if len(reps) == 0 {
		return []Finding{{Subject: "annual_report", Status: NA, URL: s.Entry, Looked: r.looked,
			Detail: fmt.Sprintf("未找到%d年度政府信息公开工作年度报告，无法检查其内容（见 report.annual）", year)}}
	}
	var reasons []string
	var looked []string
	for _, rep := range reps {
		looked = append(looked, rep.URL)
		p, why := readableReport(s, rep)
		if p == nil {
			reasons = append(reasons, why)
			continue
		}
		return []Finding{judgeReport(p, rep, year, env, looked)}
	}
	return []Finding{{Subject: reps[0].URL, Status: NA, URL: reps[0].URL, Looked: looked,
		Evidence: reportEvidence(s, reps[0], r),
		Detail:   fmt.Sprintf("%d年度报告《%s》无法读取：%s", year, titleClip(reps[0].Title), strings.Join(reasons, "；"))}}
}

// readableReport returns the fetched HTML page of a report, or why there is
// none to read.
func readableReport(s *site.Snapshot, rep annualReport) (*site.Page, string) {
	if isDocumentFile(rep.URL) {
		return nil, "报告仅以附件形式发布（" + rep.URL + "），附件内容无法读取"
	}
	p := s.Page(rep.URL)
	switch {
	case p == nil:
		return nil, "报告页面未抓取（" + rep.URL + "）"
	case !p.OK():
		return nil, fmt.Sprintf("报告页面无法打开（HTTP %d %s）", p.Status, p.ErrCause())
	}
	text := page.Compact(pageText(p))
	if utf8.RuneCountInString(text) < minReportText {
		for _, l := range p.Links {
			if isDocumentFile(l.URL) {
				return nil, "报告正文为附件（" + l.URL + "），附件内容无法读取"
			}
		}
		if viewOf(p).Embedded != "" {
			return nil, "报告正文以内嵌文档显示，无法读取"
		}
	}
	return p, ""
}

// judgeReport checks one readable report page.
func judgeReport(p *site.Page, rep annualReport, year int, env Env, looked []string) Finding {
	text := reportBody(p, env)
	flat := page.Compact(text)
	elements := reportSections2019
	format := "条例（2019）第五十条"
	if year <= 2018 {
		elements = append([]reportSection{reportSectionFees}, reportSections2019...)
		format = "原条例（2008）第三十二条"
	}
	var missing, found []string
	for _, e := range elements {
		if containsAny(flat, env.Terms(e.key, e.words)) {
			found = append(found, e.name)
		} else {
			missing = append(missing, e.name)
		}
	}
	tmpl := 0
	for _, h := range reportTemplateHeadings {
		if strings.Contains(flat, h) {
			tmpl++
		}
	}
	f := Finding{Subject: rep.URL, URL: rep.URL, Looked: looked}
	if len(missing) > 0 {
		f.Status = Fail
		f.Detail = fmt.Sprintf("%d年度报告《%s》缺少%s要求的内容：%s（已有：%s）", year, titleClip(rep.Title), format, strings.Join(missing, "、"), strings.Join(found, "、"))
		f.Evidence = evidence(p, text)
		return f
	}
	f.Status = Pass
	f.Detail = fmt.Sprintf("%d年度报告《%s》包含%s要求的全部内容（国办模板六部分标题见到%d个）", year, titleClip(rep.Title), format, tmpl)
	f.Evidence = evidence(p, text)
	return f
}

// reportMetaSeg matches the metadata lines and cells of an article page that
// name a section's words without being report content.
var reportMetaSeg = regexp.MustCompile(`^(公开方式|公开范围|公开形式|公开属性|公开类型|信息类别)|^(主动公开|依申请公开)$`)

// sentenceEnd splits a segment into sentences.
var sentenceEnd = regexp.MustCompile(`[。；;！!？?]`)

// reportBody returns the report's text without the preamble sentences that
// list its parts: a sentence naming three or more elements together with a
// listing word (包括、组成、部分 ...).
func reportBody(p *site.Page, env Env) string {
	listing := env.Terms("report.sections.listing", reportListingWords)
	var b strings.Builder
	// Menus and links are not the report: a left menu's 依申请公开 or 其他事项
	// link proves nothing.
	for _, seg := range viewOf(p).Prose {
		if reportMetaSeg.MatchString(page.Compact(seg)) {
			continue // 公开方式：主动公开 in the metadata block
		}
		for _, sent := range sentenceEnd.Split(seg, -1) {
			if isPartsListing(page.Compact(sent), listing, env) {
				continue
			}
			b.WriteString(sent)
			b.WriteString("。")
		}
		b.WriteByte(' ')
	}
	return b.String()
}

func isPartsListing(sent string, listing []string, env Env) bool {
	if !containsAny(sent, listing) {
		return false
	}
	n := 0
	for _, e := range append(reportSections2019, reportSectionFees) {
		if containsAny(sent, env.Terms(e.key, e.words)) {
			n++
		}
	}
	return n >= 3
}
