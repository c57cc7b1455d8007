// Package workday is the working-day calendar of Chinese government offices:
// Monday to Friday, except the public holidays of the State Council's annual
// notice (国务院办公厅关于YYYY年部分节假日安排的通知), plus the weekend days that
// notice makes working days (调休). Deadlines such as "notice date + 10
// working days" and the 解读 delay of interpretation.sync are counted on it.
//
// A year the calendar has no data for falls back to Monday to Friday;
// Covers and Missing tell callers so that they can say so.
//
// Dates are calendar dates: a time.Time stands for its year, month and day
// in its own location, whatever its clock time or offset.
package workday

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"
)

// Year lists one year's exceptions to the Monday-to-Friday week, each a
// date in that year.
type Year struct {
	// Holidays are the days off of the notice (放假), weekends included or not.
	Holidays []time.Time
	// Workdays are the weekend days the notice makes working days (上班).
	Workdays []time.Time
}

// Calendar is a working-day calendar. It is immutable once built, so one may
// be shared by goroutines. A nil *Calendar is valid: it has no data for any
// year and counts Monday to Friday.
type Calendar struct {
	years map[int]bool
	// off and on are the day numbers of holidays that fall on a weekday and
	// of weekend days that are worked, sorted: the only days on which the
	// calendar differs from Monday to Friday.
	off, on []int
}

// Errors of New, wrapped with the date they concern.
var (
	// ErrWrongYear: a date is listed under a year it is not in.
	ErrWrongYear = errors.New("date is not in its year")
	// ErrHolidayAndWorkday: a date is listed both as a holiday and as a
	// working day.
	ErrHolidayAndWorkday = errors.New("date is both a holiday and a working day")
	// ErrWeekdayWorkday: an adjusted working day falls on Monday to Friday,
	// which is a working day anyway; it is almost certainly a typo.
	ErrWeekdayWorkday = errors.New("adjusted working day is not a Saturday or Sunday")
)

// New builds a calendar from the given years. Years not in the map have no
// data and count Monday to Friday.
func New(years map[int]Year) (*Calendar, error) {
	c := &Calendar{years: make(map[int]bool, len(years))}
	var errs []error
	for _, y := range slices.Sorted(maps.Keys(years)) {
		yr := years[y]
		c.years[y] = true
		holiday := map[int]bool{}
		for _, d := range yr.Holidays {
			if d.Year() != y {
				errs = append(errs, fmt.Errorf("workday: holiday %s listed under %d: %w", format(d), y, ErrWrongYear))
				continue
			}
			holiday[day(d)] = true
			if !weekend(d.Weekday()) {
				c.off = append(c.off, day(d))
			}
		}
		for _, d := range yr.Workdays {
			switch {
			case d.Year() != y:
				errs = append(errs, fmt.Errorf("workday: working day %s listed under %d: %w", format(d), y, ErrWrongYear))
			case holiday[day(d)]:
				errs = append(errs, fmt.Errorf("workday: %s: %w", format(d), ErrHolidayAndWorkday))
			case !weekend(d.Weekday()):
				errs = append(errs, fmt.Errorf("workday: %s (%s): %w", format(d), d.Weekday(), ErrWeekdayWorkday))
			default:
				c.on = append(c.on, day(d))
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	slices.Sort(c.off)
	c.off = slices.Compact(c.off)
	slices.Sort(c.on)
	c.on = slices.Compact(c.on)
	return c, nil
}

// Covers reports whether the calendar has data for year.
func (c *Calendar) Covers(year int) bool {
	return c != nil && c.years[year]
}

// Missing returns the years without data among those of the days after from
// up to and including to (the days WorkdaysBetween counts), in order; nil
// when to is not after from or every year is covered.
func (c *Calendar) Missing(from, to time.Time) []int {
	a, b := day(from)+1, day(to)
	if a > b {
		return nil
	}
	var out []int
	for y := dateOf(a).Year(); y <= to.Year(); y++ {
		if !c.Covers(y) {
			out = append(out, y)
		}
	}
	return out
}

// IsWorkday reports whether d is a working day: a listed 调休 day, or Monday
// to Friday and not a holiday.
func (c *Calendar) IsWorkday(d time.Time) bool {
	n := day(d)
	if weekend(d.Weekday()) {
		return c != nil && contains(c.on, n)
	}
	return c == nil || !contains(c.off, n)
}

// WorkdaysBetween counts the working days after from up to and including to:
// 0 when to is not after from. A 解读 published the working day after its
// document is 1 day late.
func (c *Calendar) WorkdaysBetween(from, to time.Time) int {
	a, b := day(from), day(to)
	if b <= a {
		return 0
	}
	// Monday to Friday arithmetically, then the few exceptions in (a, b].
	n := weekdaysBefore(b+1) - weekdaysBefore(a+1)
	if c != nil {
		n -= countIn(c.off, a, b)
		n += countIn(c.on, a, b)
	}
	return n
}

// AddWorkdays returns the date n working days after from: the day on which
// WorkdaysBetween(from, day) first reaches n, at midnight in from's
// location. A deadline of "notice date + 10 working days" is
// AddWorkdays(notice, 10). n <= 0 gives from's own date.
func (c *Calendar) AddWorkdays(from time.Time, n int) time.Time {
	d := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, from.Location())
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if c.IsWorkday(d) {
			n--
		}
	}
	return d
}

// epoch is 0001-01-01, a Monday in the proleptic Gregorian calendar that
// time uses; day numbers count from it.
var epoch = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)

// day is d's calendar date in its own location as a day number. Going
// through UTC midnight keeps a date from shifting with the location's offset
// or a daylight-saving change; Unix seconds, unlike a Duration, do not
// overflow over the centuries.
func day(d time.Time) int {
	u := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
	return int((u.Unix() - epoch.Unix()) / secondsPerDay)
}

const secondsPerDay = 24 * 60 * 60

// dateOf is the date of day number n, in UTC.
func dateOf(n int) time.Time {
	return epoch.AddDate(0, 0, n)
}

// weekdaysBefore counts Mondays to Fridays among day numbers 0..n-1 (day 0
// is a Monday); for n < 0 it is minus those among n..-1, so that
// weekdaysBefore(b) - weekdaysBefore(a) counts [a, b) for any a <= b.
func weekdaysBefore(n int) int {
	q, r := n/7, n%7
	if r < 0 { // floor division: years before 1 AD
		q, r = q-1, r+7
	}
	return q*5 + min(r, 5)
}

func weekend(wd time.Weekday) bool {
	return wd == time.Saturday || wd == time.Sunday
}

func contains(sorted []int, n int) bool {
	_, ok := slices.BinarySearch(sorted, n)
	return ok
}

// countIn counts the entries of sorted in (a, b].
func countIn(sorted []int, a, b int) int {
	i, _ := slices.BinarySearch(sorted, a+1)
	j, _ := slices.BinarySearch(sorted, b+1)
	return j - i
}

func format(d time.Time) string {
	return d.Format("2006-01-02")
}
