package checks

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"gkaudit/page"
	"gkaudit/site"
)

// PrivacyPersonalInfoRule is the source of privacy.personal_info.
const PrivacyPersonalInfoRule = "《政府信息公开条例》第十五条（个人隐私不得公开）；《2018年政务公开工作要点》（国办发〔2018〕23号）：涉及个人隐私的政府信息，公开时要去标识化处理；《个人信息保护法》第五十一条（去标识化等安全技术措施）；政府网站季度通报（如广东省2022年第二季度）：公示名单等未对身份证号码、手机号码去标识化"

// Term keys of privacy.personal_info.
const (
	privacyListKey        = "privacy.personal_info.list"
	privacyContactListKey = "privacy.personal_info.contact_list"
	privacyContactKey     = "privacy.personal_info.contact"
	privacyCodeKey        = "privacy.personal_info.code_labels"
)

// privacyPersonalInfoTerms: list marks pages that publish lists of people
// (公示、名单、花名册); contact labels a number given to call (联系人, 咨询
// 电话, 监督举报) rather than a person's data; code labels an 18-character
// code that is no ID number (统一社会信用代码, 索引号).
var privacyPersonalInfoTerms = map[string][]string{
	privacyListKey:    {"公示", "名单", "花名册", "名册", "一览表", "明细表", "汇总表", "登记表", "统计表", "发放表", "人员信息"},
	privacyContactKey: {"联系人", "咨询", "监督", "举报", "投诉", "异议", "受理", "值班", "服务热线", "办公电话"},
	privacyCodeKey:    {"信用代码", "机构代码", "索引号", "账号", "帐号", "卡号", "编号", "订单号", "流水号", "登记号", "证书号"},
	// A list of officials to call (联络员名单, 通讯录) gives their work
	// mobiles on purpose: its mobiles are contacts, its ID numbers are not.
	privacyContactListKey: {"联络员", "联系人名单", "负责人名单", "责任人名单", "工作人员名单", "通讯录", "值班表", "值班安排"},
}

// provinceCodes are the first two digits of 居民身份证号码 (GB/T 2260
// 省级行政区划代码; 71 台湾, 81 香港, 82 澳门, 83 台湾居民居住证).
var provinceCodes = map[string]bool{
	"11": true, "12": true, "13": true, "14": true, "15": true, "21": true, "22": true, "23": true,
	"31": true, "32": true, "33": true, "34": true, "35": true, "36": true, "37": true,
	"41": true, "42": true, "43": true, "44": true, "45": true, "46": true,
	"50": true, "51": true, "52": true, "53": true, "54": true, "61": true, "62": true, "63": true, "64": true, "65": true,
	"71": true, "81": true, "82": true, "83": true,
}

