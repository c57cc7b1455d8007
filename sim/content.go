package sim

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Word lists for generated content. Every string here must be encodable in
// GBK: several units are served in it.
var (
	topics = []string{
		"垃圾分类", "安全生产", "乡村振兴", "营商环境", "城市管理", "消防安全", "就业创业",
		"养老服务", "河道治理", "文明城市创建", "新冠肺炎疫情防控", "防汛防台", "扫黑除恶专项斗争",
		"人才引进", "科技创新", "中小企业发展", "农村人居环境整治", "食品安全", "“最多跑一次”改革",
		"老旧小区改造", "港航物流", "节能减排", "社区治理", "退役军人服务保障", "双拥共建",
	}
	places = []string{
		"明州路", "新大路", "太河路", "长江路", "黄山西路", "泰山路", "岷山路", "华山路",
		"庐山东路", "中河路", "沿海中线", "大港工业城",
	}
	surnames = []string{"王", "李", "张", "陈", "刘", "周", "徐", "胡", "林", "邵", "贺", "郑", "乐", "应"}
	given    = []string{"建国", "海波", "伟", "丽娟", "国强", "晓东", "志刚", "雪芬", "军", "红霞", "斌", "立新", "燕", "文杰"}
	depts    = []string{"办公室", "政策法规科", "计划财务科", "综合业务科", "行政审批科", "监督检查科", "人事科", "宣传信息科"}
	paras    = []string{
		"为深入贯彻落实党的十九大和十九届二中、三中、四中全会精神，按照区委、区政府决策部署，结合本地实际，制定本方案。",
		"各单位要高度重视，加强组织领导，明确责任分工，确保各项工作任务落到实处。",
		"会议强调，要以更高标准、更实举措推进各项工作，切实增强人民群众的获得感、幸福感、安全感。",
		"下一步，将进一步完善工作机制，强化督查考核，推动工作常态化、长效化。",
		"本通知自发布之日起施行，由本单位负责解释。执行中遇到的问题请及时反馈。",
		"活动现场设置咨询台、展板，发放宣传资料，吸引了众多群众驻足了解。",
		"各街道、各部门要对照目标任务，倒排时间节点，确保按期完成年度目标。",
	}
)

// fullName is the unit's name as its documents sign it.
func fullName(name string) string {
	if strings.Contains(name, "北仑") {
		return name
	}
	if strings.HasPrefix(name, "区") {
		return "北仑" + name
	}
	return "北仑区" + name
}

