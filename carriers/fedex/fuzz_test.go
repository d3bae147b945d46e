package fedex

import (
	"testing"

	"github.com/wismo/wismo/carriers/carrierstest"
)

// FuzzParse feeds Parse arbitrary bodies, seeded with the fixtures. Parse
// must never panic, must be all or nothing, and every event it returns must
// carry a status and a rule and be in time order.
func FuzzParse(f *testing.F) {
	carrierstest.FuzzParse(f, Parse, []byte(`{"output": {"completeTrackResults": [{"trackingNumber": "1", "trackResults": [{"scanEvents": [
		{"date": "2024-01-01", "eventType": "OD"}, {"date": "2024-01-01T00:00:00+14:00", "eventType": "OC"},
		{"date": "2024-01-01T00:00:00", "eventType": "RS"}, {"date": "2024-01-01T23:59:59-12:00", "eventType": "DL"}]}]}]}}`))
}
