package config_test

import (
	"slices"
	"testing"
	"time"

	"gkaudit/config"
	"gkaudit/workday"
)

// Ensure that the default calendar has every year from 2019 to 2026 and
// that each year's data adds up: the weekdays taken off, less the weekend
// days worked, are the statutory holidays of 《全国年节及纪念日放假办法》
// (11 days; 13 from 2025), since holidays that fall on a weekend are made
// up. 2020 has 2 more: 国办发明电〔2020〕1号 extended 春节 by Friday 31
// January and the Saturday 1 February that was to be worked.
func TestDefault_Calendar(t *testing.T) {
	cal := mustDefault(t).Calendar()
	if cal == nil {
		t.Fatal("Default().Calendar() = nil")
	}
	var weekendsOnly *workday.Calendar
	want := map[int]int{2019: 11, 2020: 13, 2021: 11, 2022: 11, 2023: 11, 2024: 11, 2025: 13, 2026: 13}
	for y := 2015; y <= 2030; y++ {
		n, covered := want[y]
		if got := cal.Covers(y); got != covered {
			t.Errorf("Covers(%d) = %v, want %v", y, got, covered)
		}
		from, to := date(y-1, 12, 31), date(y, 12, 31)
		if got := weekendsOnly.WorkdaysBetween(from, to) - cal.WorkdaysBetween(from, to); got != n {
			t.Errorf("%d: %d statutory holidays on the calendar, want %d", y, got, n)
		}
	}
}

// Ensure that the default calendar gives the deadlines of DESIGN.md: a
// notice of 2019-09-25 with 10 working days is due 2019-10-14, after 国庆
// and its two 调休 days.
func TestDefault_CalendarDeadlines(t *testing.T) {
	c := mustDefault(t)
	cal := c.Calendar()
	tests := []struct {
		from time.Time
		n    int
		want time.Time
	}{
		{date(2019, 9, 25), c.DeadlineWorkdays("org.info"), date(2019, 10, 14)},
		{date(2020, 1, 22), 3, date(2020, 2, 4)},  // 春节 2020 as extended
		{date(2024, 2, 8), 1, date(2024, 2, 9)},   // 除夕 2024 is a working day: the notice only encourages leave
		{date(2024, 2, 9), 1, date(2024, 2, 18)},  // the Sunday after 春节 is worked
		{date(2025, 1, 27), 1, date(2025, 2, 5)},  // 春节 2025 from 除夕
		{date(2026, 12, 31), 1, date(2027, 1, 1)}, // 2027 has no data
	}
	for _, tt := range tests {
		if got := cal.AddWorkdays(tt.from, tt.n); !got.Equal(tt.want) {
			t.Errorf("AddWorkdays(%s, %d) = %s, want %s", tt.from.Format("2006-01-02"), tt.n, got.Format("2006-01-02"), tt.want.Format("2006-01-02"))
		}
	}
	if got := cal.Missing(date(2026, 12, 1), date(2027, 1, 15)); !slices.Equal(got, []int{2027}) {
		t.Errorf("Missing(2026-12-01, 2027-01-15) = %v, want [2027]", got)
	}
}

// Ensure that a user's file replaces a year whole and adds years, keeping
// the default's other years.
func TestLoad_CalendarOverride(t *testing.T) {
	c, err := config.Load("testdata/good.yml")
	if err != nil {
		t.Fatal(err)
	}
	cal := c.Calendar()
	tests := []struct {
		day  time.Time
		want bool
		why  string
	}{
		{date(2019, 10, 8), false, "the file's 2019 extends 国庆 by a day"},
		{date(2019, 9, 29), false, "the default's 调休 Sunday is gone with its 2019"},
		{date(2019, 2, 5), true, "the default's 春节 2019 is gone too"},
		{date(2020, 1, 24), false, "the default's 2020 stays"},
		{date(2027, 2, 8), false, "the file adds 2027"},
	}
	for _, tt := range tests {
		if got := cal.IsWorkday(tt.day); got != tt.want {
			t.Errorf("IsWorkday(%s) = %v, want %v (%s)", tt.day.Format("2006-01-02"), got, tt.want, tt.why)
		}
	}
	if !cal.Covers(2027) || !cal.Covers(2026) {
		t.Errorf("Covers(2026, 2027) = %v, %v, want true, true", cal.Covers(2026), cal.Covers(2027))
	}
}

// Ensure that a check's deadline is its own entry, else its longest prefix,
// else the default.
func TestDeadlineWorkdays(t *testing.T) {
	good, err := config.Load("testdata/good.yml")
	if err != nil {
		t.Fatal(err)
	}
	def := mustDefault(t)
	tests := []struct {
		c     *config.Config
		check string
		want  int
	}{
		{def, "org.info", 10},
		{def, "keyarea.budget", 10},
		{good, "site.reachable", 3},
		{good, "keyarea.budget", 5},        // the ID wins over keyarea.*
		{good, "keyarea.services", 20},     // keyarea.*
		{good, "guide.elements", 15},       // deadline_workdays
		{good, "site.reachable.x", 15},     // an ID is not a prefix
		{&config.Config{}, "org.info", 10}, // built in code: the documented default
	}
	for _, tt := range tests {
		if got := tt.c.DeadlineWorkdays(tt.check); got != tt.want {
			t.Errorf("DeadlineWorkdays(%s) = %d, want %d", tt.check, got, tt.want)
		}
	}
}

// Ensure that the notice settings have their defaults and fill in a 文号.
func TestNotice(t *testing.T) {
	n := mustDefault(t).Notice
	if n.Issuer != "北仑区政务公开工作领导小组办公室" || n.Contact != "" || len(n.CC) != 0 {
		t.Errorf("default Notice = %+v", n)
	}
	if got, want := n.Number(2019, 3), "仑政公办〔2019〕3号"; got != want {
		t.Errorf("Number(2019, 3) = %q, want %q", got, want)
	}
	good, err := config.Load("testdata/good.yml")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := good.Notice.Number(2027, 12), "示政公〔2027〕第12号"; got != want {
		t.Errorf("Number(2027, 12) = %q, want %q", got, want)
	}
	if !slices.Equal(good.Notice.CC, []string{"区政府办公室", "区委宣传部"}) {
		t.Errorf("CC = %v", good.Notice.CC)
	}
}

func date(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.FixedZone("CST", 8*3600))
}
