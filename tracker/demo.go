package tracker

import (
	"fmt"
	"time"

	"github.com/wismo/wismo/carriers/sim"
	"github.com/wismo/wismo/store"
)

// SeedDemo stores the simulated world's orders and their parcels, each due
// for a first poll at now, in one transaction. Orders already in the store
// are left as they are, so a demo restarted on the same data continues.
func SeedDemo(st *store.Store, w *sim.World, now time.Time) (int, error) {
	added := 0
	err := st.Update(func(tx *store.Tx) error {
		for _, so := range w.Orders {
			if _, err := tx.Order(so.Number); err == nil {
				continue
			}
			if err := seedOrder(tx, so, now); err != nil {
				return fmt.Errorf("order %s: %w", so.Number, err)
			}
			added++
		}
		return nil
	})
	return added, err
}

func seedOrder(tx *store.Tx, so sim.Order, now time.Time) error {
	o := store.Order{
		Number:   so.Number,
		Channel:  "web",
		PlacedAt: so.PlacedAt,
		Customer: store.Customer(so.Customer),
		ShipTo: store.Address{
			Name: so.ShipTo.Name, Line1: so.ShipTo.Line1, City: so.ShipTo.City, Region: so.ShipTo.Region,
			PostalCode: so.ShipTo.PostalCode, Country: so.ShipTo.Country,
		},
	}
	for _, l := range so.Lines {
		o.Lines = append(o.Lines, store.Line(l))
	}
	for _, sp := range so.Parcels {
		p := store.Parcel{
			Carrier:        sp.Carrier,
			Feed:           sp.Feed,
			TrackingNumber: sp.TrackingNumber,
			Order:          so.Number,
			Service:        sp.Service,
			Direction:      store.Outbound,
			Status:         store.StatusPending,
			PromisedBy:     sp.PromisedBy,
			NextPollAt:     now,
			// The label exists from when the simulated shop ships it, on
			// the simulated clock the never-scanned rule reads.
			CreatedAt: sp.ShippedAt,
		}
		if err := tx.CreateParcel(&p); err != nil {
			return err
		}
		o.Parcels = append(o.Parcels, p.ID)
	}
	return tx.PutOrder(o)
}
