package config_test

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"gkaudit/config"
)

// Ensure that each invalid config is rejected with its exact message: the
// file, the line, the key and what is wrong.
func TestLoadBadConfigs(t *testing.T) {
	tests := map[string]string{
		"testdata/invalid-leaders.yml": `testdata/invalid-leaders.yml:2: crawl.max_attachments: 不能为负数：请填写 0（不读附件）或正整数` + "\n" +
			`testdata/invalid-leaders.yml:5: leaders[1].name: 不能为空：请填写领导姓名，或删去这一项` + "\n" +
			`testdata/invalid-leaders.yml:6: leaders[2].title: 不能为空：请填写领导职务（如 省委书记），或删去这一项`,
		"testdata/invalid-unknown-key.yml":  `testdata/invalid-unknown-key.yml:3: crawl.max_deph: 没有这个设置项，是不是 "max_depth"？请改正拼写或删去（设置项见 gkaudit config show 的输出和 README）`,
		"testdata/invalid-bad-url.yml":      `testdata/invalid-bad-url.yml:5: units[0].url: "htp:/x" 不是完整的 http(s) 网址：请写成以 http:// 或 https:// 开头、带域名的网址`,
		"testdata/invalid-duplicate-id.yml": `testdata/invalid-duplicate-id.yml:4: units[2].id: id "xinqi" 重复，units[0] 已使用：每个单位的 id 必须不同，请换一个`,
		"testdata/invalid-bad-cron.yml":     `testdata/invalid-bad-cron.yml:2: schedule: "CRON_TZ=Asia/Shanghai 0 2 * *" 不是有效的 cron 表达式（应有 5 个字段，实际有 4 个：[0 2 * *]）：请写 5 个字段“分 时 日 月 周”，例如 "0 2 * * *"`,
		"testdata/invalid-bad-kind.yml":     `testdata/invalid-bad-kind.yml:4: units[0].kind: "town" 不是单位类型：只能是 street 或 department`,
		"testdata/invalid-unknown-key-area.yml": `testdata/invalid-unknown-key-area.yml:7: units[0].key_areas[1]: 没有重点领域 "parks"：请改正拼写，或先在 columns 中定义 keyarea.parks` +
			`（已有：budget、environment、gov_debt、law_enforcement、major_projects、poverty_alleviation、public_resources、public_welfare、services）`,
		"testdata/invalid-bad-rubric-check.yml": `testdata/invalid-bad-rubric-check.yml:9: rubric.items[0].checks[1]: 没有检查项 ID "org.infos"：请改正拼写（gkaudit checks 列出全部检查项）` + "\n" +
			`testdata/invalid-bad-rubric-check.yml:9: rubric.items[0].checks[2]: 没有检查项 ID 匹配 "keyareas.*"：请改正前缀（gkaudit checks 列出全部检查项）`,
		"testdata/invalid-bad-id.yml": `testdata/invalid-bad-id.yml:2: units[0].id: "Xinqi" 不符合 ^[a-z][a-z0-9_]*$：id 须以小写字母开头，只含小写字母、数字和下划线` + "\n" +
			`testdata/invalid-bad-id.yml:5: units[1].name: 不能为空：请填写单位名称`,
		"testdata/invalid-empty-units.yml": `testdata/invalid-empty-units.yml:1: units: 没有任何单位：请至少列出一个单位（id、name、kind、url）`,
		"testdata/invalid-crawl-limits.yml": `testdata/invalid-crawl-limits.yml:1: year: 1999 超出范围 2008..2100：请填写考核年度，例如 2019` + "\n" +
			`testdata/invalid-crawl-limits.yml:3: crawl.max_pages_per_unit: 必须大于 0：请填写一个正数` + "\n" +
			`testdata/invalid-crawl-limits.yml:4: crawl.parallel_units: 必须大于 0：请填写一个正数` + "\n" +
			`testdata/invalid-crawl-limits.yml:5: crawl.timeout: 必须大于 0：请填写一个正数` + "\n" +
			`testdata/invalid-crawl-limits.yml:6: crawl.delay: 不能为负数：请填写 0 或更长的时长，例如 "1s"`,
		"testdata/invalid-syntax.yml": `testdata/invalid-syntax.yml:2: YAML 语法错误（did not find expected '-' indicator）：请检查出错位置及其上一行的缩进、冒号和引号`,
		"testdata/invalid-allow-networks.yml": `testdata/invalid-allow-networks.yml:4: crawl.allow_networks[1]: "10.0.0.0/33" 不是网段：请写成 CIDR，例如 127.0.0.0/8 或 ::1/128` + "\n" +
			`testdata/invalid-allow-networks.yml:5: crawl.allow_networks[2]: "intranet" 不是网段：请写成 CIDR，例如 127.0.0.0/8 或 ::1/128`,
		"testdata/invalid-alias-type.yml":    "testdata/invalid-alias-type.yml:1: 无法读取这个值（cannot unmarshal !!int `5` into config.Crawl）：请对照 gkaudit config show 的输出改正它的类型和写法",
		"testdata/invalid-duplicate-key.yml": `testdata/invalid-duplicate-key.yml:3: district: 第 1 行已设置过这个键：请删去其中一处`,
		"testdata/invalid-types.yml": `testdata/invalid-types.yml:1: year: 应为整数，实际写的是 "twenty"` + "\n" +
			`testdata/invalid-types.yml:3: crawl.max_depth: 应为整数，实际写的是 "8.5"` + "\n" +
			`testdata/invalid-types.yml:4: crawl.robots: 应为 true 或 false，实际写的是 "yes please"` + "\n" +
			`testdata/invalid-types.yml:5: crawl.timeout: "20 seconds" 不是时长：请写成如 "200ms"、"20s"、"10m"、"1h"（数字后紧跟单位）` + "\n" +
			`testdata/invalid-types.yml:6: units: 应为列表（每项以 - 开头），实际写的是映射（键: 值）`,
		"testdata/invalid-bad-scope.yml": `testdata/invalid-bad-scope.yml:6: units[0].scope[2]: "ftp://x/**" 的协议不是 http 或 https：请改用 http://、https:// 或 *://` + "\n" +
			`testdata/invalid-bad-scope.yml:7: units[0].exclude[1]: "art 1" 含有空格或控制字符：请删去它们（网址中的空格写作 %20）`,
		"testdata/invalid-thresholds.yml": `testdata/invalid-thresholds.yml:4: thresholds.stale_days.gossip: "gossip" 不是 columns 中的栏目类型：请改正拼写，或先在 columns 中定义它` + "\n" +
			`testdata/invalid-thresholds.yml:3: thresholds.stale_days.news: 必须大于 0：请填写天数` + "\n" +
			`testdata/invalid-thresholds.yml:5: thresholds.volume_low_ratio: 1.5 不在 (0, 1] 之内：请填写大于 0、不超过 1 的比例，例如 0.5` + "\n" +
			`testdata/invalid-thresholds.yml:6: thresholds.annual_report_deadline: "31-01" 不是 MM-DD 格式的日期：请写成如 "01-31"（月-日）`,
		"testdata/invalid-calendar-dates.yml": `testdata/invalid-calendar-dates.yml:3: calendar.2019.holidays[0]: "2019-13-01" 不是日期 YYYY-MM-DD 或日期范围 YYYY-MM-DD..YYYY-MM-DD：请写成如 "2019-10-01" 或 "2019-10-01..2019-10-07"` + "\n" +
			`testdata/invalid-calendar-dates.yml:3: calendar.2019.holidays[1]: "2019-10-07..2019-10-01" 的结束日期早于开始日期：请把较早的日期写在 .. 前面` + "\n" +
			`testdata/invalid-calendar-dates.yml:3: calendar.2019.holidays[2]: "20191001" 不是日期 YYYY-MM-DD 或日期范围 YYYY-MM-DD..YYYY-MM-DD：请写成如 "2019-10-01" 或 "2019-10-01..2019-10-07"` + "\n" +
			`testdata/invalid-calendar-dates.yml:4: calendar.2019.workdays[0]: 应为日期如 "2019-10-01" 或日期范围如 "2019-10-01..2019-10-07"，实际写的是映射（键: 值）` + "\n" +
			`testdata/invalid-calendar-dates.yml:5: calendar.twenty: 键应为整数（如年份 2019），实际写的是 "twenty"`,
		"testdata/invalid-calendar.yml": `testdata/invalid-calendar.yml:14: calendar.1999: 年份 1999 超出范围 2008..2100：请改正年份` + "\n" +
			`testdata/invalid-calendar.yml:4: calendar.2019.holidays[0]: 2018-12-30..2019-01-01 不在 2019 年内：请把每个日期列在它所在的年份下` + "\n" +
			`testdata/invalid-calendar.yml:5: calendar.2019.holidays[1]: 2019-10-01..2019-11-30 长于 31 天，多半是年份或月份写错了：请改正日期` + "\n" +
			`testdata/invalid-calendar.yml:8: calendar.2019.workdays[0]: 2019-10-07 同时列在节假日中（holidays[2]）：一天只能是节假日或调休工作日之一，请删去其中一处` + "\n" +
			`testdata/invalid-calendar.yml:9: calendar.2019.workdays[1]: 2019-10-11 是周五，本来就是工作日：调休工作日只能是周六或周日，请改正日期或删去` + "\n" +
			`testdata/invalid-calendar.yml:12: calendar.2020: 没有列出节假日：每年都有法定节假日，请在 holidays 中列出（不写这一年则按周一至周五计算工作日）`,
		"testdata/invalid-service.yml": `testdata/invalid-service.yml:1: run_deadline: 必须大于 0：请填写一次检查最多运行多久，例如 "6h"` + "\n" +
			`testdata/invalid-service.yml:3: probe.every: 10s 太频繁：对同一网站的两次探测至少相隔 1m，请调大（0 表示不探测）` + "\n" +
			`testdata/invalid-service.yml:4: probe.timeout: 必须大于 0：请填写探测的超时时间，例如 "15s"`,
		"testdata/invalid-probe-negative.yml": `testdata/invalid-probe-negative.yml:2: probe.every: 不能为负数：请填写探测间隔，例如 "1h"（0 表示不探测）`,
		"testdata/invalid-rectification.yml": `testdata/invalid-rectification.yml:2: rectification.deadline_workdays: 必须大于 0：请填写整改期限（工作日数）` + "\n" +
			`testdata/invalid-rectification.yml:6: rectification.by_check.keyareas.*: 没有检查项 ID 匹配 "keyareas.*"：请改正前缀（gkaudit checks 列出全部检查项）` + "\n" +
			`testdata/invalid-rectification.yml:7: rectification.by_check.link.broken: 必须大于 0：请填写该检查项的整改期限（工作日数）` + "\n" +
			`testdata/invalid-rectification.yml:5: rectification.by_check.site.reachble: 没有检查项 ID "site.reachble"：请改正拼写（gkaudit checks 列出全部检查项）`,
		"testdata/invalid-notice.yml": `testdata/invalid-notice.yml:2: notice.issuer: 不能为空：请填写发文机关，例如 北仑区人民政府办公室` + "\n" +
			`testdata/invalid-notice.yml:3: notice.number_format: "仑政公办〔{year}〕{no}号" 缺少 {seq}（通知在当年的序号）：请加上，例如 "仑政公办〔{year}〕{seq}号"` + "\n" +
			`testdata/invalid-notice.yml:3: notice.number_format: 没有占位符 {no}：只能用 {year} 和 {seq}` + "\n" +
			`testdata/invalid-notice.yml:4: notice.contact: 只能写一行：请删去换行` + "\n" +
			`testdata/invalid-notice.yml:5: notice.cc[1]: 不能为空：请填写抄送单位，或删去这一项` + "\n" +
			`testdata/invalid-notice.yml:5: notice.cc[2]: "区政府办公室" 列了两次：请删去重复的一项`,
		"testdata/invalid-veto.yml": `testdata/invalid-veto.yml:3: thresholds.veto[0].check: 没有检查项 ID "column.emtpy"：请改正拼写（gkaudit checks 列出全部检查项）` + "\n" +
			`testdata/invalid-veto.yml:5: thresholds.veto[1].name: 不能为空：请填写该单项否决指标的名称` + "\n" +
			`testdata/invalid-veto.yml:6: thresholds.veto[1].check: "keyarea.*" 是前缀：单项否决指标只计一个检查项，请写完整的检查项 ID（gkaudit checks 列出全部检查项）` + "\n" +
			`testdata/invalid-veto.yml:7: thresholds.veto[1].kinds[1]: 不能为空：请填写类别（如 news），或删去这一项` + "\n" +
			`testdata/invalid-veto.yml:8: thresholds.veto[1].min: 必须至少为 1：请填写达到单项否决的个数，例如 5`,
		"testdata/invalid-thresholds-params.yml": `testdata/invalid-thresholds-params.yml:2: thresholds.volume_low_min_peers: 必须大于 0：请填写一个正整数，例如 3` + "\n" +
			`testdata/invalid-thresholds-params.yml:4: thresholds.availability_min_probes: 必须大于 0：请填写一个正整数，例如 20` + "\n" +
			`testdata/invalid-thresholds-params.yml:5: thresholds.soft_not_found_max_runes: 必须大于 0：请填写一个正整数，例如 150` + "\n" +
			`testdata/invalid-thresholds-params.yml:6: thresholds.privacy_min_list_mobiles: 必须大于 0：请填写一个正整数，例如 2` + "\n" +
			`testdata/invalid-thresholds-params.yml:7: thresholds.empty_column_content_runes: 必须大于 0：请填写一个正整数，例如 20` + "\n" +
			`testdata/invalid-thresholds-params.yml:3: thresholds.availability_veto_percent: 120 不在 1..100 之内：请填写单项否决的失败百分比，例如 5`,
		"testdata/invalid-notice-seq.yml": `testdata/invalid-notice-seq.yml:2: notice.number_format: "仑政公办〔{year}〕号" 缺少 {seq}（通知在当年的序号）：请加上，例如 "仑政公办〔{year}〕{seq}号"`,
	}
	files, err := filepath.Glob("testdata/invalid-*.yml")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if _, ok := tests[f]; !ok {
			t.Errorf("%s has no expected error in TestLoadBadConfigs", f)
		}
	}
	for file, want := range tests {
		t.Run(file, func(t *testing.T) {
			c, err := config.Load(file)
			if err == nil {
				t.Fatalf("Load(%s) = %+v, want error", file, c)
			}
			if got := err.Error(); got != want {
				t.Errorf("Load(%s) error =\n%s\nwant\n%s", file, got, want)
			}
		})
	}
}

