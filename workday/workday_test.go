package workday_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"gkaudit/workday"
)

var shanghai = time.FixedZone("CST", 8*3600)

// d is a date at midnight in Shanghai time.
func d(y int, m time.Month, day int) time.Time {
	return time.Date(y, m, day, 0, 0, 0, 0, shanghai)
}

// span lists the dates from a to b, both included.
func span(a, b time.Time) []time.Time {
	var out []time.Time
	for x := a; !x.After(b); x = x.AddDate(0, 0, 1) {
		out = append(out, x)
	}
	return out
}

func cat(lists ...[]time.Time) []time.Time { return slices.Concat(lists...) }

// year2019 is 国办发明电〔2018〕15号 with the 劳动节 of 国办发明电〔2019〕3号.
var year2019 = workday.Year{
	Holidays: cat([]time.Time{d(2019, 1, 1)}, span(d(2019, 2, 4), d(2019, 2, 10)), []time.Time{d(2019, 4, 5)},
		span(d(2019, 5, 1), d(2019, 5, 4)), []time.Time{d(2019, 6, 7), d(2019, 9, 13)}, span(d(2019, 10, 1), d(2019, 10, 7))),
	Workdays: []time.Time{d(2019, 2, 2), d(2019, 2, 3), d(2019, 4, 28), d(2019, 5, 5), d(2019, 9, 29), d(2019, 10, 12)},
}

// year2020 is 国办发明电〔2019〕16号 with the 春节 extended to 2 February by
// 国办发明电〔2020〕1号, which also undid the 调休 working day of Saturday 1
// February.
var year2020 = workday.Year{
	Holidays: cat([]time.Time{d(2020, 1, 1)}, span(d(2020, 1, 24), d(2020, 2, 2)), span(d(2020, 4, 4), d(2020, 4, 6)),
		span(d(2020, 5, 1), d(2020, 5, 5)), span(d(2020, 6, 25), d(2020, 6, 27)), span(d(2020, 10, 1), d(2020, 10, 8))),
	Workdays: []time.Time{d(2020, 1, 19), d(2020, 4, 26), d(2020, 5, 9), d(2020, 6, 28), d(2020, 9, 27), d(2020, 10, 10)},
}

func mustNew(t *testing.T, years map[int]workday.Year) *workday.Calendar {
	t.Helper()
	c, err := workday.New(years)
	if err != nil {
		t.Fatalf("New() error: %v", err)
	}
	return c
}

// Ensure that holidays are off, listed 调休 days are on, and other days
// follow Monday to Friday.
func TestIsWorkday(t *testing.T) {
	c := mustNew(t, map[int]workday.Year{2019: year2019, 2020: year2020})
	tests := []struct {
		day  time.Time
		want bool
		why  string
	}{
		{d(2019, 9, 27), true, "an ordinary Friday"},
		{d(2019, 9, 28), false, "an ordinary Saturday"},
		{d(2019, 9, 29), true, "Sunday made a working day for 国庆"},
		{d(2019, 10, 1), false, "国庆"},
		{d(2019, 10, 7), false, "国庆, a Monday"},
		{d(2019, 10, 8), true, "the Tuesday after 国庆"},
		{d(2019, 10, 12), true, "Saturday made a working day for 国庆"},
		{d(2019, 10, 13), false, "the Sunday after it"},
		{d(2019, 5, 4), false, "劳动节 (as extended), a Saturday"},
		{d(2019, 5, 5), true, "Sunday made a working day for 劳动节"},
		{d(2020, 1, 19), true, "Sunday made a working day for 春节"},
		{d(2020, 1, 31), false, "春节 as extended by 国办发明电〔2020〕1号"},
		{d(2020, 2, 1), false, "Saturday no longer worked once 春节 was extended"},
		{d(2020, 2, 3), true, "back at work after the extension"},
		{d(2018, 12, 31), true, "2018 has no data: an ordinary Monday"},
		{d(2018, 12, 29), false, "2018 has no data: an ordinary Saturday"},
	}
	for _, tt := range tests {
		if got := c.IsWorkday(tt.day); got != tt.want {
			t.Errorf("IsWorkday(%s) = %v, want %v (%s)", tt.day.Format("2006-01-02 Mon"), got, tt.want, tt.why)
		}
	}
}

