package tracker

import (
	"fmt"
	"testing"
	"time"

	"github.com/wismo/wismo/store"
)

// BenchmarkSweepNothingDue is the sweep's cost on a desk watching 100k
// parcels when none is due, which is nearly always: it runs every second,
// so it must cost next to nothing. A quarter of the parcels await their
// first scan, the rest move under four carriers (one with a threshold of
// its own), and half are promised for a day still ahead.
//
//	go test ./tracker -run '^$' -bench SweepNothingDue -benchmem
func BenchmarkSweepNothingDue(b *testing.B) {
	st := openStore(b)
	clk := newClock(t0)
	tr, _ := newTracker(st, clk)
	tr.cfg.StallAfterByCarrier = map[string]time.Duration{"usps": 96 * time.Hour}
	watchParcels(b, st, 100_000)
	for b.Loop() {
		if err := tr.Sweep(); err != nil {
			b.Fatal(err)
		}
	}
}

// watchParcels stores n parcels the time rules watch, none of them due at
// t0, in transactions of a few thousand.
func watchParcels(b *testing.B, st *store.Store, n int) {
	const perTx = 5000
	carrierOf := []string{"dhl", "ups", "fedex", "usps"}
	for from := 0; from < n; from += perTx {
		err := st.Update(func(tx *store.Tx) error {
			for i := from; i < min(from+perTx, n); i++ {
				since := t0.Add(-time.Duration(i%24) * time.Hour)
				p := store.Parcel{Carrier: carrierOf[i%4], TrackingNumber: fmt.Sprintf("W%07d", i), Order: fmt.Sprintf("#%d", i),
					Direction: store.Outbound, Status: store.StatusInTransit, LastEventAt: since, CreatedAt: since.Add(-time.Hour)}
				if (i/4)%4 == 3 {
					p.Status, p.LastEventAt = store.StatusInfoReceived, time.Time{}
				}
				if i%2 == 0 {
					p.PromisedBy = t0.Add(72 * time.Hour)
				}
				if err := tx.CreateParcel(&p); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