// Ensure that a user's file overrides the default: lists replace, maps merge.
func TestLoad_Good(t *testing.T) {
	c, err := config.Load("testdata/good.yml")
	if err != nil {
		t.Fatalf("Load(good.yml) error: %v", err)
	}
	if c.Source != "testdata/good.yml" {
		t.Errorf("Source = %q, want testdata/good.yml", c.Source)
	}
	if c.District != "示例区" || c.Year != 2020 {
		t.Errorf("district, year = %s, %d, want 示例区, 2020", c.District, c.Year)
	}
	if len(c.Units) != 2 {
		t.Fatalf("len(Units) = %d, want 2 (a units list replaces the default)", len(c.Units))
	}
	cr := c.Crawl
	if cr.MaxPagesPerUnit != 500 || cr.MaxDepth != 8 || cr.Delay.D() != time.Second || cr.UnitBudget.D() != time.Hour || cr.Timeout.D() != 20*time.Second {
		t.Errorf("Crawl = %+v, want overrides 500/1s/1h over defaults 8/20s", cr)
	}
	u, ok := c.UnitByID("town_a")
	if !ok {
		t.Fatal("UnitByID(town_a) not found")
	}
	if got, want := c.KeyAreasOf(u), []string{"budget", "public_welfare", "major_projects"}; !slices.Equal(got, want) {
		t.Errorf("KeyAreasOf(town_a) = %v, want %v (the default's street list)", got, want)
	}
	f, _ := c.UnitByID("finance")
	if got, want := c.KeyAreasOf(f), []string{"budget", "gov_debt", "tourism"}; !slices.Equal(got, want) {
		t.Errorf("KeyAreasOf(finance) = %v, want %v", got, want)
	}
	if got, want := c.KeyAreas[config.KindDepartment], []string{"budget", "law_enforcement"}; !slices.Equal(got, want) {
		t.Errorf("KeyAreas[department] = %v, want %v", got, want)
	}
	if got, want := c.Columns["news"], []string{"工作动态", "区县动态"}; !slices.Equal(got, want) {
		t.Errorf("Columns[news] = %v, want %v", got, want)
	}
	if len(c.Columns["guide"]) == 0 || len(c.Columns["keyarea.tourism"]) == 0 {
		t.Errorf("Columns = %v, want the default's kinds merged with keyarea.tourism", c.Columns)
	}
	if !slices.Contains(c.CheckIDs(), "keyarea.tourism") {
		t.Errorf("CheckIDs() = %v, want keyarea.tourism among them", c.CheckIDs())
	}
	if c.Thresholds.StaleDays["news"] != 7 || c.Thresholds.StaleDays["notice"] != 180 {
		t.Errorf("StaleDays = %v, want news 7 and the default notice 180", c.Thresholds.StaleDays)
	}
	if len(c.Rubric.Items) != 17 {
		t.Errorf("len(Rubric.Items) = %d, want the default's 17", len(c.Rubric.Items))
	}
}

