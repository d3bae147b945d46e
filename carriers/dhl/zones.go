package dhl

import (
	"strings"
	"time"

	"github.com/wismo/wismo/carriers"
)

// serviceZones is the home zone of the domestic business units, the last
// guess before UTC for an event with no country anywhere in the shipment.
var serviceZones = carriers.LoadZones(map[string]string{
	"parcel-de": "Europe/Berlin",
	"post-de":   "Europe/Berlin",
	"parcel-nl": "Europe/Amsterdam",
	"parcel-pl": "Europe/Warsaw",
	"parcel-uk": "Europe/London",
})

// addressZone is the zone of an address: by state in the US (DHL sends
// addressRegion there), by country elsewhere ("UK" counts as GB).
func addressZone(a Address) (*time.Location, bool) {
	return carriers.Zone(a.CountryCode, a.AddressRegion)
}

// shipmentZone is the best guess for an event that names no country:
// destination, then origin, then the service's home, else UTC.
func shipmentZone(s Shipment) *time.Location {
	for _, a := range []Address{s.Destination.Address, s.Origin.Address} {
		if strings.TrimSpace(a.CountryCode) == "" {
			continue
		}
		if loc, ok := addressZone(a); ok {
			return loc
		}
	}
	if loc, ok := serviceZones[s.Service]; ok {
		return loc
	}
	return time.UTC
}

// eventZone picks the zone for an event's naive timestamp. When the event
// names a place no single zone fits (a US address without its state, as in
// DHL's own ecommerce example), the shipment's zone would be a known-wrong
// guess, so it gets UTC.
func eventZone(e Event, shipment *time.Location) *time.Location {
	a := e.Location.Address
	if strings.TrimSpace(a.CountryCode) == "" {
		return shipment
	}
	if loc, ok := addressZone(a); ok {
		return loc
	}
	return time.UTC
}
