package sim

import (
	"fmt"
	"strings"
)

// reportContent is an annual report: the national six-section template
// (国办公开办函〔2019〕60号) for 2019 and later, the older format (概述 …
// 收费及减免) before. A defective report leaves out the 复议诉讼 and 存在的主要
// 问题 sections that Art. 50 requires.
func (d *District) reportContent(s *unitSite, it *item) string {
	r := unitRand(d.opt.Seed, it.path, "report")
	n := func(lo, hi int) int { return lo + r.IntN(hi-lo+1) }
	name := fullName(s.u.Name)
	var b strings.Builder
	if it.year < 2019 {
		fmt.Fprintf(&b, "<p>　　本报告根据《中华人民共和国政府信息公开条例》要求，由%s编制。全文包括概述，主动公开政府信息情况，依申请公开政府信息情况，咨询情况，收费及减免情况，因政府信息公开申请行政复议、提起行政诉讼情况，存在的主要问题及改进措施等。本报告中所列数据的统计期限自%d年1月1日起至%d年12月31日止。</p>\n", name, it.year, it.year)
		for i, h := range []string{"一、概述", "二、主动公开政府信息情况", "三、依申请公开政府信息情况", "四、咨询情况", "五、收费及减免情况", "六、因政府信息公开申请行政复议、提起行政诉讼情况", "七、存在的主要问题及改进措施"} {
			fmt.Fprintf(&b, "<h3>%s</h3>\n<p>　　%s</p>\n", h, []string{
				"本单位高度重视政府信息公开工作，明确分管领导和具体工作人员。",
				fmt.Sprintf("全年主动公开政府信息%d条。", n(40, 300)),
				fmt.Sprintf("全年共受理政府信息公开申请%d件，均按时答复。", n(0, 12)),
				fmt.Sprintf("全年接受群众咨询%d人次。", n(10, 200)),
				"本年度未收取任何费用。",
				"本年度未发生因政府信息公开申请行政复议、提起行政诉讼的情况。",
				"公开内容的深度和广度有待进一步拓展。下一步将加强培训，完善制度。",
			}[i])
		}
		return b.String()
	}
	fmt.Fprintf(&b, "<p>　　本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和国务院办公厅政府信息与政务公开办公室有关要求，由%s编制。本报告所列数据的统计期限自%d年1月1日起至%d年12月31日止。</p>\n", name, it.year, it.year)
	fmt.Fprintf(&b, "<h3>一、总体情况</h3>\n<p>　　%d年，%s认真贯彻落实新修订的《条例》，围绕中心工作，扎实推进政务公开。</p>\n", it.year, name)
	b.WriteString("<h3>二、主动公开政府信息情况</h3>\n<table border=\"1\"><tr><th colspan=\"4\">第二十条第（一）项</th></tr><tr><td>信息内容</td><td>本年新制作数量</td><td>本年新公开数量</td><td>对外公开总数量</td></tr>")
	fmt.Fprintf(&b, "<tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr><tr><td>规范性文件</td><td>%d</td><td>%d</td><td>%d</td></tr>", n(0, 5), n(0, 5), n(5, 30))
	fmt.Fprintf(&b, "<tr><th colspan=\"4\">第二十条第（九）项</th></tr><tr><td>政府集中采购</td><td colspan=\"3\">%d万元</td></tr></table>\n", n(50, 900))
	b.WriteString("<h3>三、收到和处理政府信息公开申请情况</h3>\n<table border=\"1\"><tr><td colspan=\"2\">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td><td>自然人</td><td>法人或其他组织</td><td>总计</td></tr>")
	a, c := n(0, 15), n(0, 4)
	fmt.Fprintf(&b, "<tr><td colspan=\"2\">一、本年新收政府信息公开申请数量</td><td>%d</td><td>%d</td><td>%d</td></tr>", a, c, a+c)
	fmt.Fprintf(&b, "<tr><td colspan=\"2\">三、本年度办理结果（一）予以公开</td><td>%d</td><td>%d</td><td>%d</td></tr></table>\n", a, c, a+c)
	if !it.badSects {
		b.WriteString("<h3>四、政府信息公开行政复议、行政诉讼情况</h3>\n<table border=\"1\"><tr><th colspan=\"5\">行政复议</th><th colspan=\"5\">行政诉讼</th></tr><tr><td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td><td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td></tr><tr><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr></table>\n")
		b.WriteString("<h3>五、存在的主要问题及改进情况</h3>\n<p>　　一是政策解读形式还不够丰富；二是部分栏目更新不够及时。下一步，我们将进一步规范信息发布流程，加强督促检查。</p>\n")
		b.WriteString("<h3>六、其他需要报告的事项</h3>\n<p>　　无。</p>\n")
	} else {
		b.WriteString("<h3>四、其他需要报告的事项</h3>\n<p>　　无。</p>\n")
	}
	return b.String()
}