// Ensure that a missing file is an error naming it, in Chinese, that still
// tells errors.Is it does not exist.
func TestLoad_MissingFile(t *testing.T) {
	_, err := config.Load("testdata/no-such-file.yml")
	if want := "testdata/no-such-file.yml: 找不到这个配置文件：请检查路径"; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("Load(missing) error = %v, want one starting %q", err, want)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load(missing) error = %v, want errors.Is fs.ErrNotExist", err)
	}
}

// Ensure that no config error a user reads is English only: every line of
// every invalid file's error says in Chinese what is wrong, after the
// file:line: key: prefix (English messages crept in key by key before).
func TestLoadBadConfigs_EnglishMessage(t *testing.T) {
	files, err := filepath.Glob("testdata/invalid-*.yml")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		_, err := config.Load(f)
		if err == nil {
			t.Errorf("Load(%s) = nil, want an error", f)
			continue
		}
		for _, line := range strings.Split(err.Error(), "\n") {
			if !strings.ContainsFunc(line, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
				t.Errorf("Load(%s): %q says nothing in Chinese", f, line)
			}
		}
	}
}

// Ensure that an empty file gives the default.
func TestParse_Empty(t *testing.T) {
	c, err := config.Parse("empty.yml", nil)
	if err != nil {
		t.Fatalf("Parse(empty) error: %v", err)
	}
	if len(c.Units) != 48 {
		t.Errorf("len(Units) = %d, want 48", len(c.Units))
	}
}

