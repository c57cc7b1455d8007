package config

import (
	"time"
)

// Config is the effective configuration: the embedded default with a user's
// file decoded over it.
type Config struct {
	District string `yaml:"district"`
	Year     int    `yaml:"year"` // the assessment year
	Units    []Unit `yaml:"units"`
	Crawl    Crawl  `yaml:"crawl"`
	Schedule string `yaml:"schedule"` // robfig/cron spec, e.g. "CRON_TZ=Asia/Shanghai 0 2 * * *"
	// RunDeadline bounds one run of gkaudit serve: a run still going then
	// is stopped and left incomplete.
	RunDeadline Duration `yaml:"run_deadline"`
	// Probe is the availability monitoring gkaudit serve does between runs.
	Probe Probe `yaml:"probe"`
	// Revisit is how often a re-run confirms pages it could carry forward.
	Revisit Revisit `yaml:"revisit"`
	// KeyAreas lists the key-area ids required of each unit kind (street,
	// department) when a unit does not list its own.
	KeyAreas map[string][]string `yaml:"key_areas"`
	// Columns maps a canonical column kind (org_info, guide, catalog,
	// annual_report, policy, interpretation, apply, keyarea.budget, ...) to the
	// link or breadcrumb texts real sites use for it.
	Columns map[string][]string `yaml:"columns"`
	Rubric  Rubric              `yaml:"rubric"`
	// Thresholds are the limits the checks judge by.
	Thresholds Thresholds `yaml:"thresholds"`
	// Terms overrides the word lists of the checks: a key such as
	// "guide.elements.fax" (see `gkaudit checks` for every key and its default)
	// maps to the words that satisfy it. Keys left out keep their defaults.
	Terms map[string][]string `yaml:"terms,omitempty"`
	// CalendarYears is the working-day calendar as data: per year, the
	// public holidays and the adjusted working days (调休) of the State
	// Council's annual holiday notice. Calendar() builds the calendar from it.
	// A year left out counts Monday to Friday.
	CalendarYears map[int]CalendarYear `yaml:"calendar"`
	// Rectification is how long a unit has to fix a problem after a notice.
	Rectification Rectification `yaml:"rectification"`
	// Notice is what the 整改通知 (rectification notices) print.
	Notice Notice `yaml:"notice"`
	// Leaders are the leaders whose names and titles content.serious_error
	// protects (the office keeps the list current): a homophone of a name
	// beside its title, or a name beside another leader's title.
	Leaders []Leader `yaml:"leaders,omitempty"`

	// Source is the file the config was read from ("" for the embedded default).
	Source string `yaml:"-"`

	// srcs are the parsed YAML documents the config came from, the user's
	// file first, so that Validate can name the line of a bad value.
	srcs []source
}

// Thresholds are the limits the checks judge by.
type Thresholds struct {
	// StaleDays maps a column kind (a key of Columns: news, notice, policy,
	// plan, personnel, ...) to the days its newest item may be old
	// (column.stale). Kinds not listed are not judged for staleness.
	StaleDays map[string]int `yaml:"stale_days"`
	// InterpretationDelayWorkdays is how many working days a 解读 may be
	// published after its document (interpretation.sync).
	InterpretationDelayWorkdays int `yaml:"interpretation_delay_workdays"`
	// VolumeLowRatio: a unit's item count below this fraction of the average
	// of units of its kind is 明显低于 (volume.low).
	VolumeLowRatio float64 `yaml:"volume_low_ratio"`
	// AnnualReportDeadline is "MM-DD" in the year after the report's year by
	// which the annual report must be out (report.annual; 条例第四十九条).
	AnnualReportDeadline string `yaml:"annual_report_deadline"`
	// VolumeLowMinPeers is how many reachable units of a kind the average
	// of volume.low needs; with fewer the units are not judged.
	VolumeLowMinPeers int `yaml:"volume_low_min_peers"`
	// AvailabilityVetoPercent: probe failures of this percentage or more
	// over the window are 站点无法访问, a 单项否决 (site.reachable; 国办秘函
	// 〔2019〕19号: 不可访问次数达到监测次数5%). AvailabilityMinProbes is how
	// many probes the ratio needs before it may veto a site.
	AvailabilityVetoPercent int `yaml:"availability_veto_percent"`
	AvailabilityMinProbes   int `yaml:"availability_min_probes"`
	// SoftNotFoundMaxRunes is the longest main text (runes) of a page that
	// answers 200 yet is read as a not-found page by its wording (link.broken).
	SoftNotFoundMaxRunes int `yaml:"soft_not_found_max_runes"`
	// PrivacyMinListMobiles is how many distinct mobile numbers in a list of
	// people are personal data not de-identified (privacy.personal_info).
	PrivacyMinListMobiles int `yaml:"privacy_min_list_mobiles"`
	// EmptyColumnContentRunes is how much text of its own makes a column
	// page that lists no items a content page, not a 空白栏目 (column.empty).
	EmptyColumnContentRunes int `yaml:"empty_column_content_runes"`
	// Veto are the 单项否决 lines the score cards and notices warn of. A
	// user's list replaces the default's whole.
	Veto []VetoRule `yaml:"veto"`
}

