package sim

import (
	"fmt"
	"strings"
)

// Site identity in the footer (政府网站发展指引, 国办发〔2017〕47号) and the
// links that risk the 单项否决 (暗链, outbound pages gone to gambling, domains
// taken over), as real district sites show them.

// Footer identity defects (defects.identity).
const (
	idNoConac  = "conac"  // no 党政机关网站标识
	idNoPolice = "police" // no 公安机关备案号
	idNoCode   = "code"   // no 网站标识码
	idScript   = "script" // the footer is written by /script/foot.js: na
)

// identityMisses are the footer defects, in the order planDefects deals them.
var identityMisses = []string{idNoConac, idNoPolice, idNoCode}

// identityNames name the footer items as the truth notes them.
var identityNames = map[string]string{idNoConac: "党政机关网站标识", idNoPolice: "公安机关备案号", idNoCode: "网站标识码"}

// footScript is the script that writes the idScript unit's footer, as
// footScriptBody does on every host.
const footScript = "/script/foot.js"

const footScriptBody = "document.write('<p>网站标识码：3302060099　浙ICP备05003421号　浙公网安备 33020602000999号</p>');\n"

// Suspicious-link defects (defects.suspicious).
const (
	suspHidden    = 1 // a display:none box of casino links on the entry page
	suspOffscreen = 2 // a link positioned off screen
	suspSpam      = 3 // a 友情链接 whose site now serves a casino
	suspTakeover  = 4 // a 友情链接 whose domain is taken over in generation 2
)

// Outbound sites the 友情链接 boxes link to, by path on the external host.
const (
	extHiddenA  = "www.amxpj8866.com/"
	extHiddenB  = "www.hg0088-tyc.com/"
	extSpam     = "www.nbtyw.com/"
	extTakeover = "www.blkx.org/"
	extRenamed  = "www.nbdpc.gov.cn/"
)

// footerIdentity is the identity block of the unit's footer in its
// template's layout; defects leave an item out.
func (d *District) footerIdentity(s *unitSite) string {
	if s.def.identity == idScript {
		return `<div id="foot_id"></div><script type="text/javascript" src="` + footScript + `"></script>`
	}
	name := esc(fullName(s.u.Name))
	conac := `<script type="text/javascript">document.write(unescape("%3Cspan id='_ideConac' %3E%3C/span%3E%3Cscript src='http://dcs.conac.cn/js/33/000/0000/60435587/CA330000000604355870002.js' type='text/javascript'%3E%3C/script%3E"));</script>`
	code := fmt.Sprintf("网站标识码：33020600%02d", s.idx%100)
	police := fmt.Sprintf("浙公网安备 330206020%05d号", 100+s.idx)
	tel := fmt.Sprintf("联系电话：0574-8678%04d", 1000+s.idx)
	switch s.tpl {
	case 1:
		conac = fmt.Sprintf(`<span id="_ideConac"><a href="%s" target="_blank"><img id="imgConac" src="/images/blue.png"></a></span>`,
			d.extURL(fmt.Sprintf("bszs.conac.cn/sitename?method=show&amp;id=05C2ED68A8F661C9E0530128%04d", s.idx)))
		code = fmt.Sprintf("网站识别码：33020601%02d", s.idx%100)
		tel = fmt.Sprintf("电话：0574-8678%04d", 1000+s.idx)
	case 2:
		code = fmt.Sprintf("网站标识码 bm330206%02d", s.idx%100)
		police = fmt.Sprintf("浙公网安330206020%05d号", 100+s.idx)
		tel = fmt.Sprintf("咨询电话：（0574）8678%04d", 1000+s.idx)
	}
	switch s.def.identity {
	case idNoConac:
		conac = ""
	case idNoPolice:
		police = ""
	case idNoCode:
		code = ""
	}
	switch s.tpl {
	case 0:
		return fmt.Sprintf(`<table class="foot-id"><tr><td>%s</td><td><p>%s</p><p>%s　浙ICP备05003421号　%s</p></td></tr></table>`, conac, tel, code, police)
	case 1:
		return fmt.Sprintf(`<p>%s　主办：%s<br>%s<br>%s　浙ICP备05003421号-2<br>%s</p>`, conac, name, tel, code, police)
	}
	return fmt.Sprintf(`<div class="site-info"><dl><dd>%s</dd></dl><dl><dd>%s</dd></dl><dl><dd>备案证编号：浙ICP备2022028025号-3</dd><dd>%s</dd></dl><dl><dd>%s</dd></dl></div>`, conac, code, police, tel)
}