// appendix1 is 附件1 of the seed, in order.
var appendix1 = struct{ streets, departments []string }{
	streets: strings.Split("新碶街道、小港街道、大碶街道、柴桥街道、霞浦街道、戚家山街道、春晓街道、梅山街道、白峰街道、郭巨街道", "、"),
	departments: strings.Split("区政府办公室、财政局、审计局、科技局、民政局、综合行政执法局、住房和城乡建设局、生态环境分局、公安分局、司法局、"+
		"教育局、文化和广电旅游体育局、卫生健康局、医疗保障局、市场监督管理局、农业农村局、自然资源和规划分局、发展和改革局、经信局、"+
		"人力资源和社会保障局、退役军人事务局、统计局、应急管理局、交通运输局、商务局、金融办、新兴产业和服务业发展局、投资合作局、"+
		"行政审批管理办公室、房屋征收办公室、住房资金管理中心、公共项目建设管理中心、公共资源交易中心、评审中心、传媒中心、供销联社、"+
		"气象局、人民银行北仑支行", "、"),
}

// Ensure that the default lists the 48 units of appendix 1 in order, 10
// streets then 38 departments, with exact names and unique ids.
func TestDefault_Units(t *testing.T) {
	c := mustDefault(t)
	if len(appendix1.streets) != 10 || len(appendix1.departments) != 38 {
		t.Fatalf("appendix1 has %d streets, %d departments", len(appendix1.streets), len(appendix1.departments))
	}
	if len(c.Units) != 48 {
		t.Fatalf("len(Units) = %d, want 48", len(c.Units))
	}
	ids := map[string]bool{}
	for i, u := range c.Units {
		wantName, wantKind := "", config.KindStreet
		if i < 10 {
			wantName = appendix1.streets[i]
		} else {
			wantName, wantKind = appendix1.departments[i-10], config.KindDepartment
		}
		if u.Name != wantName || u.Kind != wantKind {
			t.Errorf("Units[%d] = %s (%s), want %s (%s)", i, u.Name, u.Kind, wantName, wantKind)
		}
		if ids[u.ID] {
			t.Errorf("Units[%d].ID %q is not unique", i, u.ID)
		}
		ids[u.ID] = true
		if u.URL != "" {
			t.Errorf("Units[%d].URL = %q, want empty in the default", i, u.URL)
		}
	}
}