// PrivacyPersonalInfo (privacy.personal_info) finds personal data published
// without 去标识化 in the unit's pages and in the attachments the crawler
// read (xlsx, xls, csv, pdf, docx): a 居民身份证号码 of 18 characters whose
// first two digits are a province code, whose birth date is a real date not
// after the as-of date and whose last character is the GB 11643 check
// character; and, in a list of people (公示、名单、花名册 ...; any
// spreadsheet), two or more 11-digit mobile numbers (1[3-9]…) not labelled as
// contacts. Masked forms (330206********1234, 138****1234) pass. A number
// labelled as another code (统一社会信用代码, 索引号, 账号) is not judged.
//
// fail: one finding per page or attachment, the numbers shown masked in the
// detail and the excerpt (a finding never holds a whole number). pass: none
// found. na: the site could not be reached.
func PrivacyPersonalInfo(s *site.Snapshot, env Env) []Finding {
	if !s.EntryPage().OK() {
		return []Finding{entryUnreachable(s, "personal_info", "个人信息公开情况")}
	}
	pr := privacyReader{
		asOf:        env.AsOf,
		list:        env.Terms(privacyListKey, privacyPersonalInfoTerms[privacyListKey]),
		contactList: env.Terms(privacyContactListKey, privacyPersonalInfoTerms[privacyContactListKey]),
		contact:     env.Terms(privacyContactKey, privacyPersonalInfoTerms[privacyContactKey]),
		code:        env.Terms(privacyCodeKey, privacyPersonalInfoTerms[privacyCodeKey]),
		minMobiles:  env.params().PrivacyMinListMobiles,
	}
	var out []Finding
	pages := textPages(s)
	withText := 0
	for _, p := range pages {
		text := pageText(p)
		if strings.IndexFunc(text, isHan) >= 0 {
			withText++ // a Chinese page with words to read, not an empty or binary one
		}
		head := []rune(text)
		head = head[:min(len(head), 200)] // the list's own heading
		people := (containsAny(p.Title, pr.list) || containsAny(text, pr.list)) && !containsAny(p.Title, pr.contactList) && !containsAny(string(head), pr.contactList)
		if h := pr.read(text, people); h.found() {
			out = append(out, Finding{Subject: pageURL(p), Status: Fail, URL: pageURL(p), Detail: h.detail("页面"),
				Evidence: evidence(p, h.excerpt(text))})
		}
	}
	read, unread := 0, 0
	for _, a := range s.Attachments {
		if a.Text == "" {
			if a.Err != "" || a.Truncated {
				unread++
			}
			continue
		}
		read++
		isList := a.Type == "csv" || a.Type == "xlsx" || a.Type == "xls" || containsAny(a.Text, pr.list)
		if h := pr.read(a.Text, isList); h.found() {
			out = append(out, Finding{Subject: a.URL, Status: Fail, URL: a.URL, Looked: a.Referrers, Detail: h.detail("附件"),
				Evidence: Evidence{URL: a.URL, FetchedAt: a.FetchedAt, HTTPStatus: a.Status, SHA256: a.SHA256, Excerpt: page.Clip(h.excerpt(a.Text), 200)}})
		}
	}
	if len(out) > 0 {
		return out
	}
	if withText == 0 && read == 0 {
		return []Finding{{Subject: "personal_info", Status: NA, URL: s.Entry, Looked: []string{s.Entry},
			Detail: "抓取到的页面和附件没有可读的文字（空白页或非 HTML 内容），无法检查个人信息公开情况；请在浏览器中核实页面能否正常显示", Evidence: evidence(s.EntryPage(), "")}}
	}
	detail := fmt.Sprintf("检查了 %d 个页面和 %d 个附件，未发现未去标识化的身份证号码或名单中的手机号码", len(pages), read)
	if unread > 0 {
		detail += fmt.Sprintf("（另有 %d 个附件因过大或无法解析未能读取，请人工抽查）", unread)
	}
	return []Finding{{Subject: "personal_info", Status: Pass, URL: s.Entry, Detail: detail}}
}

// privacyReader finds personal numbers in text.
type privacyReader struct {
	asOf                time.Time
	list, contact, code []string
	contactList         []string // titles of lists of officials to call
	// minMobiles is how many distinct mobiles make a list of people's
	// numbers (thresholds privacy_min_list_mobiles): one or two are usually
	// the contacts of a notice.
	minMobiles int
}

// privacyHits are the numbers found in one text: their masked forms, in
// order, and the rune offsets of the first of each.
type privacyHits struct {
	ids, mobiles      []string
	firstID, firstTel int
	minMobiles        int // privacyReader.minMobiles
}

func (h privacyHits) found() bool { return len(h.ids) > 0 || len(h.mobiles) >= h.minMobiles }

// detail says what was found, masked, and what to do.
func (h privacyHits) detail(where string) string {
	var parts []string
	if len(h.ids) > 0 {
		parts = append(parts, fmt.Sprintf("居民身份证号码 %d 个（如 %s）", len(h.ids), h.ids[0]))
	}
	if len(h.mobiles) >= h.minMobiles {
		parts = append(parts, fmt.Sprintf("名单中的手机号码 %d 个（如 %s）", len(h.mobiles), h.mobiles[0]))
	}
	return where + "公开了未去标识化的个人信息：" + strings.Join(parts, "、") +
		"。请立即撤下或对号码作去标识化处理（如身份证号只保留前6位和后4位、手机号隐去中间4位），并排查同类栏目和附件"
}

