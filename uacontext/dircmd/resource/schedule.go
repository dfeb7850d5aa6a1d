package resource

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Run is one Run directive of a Schedule: the overrides (level, pools,
// ...) and the time specification. Empty selections mean "every": nil
// MonthDays is every day of the month, nil WeekDays every weekday, and
// so on.
type Run struct {
	Level string // a job level ("Full", "Incremental", ...), or ""

	Pool, FullPool, VirtualFullPool, IncrementalPool, DifferentialPool, NextPool string
	Storage, Messages                                                            string
	Priority                                                                     int
	MaxRunSchedTime                                                              int64 // seconds
	Accurate                                                                     bool

	MonthDays    []int          // 1..31
	WeeksOfMonth []int          // 1..5 (1st .. 5th)
	LastWeek     bool           // "last": the last seven days of the month
	WeekDays     []time.Weekday // Sunday .. Saturday
	Months       []time.Month   // January .. December
	WeeksOfYear  []int          // 0..53 (w00 .. w53)
	Hours        []int          // 0..23; nil means 0 ("at 00:MM")
	Minute       int            // 0..59
}

func (r Run) validate() error {
	if r.Level != "" && keywordOf(jobLevels, r.Level) == "" {
		return fmt.Errorf("run level %q is not a job level", r.Level)
	}
	check := func(what string, vals []int, lo, hi int) error {
		for _, v := range vals {
			if v < lo || v > hi {
				return fmt.Errorf("run %s %d out of %d..%d", what, v, lo, hi)
			}
		}
		return nil
	}
	if err := check("month day", r.MonthDays, 1, 31); err != nil {
		return err
	}
	if err := check("week of month", r.WeeksOfMonth, 1, 5); err != nil {
		return err
	}
	if err := check("week of year", r.WeeksOfYear, 0, 53); err != nil {
		return err
	}
	if err := check("hour", r.Hours, 0, 23); err != nil {
		return err
	}
	for _, d := range r.WeekDays {
		if d < time.Sunday || d > time.Saturday {
			return fmt.Errorf("run weekday %d out of range", d)
		}
	}
	for _, m := range r.Months {
		if m < time.January || m > time.December {
			return fmt.Errorf("run month %d out of range", m)
		}
	}
	if r.Minute < 0 || r.Minute > 59 {
		return fmt.Errorf("run minute %d out of 0..59", r.Minute)
	}
	return nil
}

// bits turns a selection into the Director's bit mask (all bits when
// the selection is empty).
func bits(n int, vals []int, offset int) []bool {
	b := make([]bool, n)
	if len(vals) == 0 {
		for i := range b {
			b[i] = true
		}
		return b
	}
	for _, v := range vals {
		if i := v - offset; i >= 0 && i < n {
			b[i] = true
		}
	}
	return b
}

// ranges prints a bit mask the way the Director does: runs of set bits
// as "first-last" (a run of two is printed as such too), single bits
// alone, separated by commas, followed by a blank; nothing when every
// bit is set. The Director's quirk is kept: a run of exactly two bits
// that ends at the last bit is printed as its first element only.
func ranges(mask []bool, name func(i int) string, endName func(i int) string) string {
	all := true
	for _, b := range mask {
		all = all && b
	}
	if all {
		return ""
	}
	var b strings.Builder
	start := -1
	for i, set := range mask {
		if set && start == -1 {
			start = i
			b.WriteString(",")
			b.WriteString(name(i))
		}
		if !set && start != -1 {
			if i-start > 1 {
				b.WriteString("-")
				b.WriteString(endName(i))
			}
			start = -1
		}
	}
	last := len(mask) - 1
	if start != -1 && mask[last] && last-start > 1 {
		b.WriteString("-")
		b.WriteString(name(last))
	}
	b.WriteString(" ")
	return b.String()[1:]
}

var (
	weekdayNames = []string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
	monthNames   = []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	ordinals     = []string{"1st", "2nd", "3rd", "4th", "5th"}
)

// String returns the run as the Director prints it in show, e.g.
// "Full 1st Sat at 21:00" or "Incremental Mon-Fri at 21:00".
func (r Run) String() string {
	var b strings.Builder
	quoted := func(key, v string) {
		if v != "" {
			fmt.Fprintf(&b, "%s=\"%s\" ", key, v)
		}
	}
	quoted("pool", r.Pool)
	quoted("fullpool", r.FullPool)
	quoted("virtualfullpool", r.VirtualFullPool)
	quoted("incrementalpool", r.IncrementalPool)
	quoted("differentialpool", r.DifferentialPool)
	quoted("nextpool", r.NextPool)
	if l := keywordOf(jobLevels, r.Level); l != "" {
		b.WriteString(l)
		b.WriteString(" ")
	}
	quoted("storage", r.Storage)
	quoted("messages", r.Messages)
	if r.Priority != 0 && r.Priority != 10 {
		fmt.Fprintf(&b, "priority=%d ", r.Priority)
	}
	if r.MaxRunSchedTime != 0 {
		fmt.Fprintf(&b, "maxrunschedtime=%d ", r.MaxRunSchedTime)
	}
	if r.Accurate {
		b.WriteString("accurate=\"yes\" ")
	}
	b.WriteString(ranges(bits(31, r.MonthDays, 1),
		func(i int) string { return strconv.Itoa(i + 1) },
		func(i int) string { return strconv.Itoa(i) }))
	b.WriteString(ranges(bits(5, r.WeeksOfMonth, 1),
		func(i int) string { return ordinals[i] },
		func(i int) string { return ordinals[i-1] }))
	if r.LastWeek {
		b.WriteString("last ")
	}
	wd := make([]int, len(r.WeekDays))
	for i, d := range r.WeekDays {
		wd[i] = int(d)
	}
	b.WriteString(ranges(bits(7, wd, 0),
		func(i int) string { return weekdayNames[i] },
		func(i int) string { return weekdayNames[i-1] }))
	mo := make([]int, len(r.Months))
	for i, m := range r.Months {
		mo[i] = int(m)
	}
	b.WriteString(ranges(bits(12, mo, 1),
		func(i int) string { return monthNames[i] },
		func(i int) string { return monthNames[i-1] }))
	b.WriteString(ranges(bits(54, r.WeeksOfYear, 0),
		func(i int) string { return fmt.Sprintf("w%02d", i) },
		func(i int) string { return fmt.Sprintf("w%02d", i-1) }))
	hours := bits(24, r.Hours, 0)
	if len(r.Hours) == 0 {
		hours = make([]bool, 24)
		hours[0] = true
	}
	for h, set := range hours {
		if set {
			fmt.Fprintf(&b, "at %02d:%02d", h, r.Minute)
		}
	}
	return b.String()
}

// Triggers reports whether the run starts on the day of t (in t's
// location): its month, week of the year, day of the month, week of the
// month and weekday are all selected.
func (r Run) Triggers(t time.Time) bool {
	if !inInts(r.MonthDays, t.Day()) {
		return false
	}
	if len(r.WeekDays) > 0 && !containsWeekday(r.WeekDays, t.Weekday()) {
		return false
	}
	if len(r.Months) > 0 && !containsMonth(r.Months, t.Month()) {
		return false
	}
	wom := (t.Day()-1)/7 + 1
	if r.LastWeek {
		last := time.Date(t.Year(), t.Month()+1, 0, 0, 0, 0, 0, t.Location()).Day()
		if len(r.WeeksOfMonth) == 0 {
			if t.Day() <= last-7 {
				return false
			}
		} else if !inInts(r.WeeksOfMonth, wom) && t.Day() <= last-7 {
			return false
		}
	} else if !inInts(r.WeeksOfMonth, wom) {
		return false
	}
	_, week := t.ISOWeek()
	return inInts(r.WeeksOfYear, week)
}

// Times returns the start times of the run on the day of t.
func (r Run) Times(day time.Time) []time.Time {
	hours := r.Hours
	if len(hours) == 0 {
		hours = []int{0}
	}
	var out []time.Time
	for h := range 24 {
		if inInts(hours, h) {
			out = append(out, time.Date(day.Year(), day.Month(), day.Day(), h, r.Minute, 0, 0, day.Location()))
		}
	}
	return out
}

func inInts(set []int, v int) bool {
	if len(set) == 0 {
		return true
	}
	for _, x := range set {
		if x == v {
			return true
		}
	}
	return false
}

func containsWeekday(set []time.Weekday, d time.Weekday) bool {
	for _, x := range set {
		if x == d {
			return true
		}
	}
	return false
}

func containsMonth(set []time.Month, m time.Month) bool {
	for _, x := range set {
		if x == m {
			return true
		}
	}
	return false
}