// VetoRule is one 单项否决 line of 国办秘函〔2019〕19号 (政府网站与政务新媒体检查
// 指标) that failing findings can reach: Min or more distinct failing
// subjects of Check (of the finding kinds Kinds, when listed; not of those
// in Exclude) put the unit at risk.
type VetoRule struct {
	ID      string   `yaml:"id"`   // stable English id, e.g. empty_columns
	Name    string   `yaml:"name"` // what the indicator says, in Chinese
	Check   string   `yaml:"check"`
	Kinds   []string `yaml:"kinds,omitempty"`
	Exclude []string `yaml:"exclude,omitempty"`
	Min     int      `yaml:"min"`
	// Quote makes the risk's summary its first finding's detail, where the
	// finding states the measure (the availability ratio) better than a count.
	Quote bool `yaml:"quote,omitempty"`
}

// CalendarYear lists one year's exceptions to the Monday-to-Friday week. Each
// date must lie in the year it is listed under: a holiday that spans New
// Year is split between the two years.
type CalendarYear struct {
	Holidays []DateSpan `yaml:"holidays"` // days off (放假), weekends among them or not
	Workdays []DateSpan `yaml:"workdays"` // Saturdays and Sundays worked (调休上班)
}

// DateSpan is one date ("2019-10-12") or a range of dates, both ends
// included ("2019-10-01..2019-10-07"). First and Last are midnight UTC; they
// stand for calendar dates, not instants.
type DateSpan struct {
	First, Last time.Time
}

// Rectification is how long a unit has to fix a problem after a notice
// (DESIGN.md, finding lifecycle: deadline = notice date + these working days,
// on the working-day calendar).
type Rectification struct {
	// DeadlineWorkdays is the working days allowed for any check not in
	// ByCheck.
	DeadlineWorkdays int `yaml:"deadline_workdays"`
	// ByCheck overrides DeadlineWorkdays for a check ID ("site.reachable")
	// or every ID under a prefix ending in ".*" ("keyarea.*"). An exact ID
	// wins over a prefix, a longer prefix over a shorter one.
	ByCheck map[string]int `yaml:"by_check,omitempty"`
}

// Notice is what the audit office's 整改通知 print.
type Notice struct {
	Issuer string `yaml:"issuer"` // 发文机关
	// NumberFormat is the 文号 pattern: {year} is the notice's year, {seq}
	// its sequence number in that year (required).
	NumberFormat string   `yaml:"number_format"`
	Contact      string   `yaml:"contact"` // 联系人及电话, one line; "" prints none
	CC           []string `yaml:"cc"`      // 抄送 organs, in order
}

// Unit is one assessed unit (appendix 1 of the seed).
type Unit struct {
	ID       string   `yaml:"id"`   // stable ASCII id
	Name     string   `yaml:"name"` // exact Chinese name
	Kind     string   `yaml:"kind"` // street | department
	URL      string   `yaml:"url,omitempty"`
	KeyAreas []string `yaml:"key_areas,omitempty"`
	// Scope and Exclude narrow the crawl: URL prefixes, or patterns with * and
	// ** wildcards, that a URL must (Scope) or must not (Exclude) match.
	Scope   []string `yaml:"scope,omitempty"`
	Exclude []string `yaml:"exclude,omitempty"`
	// LinkIgnore lists links (prefixes or patterns, as Exclude) the audit
	// neither requests nor judges for link.broken: a login-only service hall,
	// a partner site that turns crawlers away. Crawl.LinkIgnore adds to it.
	LinkIgnore []string `yaml:"link_ignore,omitempty"`
}

// Leader is one leader and one title (职务) they hold; a leader with several
// titles has one entry for each.
type Leader struct {
	Name  string `yaml:"name"`
	Title string `yaml:"title"`
}

// Unit kinds.
const (
	KindStreet     = "street"
	KindDepartment = "department"
)

// UnitKinds are the kinds a unit may have.
func UnitKinds() []string { return []string{KindStreet, KindDepartment} }

// KindLabel is a unit kind as tables and reports print it (街道, 部门); an
// unknown kind is returned as it is.
func KindLabel(kind string) string {
	switch kind {
	case KindStreet:
		return "街道"
	case KindDepartment:
		return "部门"
	}
	return kind
}

