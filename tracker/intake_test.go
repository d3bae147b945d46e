package tracker

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/wismo/wismo/store"
	"github.com/wismo/wismo/tracker/intake"
)

func TestImportingAnOrderTwiceChangesOnlyWhatChanged(t *testing.T) {
	st := openStore(t)
	tr, _ := newTracker(st, newClock(t0), &scripted{name: "dhl"})
	tr.Webhooks(Hook{Webhook: aftershipLike{}})
	o := intake.Order{Number: "1001", PlacedAt: t0, Customer: store.Customer{Name: "Anna Müller", Email: "anna@example.com"},
		ShipTo: store.Address{City: "Berlin", Country: "DE"}, Lines: []store.Line{{SKU: "MUG", Title: "Mug", Qty: 1}},
		Fulfillments: []intake.Fulfillment{
			{Carrier: "dhl", TrackingNumbers: []string{"JJD1", "JJD2"}},
			{Carrier: "ups", TrackingNumbers: []string{"1Z1"}},
			{Carrier: "dhl", TrackingNumbers: []string{"JJD9"}, Cancelled: true},
		}}
	for range 2 {
		if err := st.Update(func(tx *store.Tx) error { return tr.ImportOrder(tx, o, t0) }); err != nil {
			t.Fatal(err)
		}
	}
	o.Customer.Email = "anna.mueller@example.com"
	if err := st.Update(func(tx *store.Tx) error { return tr.ImportOrder(tx, o, t0) }); err != nil {
		t.Fatal(err)
	}
	d, err := st.Order("1001")
	if err != nil || len(d.Parcels) != 3 || d.Order.Customer.Email != "anna.mueller@example.com" {
		t.Fatalf("order = %+v, %v; want 3 parcels and the corrected email", d.Order, err)
	}
	feeds := map[string]string{}
	for _, p := range d.Parcels {
		feeds[p.TrackingNumber] = p.Feed
	}
	// DHL is polled; UPS, with no feed of its own, is left to AfterShip.
	if feeds["JJD1"] != "" || feeds["1Z1"] != "aftership" {
		t.Errorf("feeds %v, want DHL's own and AfterShip for UPS", feeds)
	}
}

// aftershipLike is a pushing provider under AfterShip's name.
type aftershipLike struct{ signedPush }

func (aftershipLike) Provider() string { return "aftership" }

func TestImportRefusesWhatDoesNotFit(t *testing.T) {
	st := openStore(t)
	tr, _ := newTracker(st, newClock(t0), &scripted{name: "dhl"})
	err := st.Update(func(tx *store.Tx) error {
		return tr.ImportFulfillment(tx, intake.Fulfillment{Order: "404", Carrier: "dhl", TrackingNumbers: []string{"JJD4"}}, t0)
	})
	if !errors.Is(err, ErrOrderUnknown) {
		t.Errorf("fulfillment before its order: %v, want ErrOrderUnknown", err)
	}
	for _, n := range []string{"1001", "1002"} {
		o := intake.Order{Number: n, PlacedAt: t0}
		if err := st.Update(func(tx *store.Tx) error { return tr.ImportOrder(tx, o, t0) }); err != nil {
			t.Fatal(err)
		}
	}
	ship := func(order string) error {
		return st.Update(func(tx *store.Tx) error {
			return tr.ImportFulfillment(tx, intake.Fulfillment{Order: order, Carrier: "dhl", TrackingNumbers: []string{"JJD7"}}, t0)
		})
	}
	if err := ship("1001"); err != nil {
		t.Fatal(err)
	}
	if err := ship("1002"); err == nil {
		t.Error("one tracking number was added to a second order")
	}
}

func TestImportedReturnGetsItsParcelOnce(t *testing.T) {
	st := openStore(t)
	tr, _ := newTracker(st, newClock(t0), &scripted{name: "dhl"})
	if err := st.Update(func(tx *store.Tx) error { return tr.ImportOrder(tx, intake.Order{Number: "1001"}, t0) }); err != nil {
		t.Fatal(err)
	}
	r := intake.Return{RMA: "RMA-1", Order: "1001", Reason: "too small", State: store.ReturnApproved,
		Carrier: "dhl", TrackingNumber: "JJDRET1", Lines: []store.Line{{SKU: "TSH", Qty: 1}}}
	for range 2 {
		if err := st.Update(func(tx *store.Tx) error { return tr.ImportReturn(tx, r, t0.Add(time.Hour)) }); err != nil {
			t.Fatal(err)
		}
	}
	d, _ := st.Order("1001")
	rs, err := st.OrderReturns("1001")
	if err != nil || len(rs) != 1 || len(d.Parcels) != 1 || rs[0].Parcel != d.Parcels[0].ID ||
		d.Parcels[0].Direction != store.Inbound || d.Parcels[0].RMA != "RMA-1" || len(rs[0].History) != 1 {
		t.Fatalf("returns %+v, parcels %+v, %v; want one return with its one inbound parcel", rs, d.Parcels, err)
	}
	r.State = store.ReturnRequested
	if err := st.Update(func(tx *store.Tx) error { return tr.ImportReturn(tx, r, t0.Add(2*time.Hour)) }); !errors.Is(err, store.ErrBadMove) {
		t.Errorf("approved → requested: %v, want ErrBadMove", err)
	}
}

// A parcel stored before the desk knew it has no feed for its carrier (an
// import from the command line) is handed to the desk's aggregator.
func TestAParcelWithoutAFeedIsHandedToTheAggregator(t *testing.T) {
	st := openStore(t)
	id := addFeedParcel(t, st, "dpd", "", "0150123", t0)
	tr, _ := newTracker(st, newClock(t0), &scripted{name: "dhl"})
	tr.Webhooks(Hook{Webhook: aftershipLike{}})
	if n, err := tr.PollDue(context.Background()); n != 1 || err != nil {
		t.Fatalf("PollDue = %d, %v", n, err)
	}
	if p := detail(t, st, id).Parcel; p.Feed != "aftership" || !p.NextPollAt.IsZero() || p.PollFailures != 0 {
		t.Errorf("parcel fed by %q, next poll %v, %d failures; want AfterShip's, push only, no failure", p.Feed, p.NextPollAt, p.PollFailures)
	}
}