// Ensure that deadlines count working days on the calendar: a notice issued
// 2019-09-25 with 10 working days crosses 国庆 2019 and counts the 调休
// days 2019-09-29 and 2019-10-12.
func TestAddWorkdays(t *testing.T) {
	c := mustNew(t, map[int]workday.Year{2019: year2019, 2020: year2020})
	tests := []struct {
		name string
		cal  *workday.Calendar
		from time.Time
		n    int
		want time.Time
	}{
		// 9/26, 9/27, 9/29 (调休 Sunday), 9/30, 10/8, 9, 10, 11, 12 (调休
		// Saturday), 14.
		{"guoqing_2019", c, d(2019, 9, 25), 10, d(2019, 10, 14)},
		// Weekends only, the same notice would be due five days sooner.
		{"guoqing_2019_weekends_only", nil, d(2019, 9, 25), 10, d(2019, 10, 9)},
		{"the_makeup_sunday_is_day_three", c, d(2019, 9, 25), 3, d(2019, 9, 29)},
		// 1/23, then 春节 to 2/2 as extended, 2/3, 2/4.
		{"chunjie_2020_extended", c, d(2020, 1, 22), 3, d(2020, 2, 4)},
		{"from_a_holiday", c, d(2020, 1, 25), 1, d(2020, 2, 3)},
		{"zero_is_the_same_day", c, d(2019, 10, 3), 0, d(2019, 10, 3)},
		{"negative_is_the_same_day", c, d(2019, 10, 3), -2, d(2019, 10, 3)},
		// 2021 has no data: weekends only, 国庆 2021 not known.
		{"fallback_year", c, d(2021, 9, 30), 2, d(2021, 10, 4)},
		{"into_a_fallback_year", c, d(2020, 12, 31), 1, d(2021, 1, 1)},
		{"clock_time_ignored", c, time.Date(2019, 9, 30, 23, 59, 0, 0, shanghai), 1, d(2019, 10, 8)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.cal.AddWorkdays(tt.from, tt.n)
			if !got.Equal(tt.want) || got.Location() != tt.from.Location() {
				t.Errorf("AddWorkdays(%s, %d) = %v, want %v", tt.from.Format("2006-01-02"), tt.n, got, tt.want)
			}
		})
	}
}

// Ensure that WorkdaysBetween counts the working days after from up to and
// including to, as interpretation.sync has always counted them.
func TestWorkdaysBetween(t *testing.T) {
	c := mustNew(t, map[int]workday.Year{2019: year2019, 2020: year2020})
	tests := []struct {
		name     string
		cal      *workday.Calendar
		from, to time.Time
		want     int
	}{
		{"same_day", c, d(2019, 3, 1), d(2019, 3, 1), 0},
		{"friday_to_monday", c, d(2019, 3, 1), d(2019, 3, 4), 1},
		{"friday_to_wednesday", c, d(2019, 3, 1), d(2019, 3, 6), 3},
		{"a_weekend", c, d(2019, 3, 2), d(2019, 3, 3), 0},
		{"backwards", c, d(2019, 3, 6), d(2019, 3, 1), 0},
		{"four_weeks", c, d(2019, 3, 1), d(2019, 3, 29), 20},
		// A document of Monday 30 September and its 解读 of Thursday 10
		// October: 3 working days, not 8.
		{"after_guoqing", c, d(2019, 9, 30), d(2019, 10, 10), 3},
		{"after_guoqing_weekends_only", nil, d(2019, 9, 30), d(2019, 10, 10), 8},
		{"into_the_makeup_saturday", c, d(2019, 9, 30), d(2019, 10, 12), 5},
		{"over_the_makeup_sunday", c, d(2019, 9, 27), d(2019, 9, 30), 2},
		{"chunjie_2020_extended", c, d(2020, 1, 23), d(2020, 2, 3), 1},
		{"whole_2019", c, d(2018, 12, 31), d(2019, 12, 31), 250},
		// 2018 has no data: 12/31 counts, 2019-01-01 does not.
		{"from_a_fallback_year", c, d(2018, 12, 28), d(2019, 1, 2), 2},
		{"from_year_one", nil, time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1, 1, 8, 0, 0, 0, 0, time.UTC), 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.cal.WorkdaysBetween(tt.from, tt.to); got != tt.want {
				t.Errorf("WorkdaysBetween(%s, %s) = %d, want %d", tt.from.Format("2006-01-02"), tt.to.Format("2006-01-02"), got, tt.want)
			}
		})
	}
}

// Ensure that the arithmetic count agrees with counting IsWorkday day by day,
// and that AddWorkdays is its inverse, over two years of data and the years
// without data around them.
func TestWorkdaysBetween_AgreesWithIsWorkday(t *testing.T) {
	c := mustNew(t, map[int]workday.Year{2019: year2019, 2020: year2020})
	start, end := d(2018, 11, 1), d(2021, 3, 1)
	for from := start; from.Before(end); from = from.AddDate(0, 0, 3) {
		n := 0
		for to := from; to.Before(from.AddDate(0, 2, 0)); to = to.AddDate(0, 0, 1) {
			if to.After(from) && c.IsWorkday(to) {
				n++
			}
			if got := c.WorkdaysBetween(from, to); got != n {
				t.Fatalf("WorkdaysBetween(%s, %s) = %d, want %d (day by day)", from.Format("2006-01-02"), to.Format("2006-01-02"), got, n)
			}
		}
		for k := 0; k <= 25; k++ {
			due := c.AddWorkdays(from, k)
			if got := c.WorkdaysBetween(from, due); got != k {
				t.Fatalf("WorkdaysBetween(%s, AddWorkdays(%d) = %s) = %d", from.Format("2006-01-02"), k, due.Format("2006-01-02"), got)
			}
			if k > 0 && !c.IsWorkday(due) {
				t.Fatalf("AddWorkdays(%s, %d) = %s, not a working day", from.Format("2006-01-02"), k, due.Format("2006-01-02"))
			}
		}
	}
}

