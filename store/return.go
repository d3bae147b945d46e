package store

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// ReturnState is where a return is, from the customer's request to the
// refund.
type ReturnState string

// The return states.
const (
	ReturnRequested   ReturnState = "requested"
	ReturnApproved    ReturnState = "approved"
	ReturnLabelIssued ReturnState = "label_issued"
	ReturnInTransit   ReturnState = "in_transit"
	ReturnReceived    ReturnState = "received"
	ReturnInspected   ReturnState = "inspected"
	ReturnRefunded    ReturnState = "refunded"
	ReturnRejected    ReturnState = "rejected"
)

// returnMoves lists where each state may go. A return may skip steps a
// shop does not report (a label issued with the approval, a parcel first
// seen in transit, a refund without a recorded inspection), never go back,
// and ends refunded or rejected.
var returnMoves = map[ReturnState][]ReturnState{
	ReturnRequested:   {ReturnApproved, ReturnLabelIssued, ReturnRejected},
	ReturnApproved:    {ReturnLabelIssued, ReturnInTransit, ReturnReceived, ReturnRejected},
	ReturnLabelIssued: {ReturnInTransit, ReturnReceived, ReturnRejected},
	ReturnInTransit:   {ReturnReceived},
	ReturnReceived:    {ReturnInspected, ReturnRefunded, ReturnRejected},
	ReturnInspected:   {ReturnRefunded, ReturnRejected},
	ReturnRefunded:    nil,
	ReturnRejected:    nil,
}

// Valid reports whether s is a return state.
func (s ReturnState) Valid() bool {
	_, ok := returnMoves[s]
	return ok
}

// Final reports whether a return in state s is over: refunded or rejected.
func (s ReturnState) Final() bool { return s.Valid() && len(returnMoves[s]) == 0 }

// CanBecome reports whether a return in state s may move to next. Staying
// is allowed: a shop reporting the same state twice changes nothing.
func (s ReturnState) CanBecome(next ReturnState) bool {
	return s == next || slices.Contains(returnMoves[s], next)
}

// Return is a customer's return of some of an order's items.
type Return struct {
	RMA    string      `json:"rma"`
	Order  string      `json:"order"`
	Lines  []Line      `json:"lines,omitempty"`
	Reason string      `json:"reason,omitempty"`
	State  ReturnState `json:"state"`
	// Parcel is the return parcel, once it has a tracking number; it is
	// tracked like any parcel, and its journey moves the return on.
	Parcel ParcelID `json:"parcel,omitempty"`
	// RefundAmount is in the currency's minor units (cents).
	RefundAmount int64     `json:"refund_amount,omitempty"`
	Currency     string    `json:"currency,omitempty"`
	RefundedAt   time.Time `json:"refunded_at,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
	// History lists the states the return went through, oldest first.
	History []ReturnStep `json:"history,omitempty"`
}

// ReturnStep is one state a return reached, when, and on whose word.
type ReturnStep struct {
	State ReturnState `json:"state"`
	At    time.Time   `json:"at"`
	By    string      `json:"by,omitempty"`
}

// ErrBadMove reports a return state change its state machine forbids.
var ErrBadMove = errors.New("return cannot move")

// Return reads one return by RMA.
func (t *Tx) Return(rma string) (Return, error) {
	var r Return
	err := t.get(bucketReturns, []byte(rma), &r)
	return r, err
}

// PutReturn stores a return and lists it on its order. A change of state
// must be one the state machine allows (ErrBadMove otherwise), and is added
// to the history with at and by.
func (t *Tx) PutReturn(r Return, at time.Time, by string) error {
	if r.RMA == "" || strings.ContainsRune(r.RMA, 0) || !r.State.Valid() {
		return fmt.Errorf("return needs an RMA and a state, got %q in %q", r.RMA, r.State)
	}
	o, err := t.Order(r.Order)
	if err != nil {
		return fmt.Errorf("return %s: order %s: %w", r.RMA, r.Order, err)
	}
	old, err := t.Return(r.RMA)
	switch {
	case errors.Is(err, ErrNotFound):
		r.CreatedAt, r.History = at, []ReturnStep{{State: r.State, At: at, By: by}}
	case err != nil:
		return err
	case old.Order != r.Order:
		return fmt.Errorf("return %s belongs to order %s, not %s", r.RMA, old.Order, r.Order)
	case !old.State.CanBecome(r.State):
		return fmt.Errorf("%w from %s to %s (return %s)", ErrBadMove, old.State, r.State, r.RMA)
	default:
		r.CreatedAt, r.History = old.CreatedAt, old.History
		if r.State != old.State {
			r.History = append(r.History, ReturnStep{State: r.State, At: at, By: by})
		}
	}
	if !slices.Contains(o.Returns, r.RMA) {
		o.Returns = append(o.Returns, r.RMA)
		if err := t.PutOrder(o); err != nil {
			return err
		}
	}
	return t.put(bucketReturns, []byte(r.RMA), r)
}

// OrderReturns returns an order's returns, oldest first.
func (s *Store) OrderReturns(order string) ([]Return, error) {
	var out []Return
	err := s.hotOrHistory(order, 0, func(tx *Tx) error {
		o, err := tx.Order(order)
		if err != nil {
			return err
		}
		for _, rma := range o.Returns {
			r, err := tx.Return(rma)
			if err != nil {
				return fmt.Errorf("return %s: %w", rma, err)
			}
			out = append(out, r)
		}
		return nil
	}, func(rec archiveRecord) { out = rec.Returns })
	return out, err
}
