package sim

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// This file seeds the monitoring defects 第三方监测 report: misspelt protected
// terms (content.serious_error) and personal data published without
// 去标识化 (privacy.personal_info), with look-alikes that are right on the
// other units: the correct 中华人民共和国 next to 国务院办公厅 and 人民政府网, a
// volunteer whose name sounds like a leader's (not beside a title), masked ID
// numbers and the contact mobile of a notice.

// Wording defects (defects.wording): the sentence a news article carries.
var wordingErrors = []struct{ sentence, wrong string }{
	{"为深入学习宣传《中华人民共合国宪法》，活动现场发放宣传资料2000余份。", "中华人民共合国"},
	{"会议传达了北仑区人民攻府关于安全生产工作的部署要求。", "人民攻府"},
	{"会议研究调整了本单位政务公开工作领导小姐成员。", "领导小姐"},
	{"黑龙江省齐齐哈市商务代表团一行来我区考察港航物流产业。", "齐齐哈市"},
}

// wordingRight is what the articles of the other units say, right.
const wordingRight = "根据《中华人民共和国政府信息公开条例》和国务院办公厅有关要求，北仑区人民政府网开设专栏，" +
	"本单位政务公开工作领导小组办公室负责日常维护。参加活动的志愿者有车骏、王建国等同志。"

// Privacy defects (defects.privacy).
const (
	privPage   = 1 // a 公示 with whole ID numbers in its table
	privAttach = 2 // a 名单 attachment (csv) with whole ID numbers
	privRoster = 3 // a 花名册 with masked IDs but whole mobile numbers
)

// people is a small list of people for a 公示 or 花名册.
type person3 struct{ name, id, mobile string }

