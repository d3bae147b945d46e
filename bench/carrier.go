package bench

import (
	"context"
	"fmt"
	"sort"
	"sync/atomic"

	"github.com/wismo/wismo/carriers"
)

// trackingDigits is how many trailing digits of a bench tracking number are
// the parcel's index.
const trackingDigits = 8

// feed is an in-process carrier over the dataset: it answers a poll with the
// part of the parcel's journey that has happened by the current round, the
// whole history so far as carriers' tracking APIs do. There is no network,
// so what the bench times is the desk's own work.
type feed struct {
	name   string
	data   *dataset
	rounds int
	round  *atomic.Int32
}

func (f feed) Carrier() string { return f.name }

// MaxBatch lets one call carry as many numbers as FedEx's API does.
func (f feed) MaxBatch() int { return 30 }

func (f feed) Track(_ context.Context, numbers []string) ([]carriers.Result, error) {
	out := make([]carriers.Result, len(numbers))
	for i, tn := range numbers {
		out[i] = carriers.Result{TrackingNumber: tn}
		j, err := parcelIndex(tn, trackingDigits)
		if err != nil || j >= f.data.parcels {
			out[i].Err = fmt.Errorf("%s %s: %w", f.name, tn, carriers.ErrNotFound)
			continue
		}
		events := f.data.journey(f.data.orderOf(j), j)
		out[i].Shipments = []carriers.Shipment{{
			Carrier: f.name, TrackingNumber: tn,
			Events: events[:soFar(len(events), int(f.round.Load()), f.rounds)],
		}}
	}
	return out, nil
}

// soFar is how many of a journey's n events have happened by round r of
// rounds: a share in every round, all of them in the last.
func soFar(n, r, rounds int) int { return (n*(r+1) + rounds - 1) / rounds }

// orderOf is the order parcel j belongs to.
func (d *dataset) orderOf(j int) int {
	return sort.Search(d.orders, func(i int) bool { return int(d.firsts[i+1]) > j })
}
