package checks

import (
	"fmt"
	"strings"

	"gkaudit/config"
	"gkaudit/page"
	"gkaudit/site"
)

// ContentSeriousErrorRule is the source of content.serious_error.
const ContentSeriousErrorRule = "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》单项否决指标：出现严重表述错误；北仑区考核指标减分标准“被第三方监测和省、市季度通报的错误，未在规定期限内完成整改，1次扣1分”"

// Term keys of content.serious_error.
const (
	seriousStateKey    = "content.serious_error.state"
	seriousFormulaKey  = "content.serious_error.formulations"
	seriousDivisionKey = "content.serious_error.divisions"
	seriousLocalKey    = "content.serious_error.local"
	seriousAllowKey    = "content.serious_error.allow"
	seriousAlikeKey    = "content.serious_error.lookalike"
	seriousSoftKey     = "content.serious_error.soft"
)

// contentSeriousErrorTerms are the protected terms. Monitoring reports
// (季度通报) cite misspelt 国名 and organs (中华人民共合国), formulations,
// divisions (齐齐哈市 for 齐齐哈尔市), 领导小组 written 领导小姐 and 政府 written
// 攻府: the words are data so an office can add its own. The district's own
// divisions, streets and units come from the config (units, district) on top
// of the local list.
var contentSeriousErrorTerms = map[string][]string{
	seriousStateKey: {
		"中华人民共和国", "中华人民共和国宪法", "中华人民共和国国务院", "中华人民共和国主席",
		"全国人民代表大会", "全国人民代表大会常务委员会", "全国人大常委会", "人民代表大会", "人民代表大会常务委员会",
		"国务院办公厅", "中央军事委员会", "国家监察委员会", "监察委员会", "最高人民法院", "最高人民检察院",
		"人民法院", "人民检察院", "人民政府", "人民政府办公室", "中国人民政治协商会议", "政治协商会议", "全国政协",
		"中国共产党", "中共中央", "中共中央办公厅", "中国共产党中央委员会", "中央纪律检查委员会", "纪律检查委员会",
		"中央纪委国家监委", "中国人民解放军", "中国人民武装警察部队", "中国人民银行", "领导小组", "政府信息公开",
		"政府信息公开条例", "政府信息公开指南", "中华人民共和国政府信息公开条例",
	},
	seriousFormulaKey: {
		"习近平新时代中国特色社会主义思想", "中国特色社会主义", "社会主义核心价值观", "马克思列宁主义",
		"毛泽东思想", "邓小平理论", "三个代表重要思想", "科学发展观", "四个意识", "四个自信", "两个维护",
		"两个确立", "不忘初心、牢记使命", "不忘初心", "牢记使命", "全面从严治党", "中华民族伟大复兴",
		"人类命运共同体", "全面建成小康社会", "五位一体", "四个全面", "全面依法治国", "以人民为中心",
		"实事求是", "一国两制", "社会主义现代化国家", "党的十九大", "党的十九届四中全会",
	},
	seriousDivisionKey: {
		// 省级
		"北京市", "天津市", "上海市", "重庆市", "河北省", "山西省", "辽宁省", "吉林省", "黑龙江省", "江苏省",
		"浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "海南省",
		"四川省", "贵州省", "云南省", "陕西省", "甘肃省", "青海省", "台湾省", "内蒙古自治区", "广西壮族自治区",
		"西藏自治区", "宁夏回族自治区", "新疆维吾尔自治区", "香港特别行政区", "澳门特别行政区",
		// 地级 (names of 4 or more characters; shorter ones cannot be told from ordinary words)
		"石家庄市", "秦皇岛市", "张家口市", "呼和浩特市", "鄂尔多斯市", "呼伦贝尔市", "巴彦淖尔市", "乌兰察布市",
		"葫芦岛市", "哈尔滨市", "齐齐哈尔市", "双鸭山市", "佳木斯市", "七台河市", "牡丹江市", "马鞍山市",
		"景德镇市", "平顶山市", "驻马店市", "三门峡市", "张家界市", "防城港市", "攀枝花市", "六盘水市",
		"乌鲁木齐市", "克拉玛依市", "吐鲁番市", "嘉峪关市", "石嘴山市", "日喀则市", "连云港市", "大兴安岭地区",
		"锡林郭勒盟", "阿拉善盟", "延边朝鲜族自治州", "恩施土家族苗族自治州", "湘西土家族苗族自治州",
		"凉山彝族自治州", "甘孜藏族自治州", "阿坝藏族羌族自治州", "黔东南苗族侗族自治州", "黔南布依族苗族自治州",
		"黔西南布依族苗族自治州", "西双版纳傣族自治州", "大理白族自治州", "德宏傣族景颇族自治州",
		"红河哈尼族彝族自治州", "文山壮族苗族自治州", "楚雄彝族自治州", "伊犁哈萨克自治州", "昌吉回族自治州",
		"临夏回族自治州", "甘南藏族自治州", "海西蒙古族藏族自治州",
	},
	seriousLocalKey: {
		"浙江省宁波市", "宁波市北仑区", "浙江省宁波市北仑区", "宁波市人民政府", "浙江省人民政府",
		"宁波市北仑区人民政府", "中共宁波市北仑区委员会", "宁波经济技术开发区", "宁波保税区", "宁波大榭开发区",
	},
	// Right words one edit from a term: organs of their own (检察委员会 of
	// a procuratorate, 人民法庭 of a court) and names of real places.
	// 全面建设小康社会 is the wording of its time (十六大 to 十七大), not a
	// slip for 全面建成小康社会.
	seriousAllowKey: {"检察委员会", "审判委员会", "人民法庭", "人民政协", "国民政府", "市场监督管理总局", "全面建设小康社会"},
	// Groups of characters mistaken for each other by shape (one group a
	// string): 攻府 for 政府, 领导小姐 for 领导小组.
	seriousAlikeKey: {
		"政攻致", "组姐祖租阻", "毫豪亳", "仑仓伦", "己已巳", "末未", "戊戌戍", "治冶", "候侯", "人入",
		"土士", "干千于", "拔拨", "货贷", "辨辩辫", "睛晴", "折析", "徽微", "崇祟", "券卷", "侍待", "栽裁载",
		"贫贪", "监鉴", "织识职帜", "书节", "记纪", "党堂", "民氏", "共供", "院完", "府符", "区匹", "委季",
		"主王", "思恩", "值植", "导异", "国图", "华毕", "碶楔", "察擦", "检捡", "席度", "宝室",
	},
	// Characters whose dropping, adding or swapping gives a variant, not an
	// error: 人力资源社会保障局 for 人力资源和社会保障局, 分局/总局, punctuation,
	// and the level of a division (北仑小港街道 for 北仑区小港街道).
	seriousSoftKey: {"和与及的之、，·总分暨并或等省市区县"},
}

