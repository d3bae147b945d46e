package dhl

import (
	"testing"

	"github.com/wismo/wismo/carriers/carrierstest"
)

// FuzzParse feeds Parse arbitrary bodies, seeded with the fixtures. Parse
// must never panic, must be all or nothing, and every event it returns must
// carry a status and a rule and be in time order.
func FuzzParse(f *testing.F) {
	carrierstest.FuzzParse(f, Parse, []byte(`{"shipments": [{"id": 1, "status": {"timestamp": "2024-01-01T00:00:00+14:00", "statusCode": "failure"}}]}`))
}