// Ensure that a date is the year, month and day in the time's own location:
// the same instant is Monday 30 September in UTC and 国庆 in Shanghai.
func TestIsWorkday_OwnLocation(t *testing.T) {
	c := mustNew(t, map[int]workday.Year{2019: year2019})
	instant := time.Date(2019, 9, 30, 20, 0, 0, 0, time.UTC)
	if !c.IsWorkday(instant) {
		t.Errorf("IsWorkday(%v) = false, want true (Monday 30 September in UTC)", instant)
	}
	if c.IsWorkday(instant.In(shanghai)) {
		t.Errorf("IsWorkday(%v) = true, want false (1 October in Shanghai)", instant.In(shanghai))
	}
	// Holidays listed in one zone apply to dates of another: 1 October at
	// 00:30 in UTC-12 is still 1 October.
	west := time.FixedZone("UTC-12", -12*3600)
	if c.IsWorkday(time.Date(2019, 10, 1, 0, 30, 0, 0, west)) {
		t.Error("IsWorkday(2019-10-01 in UTC-12) = true, want false")
	}
	// The late evening of 7 October to the early morning of 8 October is
	// one working day, whatever the hours.
	if got := c.WorkdaysBetween(time.Date(2019, 10, 7, 23, 59, 0, 0, shanghai), time.Date(2019, 10, 8, 0, 1, 0, 0, shanghai)); got != 1 {
		t.Errorf("WorkdaysBetween(10-07 23:59, 10-08 00:01) = %d, want 1", got)
	}
}

// Ensure that callers learn which years had no data.
func TestCoversMissing(t *testing.T) {
	c := mustNew(t, map[int]workday.Year{2019: year2019, 2020: year2020})
	for y, want := range map[int]bool{2018: false, 2019: true, 2020: true, 2021: false} {
		if got := c.Covers(y); got != want {
			t.Errorf("Covers(%d) = %v, want %v", y, got, want)
		}
	}
	var none *workday.Calendar
	tests := []struct {
		name     string
		cal      *workday.Calendar
		from, to time.Time
		want     []int
	}{
		{"covered", c, d(2019, 3, 1), d(2020, 6, 1), nil},
		{"both_ends", c, d(2018, 12, 1), d(2021, 1, 4), []int{2018, 2021}},
		// The days counted start after from: from's own year is not asked.
		{"from_last_day_of_2018", c, d(2018, 12, 31), d(2019, 1, 4), nil},
		{"backwards", c, d(2021, 1, 4), d(2018, 12, 1), nil},
		{"same_day", c, d(2021, 1, 4), d(2021, 1, 4), nil},
		{"nil_calendar", none, d(2019, 12, 30), d(2020, 1, 2), []int{2019, 2020}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.cal.Missing(tt.from, tt.to); !slices.Equal(got, tt.want) {
				t.Errorf("Missing(%s, %s) = %v, want %v", tt.from.Format("2006-01-02"), tt.to.Format("2006-01-02"), got, tt.want)
			}
		})
	}
}

// Ensure that New rejects data that cannot be right, naming the date.
func TestNew_Errors(t *testing.T) {
	tests := []struct {
		name string
		year workday.Year
		want error
		text string
	}{
		{"holiday_of_another_year", workday.Year{Holidays: []time.Time{d(2018, 12, 31)}}, workday.ErrWrongYear, "holiday 2018-12-31 listed under 2019"},
		{"workday_of_another_year", workday.Year{Workdays: []time.Time{d(2018, 12, 29)}}, workday.ErrWrongYear, "working day 2018-12-29 listed under 2019"},
		{"both", workday.Year{Holidays: []time.Time{d(2019, 10, 12)}, Workdays: []time.Time{d(2019, 10, 12)}}, workday.ErrHolidayAndWorkday, "2019-10-12"},
		{"weekday_workday", workday.Year{Workdays: []time.Time{d(2019, 10, 11)}}, workday.ErrWeekdayWorkday, "2019-10-11 (Friday)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := workday.New(map[int]workday.Year{2019: tt.year})
			if !errors.Is(err, tt.want) {
				t.Fatalf("New() = %v, %v, want %v", c, err, tt.want)
			}
			if got := err.Error(); !strings.Contains(got, tt.text) {
				t.Errorf("New() error = %q, want it to name %q", got, tt.text)
			}
		})
	}
}

// Ensure that a nil calendar and an empty one count Monday to Friday.
func TestNilCalendar(t *testing.T) {
	var none *workday.Calendar
	empty := mustNew(t, nil)
	for _, c := range []*workday.Calendar{none, empty} {
		if c.IsWorkday(d(2019, 10, 1)) != true || c.IsWorkday(d(2019, 9, 29)) != false {
			t.Errorf("%v: IsWorkday(国庆, 调休 Sunday) = %v, %v, want true, false", c, c.IsWorkday(d(2019, 10, 1)), c.IsWorkday(d(2019, 9, 29)))
		}
		if c.Covers(2019) {
			t.Errorf("%v: Covers(2019) = true", c)
		}
	}
}
