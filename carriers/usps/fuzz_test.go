package usps

import (
	"testing"

	"github.com/wismo/wismo/carriers/carrierstest"
)

// FuzzParse feeds Parse arbitrary bodies, seeded with the fixtures. Parse
// must never panic, must be all or nothing, and every event it returns must
// carry a status and a rule and be in time order.
func FuzzParse(f *testing.F) {
	carrierstest.FuzzParse(f, Parse, []byte(`{"trackingNumber": "T", "trackingEvents": [{"eventTimestamp": "2024-01-01T00:00:00", "GMTOffset": -840, "eventCode": "<01>"}]}`))
}
