package carriers

import (
	"fmt"
	"strings"
	"time"
)

// zonedLayouts carry their own offset, so the instant is exact: RFC 3339
// ("Z", "+01:00") and ISO 8601's basic offset ("+0100"). Go accepts
// fractional seconds after "05" even though the layouts do not show them.
var zonedLayouts = []string{time.RFC3339, "2006-01-02T15:04:05Z0700"}

// naiveLayout is the wall-clock timestamp most carriers send without a
// zone, and ParseTime's default.
const naiveLayout = "2006-01-02T15:04:05"

// ParseTime reads a carrier's timestamp. One with Z or an offset is an
// exact instant: it comes back in UTC with tzKnown true. Otherwise it is a
// wall clock read with the first of naiveLayouts that fits (naiveLayout
// when none are given) in loc, which is only a guess, so tzKnown is false.
// Surrounding spaces are ignored.
func ParseTime(s string, loc *time.Location, naiveLayouts ...string) (t time.Time, tzKnown bool, err error) {
	s = strings.TrimSpace(s)
	if t, ok := ParseZoned(s); ok {
		return t.UTC(), true, nil
	}
	if len(naiveLayouts) == 0 {
		naiveLayouts = []string{naiveLayout}
	}
	for _, layout := range naiveLayouts {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t.UTC(), false, nil
		}
	}
	return time.Time{}, false, fmt.Errorf("unparseable timestamp %q", s)
}

// ParseZoned reads a timestamp that carries Z or an offset, keeping the
// offset, and reports false for any other.
func ParseZoned(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range zonedLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// ZoneOrUTC is Zone(country, region), or UTC where the place pins no zone:
// the fallback for reading a naive time, which is then marked TZKnown
// false.
func ZoneOrUTC(country, region string) *time.Location {
	if loc, ok := Zone(country, region); ok {
		return loc
	}
	return time.UTC
}