// Ensure that the default's key areas are as documented in default.yaml.
func TestDefault_KeyAreas(t *testing.T) {
	c := mustDefault(t)
	tests := map[string][]string{
		"xinqi":                   {"budget", "public_welfare", "major_projects"},
		"audit":                   {"budget"},
		"finance":                 {"budget", "gov_debt"},
		"public_resources_center": {"budget", "public_resources"},
		"ecology":                 {"budget", "environment", "law_enforcement"},
		"development_reform":      {"budget", "major_projects"},
		"pboc_beilun":             {"law_enforcement"},
	}
	for id, want := range tests {
		u, ok := c.UnitByID(id)
		if !ok {
			t.Errorf("UnitByID(%s) not found", id)
			continue
		}
		if got := c.KeyAreasOf(u); !slices.Equal(got, want) {
			t.Errorf("KeyAreasOf(%s) = %v, want %v", id, got, want)
		}
	}
	for _, u := range c.Units {
		if u.ID != "pboc_beilun" && !slices.Contains(c.KeyAreasOf(u), "budget") {
			t.Errorf("KeyAreasOf(%s) = %v, want budget among them", u.ID, c.KeyAreasOf(u))
		}
	}
	if _, ok := c.UnitByID("nowhere"); ok {
		t.Error("UnitByID(nowhere) found a unit")
	}
}