// seriousExcerpt is the runes of context on each side of a misspelling.
const seriousExcerpt = 30

// ContentSeriousError (content.serious_error) finds misspelt protected terms
// in the unit's pages: 国名 and state organs, fixed political formulations,
// administrative divisions (the district's own, its streets and the national
// list), the units' names and the leaders of config `leaders:` with their
// titles. 国办秘函〔2019〕19号 makes 出现严重表述错误 a single-veto item, and
// monitors' 季度通报 cite them (中华人民共合国, 齐齐哈市, 杜家豪 for 杜家毫,
// 领导小姐, 攻府).
//
// A term of 4 or more characters is misspelt when the text has it with one
// character replaced by a homophone (same pinyin, tones ignored: the slip of
// a pinyin input method) or by a look-alike (content.serious_error.lookalike),
// one character dropped inside it (5 or more characters), two swapped (5 or
// more), or, for fixed wordings of 7 or more, any wrong or added character
// inside it (中华人民大和国, 中共人民共和国). A leader's name is misspelt when a
// homophone or look-alike of it stands right beside one of that leader's
// titles, or when it is cut short after the title before punctuation (总理李
// 克。); a real person of a similar name elsewhere is not judged. Text inside
// a right term or an allowed word (content.serious_error.allow) never fires,
// so 国务院办公厅, 人民政府网 and a correct 中华人民共和国 are silent; nor do
// variants in content.serious_error.soft (和, 与, 的, 总/分, a level such as
// 区 or 市: 人力资源社会保障局, 北仑小港街道, 全区人民代表大会).
//
// fail (严重): one finding per page and term, with the wrong text, the term
// expected and an excerpt. na (疑似): weaker cases (a wrong or added character
// in a fixed wording of 5 or 6, a swap in a 4-character term, a leader's name
// cut short before another character, a leader beside another leader's
// title) for a reviewer to confirm. pass: no serious error in the pages read.
// na: the site could not be reached.
func ContentSeriousError(s *site.Snapshot, env Env) []Finding {
	entry := s.EntryPage()
	if !entry.OK() {
		return []Finding{entryUnreachable(s, "content", "严重表述错误")}
	}
	ix := newNearMissIndex(seriousTerms(env), env.Terms(seriousAllowKey, contentSeriousErrorTerms[seriousAllowKey]),
		env.Terms(seriousAlikeKey, contentSeriousErrorTerms[seriousAlikeKey]),
		strings.Join(env.Terms(seriousSoftKey, contentSeriousErrorTerms[seriousSoftKey]), ""))
	var leaders []config.Leader
	if env.Config != nil {
		leaders = env.Config.Leaders
	}
	lx := newLeaderIndex(leaders, ix)
	var out []Finding
	pages := textPages(s)
	serious, read := 0, 0
	for _, p := range pages {
		// White space stays: it is where one element's text ends and the
		// next begins (财政局 | 信息公开目录), and no term spans it.
		text := []rune(pageText(p))
		if p == entry {
			// The entry page's banner and footer (site name, 主办单位) are
			// read once here; on other pages they repeat.
			text = append(append(text, ' '), []rune(chromeText(p))...)
		}
		if t := page.Collapse(p.Title); t != "" {
			text = append(append([]rune(t), ' '), text...)
		}
		if strings.IndexFunc(string(text), isHan) >= 0 {
			read++
		}
		seen := map[string]bool{}
		for _, m := range ix.find(text) {
			t := ix.terms[m.term].text
			if seen[t] {
				continue
			}
			seen[t] = true
			f := seriousFinding(p, text, m.start, m.end, t, describeEdit(m), m.serious)
			if m.serious {
				serious++
			}
			out = append(out, f)
		}
		for _, m := range lx.find(text) {
			if seen[m.expected] {
				continue
			}
			seen[m.expected] = true
			if m.serious {
				serious++
			}
			out = append(out, seriousFinding(p, text, m.start, m.end, m.expected, m.why, m.serious))
		}
	}
	if read == 0 {
		return append(out, Finding{Subject: "content", Status: NA, URL: s.Entry, Looked: []string{s.Entry},
			Detail: "抓取到的页面没有可读的中文正文（空白页或非 HTML 内容），无法检查严重表述错误；请在浏览器中核实页面能否正常显示", Evidence: evidence(entry, "")})
	}
	if serious == 0 {
		out = append(out, Finding{Subject: "content", Status: Pass, URL: s.Entry,
			Detail: fmt.Sprintf("检查了 %d 个页面，未发现国名、机构名称、规范表述、行政区划和领导人姓名职务的严重表述错误", len(pages))})
	}
	return out
}

