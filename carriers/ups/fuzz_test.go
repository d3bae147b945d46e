package ups

import (
	"testing"

	"github.com/wismo/wismo/carriers/carrierstest"
)

// FuzzParse feeds Parse arbitrary bodies, seeded with the fixtures. Parse
// must never panic, must be all or nothing, and every event it returns must
// carry a status and a rule and be in time order.
func FuzzParse(f *testing.F) {
	carrierstest.FuzzParse(f, Parse, []byte(`{"trackResponse": {"shipment": [{"package": [{"trackingNumber": "1Z", "activity": [
		{"date": "20240101", "time": "0", "gmtDate": "20240101", "gmtTime": "9:9:9", "gmtOffset": "+14.00"}]}]}]}}`))
}