// Crawl is the crawl policy, shared by all units.
type Crawl struct {
	MaxPagesPerUnit int      `yaml:"max_pages_per_unit"`
	MaxDepth        int      `yaml:"max_depth"`
	ParallelPerHost int      `yaml:"parallel_per_host"`
	ParallelUnits   int      `yaml:"parallel_units"` // units crawled at once
	Delay           Duration `yaml:"delay"`          // between requests to one host
	Timeout         Duration `yaml:"timeout"`        // per request
	UnitBudget      Duration `yaml:"unit_budget"`    // wall-clock limit for one unit
	Retries         int      `yaml:"retries"`        // extra tries on transient errors
	MaxBodyBytes    int64    `yaml:"max_body_bytes"`
	Robots          bool     `yaml:"robots"`
	UserAgent       string   `yaml:"user_agent"`
	// AllowNetworks lists the networks (CIDR, e.g. 127.0.0.0/8, ::1/128) a
	// crawl, its link checks and the availability probes may connect to
	// although they are loopback, private, link-local, multicast or CGNAT
	// addresses, which are refused by default (SSRF guard).
	AllowNetworks []string `yaml:"allow_networks,omitempty"`
	// MaxRetryAfter caps how long a host's Retry-After (429/503) pauses it;
	// MaxRefusals is how many 429/503 answers in a row give the host up for
	// the run (see crawler.HostBudget).
	MaxRetryAfter Duration `yaml:"max_retry_after"`
	MaxRefusals   int      `yaml:"max_refusals"`
	// OutboundSample is how many characters of an outbound link's landing
	// page text the crawl keeps (title, keywords, start of the text) for
	// link.suspicious; 0 keeps the default (2000).
	OutboundSample int `yaml:"outbound_sample"`
	// RecheckAfter is how long after a failed page or link its second try
	// waits, at the end of the unit's crawl: a link is judged broken only when
	// both tries fail, so a moment's outage is not a finding.
	RecheckAfter Duration `yaml:"recheck_after"`
	// LinkIgnore is as Unit.LinkIgnore, for every unit.
	LinkIgnore []string `yaml:"link_ignore,omitempty"`
	// MaxAttachments is how many in-scope documents (xlsx, xls, csv, pdf,
	// docx) a unit's crawl fetches to read their text, and
	// MaxAttachmentBytes the largest it reads (a larger one is recorded
	// as truncated, its text unread). 0 MaxAttachments reads none.
	MaxAttachments     int   `yaml:"max_attachments"`
	MaxAttachmentBytes int64 `yaml:"max_attachment_bytes"`
}

// Rubric is the assessment rubric (appendix 2 of the seed) as data.
type Rubric struct {
	Year       int         `yaml:"year"`
	Items      []Item      `yaml:"items"`
	Deductions []Deduction `yaml:"deductions"`
	Bonuses    []Bonus     `yaml:"bonuses"`
}

// Item is one 二级指标 of the rubric.
type Item struct {
	ID       string   `yaml:"id"`       // stable ASCII id, e.g. "org"
	Category string   `yaml:"category"` // 一级指标, e.g. 主动公开
	Name     string   `yaml:"name"`     // 二级指标, e.g. 组织机构
	Points   float64  `yaml:"points"`
	Mode     string   `yaml:"mode"`             // auto | manual | mixed
	Checks   []string `yaml:"checks,omitempty"` // check IDs (or prefixes ending in ".*") that feed it
	Content  string   `yaml:"content"`          // 考核内容, verbatim
	Method   string   `yaml:"method"`           // 考核方式, verbatim
}

// Deduction is one 减分标准 line.
type Deduction struct {
	ID     string   `yaml:"id"`
	Text   string   `yaml:"text"`             // verbatim
	Points float64  `yaml:"points"`           // per occurrence (positive number, subtracted)
	Max    float64  `yaml:"max,omitempty"`    // cap on the total, 0 = none
	Once   bool     `yaml:"once,omitempty"`   // applied at most once
	Mode   string   `yaml:"mode"`             // auto | manual
	Checks []string `yaml:"checks,omitempty"` // check IDs that trigger it
	// From names what else feeds it: "overdue" counts the unit's findings
	// that missed their rectification deadline (finding history).
	From   string `yaml:"from,omitempty"`
	Method string `yaml:"method"`
}

// Deduction sources (Deduction.From).
const FromOverdue = "overdue"

// Bonus is one 加分标准 line.
type Bonus struct {
	ID     string  `yaml:"id"`
	Text   string  `yaml:"text"`
	Points float64 `yaml:"points"`
	Max    float64 `yaml:"max,omitempty"`
	Mode   string  `yaml:"mode"`
	Method string  `yaml:"method"`
}

// Duration is a time.Duration written as "200ms", "20s" in YAML.
type Duration time.Duration

// D returns the value as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// Revisit is the revisit policy of nightly re-runs. List and column pages are
// fetched every run; an article whose list entry (title, date, link) is
// unchanged since the last run is confirmed once every Articles, spread over
// the nights by a hash of its URL, and otherwise carried forward from the
// last run. Zero fetches every article every run.
type Revisit struct {
	Articles Duration `yaml:"articles"`
}
