package tracker

import (
	"fmt"
	"testing"
	"time"

	"github.com/wismo/wismo/carriers"
)

// BenchmarkWebhookDelivery posts signed deliveries to the receiver over
// loopback HTTP, each a new scan of one of 1,000 parcels: signature check,
// parse, dedupe, merge, commit and the 200, one delivery after another as a
// provider sends them.
func BenchmarkWebhookDelivery(b *testing.B) {
	st := openStore(b)
	const parcels = 1000
	for i := range parcels {
		addParcel(b, st, fmt.Sprintf("JJD%04d", i), time.Time{})
	}
	tr, _ := newTracker(st, newClock(t0))
	url := receiver(b, tr, "s3cret")
	bodies := make([][]byte, 0, b.N)
	for i := range b.N {
		at := time.Duration(i/parcels) * time.Minute
		bodies = append(bodies, pushOf(b, fmt.Sprintf("evt_%d", i), fmt.Sprintf("JJD%04d", i%parcels),
			event(at, carriers.StatusInTransit, fmt.Sprintf("Scan %d", i))))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if code, msg := push(b, url, "s3cret", bodies[i]); code != 200 || msg != "applied" {
			b.Fatalf("delivery %d: %d %q", i, code, msg)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "deliveries/s")
}
