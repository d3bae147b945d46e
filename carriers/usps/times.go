package usps

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/wismo/wismo/carriers"
)

// wallLayouts are the zone-less forms of eventTimestamp ("2024-11-22T13:58:00").
var wallLayouts = []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05"}

// dateLayouts add the date-only form the expected-delivery fields may take.
var dateLayouts = []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02"}

// eventTime resolves an event's instant from the best source it has:
// GMTTimestamp (UTC, exact), else eventTimestamp at GMTOffset (exact), else
// eventTimestamp in a zone guessed from the place (tzKnown=false). Local
// and GMT times are never compared: local is cut to the minute while GMT
// keeps its seconds, so they differ for every real scan.
func eventTime(e TrackingEvent, d TrackingDetails) (t time.Time, tzKnown bool, err error) {
	if gmt := strings.TrimSpace(e.GMTTimestamp); gmt != "" {
		// Zone-less, it is still GMT by name.
		t, _, err := carriers.ParseTime(gmt, time.UTC, wallLayouts...)
		if err != nil {
			return time.Time{}, false, fmt.Errorf("GMTTimestamp: %w", err)
		}
		return t, true, nil
	}
	local := strings.TrimSpace(e.EventTimestamp)
	if local == "" {
		return time.Time{}, false, errors.New("no eventTimestamp or GMTTimestamp")
	}
	zone := naiveZone(e, d)
	if e.GMTOffset.Known {
		zone = e.GMTOffset.Zone()
	}
	t, zoned, err := carriers.ParseTime(local, zone, wallLayouts...)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("eventTimestamp: %w", err)
	}
	return t, zoned || e.GMTOffset.Known, nil
}

// naiveZone guesses the zone of an event's wall time when USPS sent no
// offset: the event's state, else the destination's, else the origin's
// (sorting-centre events carry no state). A foreign event uses its
// country's zone, or UTC where the country does not pin one, because a US
// state would be a known-wrong guess.
func naiveZone(e TrackingEvent, d TrackingDetails) *time.Location {
	if !domestic(e.EventCountry) {
		if loc, ok := carriers.Zone(e.EventCountry, ""); ok {
			return loc
		}
		return time.UTC
	}
	for _, state := range []string{e.EventState, d.DestinationState, d.OriginState} {
		if loc, ok := carriers.Zone("US", state); ok {
			return loc
		}
	}
	return time.UTC
}

// domestic reports whether eventCountry names the US; USPS leaves it null
// for domestic scans.
func domestic(country string) bool {
	c := carriers.NormCountry(country)
	return c == "" || c == "US" || c == "UNITED STATES"
}

// eta is the first readable of the expected, guaranteed and predicted
// delivery dates. An ETA is advisory, so an unreadable one is simply
// unknown (zero) rather than an error. Zone-less values are read in the
// destination's zone; a bare date is the start of that day there.
func eta(d TrackingDetails) time.Time {
	zone := carriers.ZoneOrUTC("US", d.DestinationState)
	for _, s := range []string{d.ExpectedDeliveryTimeStamp, d.GuaranteedDeliveryTimeStamp, d.PredictedDeliveryDate} {
		if t, _, err := carriers.ParseTime(s, zone, dateLayouts...); err == nil {
			return t
		}
	}
	return time.Time{}
}
