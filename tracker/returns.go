package tracker

import (
	"errors"
	"time"

	"github.com/wismo/wismo/store"
)

// followReturn moves a return on as its parcel travels: in transit once
// the carrier has it, received once it is delivered back. A return the shop
// has already moved further, or closed, stays where it is: the carrier's
// news never moves a return backwards.
func (t *Tracker) followReturn(tx *store.Tx, p store.Parcel, ev store.Event, now time.Time) error {
	if p.Direction != store.Inbound || p.RMA == "" {
		return nil
	}
	var next store.ReturnState
	switch {
	case p.Status == store.StatusDelivered || p.Status == store.StatusReturned:
		next = store.ReturnReceived
	case progress[p.Status] >= progress[store.StatusInTransit]:
		next = store.ReturnInTransit
	default:
		return nil
	}
	r, err := tx.Return(p.RMA)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil || r.State == next || !r.State.CanBecome(next) {
		return err
	}
	r.State = next
	if err := tx.PutReturn(r, ev.Time, "carrier "+p.Carrier); err != nil {
		return err
	}
	return t.returnMoved(tx, r, now)
}

// returnMoved tells the customer of a return's new state, if it is one
// they are told of.
func (t *Tracker) returnMoved(tx *store.Tx, r store.Return, now time.Time) error {
	if trigger, ok := returnTrigger(r.State); ok && t.notifier != nil {
		return t.notifyReturn(tx, r, trigger, now)
	}
	return nil
}