// entryLinks are the boxes of the entry page that carry outbound links:
// the 暗链 of a defective unit, its 友情链接, and the near misses every
// other unit shows (a skip link and a drop-down menu hidden until hovered,
// both harmless; a 友情链接 to a site that renamed itself in generation 2).
func (d *District) entryLinks(s *unitSite) string {
	var b strings.Builder
	switch s.def.suspicious {
	case suspHidden:
		fmt.Fprintf(&b, `<div style="display:none"><a href="%s">澳门新葡京</a></div>`, d.extURL(extHiddenA))
	case suspOffscreen:
		fmt.Fprintf(&b, `<div style="position:absolute; top:-999px; left:-999px;"><a href="%s" target="_blank">皇冠体育</a></div>`, d.extURL(extHiddenB))
	default:
		b.WriteString(`<a href="#main" style="position:absolute;left:-9999px">跳到主要内容</a>`)
		fmt.Fprintf(&b, `<div class="box"><h3 onmouseover="showSub('bmlj')">相关网站</h3><div id="bmlj" style="display:none"><a href="%s">浙江省人民政府</a></div></div>`,
			d.extURL("www.zj.gov.cn/"))
	}
	var links []string
	switch s.def.suspicious {
	case suspSpam:
		links = append(links, fmt.Sprintf(`<a href="%s" target="_blank">北仑体育网</a>`, d.extURL(extSpam)))
	case suspTakeover:
		links = append(links, fmt.Sprintf(`<a href="%s" target="_blank">北仑区科学技术协会</a>`, d.extURL(extTakeover)))
	}
	if s.idx%3 == 0 {
		links = append(links, fmt.Sprintf(`<a href="%s" target="_blank">宁波市发改委</a>`, d.extURL(extRenamed)))
	}
	if len(links) > 0 {
		b.WriteString(`<div class="box yqlj"><h3>友情链接</h3>` + strings.Join(links, " ") + `</div>`)
	}
	return b.String()
}

// outboundPage is what the external host serves for the outbound sites
// above: a casino where a friendly site was; in generation 2 and later a
// company page on the taken-over domain, and the renamed 发改委 site.
func (d *District) outboundPage(p string) (title, text string, ok bool) {
	gen2 := d.opt.Generation >= 2
	switch p {
	case extSpam:
		return "澳门百家乐娱乐城_真人视讯_棋牌游戏", "真人视讯 百家乐 注册即送彩金", true
	case extTakeover:
		if gen2 {
			return "优米网络科技有限公司-专业SEO优化", "网站建设 SEO优化 域名出售", true
		}
		return "北仑区科学技术协会", "北仑区科学技术协会 科普活动 学会工作", true
	case extRenamed:
		if gen2 {
			return "宁波市发展和改革委员会门户网站", "宁波市发展和改革委员会 政务公开", true
		}
		return "宁波市发展和改革委员会", "宁波市发展和改革委员会 政务公开", true
	}
	return "", "", false
}

// judgeSuspicious is the truth of link.suspicious: the hidden links and the
// outbound links of the unit's entry page that lead to gambling, and, from
// generation 2 on, the taken-over domain (which needs the title an earlier
// run saw: audited after generation 1).
func (d *District) judgeSuspicious(s *unitSite) Truth {
	switch s.def.suspicious {
	case suspHidden:
		return fail("hidden (display:none) link to a casino on the entry page", d.extURL(extHiddenA))
	case suspOffscreen:
		return fail("link positioned off screen (top:-999px) on the entry page", d.extURL(extHiddenB))
	case suspSpam:
		return fail("友情链接 whose site now serves a casino (百家乐、真人视讯)", d.extURL(extSpam))
	case suspTakeover:
		if d.opt.Generation >= 2 {
			return fail("友情链接 北仑区科学技术协会 taken over: title now 优米网络科技有限公司 (needs the generation-1 run's title)", d.extURL(extTakeover))
		}
		return Truth{Note: "友情链接 to 北仑区科学技术协会, taken over in generation 2"}
	}
	return Truth{}
}

// judgeIdentity is the truth of site.identity.
func (d *District) judgeIdentity(s *unitSite) Truth {
	switch s.def.identity {
	case idScript:
		return Truth{Status: NA, Note: "footer identity written by /script/foot.js"}
	case "":
		return Truth{}
	}
	return fail("footer lacks "+identityNames[s.def.identity], s.url(s.entry))
}