// Ensure that the default rubric is appendix 2: 17 items worth 100 points,
// split 45/10/10/5/15/15 over the 一级指标, fed only by known checks, and
// that every check ID feeds some item or deduction.
func TestDefault_Rubric(t *testing.T) {
	c := mustDefault(t)
	r := c.Rubric
	var total float64
	byCategory := map[string]float64{}
	fed := map[string]bool{}
	known := config.CheckIDs()
	ref := func(where, ref string) {
		if prefix, ok := strings.CutSuffix(ref, "*"); ok {
			for _, id := range known {
				if strings.HasPrefix(id, prefix) {
					fed[id] = true
				}
			}
			return
		}
		if !slices.Contains(known, ref) {
			t.Errorf("%s: check %q is not in CheckIDs()", where, ref)
		}
		fed[ref] = true
	}
	for _, it := range r.Items {
		total += it.Points
		byCategory[it.Category] += it.Points
		if it.Content == "" || it.Method == "" {
			t.Errorf("item %s lacks content or method", it.ID)
		}
		for _, ch := range it.Checks {
			ref("item "+it.ID, ch)
		}
	}
	for _, d := range r.Deductions {
		for _, ch := range d.Checks {
			ref("deduction "+d.ID, ch)
		}
	}
	if total != 100 {
		t.Errorf("rubric points sum to %v, want 100", total)
	}
	wantCat := map[string]float64{"主动公开": 45, "载体建设": 10, "政策解读": 10, "舆情回应": 5, "依申请公开": 15, "基础工作": 15}
	for k, v := range wantCat {
		if byCategory[k] != v {
			t.Errorf("category %s = %v points, want %v", k, byCategory[k], v)
		}
	}
	for _, id := range known {
		if !fed[id] {
			t.Errorf("check %s feeds no rubric item or deduction", id)
		}
	}
	if len(r.Deductions) != 5 || len(r.Bonuses) != 2 {
		t.Errorf("%d deductions, %d bonuses, want 5, 2", len(r.Deductions), len(r.Bonuses))
	}
	for _, d := range r.Deductions {
		if strings.Contains(d.Text, "单次扣3分，2次以上扣5分") && (d.Points != 3 || d.Max != 5) {
			t.Errorf("deduction %s = %v max %v, want 3 max 5", d.ID, d.Points, d.Max)
		}
	}
}

// Ensure that Default returns an independent copy each call.
func TestDefault_Fresh(t *testing.T) {
	a, b := mustDefault(t), mustDefault(t)
	a.Units[0].Name = "changed"
	a.Columns["guide"][0] = "changed"
	a.KeyAreas["street"] = nil
	if b.Units[0].Name == "changed" || b.Columns["guide"][0] == "changed" || b.KeyAreas["street"] == nil {
		t.Error("changing one Default() result changed another")
	}
}

// Ensure that Marshal's output parses back to the same configuration.
func TestMarshal_RoundTrip(t *testing.T) {
	good, err := config.Load("testdata/good.yml")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []*config.Config{mustDefault(t), good} {
		out, err := c.Marshal()
		if err != nil {
			t.Fatalf("Marshal() error: %v", err)
		}
		c2, err := config.Parse("shown.yml", out)
		if err != nil {
			t.Fatalf("Parse(Marshal()) error: %v\n%s", err, out)
		}
		out2, err := c2.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out, out2) {
			t.Errorf("Marshal(Parse(Marshal())) differs:\n%s\nwant\n%s", out2, out)
		}
		if !bytes.Contains(out, []byte("unit_budget: 10m")) && c.Source == "" {
			t.Errorf("Marshal() writes unit_budget as %q", out)
		}
	}
}

// Ensure that Validate reports problems introduced in code, naming the key.
func TestValidate_Programmatic(t *testing.T) {
	c := mustDefault(t)
	if err := c.Validate(); err != nil {
		t.Fatalf("Validate(default) = %v", err)
	}
	c.Units[3].URL = "www.example.gov.cn"
	c.Rubric.Items[0].Mode = "automatic"
	err := c.Validate()
	if err == nil {
		t.Fatal("Validate() = nil, want errors")
	}
	for _, want := range []string{`units[3].url: "www.example.gov.cn" 不是完整的 http(s) 网址`, `rubric.items[0].mode: "automatic" 不是评分方式：只能是 auto、manual、mixed 之一`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Validate() = %v, want it to contain %s", err, want)
		}
	}
}

// Ensure that CheckIDs lists the DESIGN.md IDs and the default key areas.
func TestCheckIDs(t *testing.T) {
	ids := config.CheckIDs()
	for _, want := range []string{"site.reachable", "org.info", "newmedia.links", "keyarea.budget", "keyarea.services"} {
		if !slices.Contains(ids, want) {
			t.Errorf("CheckIDs() lacks %s", want)
		}
	}
	if got, want := len(ids), 19+4+9; got != want { // DESIGN.md: 19 disclosure and health, 4 monitoring (content.serious_error, privacy.personal_info, site.identity, link.suspicious), 9 key areas
		t.Errorf("len(CheckIDs()) = %d, want %d", got, want)
	}
	if got, want := mustDefault(t).CheckIDs(), ids; !slices.Equal(got, want) {
		t.Errorf("Default().CheckIDs() = %v, want %v", got, want)
	}
}

func FuzzParse(f *testing.F) {
	seedConfigs(f)
	f.Add([]byte("units: &a [*a]"))
	f.Add([]byte("crawl: {<<: {delay: 1s}}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := config.Parse("fuzz.yml", data)
		if err != nil {
			if err.Error() == "" {
				t.Error("empty error message")
			}
			return
		}
		out, err := c.Marshal()
		if err != nil {
			t.Fatalf("Marshal() error: %v", err)
		}
		if _, err := config.Parse("shown.yml", out); err != nil {
			t.Fatalf("Parse(Marshal()) error: %v\n%s", err, out)
		}
	})
}

