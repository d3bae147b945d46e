package ups

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/wismo/wismo/carriers"
)

// stampLayout is a UPS date and a normalized clock run together.
const stampLayout = "20060102150405"

// activityTime resolves when an activity happened. The gmt fields give the
// instant exactly, so they win (tzKnown=true); next the local wall time with
// gmtOffset, also exact. Without either, the wall time is read in the zone
// of the scan location, and failing that in UTC; both are guesses, so
// tzKnown=false. gmt fields that do not parse (a spec placeholder, a new
// shape) fall back to the local time rather than failing the body.
func activityTime(a Activity) (t time.Time, tzKnown bool, err error) {
	if t, err := parseStamp(a.GMTDate, a.GMTTime, time.UTC); err == nil {
		return t, true, nil
	}
	if loc, ok := offsetZone(a.GMTOffset); ok {
		if t, err := parseStamp(a.Date, a.Time, loc); err == nil {
			return t.UTC(), true, nil
		}
	}
	loc := carriers.ZoneOrUTC(addressCountry(a.Location.Address), a.Location.Address.StateProvince)
	t, err = parseStamp(a.Date, a.Time, loc)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("unparseable date/time %q %q", a.Date, a.Time)
	}
	return t.UTC(), false, nil
}

// parseStamp reads a YYYYMMDD date and a clock in loc.
func parseStamp(date, clock string, loc *time.Location) (time.Time, error) {
	c, ok := normClock(clock)
	if !ok {
		return time.Time{}, fmt.Errorf("unparseable time %q", clock)
	}
	return time.ParseInLocation(stampLayout, strings.TrimSpace(date)+c, loc)
}

// normClock turns the clock shapes UPS sends into HHMMSS: "173405" as is,
// "74700" (the spec's gmtTime, leading zero dropped) and "16:47:14" (a
// captured gmtTime). It reports false for anything else.
func normClock(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if parts := strings.Split(s, ":"); len(parts) == 3 {
		if len(parts[1]) != 2 || len(parts[2]) != 2 {
			return "", false
		}
		s = strings.Join(parts, "")
	}
	if len(s) == 5 {
		s = "0" + s
	}
	return s, len(s) == 6 && digits(s)
}

// offsetZone reads a gmtOffset: "-08:00" in the Track API, "-04.00" in Track
// Alert, and "-0800" for good measure. The part after the separator is read
// as minutes, so a value of 60 or more is refused rather than guessed at.
func offsetZone(s string) (*time.Location, bool) {
	s = strings.TrimSpace(s)
	if len(s) < 3 || (s[0] != '+' && s[0] != '-') {
		return nil, false
	}
	hh, mm := s[1:], "00"
	if i := strings.IndexAny(hh, ":."); i >= 0 {
		hh, mm = hh[:i], hh[i+1:]
	} else if len(hh) == 4 {
		hh, mm = hh[:2], hh[2:]
	}
	h, herr := strconv.Atoi(hh)
	m, merr := strconv.Atoi(mm)
	if herr != nil || merr != nil || !digits(hh+mm) || h > 14 || m >= 60 || len(mm) != 2 {
		return nil, false
	}
	secs := (h*60 + m) * 60
	if s[0] == '-' {
		secs = -secs
	}
	return time.FixedZone(s, secs), true
}

func digits(s string) bool {
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// localTime is the carrier's own timestamp kept on the event: the local
// date and time as sent ("20240131 173405"), or the gmt ones when UPS gave
// no local time.
func localTime(a Activity) string {
	if s := strings.TrimSpace(a.Date + " " + a.Time); s != "" {
		return s
	}
	return strings.TrimSpace(a.GMTDate + " " + a.GMTTime)
}

// estimatedDelivery reads the ETA: a rescheduled date beats the scheduled
// one, and a delivery window's end gives it a time of day in the
// destination's zone. A bare date is kept as that calendar day at 00:00 UTC,
// so it shows as the same day everywhere. An unreadable or missing ETA is
// simply unknown: it is advice, not history.
func estimatedDelivery(p Package) time.Time {
	date := etaDate(p.DeliveryDate)
	if date == "" {
		return time.Time{}
	}
	if dt := p.DeliveryTime; dt != nil && !strings.EqualFold(dt.Type, "DEL") && dt.EndTime != "" {
		if t, err := parseStamp(date, dt.EndTime, destinationZone(p)); err == nil {
			return t.UTC()
		}
	}
	t, err := time.Parse("20060102", date)
	if err != nil {
		return time.Time{}
	}
	return t
}

// etaDate picks the RDD date, else the SDD one; DEL is a delivery, not an
// estimate.
func etaDate(dates []DeliveryDate) string {
	var scheduled string
	for _, d := range dates {
		switch strings.ToUpper(strings.TrimSpace(d.Type)) {
		case "RDD":
			return strings.TrimSpace(d.Date)
		case "SDD":
			scheduled = strings.TrimSpace(d.Date)
		}
	}
	return scheduled
}

// destinationZone is where a delivery window's times are read: the
// destination address's zone, else the offset of the newest activity (the
// parcel is usually near its destination by then), else UTC.
func destinationZone(p Package) *time.Location {
	for _, pa := range p.PackageAddress {
		a := pa.Address
		if strings.EqualFold(strings.TrimSpace(pa.Type), "DESTINATION") {
			if loc, ok := carriers.Zone(addressCountry(a), a.StateProvince); ok {
				return loc
			}
		}
	}
	if len(p.Activity) > 0 {
		if loc, ok := offsetZone(p.Activity[0].GMTOffset); ok {
			return loc
		}
	}
	return time.UTC
}
