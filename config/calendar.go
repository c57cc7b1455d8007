package config

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"gkaudit/workday"
)

var dateSpanType = reflect.TypeOf(DateSpan{})

const (
	dateLayout = "2006-01-02"
	rangeSep   = ".."
	// maxSpanDays bounds a range of dates: the longest break so far, 春节
	// 2020 as extended, is 10 days, so a longer range is a typo in a year or
	// month that would silently take weeks off the calendar.
	maxSpanDays = 31
)

// UnmarshalYAML reads "2019-10-12" or "2019-10-01..2019-10-07".
func (s *DateSpan) UnmarshalYAML(n *yaml.Node) error {
	v, err := parseDateSpan(n)
	if err != nil {
		return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: %v", n.Line, err)}}
	}
	*s = v
	return nil
}

func parseDateSpan(n *yaml.Node) (DateSpan, error) {
	if n.Kind != yaml.ScalarNode {
		return DateSpan{}, fmt.Errorf("应为日期如 \"2019-10-01\" 或日期范围如 \"2019-10-01..2019-10-07\"，实际写的是%s", nodeKind(n))
	}
	first, last, isRange := strings.Cut(n.Value, rangeSep)
	a, errA := time.Parse(dateLayout, strings.TrimSpace(first))
	b, errB := a, error(nil)
	if isRange {
		b, errB = time.Parse(dateLayout, strings.TrimSpace(last))
	}
	if errA != nil || errB != nil {
		return DateSpan{}, fmt.Errorf("%q 不是日期 YYYY-MM-DD 或日期范围 YYYY-MM-DD..YYYY-MM-DD：请写成如 \"2019-10-01\" 或 \"2019-10-01..2019-10-07\"", n.Value)
	}
	if b.Before(a) {
		return DateSpan{}, fmt.Errorf("%q 的结束日期早于开始日期：请把较早的日期写在 .. 前面", n.Value)
	}
	return DateSpan{First: a, Last: b}, nil
}

// MarshalYAML writes the span as it is read.
func (s DateSpan) MarshalYAML() (any, error) {
	return s.String(), nil
}

// String is "2019-10-12" for one date, "2019-10-01..2019-10-07" for a range.
func (s DateSpan) String() string {
	if s.Last.Equal(s.First) {
		return s.First.Format(dateLayout)
	}
	return s.First.Format(dateLayout) + rangeSep + s.Last.Format(dateLayout)
}

// days lists the span's dates, first to last.
func (s DateSpan) days() []time.Time {
	var out []time.Time
	for d := s.First; !d.After(s.Last) && len(out) <= maxSpanDays; d = d.AddDate(0, 0, 1) {
		out = append(out, d)
	}
	return out
}

func spanDays(spans []DateSpan) []time.Time {
	var out []time.Time
	for _, s := range spans {
		out = append(out, s.days()...)
	}
	return out
}

// Calendar returns the working-day calendar of calendar: (CalendarYears).
// Years without data count Monday to Friday; callers can ask it which years
// those are (Missing) and say so. The result is nil, which counts Monday to
// Friday for every year, only when the data is invalid, as Validate reports.
func (c *Config) Calendar() *workday.Calendar {
	years := make(map[int]workday.Year, len(c.CalendarYears))
	for y, cy := range c.CalendarYears {
		years[y] = workday.Year{Holidays: spanDays(cy.Holidays), Workdays: spanDays(cy.Workdays)}
	}
	cal, err := workday.New(years)
	if err != nil {
		return nil
	}
	return cal
}

func (v *validator) calendar() {
	for _, y := range slices.Sorted(maps.Keys(v.c.CalendarYears)) {
		cy := v.c.CalendarYears[y]
		p := path{"calendar", strconv.Itoa(y)}
		if y < minYear || y > maxYear {
			v.errorf(p, "年份 %d 超出范围 %d..%d：请改正年份", y, minYear, maxYear)
			continue
		}
		if len(cy.Holidays) == 0 {
			// Named at the year, not at holidays: a user's year replaces the
			// default's whole, so the user's file owns the year even where
			// it has no holidays key.
			v.errorf(p, "没有列出节假日：每年都有法定节假日，请在 holidays 中列出（不写这一年则按周一至周五计算工作日）")
		}
		holidayAt := map[time.Time]int{} // date -> index in holidays
		for i, s := range cy.Holidays {
			sp := p.key("holidays").index(i)
			if !v.spanInYear(sp, s, y) {
				continue
			}
			for _, d := range s.days() {
				if _, dup := holidayAt[d]; !dup {
					holidayAt[d] = i
				}
			}
		}
		for i, s := range cy.Workdays {
			sp := p.key("workdays").index(i)
			if !v.spanInYear(sp, s, y) {
				continue
			}
			for _, d := range s.days() {
				if j, both := holidayAt[d]; both {
					v.errorf(sp, "%s 同时列在节假日中（holidays[%d]）：一天只能是节假日或调休工作日之一，请删去其中一处", d.Format(dateLayout), j)
					break
				}
				if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
					v.errorf(sp, "%s 是%s，本来就是工作日：调休工作日只能是周六或周日，请改正日期或删去", d.Format(dateLayout), weekdayNames[wd])
					break
				}
			}
		}
	}
}

// weekdayNames are the Chinese names of the days of the week.
var weekdayNames = [...]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}

// spanInYear reports whether span s, at p, is a valid span of year y,
// reporting why not.
func (v *validator) spanInYear(p path, s DateSpan, y int) bool {
	switch {
	case s.First.Year() != y || s.Last.Year() != y:
		v.errorf(p, "%s 不在 %d 年内：请把每个日期列在它所在的年份下", s, y)
	case s.Last.Before(s.First):
		v.errorf(p, "%s 的结束日期早于开始日期：请把较早的日期写在 .. 前面", s)
	case s.Last.Sub(s.First) >= maxSpanDays*24*time.Hour:
		v.errorf(p, "%s 长于 %d 天，多半是年份或月份写错了：请改正日期", s, maxSpanDays)
	default:
		return true
	}
	return false
}