func mustDefault(t *testing.T) *config.Config {
	t.Helper()
	c, err := config.Default()
	if err != nil {
		t.Fatalf("Default() error: %v", err)
	}
	return c
}

// Ensure that a time zone with no schedule after it is an error, not a
// panic (robfig/cron v3.0.1 panics on it; found by FuzzParse).
func TestParse_CronTZOnly(t *testing.T) {
	for _, spec := range []string{"CRON_TZ=00", "TZ=Asia/Shanghai", "CRON_TZ=Asia/Shanghai  "} {
		_, err := config.Parse("tz.yml", []byte("schedule: \""+spec+"\"\n"))
		want := `tz.yml:1: schedule: "` + spec + `" 不是有效的 cron 表达式（时区后面缺少时间，例如 CRON_TZ=Asia/Shanghai 0 2 * * *）：请写 5 个字段“分 时 日 月 周”，例如 "0 2 * * *"`
		if err == nil || err.Error() != want {
			t.Errorf("Parse(schedule %q) error = %v, want %s", spec, err, want)
		}
	}
}

// Ensure that a file with two YAML documents is rejected rather than half read.
func TestParse_TwoDocuments(t *testing.T) {
	_, err := config.Parse("two.yml", []byte("year: 2019\n---\nyear: 2020\n"))
	if want := "two.yml:2: 文件中有第二个 YAML 文档（--- 之后）：请把设置合并到一个文档中，删去 ---"; err == nil || err.Error() != want {
		t.Errorf("Parse(two documents) error = %v, want %s", err, want)
	}
}

// Ensure that the default probes as 国办秘函〔2019〕19号 measures (hourly,
// 15 s) with a 6 h run deadline, and that every: 0 turns probing off.
func TestProbeAndRunDeadline(t *testing.T) {
	c, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	if c.Probe.Every.D() != time.Hour || c.Probe.Timeout.D() != 15*time.Second || c.RunDeadline.D() != 6*time.Hour {
		t.Errorf("default probe = %+v, run_deadline = %s; want every 1h, timeout 15s, 6h", c.Probe, c.RunDeadline)
	}
	off, err := config.Parse("off.yml", []byte("probe: {every: 0}\n"))
	if err != nil {
		t.Fatalf("Parse(every: 0) = %v", err)
	}
	if off.Probe.Every != 0 || off.Probe.Timeout.D() != 15*time.Second {
		t.Errorf("every: 0 gives %+v, want every 0 and the default timeout", off.Probe)
	}
}

// Ensure that Load rejects a file that sets nothing (Parse of no data gives
// the default, a named file with nothing in it is a mistake).
func TestLoad_EmptyFileRejected(t *testing.T) {
	dir := t.TempDir()
	for _, text := range []string{"", "\n\n", "# only a comment\n", "{}\n", "---\n", "~\n"} {
		path := filepath.Join(dir, "c.yaml")
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := config.Load(path); err == nil || !strings.Contains(err.Error(), path+": 文件中没有任何设置") {
			t.Errorf("Load(%q) error = %v, want the file named as empty", text, err)
		}
	}
}

// Ensure that two units with one entry URL are an error naming both, with
// the URL normalised (scheme and host case, default port, trailing slash,
// index page, fragment), and that different paths or queries are not.
func TestValidate_DuplicateUnitURL(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		dup  bool
	}{
		{"http://h.gov.cn/col/col1/", "http://H.GOV.CN/col/col1", true},
		{"http://h.gov.cn:80/col/col1/index.html", "http://h.gov.cn/col/col1/", true},
		{"https://h.gov.cn/", "https://h.gov.cn/index.shtml#top", true},
		{"http://h.gov.cn/col/col1/", "http://h.gov.cn/col/col2/", false},
		{"http://h.gov.cn/list?id=1", "http://h.gov.cn/list?id=2", false},
		{"http://h.gov.cn/", "https://h.gov.cn/", false},
	} {
		yaml := "units:\n  - {id: a, name: 甲, kind: street, url: '" + tt.a + "'}\n  - {id: b, name: 乙, kind: street, url: '" + tt.b + "'}\n"
		_, err := config.Parse("c.yml", []byte(yaml))
		if got := err != nil && strings.Contains(err.Error(), "c.yml:3: units[1].url: 单位 b（乙）") && strings.Contains(err.Error(), "c.yml:2 units[0] 单位 a（甲）"); got != tt.dup {
			t.Errorf("%s and %s: Parse error %v, want duplicate %v", tt.a, tt.b, err, tt.dup)
		}
	}
}

