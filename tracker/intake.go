package tracker

import (
	"errors"
	"fmt"
	"time"

	"github.com/wismo/wismo/store"
	"github.com/wismo/wismo/tracker/intake"
)

// ErrOrderUnknown reports news about an order the desk has not been told of
// yet, such as a fulfillment arriving before its order: worth a retry.
var ErrOrderUnknown = errors.New("order not known yet")

// ImportOrder stores an order from the shop with the parcels of its
// fulfillments. Importing the same order again changes only what changed:
// the customer and address may be corrected, parcels already known stay as
// they are, so re-imports and repeated webhooks are harmless.
func (t *Tracker) ImportOrder(tx *store.Tx, o intake.Order, now time.Time) error {
	stored, err := tx.Order(o.Number)
	switch {
	case errors.Is(err, store.ErrNotFound):
		stored = store.Order{Number: o.Number}
	case err != nil:
		return err
	}
	stored.Channel, stored.PlacedAt = o.Channel, o.PlacedAt
	stored.Customer, stored.ShipTo, stored.Lines = o.Customer, o.ShipTo, o.Lines
	if err := tx.PutOrder(stored); err != nil {
		return fmt.Errorf("order %s: %w", o.Number, err)
	}
	for _, f := range o.Fulfillments {
		f.Order = o.Number
		if err := t.ImportFulfillment(tx, f, now); err != nil {
			return err
		}
	}
	return nil
}

// ImportFulfillment adds a shipment's parcels to its order, each due for a
// first poll at now. A parcel already known is left alone; a cancelled
// shipment adds nothing.
func (t *Tracker) ImportFulfillment(tx *store.Tx, f intake.Fulfillment, now time.Time) error {
	if f.Cancelled {
		return nil
	}
	o, err := tx.Order(f.Order)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("fulfillment of order %s: %w", f.Order, ErrOrderUnknown)
	}
	if err != nil {
		return err
	}
	for _, number := range f.TrackingNumbers {
		p := store.Parcel{Carrier: f.Carrier, Feed: t.feedFor(f.Carrier), TrackingNumber: number, Order: o.Number,
			Service: f.Service, Direction: store.Outbound, Status: store.StatusPending, NextPollAt: now, CreatedAt: now}
		if _, err := addOrderParcel(tx, &o, p); err != nil {
			return fmt.Errorf("order %s: %w", o.Number, err)
		}
	}
	return tx.PutOrder(o)
}

// addOrderParcel creates p on o unless its carrier's tracking number is
// known, and returns the parcel's id. A number known on another order is an
// error: one parcel, one order. The caller writes o.
func addOrderParcel(tx *store.Tx, o *store.Order, p store.Parcel) (store.ParcelID, error) {
	known, err := tx.ParcelByTracking(p.Carrier, p.TrackingNumber)
	switch {
	case err == nil && known.Order != o.Number:
		return 0, fmt.Errorf("%s %s already ships order %s", p.Carrier, p.TrackingNumber, known.Order)
	case err == nil:
		return known.ID, nil
	case !errors.Is(err, store.ErrNotFound):
		return 0, err
	}
	if err := tx.CreateParcel(&p); err != nil {
		return 0, err
	}
	o.Parcels = append(o.Parcels, p.ID)
	return p.ID, nil
}

// ImportReturn records a return as the shop reports it, and its return
// parcel once it has a tracking number. The state may only move the way
// the return state machine allows (store.ErrBadMove otherwise); reporting
// the same state again changes nothing.
func (t *Tracker) ImportReturn(tx *store.Tx, r intake.Return, now time.Time) error {
	ret := store.Return{RMA: r.RMA, Order: r.Order, Lines: r.Lines, Reason: r.Reason, State: r.State,
		RefundAmount: r.Refund, Currency: r.Currency, RefundedAt: r.RefundedAt}
	if old, err := tx.Return(r.RMA); err == nil {
		ret.Parcel = old.Parcel
	}
	if r.TrackingNumber != "" && ret.Parcel == 0 {
		o, err := tx.Order(r.Order)
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("return %s of order %s: %w", r.RMA, r.Order, ErrOrderUnknown)
		}
		if err != nil {
			return err
		}
		p := store.Parcel{Carrier: r.Carrier, Feed: t.feedFor(r.Carrier), TrackingNumber: r.TrackingNumber, Order: o.Number,
			Direction: store.Inbound, RMA: r.RMA, Status: store.StatusPending, NextPollAt: now, CreatedAt: now}
		id, err := addOrderParcel(tx, &o, p)
		if err != nil {
			return fmt.Errorf("return %s: %w", r.RMA, err)
		}
		if err := tx.PutOrder(o); err != nil {
			return err
		}
		ret.Parcel = id
	}
	if err := tx.PutReturn(ret, cmpOr(r.UpdatedAt, now), "shop"); err != nil {
		return err
	}
	return t.returnMoved(tx, ret, now)
}

// feedFor is the feed to track a carrier's parcels with: the carrier's own
// when the desk polls it, else an aggregator the desk has (AfterShip
// pushes, then EasyPost), else the carrier's name, which fails visibly as
// "no feed configured".
func (t *Tracker) feedFor(carrier string) string {
	if _, ok := t.feeds[carrier]; ok {
		return ""
	}
	t.pushMu.Lock()
	_, aftership := t.push["aftership"]
	t.pushMu.Unlock()
	if aftership {
		return "aftership"
	}
	if _, ok := t.feeds["easypost"]; ok {
		return "easypost"
	}
	return ""
}

func cmpOr(t, def time.Time) time.Time {
	if t.IsZero() {
		return def
	}
	return t
}
