package checks

import (
	"strings"
	"testing"
	"time"

	"gkaudit/cndate"
	"gkaudit/config"
	"gkaudit/site"
)

// Ensure that the thresholds of a nil config are the embedded default's,
// that a loaded file's values win, and that a config built in code keeps the
// default for what it leaves at an invalid zero but takes its 0 working days.
func TestParamsOf(t *testing.T) {
	def, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParamsOf(nil)
	if err != nil {
		t.Fatal(err)
	}
	th := def.Thresholds
	if p.StaleDays["news"] != th.StaleDays["news"] || p.InterpretationDelayWorkdays != th.InterpretationDelayWorkdays ||
		p.VolumeLowRatio != th.VolumeLowRatio || p.VolumeLowMinPeers != th.VolumeLowMinPeers ||
		p.AvailabilityVetoPercent != th.AvailabilityVetoPercent || p.AvailabilityMinProbes != th.AvailabilityMinProbes ||
		p.SoftNotFoundMaxRunes != th.SoftNotFoundMaxRunes || p.PrivacyMinListMobiles != th.PrivacyMinListMobiles ||
		p.EmptyColumnContentRunes != th.EmptyColumnContentRunes {
		t.Errorf("ParamsOf(nil) = %+v, want the embedded default's %+v", p, th)
	}
	if due, want := p.ReportDue(2019), time.Date(2020, 1, 31, 0, 0, 0, 0, cndate.Shanghai); !due.Equal(want) {
		t.Errorf("ReportDue(2019) = %v, want %v Beijing time", due, want)
	}

	cfg, err := config.Parse("mine.yml", []byte("thresholds:\n  stale_days: {news: 7}\n  interpretation_delay_workdays: 0\n  annual_report_deadline: \"03-31\"\n  availability_veto_percent: 10\n  soft_not_found_max_runes: 80\n"))
	if err != nil {
		t.Fatal(err)
	}
	p, err = ParamsOf(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if p.StaleDays["news"] != 7 || p.StaleDays["notice"] != th.StaleDays["notice"] || p.InterpretationDelayWorkdays != 0 ||
		p.AvailabilityVetoPercent != 10 || p.SoftNotFoundMaxRunes != 80 || p.ReportDeadlineMonth != time.March || p.ReportDeadlineDay != 31 {
		t.Errorf("ParamsOf(mine.yml) = %+v, want news 7 over the default's notice, delay 0, 03-31, 10%%, 80", p)
	}

	inCode := &config.Config{Thresholds: config.Thresholds{InterpretationDelayWorkdays: 5}}
	p, err = ParamsOf(inCode)
	if err != nil {
		t.Fatal(err)
	}
	if p.InterpretationDelayWorkdays != 5 || p.VolumeLowRatio != th.VolumeLowRatio || len(p.StaleDays) != len(th.StaleDays) || p.AvailabilityMinProbes != th.AvailabilityMinProbes {
		t.Errorf("ParamsOf(built in code) = %+v, want delay 5 and the default for the rest", p)
	}
	inCode.Thresholds.AnnualReportDeadline = "31-01"
	if _, err := ParamsOf(inCode); err == nil || !strings.Contains(err.Error(), "MM-DD") {
		t.Errorf("ParamsOf(bad deadline) error = %v, want one naming MM-DD", err)
	}
}

// Ensure that site.reachable judges by the Params of its Env: resolved
// Params win over the Config's, and without Params the Config's apply.
func TestParams_Env(t *testing.T) {
	s := &site.Snapshot{Entry: "http://gov.example/", Pages: []*site.Page{{URL: "http://gov.example/", Status: 200}}}
	av := Availability{Total: 20, Failed: 1} // 5%
	lenient, err := config.Parse("lenient.yml", []byte("thresholds:\n  availability_veto_percent: 10\n"))
	if err != nil {
		t.Fatal(err)
	}
	lenientParams, err := ParamsOf(lenient)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		env  Env
		want Status
	}{
		{"no config: the default 5%", Env{Availability: av}, Fail},
		{"config at 10%", Env{Availability: av, Config: lenient}, Pass},
		{"resolved params at 10%", Env{Availability: av, Params: lenientParams}, Pass},
		{"resolved default params over a config at 10%", Env{Availability: av, Config: lenient, Params: paramsFor(nil)}, Fail},
		{"Run resolves the config's", Env{Availability: av, Config: lenient}.withParams(), Pass},
	}
	for _, tt := range tests {
		if got := SiteReachable(s, tt.env); len(got) != 1 || got[0].Status != tt.want {
			t.Errorf("%s: SiteReachable = %+v, want %s", tt.name, got, tt.want)
		}
	}
}

