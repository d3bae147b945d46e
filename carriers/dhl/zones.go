package dhl

import (
	"fmt"
	"strings"
	"time"
	// Embedded zone data: the desk must resolve DHL's naive local times
	// the same way on a machine without /usr/share/zoneinfo.
	_ "time/tzdata"
)

// countryZones maps countries DHL serves that keep one civil time on their
// mainland to that zone. Multi-zone countries (US, CA, AU, RU, BR, MX) are
// deliberately absent: any single pick would be hours off for part of them.
// ES and PT map to the mainland; their islands differ by an hour, which the
// TZKnown=false on every naive time already owns up to.
var countryZones = loadZones(map[string]string{
	"AT": "Europe/Vienna", "BE": "Europe/Brussels", "BG": "Europe/Sofia",
	"CH": "Europe/Zurich", "CZ": "Europe/Prague", "DE": "Europe/Berlin",
	"DK": "Europe/Copenhagen", "EE": "Europe/Tallinn", "ES": "Europe/Madrid",
	"FI": "Europe/Helsinki", "FR": "Europe/Paris", "GB": "Europe/London",
	"GR": "Europe/Athens", "HR": "Europe/Zagreb", "HU": "Europe/Budapest",
	"IE": "Europe/Dublin", "IT": "Europe/Rome", "LT": "Europe/Vilnius",
	"LU": "Europe/Luxembourg", "LV": "Europe/Riga", "NL": "Europe/Amsterdam",
	"NO": "Europe/Oslo", "PL": "Europe/Warsaw", "PT": "Europe/Lisbon",
	"RO": "Europe/Bucharest", "SE": "Europe/Stockholm", "SI": "Europe/Ljubljana",
	"SK": "Europe/Bratislava", "TR": "Europe/Istanbul",
	"CN": "Asia/Shanghai", "HK": "Asia/Hong_Kong", "IN": "Asia/Kolkata",
	"JP": "Asia/Tokyo", "KR": "Asia/Seoul", "SG": "Asia/Singapore",
	"AE": "Asia/Dubai",
})

// serviceZones is the home zone of the domestic business units, the last
// guess before UTC for an event with no country anywhere in the shipment.
var serviceZones = loadZones(map[string]string{
	"parcel-de": "Europe/Berlin",
	"post-de":   "Europe/Berlin",
	"parcel-nl": "Europe/Amsterdam",
	"parcel-pl": "Europe/Warsaw",
	"parcel-uk": "Europe/London",
})

// loadZones resolves zone names once at start-up. The names are constants
// and the zone data is embedded, so a failure is a typo in the tables above
// and any test run catches it; panicking here is the loud way to say so.
func loadZones(names map[string]string) map[string]*time.Location {
	zones := make(map[string]*time.Location, len(names))
	for key, name := range names {
		loc, err := time.LoadLocation(name)
		if err != nil {
			panic(fmt.Sprintf("dhl: zone table entry %s=%s: %v", key, name, err))
		}
		zones[key] = loc
	}
	return zones
}

// normCountry upper-cases a country code and turns DHL's "UK" into ISO "GB".
func normCountry(code string) string {
	code = strings.ToUpper(strings.TrimSpace(code))
	if code == "UK" {
		return "GB"
	}
	return code
}

// CountryZone returns the zone in which DHL's naive timestamps are read for
// a country code ("UK" counts as GB). It reports false for multi-zone and
// unlisted countries. Exported so the demo simulator writes wall times the
// way Parse will read them back.
func CountryZone(code string) (*time.Location, bool) {
	loc, ok := countryZones[normCountry(code)]
	return loc, ok
}

// shipmentZone is the best guess for an event that names no country:
// destination, then origin, then the service's home, else UTC.
func shipmentZone(s Shipment) *time.Location {
	for _, c := range []string{s.Destination.Address.CountryCode, s.Origin.Address.CountryCode} {
		if loc, ok := CountryZone(c); ok {
			return loc
		}
	}
	if loc, ok := serviceZones[s.Service]; ok {
		return loc
	}
	return time.UTC
}

// eventZone picks the zone for an event's naive timestamp. When the event
// names a country that is not in the table (say US, as in DHL's own ecommerce
// example), the shipment's zone would be a known-wrong guess, so it gets UTC.
func eventZone(e Event, shipment *time.Location) *time.Location {
	code := e.Location.Address.CountryCode
	if strings.TrimSpace(code) == "" {
		return shipment
	}
	if loc, ok := CountryZone(code); ok {
		return loc
	}
	return time.UTC
}

// zonedLayouts carry their own offset, so the instant is exact. Go accepts
// fractional seconds after "05" even though the layouts do not show them.
var zonedLayouts = []string{time.RFC3339, "2006-01-02T15:04:05Z0700"}

// naiveLayout is DHL's usual wall-clock timestamp without a zone.
const naiveLayout = "2006-01-02T15:04:05"

// parseTime reads a DHL timestamp. A zoned one gives its instant in UTC and
// tzKnown=true; a naive one is resolved in loc, which is only a guess, so
// tzKnown=false.
func parseTime(s string, loc *time.Location) (t time.Time, tzKnown bool, err error) {
	s = strings.TrimSpace(s)
	for _, layout := range zonedLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true, nil
		}
	}
	t, err = time.ParseInLocation(naiveLayout, s, loc)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("unparseable timestamp %q", s)
	}
	return t.UTC(), false, nil
}
