package fedex

import (
	"strings"
	"time"

	"github.com/wismo/wismo/carriers"
)

// naiveLayouts are the forms of a FedEx date without an offset: a wall
// clock, or a bare date.
var naiveLayouts = []string{"2006-01-02T15:04:05", "2006-01-02"}

// resolveNaive gives an instant to the scans whose date carried no offset;
// they all keep TZKnown=false.
//
// A naive midnight is FedEx's placeholder for a scan whose day it knows but
// not its time (a pickup, mostly). Read as midnight it sorts before the
// label created hours earlier that day, and a parcel just picked up looks
// as if it were only labelled. Read as the end of the day it sorts after a
// same-day delivery and reopens it. So it goes where the journey puts it:
// one second after the day's last scan of an earlier phase (label, then
// movement, then everything else; see phase), the day taken from each
// scan's own wall clock; with no such scan it stays at the start of the
// day. A later poll that brings more scans of that day may move it; the
// event's fingerprint is taken from LocalTime, so it stays one scan.
//
// Any other naive time is read in the zone of the scan's place, else in the
// offset of another scan of the same day, else in UTC.
func resolveNaive(events []carriers.Event) {
	for i := range events {
		e := &events[i]
		if e.TZKnown {
			continue
		}
		if isMidnight(e.Time) {
			if at, ok := lastEarlierPhase(events, *e); ok {
				e.Time = at.Add(time.Second)
				continue
			}
		}
		w := e.Time
		e.Time = time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(),
			w.Nanosecond(), naiveZone(events, *e)).UTC()
	}
}

func isMidnight(t time.Time) bool {
	return t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0
}

// phase orders statuses coarsely along a journey, for placing date-only
// scans: the label, the movement, then delivery, pickup points, exceptions
// and returns, whose order among themselves a bare date cannot tell.
func phase(s carriers.Status) int {
	switch s {
	case carriers.StatusInfoReceived:
		return 0
	case carriers.StatusInTransit:
		return 1
	}
	return 2
}

// lastEarlierPhase is the instant of the latest zoned scan on p's day whose
// phase comes before p's.
func lastEarlierPhase(events []carriers.Event, p carriers.Event) (time.Time, bool) {
	day, ph := localDate(p), phase(p.Status)
	var at time.Time
	found := false
	for _, e := range events {
		if e.TZKnown && localDate(e) == day && phase(e.Status) < ph && (!found || e.Time.After(at)) {
			at, found = e.Time, true
		}
	}
	return at, found
}

// naiveZone is the zone a naive wall clock is read in; see resolveNaive.
func naiveZone(events []carriers.Event, p carriers.Event) *time.Location {
	if loc, ok := carriers.Zone(p.Location.Country, p.Location.Region); ok {
		return loc
	}
	day := localDate(p)
	for _, e := range events {
		if !e.TZKnown || localDate(e) != day {
			continue
		}
		if t, ok := carriers.ParseZoned(e.LocalTime); ok {
			return t.Location()
		}
	}
	return time.UTC
}

// localDate is the calendar day of the scan's own wall clock, as FedEx
// wrote it. Only called on events whose LocalTime parsed, so it is at least
// a date long.
func localDate(e carriers.Event) string {
	return strings.TrimSpace(e.LocalTime)[:len("2006-01-02")]
}
