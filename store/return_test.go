package store

import (
	"errors"
	"testing"
	"time"
)

// Every pair of states: the moves the machine lists are allowed, staying is
// allowed, everything else is refused; refunded and rejected are final.
func TestReturnStateMachine(t *testing.T) {
	states := []ReturnState{ReturnRequested, ReturnApproved, ReturnLabelIssued, ReturnInTransit,
		ReturnReceived, ReturnInspected, ReturnRefunded, ReturnRejected}
	allowed := map[[2]ReturnState]bool{}
	for from, tos := range returnMoves {
		for _, to := range tos {
			allowed[[2]ReturnState{from, to}] = true
		}
	}
	order := map[ReturnState]int{}
	for i, s := range states {
		order[s] = i
	}
	for _, from := range states {
		for _, to := range states {
			want := from == to || allowed[[2]ReturnState{from, to}]
			if got := from.CanBecome(to); got != want {
				t.Errorf("%s → %s: %v, want %v", from, to, got, want)
			}
			// No move goes back up the journey, and the ends are final.
			if want && from != to && (to != ReturnRejected && order[to] < order[from] || from == ReturnRefunded || from == ReturnRejected) {
				t.Errorf("%s → %s is allowed but goes backwards or leaves an end", from, to)
			}
		}
	}
	if ReturnState("lost").Valid() || ReturnState("lost").CanBecome(ReturnRefunded) {
		t.Error("an unknown state is valid")
	}
}

func TestPutReturnFollowsTheMachine(t *testing.T) {
	s := openTemp(t)
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	put := func(r Return, at time.Time) error {
		return s.Update(func(tx *Tx) error { return tx.PutReturn(r, at, "shop") })
	}
	if err := put(Return{RMA: "R1", Order: "404", State: ReturnRequested}, t0); !errors.Is(err, ErrNotFound) {
		t.Errorf("return on an unknown order: %v", err)
	}
	if err := s.Update(func(tx *Tx) error { return tx.PutOrder(Order{Number: "1001"}) }); err != nil {
		t.Fatal(err)
	}
	r := Return{RMA: "R1", Order: "1001", State: ReturnRequested, Reason: "too small", Lines: []Line{{SKU: "TSH", Qty: 1}}}
	for i, state := range []ReturnState{ReturnRequested, ReturnRequested, ReturnApproved, ReturnInTransit, ReturnReceived, ReturnRefunded} {
		r.State = state
		if err := put(r, t0.Add(time.Duration(i)*time.Hour)); err != nil {
			t.Fatalf("to %s: %v", state, err)
		}
	}
	r.State = ReturnInTransit
	if err := put(r, t0.Add(10*time.Hour)); !errors.Is(err, ErrBadMove) {
		t.Errorf("refunded → in_transit: %v, want ErrBadMove", err)
	}
	if err := put(Return{RMA: "R1", Order: "1002", State: ReturnRefunded}, t0); err == nil {
		t.Error("an RMA moved to another order")
	}
	got, err := s.OrderReturns("1001")
	if err != nil || len(got) != 1 || got[0].State != ReturnRefunded || len(got[0].History) != 5 || !got[0].CreatedAt.Equal(t0) {
		t.Errorf("returns = %+v, %v; want R1 refunded with 5 steps (the repeat adds none), created at t0", got, err)
	}
}