func people(r *rand.Rand, n int) []person3 {
	out := make([]person3, n)
	for i := range out {
		birth := time.Date(1960+r.IntN(40), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
		d17 := fmt.Sprintf("330206%s%03d", birth.Format("20060102"), r.IntN(1000))
		out[i] = person3{name: person(r), id: d17 + idCheck(d17),
			mobile: fmt.Sprintf("1%d%09d", 3+r.IntN(7), r.IntN(1_000_000_000))}
	}
	return out
}

// idCheck is the GB 11643 check character of 17 digits.
func idCheck(d17 string) string {
	w := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, c := range d17 {
		sum += int(c-'0') * w[i]
	}
	return string("10X98765432"[sum%11])
}

func maskedID(id string) string { return id[:6] + "********" + id[14:] }
func maskedTel(m string) string { return m[:3] + "****" + m[7:] }

// seedContentDefects places the wording and privacy content on the unit's
// newest news and notice articles that are served.
func (d *District) seedContentDefects(r *rand.Rand, s *unitSite) {
	news, notice := s.servedItem(kNews), s.servedItem(kNotice)
	if news != nil {
		if s.def.wording > 0 {
			news.wording = wordingErrors[(s.def.wording-1)%len(wordingErrors)].sentence
			news.wordingBad = true
		} else {
			news.wording = wordingRight
		}
	}
	if notice == nil {
		return
	}
	notice.privacy = s.def.privacy
	notice.people = people(r, 3)
	if s.def.privacy == privAttach || s.def.privacy == 0 && s.idx%4 == 0 {
		// A 名单 as a spreadsheet: whole IDs for the defect, masked ones on
		// the units that pass.
		a := d.attachment(s, notice, "csv")
		a.name = "拟录用人员名单.csv"
		var b strings.Builder
		b.WriteString("序号,姓名,身份证号码,备注\r\n")
		for i, p := range notice.people {
			id := p.id
			if s.def.privacy != privAttach {
				id = maskedID(id)
			}
			fmt.Fprintf(&b, "%d,%s,%s,\r\n", i+1, p.name, id)
		}
		// Spreadsheet programs on Chinese systems save csv in GBK.
		a.body, _ = simplifiedchinese.GBK.NewEncoder().Bytes([]byte(b.String()))
		notice.attach = append(notice.attach, a)
	}
}

// servedItem is the newest item of the unit's first column of kind k that
// is served (not deleted, not failing), or nil.
func (s *unitSite) servedItem(k colKind) *item {
	c := s.column(k)
	if c == nil {
		return nil
	}
	for _, it := range c.items {
		if !it.deleted && !it.fails500 {
			return it
		}
	}
	return nil
}

// contentExtra is the seeded content of an article: its wording sentence,
// its list of people.
func (s *unitSite) contentExtra(it *item) string {
	var b strings.Builder
	if it.wording != "" {
		fmt.Fprintf(&b, "<p>　　%s</p>\n", esc(it.wording))
	}
	if len(it.people) == 0 {
		return b.String()
	}
	switch it.privacy {
	case privAttach:
		b.WriteString("<p>　　现将拟录用人员名单予以公示（详见附件）。公示期间如有异议，请与本单位人事科联系，电话：0574-86781234。</p>\n")
	case privRoster:
		b.WriteString("<p>　　本单位公益性岗位人员花名册如下：</p>\n<table border=\"1\"><tr><td>序号</td><td>姓名</td><td>身份证号</td><td>手机号码</td></tr>\n")
		for i, p := range it.people {
			fmt.Fprintf(&b, "<tr><td>%d</td><td>%s</td><td>%s</td><td>%s</td></tr>\n", i+1, esc(p.name), maskedID(p.id), p.mobile)
		}
		b.WriteString("</table>\n")
	default:
		b.WriteString("<p>　　现将拟录用人员名单公示如下：</p>\n<table border=\"1\"><tr><td>序号</td><td>姓名</td><td>身份证号码</td><td>联系电话</td></tr>\n")
		for i, p := range it.people {
			id, tel := maskedID(p.id), maskedTel(p.mobile)
			if it.privacy == privPage {
				id = p.id
			}
			fmt.Fprintf(&b, "<tr><td>%d</td><td>%s</td><td>%s</td><td>%s</td></tr>\n", i+1, esc(p.name), id, tel)
		}
		b.WriteString("</table>\n")
		b.WriteString("<p>　　公示期间如有异议，请与本单位联系。联系人：王先生，联系电话：13805741234；办公电话：0574-86781234。</p>\n")
	}
	return b.String()
}

// judgeWording is the truth of content.serious_error.
func (d *District) judgeWording(s *unitSite) Truth {
	// The article seeded at build time, wherever later generations moved
	// it in its list.
	for _, it := range s.items {
		if it.wordingBad && !it.deleted && !it.fails500 {
			w := wordingErrors[(s.def.wording-1)%len(wordingErrors)].wrong
			return fail("news article misspells a protected term: "+w, s.url(it.path))
		}
	}
	return Truth{Note: "correct 中华人民共和国, 国务院办公厅, 人民政府网; volunteer 车骏 (sounds like 车俊) not beside a title"}
}

// judgePrivacy is the truth of privacy.personal_info.
func (d *District) judgePrivacy(s *unitSite) Truth {
	var it *item
	for _, x := range s.items {
		if len(x.people) > 0 && !x.deleted && !x.fails500 {
			it = x
		}
	}
	if it == nil {
		return Truth{Note: "no list of people"}
	}
	switch it.privacy {
	case privPage:
		return fail("公示 lists whole 身份证号码", s.url(it.path))
	case privRoster:
		return fail("花名册 lists whole mobile numbers", s.url(it.path))
	case privAttach:
		for _, a := range it.attach {
			if strings.HasSuffix(a.path, ".csv") {
				return fail("名单 attachment (csv, GBK) lists whole 身份证号码", s.url(a.path))
			}
		}
	}
	return Truth{Note: "list with masked IDs and mobiles; a contact's mobile and an office number"}
}
