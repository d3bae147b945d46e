package aftership

import (
	"errors"
	"strings"
	"time"

	"github.com/wismo/wismo/carriers"
)

// dateLayout is a bare date, as an ETA may be.
const dateLayout = "2006-01-02"

// parseTime reads a checkpoint_time. With Z or an offset the instant is
// exact (tzKnown=true). Without, it is wall clock at the checkpoint,
// resolved in the zone of its country and state (or UTC when they pin
// none) with tzKnown=false: never silently treated as UTC.
func parseTime(s, country, region string) (t time.Time, tzKnown bool, err error) {
	if strings.TrimSpace(s) == "" {
		return time.Time{}, false, errors.New("missing checkpoint_time")
	}
	return carriers.ParseTime(s, carriers.ZoneOrUTC(country, region))
}

// eta is the tracking's current ETA: latest_estimated_delivery (its
// datetime, else the end of its range), else expected_delivery. An ETA is
// advisory, so an unreadable one is unknown (zero), not an error.
func eta(t Tracking) time.Time {
	var candidates []string
	if e := t.LatestEstimatedDelivery; e != nil {
		candidates = append(candidates, e.Datetime, e.DatetimeMax)
	}
	candidates = append(candidates, t.ExpectedDelivery)
	s := strings.TrimSpace(firstOf(candidates...))
	if d, err := time.Parse(dateLayout, s); err == nil {
		// A bare date is a day, not an instant; the desk shows days in UTC.
		return d
	}
	country := firstOf(t.DestinationCountryRegion, t.DestinationCountryISO3)
	at, _, err := parseTime(s, country, t.DestinationState)
	if err != nil {
		return time.Time{}
	}
	return at
}
