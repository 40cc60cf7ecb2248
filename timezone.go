package aftercare

import (
	"strings"
	"sync"
	"time"
)

// DefaultTimeZone is the time zone of a clinic that names none.
const DefaultTimeZone = "UTC"

// zones caches the time zones loaded by name: time.LoadLocation reads its
// database on every call.
var zones sync.Map // string -> *time.Location

// LoadTimeZone returns the time zone of an IANA name such as Europe/London
// ("" is DefaultTimeZone). The program embeds the zone database, so every
// name it knows loads on any machine.
func LoadTimeZone(name string) (*time.Location, error) {
	if name == "" {
		name = DefaultTimeZone
	}
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	zones.Store(name, loc)
	return loc, nil
}

// ValidateTimeZone checks an IANA time zone name, such as Europe/London or
// America/Los_Angeles. The error is EINVALID for field.
func ValidateTimeZone(field, name string) error {
	bad := func(why string) error {
		return Errorf(EINVALID, field, "%s must be an IANA time zone name such as Europe/London or America/Los_Angeles%s", field, why)
	}
	switch {
	case strings.TrimSpace(name) == "":
		return bad("")
	case name == "Local" || len(name) > 64 || !printable(name) || strings.TrimSpace(name) != name:
		return bad(", not " + quote(name))
	}
	if _, err := LoadTimeZone(name); err != nil {
		return bad(", not " + quote(name))
	}
	return nil
}

// quote writes a value in an error message, shortened.
func quote(s string) string {
	if r := []rune(s); len(r) > 64 {
		s = string(r[:64]) + "…"
	}
	return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"`
}

// Location returns the clinic's time zone: DefaultTimeZone when it names
// none, or one this program does not know (Validate refuses those).
func (c *Clinic) Location() *time.Location {
	loc, err := LoadTimeZone(c.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// DayLayout is how a day is shown to people: "Sun 8 Mar 2026".
const DayLayout = "Mon 2 Jan 2006"

// in returns t in time zone loc; a nil loc is UTC.
func in(t time.Time, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc)
}

// ShowTime writes t as people read it in time zone loc: its day, its time on
// a 24-hour clock and the zone's abbreviation, such as "Sun 8 Mar 2026,
// 01:30 PST". A nil loc is UTC.
func ShowTime(t time.Time, loc *time.Location) string {
	return ShowDay(t, loc) + ", " + ShowClock(t, loc)
}

// ShowClock writes the time of day of t in time zone loc with the zone's
// abbreviation, such as "01:30 PST"; a zone with no abbreviation is written
// as its offset, "UTC-03". A nil loc is UTC.
func ShowClock(t time.Time, loc *time.Location) string {
	t = in(t, loc)
	abbr, _ := t.Zone()
	if strings.HasPrefix(abbr, "+") || strings.HasPrefix(abbr, "-") {
		abbr = "UTC" + abbr
	}
	return t.Format("15:04") + " " + abbr
}

// ShowDay writes the day of t in time zone loc (DayLayout), such as "Sun 8 Mar 2026". A nil loc is UTC.
func ShowDay(t time.Time, loc *time.Location) string {
	return in(t, loc).Format(DayLayout)
}

// DaysBetween counts the calendar days in time zone loc from the day of t to
// the day of now: 0 for the same day, 1 when t was the day before, -1 when
// it is the day after. A nil loc is UTC.
func DaysBetween(t, now time.Time, loc *time.Location) int {
	day := func(x time.Time) time.Time {
		y, m, d := in(x, loc).Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	return int(day(now).Sub(day(t)).Hours() / 24)
}
