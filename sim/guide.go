package sim

import (
	"fmt"
	"strings"
)

// contact is a unit's disclosure office, fixed per unit.
type contact struct {
	office, addr, phone, fax, email, leader, deputy string
}

func (d *District) contact(s *unitSite) contact {
	r := unitRand(d.opt.Seed, s.u.ID, "contact")
	return contact{
		office: fullName(s.u.Name) + pick(r, []string{"办公室", "综合办公室", "党政办公室"}),
		addr:   address(r),
		phone:  phone(r),
		fax:    phone(r),
		email:  fmt.Sprintf("bl%s@beilun.gov.cn", strings.ReplaceAll(s.u.ID, "_", "")),
		leader: person(r),
		deputy: person(r),
	}
}

const (
	hoursPlain = "工作日上午8:30-12:00，下午14:00-17:30（法定节假日除外）"
	hoursSplit = "夏季（5月1日至9月30日）上午8:30-12:00，下午14:30-17:30；冬季（10月1日至次年4月30日）上午8:30-12:00，下午14:00-17:00"
)

// orgContent is the 机构信息 page: functions, internal divisions, leaders,
// address, hours and phone, unless a defect drops one of them. With the
// split variant the leaders stand on a page of their own.
func (d *District) orgContent(s *unitSite, c *column) string {
	ct := d.contact(s)
	miss := s.def.orgMiss
	head := "局长"
	if s.u.Kind == "street" {
		head = "党工委书记、办事处主任"
	}
	var b strings.Builder
	leaders := func() {
		fmt.Fprintf(&b, "<h3>领导信息</h3>\n<p>%s：%s　主持全面工作</p>\n<p>副职：%s　协助分管综合、财务工作</p>\n", head, ct.leader, ct.deputy)
	}
	if c.kind == kLeaders {
		leaders()
		return b.String()
	}
	fmt.Fprintf(&b, "<h3>主要职能</h3>\n<p>　　贯彻执行国家、省、市有关方针政策和法律法规，负责本辖区%s等工作；拟订相关规划并组织实施；完成区委、区政府交办的其他任务。</p>\n", pick(unitRand(d.opt.Seed, s.u.ID, "org"), topics))
	if miss != "内设机构" {
		fmt.Fprintf(&b, "<h3>内设机构</h3>\n<p>%s</p>\n", strings.Join(depts[:5], "、"))
	}
	if miss != "负责人" && !s.v.orgSplit {
		leaders()
	}
	b.WriteString("<h3>联系方式</h3>\n")
	if miss != "办公地址" {
		fmt.Fprintf(&b, "<p>办公地址：%s</p>\n", ct.addr)
	}
	if miss != "办公时间" {
		fmt.Fprintf(&b, "<p>办公时间：%s</p>\n", hoursPlain)
	}
	fmt.Fprintf(&b, "<p>联系电话：%s</p>\n", ct.phone)
	return b.String()
}

// applyContent is the 依申请公开 page, in the route mix of the unit's
// variant: 0 form + letter + in person, 2 e-mail + post + in person,
// 3 letter and in person only, 4 online form only.
func (d *District) applyContent(s *unitSite, self string) string {
	ct := d.contact(s)
	form := s.href(self, s.extraPath("form"))
	var b strings.Builder
	b.WriteString("<div class=\"ysqgk\">\n")
	switch s.v.applyMode {
	case 0:
		fmt.Fprintf(&b, "<h3>一、网上申请</h3>\n<p>申请人可登录<a href=\"%s\">网上申请</a>页面，填写《政府信息公开申请表》在线提交。</p>\n", form)
		b.WriteString(paperRoutes(ct))
	case 2:
		fmt.Fprintf(&b, "<h3>一、互联网申请</h3>\n<p>申请人可将填写完整的申请表发送至电子邮箱：%s。</p>\n", ct.email)
		fmt.Fprintf(&b, "<h3>二、邮政寄送</h3>\n<p>申请人通过邮寄方式提出申请的，请寄至%s（%s收），并在信封左下角注明“政府信息公开申请”字样。</p>\n", ct.addr, ct.office)
		fmt.Fprintf(&b, "<h3>三、当面申请</h3>\n<p>申请人可到%s当面填写申请表。</p>\n", ct.addr)
	case 3:
		b.WriteString(paperRoutes(ct))
	case 4:
		fmt.Fprintf(&b, "<h3>在线申请</h3>\n<p>本机关受理政府信息公开申请，请通过<a href=\"%s\">在线申请</a>平台提交。</p>\n", form)
	}
	fmt.Fprintf(&b, "<p>咨询电话：%s</p>\n</div>", ct.phone)
	return b.String()
}

