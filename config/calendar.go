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
		return DateSpan{}, fmt.Errorf("expected a date such as \"2019-10-01\" or a range \"2019-10-01..2019-10-07\", got %s", nodeKind(n))
	}
	first, last, isRange := strings.Cut(n.Value, rangeSep)
	a, errA := time.Parse(dateLayout, strings.TrimSpace(first))
	b, errB := a, error(nil)
	if isRange {
		b, errB = time.Parse(dateLayout, strings.TrimSpace(last))
	}
	if errA != nil || errB != nil {
		return DateSpan{}, fmt.Errorf("%q is not a date YYYY-MM-DD or a range YYYY-MM-DD..YYYY-MM-DD", n.Value)
	}
	if b.Before(a) {
		return DateSpan{}, fmt.Errorf("%q ends before it starts", n.Value)
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
			v.errorf(p, "year %d is out of range %d..%d", y, minYear, maxYear)
			continue
		}
		if len(cy.Holidays) == 0 {
			// Named at the year, not at holidays: a user's year replaces the
			// default's whole, so the user's file owns the year even where
			// it has no holidays key.
			v.errorf(p, "lists no holidays: every year has some (leave the year out to count Monday to Friday)")
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
					v.errorf(sp, "%s is also a holiday (holidays[%d])", d.Format(dateLayout), j)
					break
				}
				if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
					v.errorf(sp, "%s is a %s, a working day anyway: an adjusted working day (调休) is a Saturday or Sunday", d.Format(dateLayout), wd)
					break
				}
			}
		}
	}
}

// spanInYear reports whether span s, at p, is a valid span of year y,
// reporting why not.
func (v *validator) spanInYear(p path, s DateSpan, y int) bool {
	switch {
	case s.First.Year() != y || s.Last.Year() != y:
		v.errorf(p, "%s is not in %d: list each date under its own year", s, y)
	case s.Last.Before(s.First):
		v.errorf(p, "%s ends before it starts", s)
	case s.Last.Sub(s.First) >= maxSpanDays*24*time.Hour:
		v.errorf(p, "%s is longer than %d days", s, maxSpanDays)
	default:
		return true
	}
	return false
}