// Ensure that a misspelt or empty term key and an unknown check ID are
// rejected naming file:line and key, in Chinese with what to do, and that
// the default config and a valid file pass.
func TestValidateConfig(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string // substrings of the error; none: valid
	}{
		{"default", "", nil},
		{"known term key", "terms:\n  org.info.address: [办公地址, 地址]\n", nil},
		{"misspelt term key", "district: x\nterms:\n  org.info.adress: [地址]\n",
			[]string{"bad.yml:3: terms: 没有词表键 org.info.adress：没有检查项读取它，是不是 org.info.address？请改正拼写或删去（gkaudit checks --terms 列出全部词表键）"}},
		{"unknown term key, nothing near", "terms:\n  nothing.like.it: [x]\n",
			[]string{"bad.yml:2: terms: 没有词表键 nothing.like.it：没有检查项读取它，请改正拼写或删去"}},
		{"empty term list", "terms:\n  org.info.address: []\n",
			[]string{"bad.yml:2: terms.org.info.address: 词表为空：请至少列出一个词语，或删去这个键以使用默认词表"}},
		{"blank word", "terms:\n  org.info.address:\n    - 地址\n    - \" \"\n",
			[]string{"bad.yml:4: terms.org.info.address[1]: 不能为空：请填写词语，或删去这一项"}},
		{"unknown check in rectification.by_check", "rectification:\n  by_check:\n    site.reachble: 5\n",
			[]string{`bad.yml:3: rectification.by_check.site.reachble: 没有检查项 ID "site.reachble"：请改正拼写（gkaudit checks 列出全部检查项）`}},
		{"unknown check in veto", "thresholds:\n  veto:\n    - {id: empty_columns, name: 空白栏目, check: column.emtpy, min: 5}\n",
			[]string{`bad.yml:3: thresholds.veto[0].check: 没有检查项 ID "column.emtpy"`}},
		{"two problems at once", "terms:\n  org.info.adress: [地址]\n  guide.present.wrods: [指南]\n",
			[]string{"bad.yml:2: terms: 没有词表键 org.info.adress", "bad.yml:3: terms: 没有词表键 guide.present.wrods：没有检查项读取它，是不是 guide.present.words？"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var cfg *config.Config
			var err error
			if tt.yaml == "" {
				cfg, err = config.Default()
			} else {
				cfg, err = config.Parse("bad.yml", []byte(tt.yaml))
			}
			if err == nil {
				err = ValidateConfig(cfg)
			}
			switch {
			case len(tt.want) == 0 && err != nil:
				t.Errorf("error = %v, want none", err)
			case len(tt.want) > 0 && err == nil:
				t.Errorf("no error, want %q", tt.want)
			}
			for _, w := range tt.want {
				if err != nil && !strings.Contains(err.Error(), w) {
					t.Errorf("error =\n%v\nwant it to contain\n%s", err, w)
				}
			}
		})
	}
}

// Ensure that a config built in code is validated too, its errors naming
// the key without a line.
func TestValidateConfig_InCode(t *testing.T) {
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Terms = map[string][]string{"org.info.adress": {"地址"}}
	err = ValidateConfig(cfg)
	if err == nil || !strings.HasPrefix(err.Error(), "terms: 没有词表键 org.info.adress：") {
		t.Errorf("ValidateConfig(in code) = %v, want terms: 没有词表键 org.info.adress：…", err)
	}
}

// Ensure that config's check IDs are those of the registered rules: config
// validates the rubric, rectification and veto against its list.
func TestValidateConfig_IDsAgree(t *testing.T) {
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	if errs := validateIDs(cfg); len(errs) > 0 {
		t.Errorf("validateIDs = %v", errs)
	}
}
