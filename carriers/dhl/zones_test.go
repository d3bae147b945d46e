package dhl

import (
	"testing"
	"time"
)

func TestEventZoneUsesTheUSState(t *testing.T) {
	e := Event{Location: Place{Address: Address{CountryCode: "US", AddressRegion: "TX"}}}
	if loc := eventZone(e, time.UTC); loc.String() != "America/Chicago" {
		t.Errorf("Texas event read in %v, want America/Chicago", loc)
	}
	e.Location.Address.AddressRegion = ""
	if loc := eventZone(e, time.UTC); loc != time.UTC {
		t.Errorf("US event without a state read in %v, want UTC", loc)
	}
}
