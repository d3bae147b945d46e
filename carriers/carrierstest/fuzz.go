package carrierstest

import (
	"testing"

	"github.com/wismo/wismo/carriers"
)

// FuzzParse feeds parse arbitrary bodies, seeded with every
// testdata/*.json and seeds. parse must never panic, must be all or
// nothing (an error comes with a nil result), and every event it returns
// must carry a status and a rule and be in time order.
func FuzzParse(f *testing.F, parse func([]byte) ([]carriers.Shipment, error), seeds ...[]byte) {
	seed(f, seeds)
	f.Fuzz(func(t *testing.T, body []byte) {
		shipments, err := parse(body)
		if err != nil && shipments != nil {
			t.Fatalf("error %v came with a partial result", err)
		}
		checkShipments(t, shipments)
	})
}

// FuzzWebhook is FuzzParse for a webhook's Parse: an error must come with
// an empty Delivery.
func FuzzWebhook(f *testing.F, w carriers.Webhook, seeds ...[]byte) {
	seed(f, seeds)
	f.Fuzz(func(t *testing.T, body []byte) {
		d, err := w.Parse(body)
		if err != nil && (d.ID != "" || d.Shipments != nil) {
			t.Fatalf("error %v came with a partial delivery", err)
		}
		checkShipments(t, d.Shipments)
	})
}

// seed adds every fixture body and seeds to f's corpus.
func seed(f *testing.F, seeds [][]byte) {
	for _, name := range Fixtures(f) {
		f.Add(Fixture(f, name))
	}
	for _, s := range seeds {
		f.Add(s)
	}
}

// checkShipments fails unless every event has a status and a rule and the
// events are in time order.
func checkShipments(t *testing.T, shipments []carriers.Shipment) {
	t.Helper()
	for _, s := range shipments {
		for i, e := range s.Events {
			if e.Status == "" || e.Rule == "" {
				t.Fatalf("event %d has empty status or rule: %+v", i, e)
			}
			if i > 0 && e.Time.Before(s.Events[i-1].Time) {
				t.Fatalf("events out of order at %d", i)
			}
		}
	}
}