// Ensure that CheckURLs names each unit without a url by file and line, and
// counts those past the first five.
func TestCheckURLs_NamesUnitsWithoutURL(t *testing.T) {
	c, err := config.Parse("c.yml", []byte("units:\n  - {id: a, name: 甲, kind: street, url: 'http://a.gov.cn/'}\n  - {id: b, name: 乙, kind: street}\n"))
	if err != nil {
		t.Fatal(err)
	}
	err = c.CheckURLs(c.Units)
	if err == nil || err.Error() != "c.yml:3: units[1]: 单位 b（乙）没有 url：gkaudit audit 和 serve 从每个单位的入口网址开始检查，请填写它的 url" {
		t.Errorf("CheckURLs = %v", err)
	}
	d, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	if err := d.CheckURLs(d.Units); err == nil || strings.Count(err.Error(), "\n") != 5 || !strings.Contains(err.Error(), "另有 43 个单位也没有 url") {
		t.Errorf("CheckURLs(default) = %v, want five units and a count of the rest", err)
	}
	if err := d.CheckURLs(nil); err != nil {
		t.Errorf("CheckURLs(nil) = %v", err)
	}
}

// Ensure that loading any file never panics: a file that is not a valid
// config is an error that names the file, every line of it saying where
// (file:line) when the problem has a place; a valid one validates again
// after a round trip.
func FuzzLoad(f *testing.F) {
	seedConfigs(f)
	f.Add([]byte("crawl:\n  allow_networks: [127.0.0.0/8, \"::1/128\", 10.0.0.0/33]\n"))
	f.Add([]byte("units:\n  - {id: a, name: 甲, kind: street, url: \"http://h/col/col1/index.html\", scope: [\"/art/**/art_1_*.html\"]}\n"))
	f.Add([]byte("\xef\xbb\xbfdistrict: \xa5\n"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "fuzz.yml")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := config.Load(path)
		if err != nil {
			msg := err.Error()
			if msg == "" || !strings.Contains(msg, path) {
				t.Errorf("Load error %q does not name the file", msg)
			}
			return
		}
		if err := c.Validate(); err != nil {
			t.Errorf("loaded config fails Validate: %v", err)
		}
	})
}

// Ensure that a bad cron spec's cause is said in Chinese (robfig/cron words
// it in English), naming the field at fault.
func TestParse_CronCauseEnglish(t *testing.T) {
	tests := []struct{ spec, want string }{
		{"0 25 * * *", "（25 超过最大值 23）"},
		{"0 1-25 * * *", "（1-25 中的 25 超过最大值 23）"},
		{"0 2 * *", "（应有 5 个字段，实际有 4 个：[0 2 * *]）"},
		{"x 2 * * *", "（x 不是数字）"},
		{"CRON_TZ=Mars/Base 0 2 * * *", "（没有时区 Mars/Base，请写如 Asia/Shanghai）"},
		{"0 2 */0 * *", "（*/0 的步长应为正数）"},
		{"@weekly2", "（没有 @weekly2 这种写法，可用 @daily、@hourly 等）"},
	}
	for _, tt := range tests {
		_, err := config.Parse("c.yml", []byte("schedule: \""+tt.spec+"\"\n"))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(schedule %q) error = %v, want it to contain %s", tt.spec, err, tt.want)
		}
	}
}

// seedConfigs adds every test config and the default to f's corpus.
func seedConfigs(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.yml")
	files = append(files, "default.yaml")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

// Ensure that Line names the line of a mapping key (a term key, a by_check
// entry), of a list element and of a value inside one, in the file that set
// it, and 0 for what no file set.
func TestLine(t *testing.T) {
	data := []byte("terms:\n  org.info.address:\n    - 地址\n    - 办公地址\nrectification:\n  by_check:\n    site.reachable: 5\nrubric:\n  year: 2019\n")
	c, err := config.Parse("mine.yml", data)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		keys []any
		file string
		line int
	}{
		{[]any{"terms", "org.info.address"}, "mine.yml", 2},
		{[]any{"terms", "org.info.address", 1}, "mine.yml", 4},
		{[]any{"rectification", "by_check", "site.reachable"}, "mine.yml", 7},
		{[]any{"rubric", "year"}, "mine.yml", 9},
		{[]any{"rubric", "items", 0, "checks", 0}, "default.yaml", -1}, // set by the default only: a line there
		{[]any{"terms", "nowhere"}, "mine.yml", 0},
	}
	for _, tt := range tests {
		file, line := c.Line(tt.keys...)
		if file != tt.file || tt.line >= 0 && line != tt.line || tt.line < 0 && line <= 0 {
			t.Errorf("Line(%v) = %s:%d, want %s:%d (-1: any line)", tt.keys, file, line, tt.file, tt.line)
		}
	}
	err = c.KeyError("terms", "没有词表键 x", "terms", "org.info.address")
	if got, want := err.Error(), "mine.yml:2: terms: 没有词表键 x"; got != want {
		t.Errorf("KeyError() = %q, want %q", got, want)
	}
}
