package tracker

import (
	"testing"
	"time"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/store"
)

// A return parcel's journey moves its return on: in transit, then
// received; later scans never move it back, and a return the shop closed
// stays closed.
func TestReturnFollowsItsParcel(t *testing.T) {
	st := openStore(t)
	var id store.ParcelID
	err := st.Update(func(tx *store.Tx) error {
		if err := tx.PutOrder(store.Order{Number: "1001"}); err != nil {
			return err
		}
		p := store.Parcel{Carrier: "dhl", TrackingNumber: "RET1", Order: "1001", Direction: store.Inbound,
			RMA: "RMA-1", Status: store.StatusPending}
		if err := tx.CreateParcel(&p); err != nil {
			return err
		}
		id = p.ID
		o, _ := tx.Order("1001")
		o.Parcels = append(o.Parcels, p.ID)
		if err := tx.PutOrder(o); err != nil {
			return err
		}
		return tx.PutReturn(store.Return{RMA: "RMA-1", Order: "1001", State: store.ReturnApproved, Parcel: p.ID}, t0, "shop")
	})
	if err != nil {
		t.Fatal(err)
	}
	tr, _ := newTracker(st, newClock(t0.Add(72*time.Hour)))
	state := func() store.ReturnState {
		rs, err := st.OrderReturns("1001")
		if err != nil || len(rs) != 1 {
			t.Fatalf("returns %v, %v", rs, err)
		}
		return rs[0].State
	}
	scan := func(at time.Duration, s carriers.Status) carriers.Event {
		return carriers.Event{Time: t0.Add(at), LocalTime: t0.Add(at).Format(time.RFC3339), RawCode: string(s), Status: s, Rule: "test/" + string(s)}
	}
	ingest(t, tr, id, []carriers.Event{scan(time.Hour, carriers.StatusInfoReceived)})
	if got := state(); got != store.ReturnApproved {
		t.Errorf("after the label: %s, want still approved", got)
	}
	ingest(t, tr, id, []carriers.Event{scan(2*time.Hour, carriers.StatusInTransit)})
	if got := state(); got != store.ReturnInTransit {
		t.Errorf("in transit: %s", got)
	}
	ingest(t, tr, id, []carriers.Event{scan(30*time.Hour, carriers.StatusDelivered)})
	if got := state(); got != store.ReturnReceived {
		t.Errorf("delivered back: %s, want received", got)
	}
	// The shop refunds; a late scan does not reopen the return.
	err = st.Update(func(tx *store.Tx) error {
		r, _ := tx.Return("RMA-1")
		r.State = store.ReturnRefunded
		return tx.PutReturn(r, t0.Add(40*time.Hour), "shop")
	})
	if err != nil {
		t.Fatal(err)
	}
	ingest(t, tr, id, []carriers.Event{scan(50*time.Hour, carriers.StatusInTransit)})
	if got := state(); got != store.ReturnRefunded {
		t.Errorf("after a late scan: %s, want still refunded", got)
	}
}
