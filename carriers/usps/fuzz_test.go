package usps

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse feeds Parse arbitrary bodies, seeded with the fixtures. Parse
// must never panic, must be all or nothing, and every event it returns must
// carry a status and a rule and be in time order.
func FuzzParse(f *testing.F) {
	paths, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil || len(paths) == 0 {
		f.Fatalf("no fixtures: %v", err)
	}
	for _, p := range paths {
		body, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(body)
	}
	f.Add([]byte(`{"trackingNumber": "T", "trackingEvents": [{"eventTimestamp": "2024-01-01T00:00:00", "GMTOffset": -840, "eventCode": "<01>"}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		shipments, err := Parse(body)
		if err != nil {
			if shipments != nil {
				t.Fatalf("error %v came with a partial result", err)
			}
			return
		}
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
	})
}
