package sim

import (
	"time"

	"gkaudit/config"
)

// colKind is what a column holds, in the sim's own terms.
type colKind string

// Column kinds of a unit's disclosure column.
const (
	kOrg       colKind = "org"       // single page: 机构信息
	kLeaders   colKind = "leaders"   // single page: 领导信息 (split org variant)
	kGuide     colKind = "guide"     // single page or a one-item list: 公开指南
	kRules     colKind = "rules"     // 政府信息公开制度
	kCatalog   colKind = "catalog"   // 法定主动公开内容 / 政府信息公开目录: lists catalogued documents
	kReport    colKind = "report"    // 政府信息公开年报
	kPolicy    colKind = "policy"    // 政策文件 / 规范性文件
	kInterp    colKind = "interp"    // 政策解读
	kApply     colKind = "apply"     // single page: 依申请公开
	kConsult   colKind = "consult"   // 征求意见
	kNews      colKind = "news"      // 工作动态
	kNotice    colKind = "notice"    // 通知公告
	kPlan      colKind = "plan"      // 规划计划
	kPersonnel colKind = "personnel" // 人事信息
	kStats     colKind = "stats"     // 统计信息 and similar untyped lists
	kKeyArea   colKind = "keyarea"   // a key-area column; column.area says which
)

// single reports whether the column is one page rather than a list of items.
func (k colKind) single() bool { return k == kOrg || k == kLeaders || k == kApply }

// catalogued reports whether the column's items are listed in the catalog and
// carry the full metadata block.
func (k colKind) catalogued() bool {
	switch k {
	case kPolicy, kNotice, kPlan, kPersonnel, kConsult, kKeyArea:
		return true
	}
	return false
}

// staleDays is the update interval the inspection indicators give the column
// kind (0: not judged for staleness).
func (k colKind) staleDays() int {
	switch k {
	case kNews:
		return 14
	case kNotice, kPolicy:
		return 180
	case kPlan, kPersonnel:
		return 365
	}
	return 0
}

// unitSite is one unit's generated website.
type unitSite struct {
	u     config.Unit
	idx   int
	areas []string // required key areas
	own   bool     // own host (TRS paths) rather than the shared portal (Hanweb paths)
	tpl   int      // markup template 0..2
	enc   encMode
	trap  trapKind
	def   defects
	v     variants
	h     *host // nil for trap units

	abbr  string // 文号 prefix, e.g. 仑财
	code  string // 索引号 prefix
	entry string // path of the entry page
	cols  []*column
	items []*item // every article, in creation order
	extra []extraPage
}

// column is one sub-column of a unit's disclosure column.
type column struct {
	kind     colKind
	area     string // key area id for kKeyArea
	name     string
	id       int    // Hanweb column id (portal units)
	slug     string // TRS directory (own-host units)
	path     string // first page
	items    []*item
	pageSize int
	guideDoc bool // guide column: a list with one article rather than the guide itself
}

// item is one article.
type item struct {
	col       *column
	seq       int
	title     string
	date      time.Time // published
	written   time.Time // 成文日期
	path      string
	docNo     string
	index     string
	publisher string
	validity  validity
	meta      metaDefect
	pair      *item // the 解读 of a document, or the document of a 解读
	noLink    bool  // this page lacks its link to pair
	attach    []attachment
	year      int  // annual report: the year reported on
	badSects  bool // annual report lacking Art. 50 sections
	deleted   bool // listed but serves 404
	fails500  bool // listed but serves 500
	topic     string
	forGuide  bool // the guide article of a guide list column
	extraLink string

	// Monitoring content (wording.go): a sentence with a protected term,
	// misspelt when wordingBad; a list of people shown as privacy says.
	wording    string
	wordingBad bool
	privacy    int
	people     []person3
}

type attachment struct {
	name    string
	path    string
	missing bool
	body    []byte // the file served, when not a stand-in (wording.go)
}

// validity is how a policy document states whether it is in force.
type validity int

const (
	valNone     validity = iota // no label: policy.validity defect
	valEmpty                    // label with empty value: defect
	valValid                    // 有效性：有效
	valCurrent                  // 时效性：现行有效
	valDates                    // 生效时间 + 废止时间
	valRepealed                 // 有效性：已废止
)

// metaDefect is a catalogued document's missing or empty metadata field.
type metaDefect int

const (
	metaOK metaDefect = iota
	metaNoIndex
	metaEmptyDocNo
	metaNoDocNo
	metaEmptyPublisher
)

// extraPage is a page outside the column structure: the apply form, the
// calendar, trap pages.
type extraPage struct {
	path string
	kind string
}

type encMode int

const (
	encUTF8        encMode = iota
	encGBKHeader           // Content-Type: text/html; charset=gbk and a matching meta
	encGBKEquiv            // bare text/html, <meta http-equiv ... charset=gb2312>
	encGBKMetaOnly         // bare text/html, <meta charset="gbk">
)

type trapKind int

const (
	trapNone trapKind = iota
	trapUnreachable
	trapHanging
)