func paperRoutes(ct contact) string {
	return fmt.Sprintf("<h3>信函申请</h3>\n<p>申请人以信函方式提出申请的，请寄至%s%s，并在信封左下角注明“政府信息公开申请”字样。</p>\n"+
		"<h3>当面申请</h3>\n<p>申请人可在办公时间到%s当面提出申请。</p>\n", ct.addr, ct.office, ct.office)
}

// guideCitations are the ways a current guide cites the 条例.
var guideCitations = []string{
	"根据《中华人民共和国政府信息公开条例》（国务院令第711号，以下简称《条例》）",
	"根据《中华人民共和国政府信息公开条例》（国务院令 第 711 号）",
	"根据新修订的《中华人民共和国政府信息公开条例》（以下简称《条例》）",
	"根据《中华人民共和国政府信息公开条例》（2007年4月5日中华人民共和国国务院令第492号公布，2019年4月3日中华人民共和国国务院令第711号修订）",
}

// guideContent is the 政府信息公开指南: classification, arrangement and how
// to obtain information, the office's name, address, hours, phone, fax and
// online contact. Defects drop the fax or cite only the 2008 条例.
func (d *District) guideContent(s *unitSite, self string) string {
	ct := d.contact(s)
	date := d.guideDate(s)
	name := fullName(s.u.Name)
	cite := guideCitations[s.v.guideCite]
	if s.def.guide == guideOld {
		cite = "根据《中华人民共和国政府信息公开条例》（国务院令第492号）和《浙江省政府信息公开暂行办法》"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "<div class=\"guide\"><h1>%s政府信息公开指南</h1>\n<p class=\"rev\">（%d年%d月修订）</p>\n", name, date.Year(), int(date.Month()))
	fmt.Fprintf(&b, "<p>　　%s的规定，为了更好地提供政府信息公开服务，特编制本指南。本指南每年更新。</p>\n", cite)
	if s.def.guide == guideOld {
		b.WriteString("<p>　　《条例》自2008年5月1日起施行。</p>\n")
	}
	b.WriteString("<h3>一、主动公开</h3>\n<p>（一）公开范围和分类。本机关主动公开的政府信息分为机构信息、政策文件、规划计划、财政预决算、人事信息、通知公告、重点领域信息等类别。</p>\n")
	b.WriteString("<p>（二）编排体系。主动公开的政府信息按照主题分类进行编排，每条信息包括索引号、名称、内容概述、生成日期等。</p>\n")
	b.WriteString("<p>（三）获取方式。本机关主动公开的政府信息通过政府门户网站信息公开专栏公开，也可通过区档案馆、区图书馆设立的政府信息查阅点查阅。</p>\n")
	b.WriteString("<h3>二、依申请公开</h3>\n")
	if s.v.applyMode == 1 {
		fmt.Fprintf(&b, "<p>（一）在线申请：申请人可通过“浙江政务服务网”<a href=\"%s\">在线申请</a>，或发送电子邮件至%s。</p>\n", d.extURL("www.zjzwfw.gov.cn/zjzw/yfsq/index.do"), ct.email)
		fmt.Fprintf(&b, "<p>（二）信函申请：请寄至%s%s，并在信封左下角注明“政府信息公开申请”字样。</p>\n<p>（三）当面申请：申请人可到受理机构当面提出申请。</p>\n", ct.addr, ct.office)
	} else {
		b.WriteString("<p>　　申请的提出、受理和答复，详见本机关“依申请公开”栏目。</p>\n")
	}
	head := []string{"工作机构", "受理机构", "政府信息公开工作机构"}[s.v.names]
	hours := hoursPlain
	if s.v.hoursSplit {
		hours = hoursSplit
	}
	hourLabel := []string{"办公时间", "工作时间", "受理时间"}[s.v.dateLabel]
	fmt.Fprintf(&b, "<h3>三、%s</h3>\n<p>名称：%s</p>\n<p>办公地址：%s</p>\n<p>%s：%s</p>\n<p>联系电话：%s</p>\n", head, ct.office, ct.addr, hourLabel, hours, ct.phone)
	if s.def.guide != guideNoFax {
		fmt.Fprintf(&b, "<p>传真：%s</p>\n", ct.fax)
	}
	if s.def.apply == applyNoOnline {
		fmt.Fprintf(&b, "<p>网址：%s</p>\n", d.extURL("www.bl.gov.cn/"))
	} else {
		fmt.Fprintf(&b, "<p>%s：%s</p>\n", []string{"电子邮箱", "电子邮件"}[s.v.docLabel], ct.email)
	}
	b.WriteString("<h3>四、监督方式</h3>\n<p>　　公民、法人或者其他组织认为本机关未依法履行政府信息公开义务的，可以向区政务公开工作主管部门投诉、举报，也可以依法申请行政复议或者提起行政诉讼。</p>\n</div>")
	return b.String()
}