// docAbbr is the 文号 prefix of the unit (仑财, 新碶街 ...).
func docAbbr(name, kind string) string {
	r := []rune(name)
	if kind == "street" && len(r) >= 2 {
		return string(r[:2]) + "街"
	}
	if strings.HasPrefix(name, "区政府") {
		return "仑政办"
	}
	return "仑" + string(r[0])
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func person(r *rand.Rand) string { return pick(r, surnames) + pick(r, given) }

func phone(r *rand.Rand) string { return fmt.Sprintf("0574-8678%04d", r.IntN(10000)) }

func address(r *rand.Rand) string {
	return fmt.Sprintf("北仑区%s%d号", pick(r, places), 100+r.IntN(800))
}

// body is a few paragraphs of plausible text.
func body(r *rand.Rand, n int) string {
	var b strings.Builder
	for _, i := range r.Perm(len(paras))[:min(n, len(paras))] {
		b.WriteString("<p>　　")
		b.WriteString(paras[i])
		b.WriteString("</p>\n")
	}
	return b.String()
}

// title makes an item title for a column kind.
func title(r *rand.Rand, c *column, s *unitSite, year int, topic string) string {
	unit := fullName(s.u.Name)
	switch c.kind {
	case kPolicy:
		return pick(r, []string{
			"关于印发《" + unit + topic + "工作实施方案》的通知",
			"关于进一步加强" + topic + "工作的实施意见",
			unit + "关于做好" + fmt.Sprint(year) + "年" + topic + "工作的通知",
			"关于印发《北仑区" + topic + "管理办法》的通知",
		})
	case kNotice:
		return pick(r, []string{
			"关于开展" + fmt.Sprint(year) + "年" + topic + "专项检查的通知",
			"关于开展" + topic + "宣传月活动的通知",
			"关于" + topic + "有关事项的公告",
		})
	case kNews:
		return pick(r, []string{
			unit + "召开" + topic + "工作推进会",
			unit + "开展" + topic + "主题宣传活动",
			unit + "全面部署" + topic + "工作",
			"区领导调研" + s.u.Name + topic + "工作",
			s.u.Name + "扎实推进" + topic,
		})
	case kPlan:
		return pick(r, []string{
			unit + fmt.Sprint(year) + "年工作计划",
			unit + fmt.Sprint(year-1) + "年工作总结和" + fmt.Sprint(year) + "年工作思路",
			unit + topic + "三年行动计划（" + fmt.Sprint(year) + "-" + fmt.Sprint(year+2) + "年）",
		})
	case kPersonnel:
		return pick(r, []string{
			unit + fmt.Sprint(year) + "年公开招聘编外工作人员公告",
			unit + "干部任前公示",
			unit + "关于" + person(r) + "等同志职务任免的通知",
		})
	case kConsult:
		return "关于《北仑区" + topic + "管理办法（征求意见稿）》公开征求意见的公告"
	case kStats:
		return fmt.Sprintf("%d年%d月%s统计数据", year, 1+r.IntN(12), topic)
	case kRules:
		return pick(r, []string{
			unit + "政府信息公开保密审查制度", unit + "政府信息主动公开制度",
			unit + "依申请公开政府信息工作规程", unit + "政府信息公开工作考核制度",
		})
	case kKeyArea:
		return keyAreaTitle(r, c.area, unit, s.abbr, year, topic)
	}
	return unit + topic + "工作信息"
}

func keyAreaTitle(r *rand.Rand, area, unit, abbr string, year int, topic string) string {
	y := fmt.Sprint(year)
	switch area {
	case "budget":
		return pick(r, []string{unit + y + "年部门预算", unit + fmt.Sprint(year-1) + "年度部门决算", unit + y + "年“三公”经费预算情况说明"})
	case "major_projects":
		return pick(r, []string{pick(r, places) + "道路改造工程批准信息", pick(r, places) + "综合整治工程施工进展情况", topic + "重点项目建设进展"})
	case "public_resources":
		return pick(r, []string{pick(r, places) + "工程施工招标公告", pick(r, places) + "项目中标结果公示", "国有资产出租项目成交公告"})
	case "public_welfare":
		return pick(r, []string{y + "年度困难群众救助对象公示", y + "年养老服务补贴发放情况", y + "年度公益性岗位招聘公告"})
	case "law_enforcement":
		return pick(r, []string{
			y + "年第" + fmt.Sprint(1+r.IntN(4)) + "季度“双随机、一公开”抽查结果",
			fmt.Sprintf("行政处罚决定书（%s罚〔%d〕%d号）", abbr, year, 1+r.IntN(90)),
			unit + "行政执法事项清单",
		})
	case "gov_debt":
		return pick(r, []string{"北仑区" + y + "年政府债务限额及余额情况", "北仑区" + y + "年地方政府债券发行及还本付息情况"})
	case "environment":
		return pick(r, []string{y + "年" + fmt.Sprint(1+r.IntN(12)) + "月环境空气质量状况", "建设项目环境影响评价文件审批公示", "重点排污单位名录"})
	case "services":
		return pick(r, []string{topic + "事项办事指南", "“最多跑一次”事项清单", "企业开办全流程办理指南"})
	case "poverty_alleviation":
		return y + "年结对帮扶工作进展情况"
	}
	return unit + topic + "信息"
}

// columnNames holds three wordings real sites use for each kind.
var columnNames = map[colKind][3]string{
	kOrg:       {"机构信息", "机构职能", "机构概况"},
	kLeaders:   {"领导信息", "领导信息", "领导分工"},
	kGuide:     {"政府信息公开指南", "政府信息公开指南", "信息公开指南"},
	kRules:     {"政府信息公开制度", "政府信息公开制度", "信息公开制度"},
	kCatalog:   {"法定主动公开内容", "法定主动公开内容", "法定主动公开内容"},
	kReport:    {"政府信息公开年报", "政府信息公开年度报告", "信息公开年报"},
	kPolicy:    {"政策文件", "规范性文件", "文件通知"},
	kInterp:    {"政策解读", "政策解读", "图文解读"},
	kApply:     {"依申请公开", "依申请公开", "政府信息公开申请"},
	kConsult:   {"征求意见", "意见征集", "决策预公开"},
	kNews:      {"工作动态", "部门动态", "政务动态"},
	kNotice:    {"通知公告", "公示公告", "公告公示"},
	kPlan:      {"规划计划", "计划总结", "发展规划"},
	kPersonnel: {"人事信息", "人事任免", "招考录用"},
	kStats:     {"统计信息", "建议提案办理", "统计信息"},
}

var keyAreaNames = map[string][3]string{
	"budget":              {"财政预决算", "预决算公开", "财政信息"},
	"major_projects":      {"重大建设项目", "重大项目", "重大建设项目批准和实施"},
	"public_resources":    {"公共资源配置", "公共资源交易", "公共资源配置信息"},
	"public_welfare":      {"社会公益事业", "公益事业", "社会公益事业建设"},
	"law_enforcement":     {"行政执法公示", "双随机一公开", "执法信息"},
	"gov_debt":            {"政府债务", "地方政府债务", "政府债务"},
	"environment":         {"生态环境", "环境保护", "环境信息"},
	"services":            {"办事服务", "网上办事", "办事服务"},
	"poverty_alleviation": {"精准扶贫", "扶贫", "脱贫攻坚"},
}

// TRS directory names of the columns of own-host units.
var slugs = map[colKind]string{
	kOrg: "jgxx", kLeaders: "ldxx", kGuide: "xxgkzn", kRules: "xxgkzd", kCatalog: "fdzdgknr",
	kReport: "xxgknb", kPolicy: "zcwj", kInterp: "zcjd", kApply: "ysqgk", kConsult: "zjyj",
	kNews: "gzdt", kNotice: "tzgg", kPlan: "ghjh", kPersonnel: "rsxx", kStats: "tjxx",
}

var areaSlugs = map[string]string{
	"budget": "czyjs", "major_projects": "zdjsxm", "public_resources": "ggzypz", "public_welfare": "shgysy",
	"law_enforcement": "xzzfgs", "gov_debt": "zfzw", "environment": "sthj", "services": "bsfw",
	"poverty_alleviation": "jzfp",
}