// seriousTerms gathers the protected terms: the lists, then the district,
// its streets and its units from the config.
func seriousTerms(env Env) []protected {
	var out []protected
	add := func(class termClass, words ...string) {
		for _, w := range words {
			out = append(out, protected{text: w, class: class})
		}
	}
	add(classFixed, env.Terms(seriousStateKey, contentSeriousErrorTerms[seriousStateKey])...)
	add(classFixed, env.Terms(seriousFormulaKey, contentSeriousErrorTerms[seriousFormulaKey])...)
	add(className, env.Terms(seriousDivisionKey, contentSeriousErrorTerms[seriousDivisionKey])...)
	add(className, env.Terms(seriousLocalKey, contentSeriousErrorTerms[seriousLocalKey])...)
	units := []config.Unit{env.Unit}
	district := ""
	if env.Config != nil {
		units = append(units, env.Config.Units...)
		district = strings.TrimSpace(env.Config.District)
	}
	if district != "" {
		add(className, district+"人民政府", district+"人民政府办公室", district+"人民代表大会常务委员会", "中共"+district+"委员会", district+"政府")
	}
	for _, u := range units {
		name := strings.TrimSpace(u.Name)
		if name == "" {
			continue
		}
		add(className, name)
		if district != "" && !strings.Contains(name, district) {
			add(className, district+strings.TrimPrefix(name, "区"))
		}
	}
	return out
}

// describeEdit says in Chinese what is wrong with the text.
func describeEdit(m nearMiss) string {
	w := string(m.wrong)
	switch m.kind {
	case editHomophone:
		return "同音字“" + w + "”"
	case editLookalike:
		return "形近字“" + w + "”"
	case editSubstitute:
		return "错字“" + w + "”"
	case editDrop:
		return "漏字“" + w + "”"
	case editAdd:
		return "多字“" + w + "”"
	case editSwap:
		return "字序颠倒"
	}
	return "写法有误"
}

// seriousFinding is the finding for one misspelling on a page.
func seriousFinding(p *site.Page, text []rune, start, end int, expected, why string, serious bool) Finding {
	wrong := string(text[start:end])
	lo, hi := max(0, start-seriousExcerpt), min(len(text), end+seriousExcerpt)
	f := Finding{Subject: pageURL(p) + " " + expected, URL: pageURL(p), Evidence: evidence(p, string(text[lo:hi]))}
	if serious {
		f.Status = Fail
		f.Detail = fmt.Sprintf("严重表述错误：“%s”应为“%s”（%s）。请立即更正，并排查全站同类表述", wrong, expected, why)
	} else {
		f.Status = NA
		f.Detail = fmt.Sprintf("疑似表述错误：“%s”可能应为“%s”（%s），请人工复核；确属错误的请更正，无误的请驳回", wrong, expected, why)
	}
	return f
}