// excerpt is the text around the first number, every number in it masked.
func (h privacyHits) excerpt(text string) string {
	r := []rune(text)
	at := h.firstTel
	if len(h.ids) > 0 {
		at = h.firstID
	}
	lo := max(0, at-40)
	hi := min(len(r), lo+160)
	// Never cut through a number: a cut one would escape the masking.
	for lo > 0 && isDigit(r[lo-1]) {
		lo--
	}
	for hi < len(r) && (isDigit(r[hi]) || r[hi] == 'X' || r[hi] == 'x') {
		hi++
	}
	return maskNumbers(string(r[lo:hi]))
}

// read finds the valid ID numbers in text and, when the text is a list of
// people, its mobile numbers.
func (pr privacyReader) read(text string, isList bool) privacyHits {
	h := privacyHits{minMobiles: pr.minMobiles}
	r := []rune(text)
	seen := map[string]bool{}
	for i := 0; i < len(r); {
		if !isDigit(r[i]) {
			i++
			continue
		}
		j := i
		for j < len(r) && isDigit(r[j]) {
			j++
		}
		end := j
		if end < len(r) && (r[end] == 'X' || r[end] == 'x') {
			end++
		}
		boundary := (i == 0 || !isAlnum(r[i-1])) && (end == len(r) || !isAlnum(r[end]))
		run := string(r[i:end])
		switch {
		case !boundary || seen[run]:
		case len(run) == 18 && pr.validID(run, r, i):
			seen[run] = true
			if len(h.ids) == 0 {
				h.firstID = i
			}
			h.ids = append(h.ids, maskID(run))
		case isList && j-i == 11 && end == j && r[i] == '1' && r[i+1] >= '3' && r[i+1] <= '9' && !pr.labelled(r, i, pr.contact, 20):
			seen[run] = true
			if len(h.mobiles) == 0 {
				h.firstTel = i
			}
			h.mobiles = append(h.mobiles, maskMobile(run))
		}
		i = end
	}
	return h
}

// validID checks an 18-character candidate at rune offset at of text.
func (pr privacyReader) validID(id string, text []rune, at int) bool {
	if !provinceCodes[id[:2]] || pr.labelled(text, at, pr.code, 12) {
		return false
	}
	birth, err := time.Parse("20060102", id[6:14])
	if err != nil || birth.Year() < 1900 || !pr.asOf.IsZero() && birth.After(pr.asOf) {
		return false
	}
	return idCheckChar(id[:17]) == strings.ToUpper(id[17:])
}

// idCheckChar is the GB 11643-1999 check character of the first 17 digits
// (ISO 7064 MOD 11-2).
func idCheckChar(d17 string) string {
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(d17[i]-'0') * weights[i]
	}
	return string("10X98765432"[sum%11])
}

// labelled reports whether one of labels stands in the n runes before
// offset at.
func (pr privacyReader) labelled(text []rune, at int, labels []string, n int) bool {
	before := string(text[max(0, at-n):at])
	return slices.ContainsFunc(labels, func(l string) bool { return l != "" && strings.Contains(before, l) })
}

// maskID keeps the region code and the last 4 characters:
// 330206********1234.
func maskID(id string) string { return id[:6] + strings.Repeat("*", len(id)-10) + id[len(id)-4:] }

// maskMobile hides the middle 4 digits: 138****5678.
func maskMobile(m string) string { return m[:3] + "****" + m[7:] }

// maskNumbers masks every run of 15 or more digits (an ID number, valid or
// not) and every run of 11 to 14 (a mobile number, with or without 86), so
// that an excerpt never shows a whole one.
func maskNumbers(s string) string {
	r := []rune(s)
	var b strings.Builder
	for i := 0; i < len(r); {
		if !isDigit(r[i]) {
			b.WriteRune(r[i])
			i++
			continue
		}
		j := i
		for j < len(r) && (isDigit(r[j]) || r[j] == 'X' || r[j] == 'x') {
			j++
		}
		run := string(r[i:j])
		switch {
		case len(run) >= 15:
			b.WriteString(maskID(run))
		case len(run) >= 11:
			b.WriteString(run[:3] + strings.Repeat("*", len(run)-7) + run[len(run)-4:])
		default:
			b.WriteString(run)
		}
		i = j
	}
	return b.String()
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

func isAlnum(r rune) bool { return isDigit(r) || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }
